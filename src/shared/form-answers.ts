/*
 * Checking a form's answers against its definition: which questions are relevant, which answers are required,
 * of the right type and within their constraint. The server runs it on every submission and the renderer on
 * every change, with the same evaluator, so the phone and the server never disagree. Pure: no Node, no DOM.
 */
import type { Locale } from './errors.ts';
import {
  type EvaluationContext,
  type ExpressionValue,
  evaluateFormExpression,
  type FormExpression,
  parseFormExpression,
} from './form-expressions.ts';
import type { Answers, AnswerValue, FormDefinition, FormText, Question } from './forms.ts';
import { checkIdNumber, checkPhone } from './registry-validation.ts';

export interface AnswerProblem {
  /** The question's name: the API reports it as answers.<name>. */
  name: string;
  message: FormText;
}

export interface AnswerCheck {
  /** The answers to relevant questions, normalised (phone as stored, ID number upper-case); others dropped. */
  answers: Answers;
  problems: AnswerProblem[];
  /** Names of the questions shown, in order. */
  relevant: string[];
}

const DEFAULT_TEXT = {
  required: { zh: '此题必答', en: 'This question is required' },
  constraint: { zh: '答案不符合要求', en: 'The answer does not meet the condition' },
  integer: { zh: '应为整数', en: 'Give a whole number' },
  decimal: { zh: '应为数字', en: 'Give a number' },
  choice: { zh: '不是本题的选项', en: 'Not one of the choices' },
  date: { zh: '日期格式应为 YYYY-MM-DD', en: 'Give a date as YYYY-MM-DD' },
  time: { zh: '时间格式应为 HH:MM', en: 'Give a time as HH:MM' },
  dateTime: { zh: '应为带时区的日期时间', en: 'Give a date and time with its offset' },
  yesNo: { zh: '应为“是”或“否”', en: 'Answer yes or no' },
  geopoint: { zh: '应为经纬度位置', en: 'Give a point (longitude, latitude)' },
  evidence: { zh: '应为已上传的照片或签名', en: 'Give an uploaded photo or signature' },
  text: { zh: '应为文字', en: 'Give text' },
  note: { zh: '说明题不需回答', en: 'A note takes no answer' },
  unknown: { zh: '本表单没有这道题', en: 'This form has no such question' },
} satisfies Record<string, FormText>;

const parsed = new WeakMap<
  Question,
  { relevant: FormExpression | null; constraint: FormExpression | null }
>();

/** The question's expressions, parsed once per definition object (definitions are checked before saving). */
function expressionsOf(q: Question) {
  let cached = parsed.get(q);
  if (!cached) {
    cached = {
      relevant: q.relevant ? parseFormExpression(q.relevant) : null,
      constraint: q.constraint ? parseFormExpression(q.constraint) : null,
    };
    parsed.set(q, cached);
  }
  return cached;
}

function isEmpty(v: AnswerValue | undefined): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

/** What an expression sees of an answer: '' for unanswered, the list of a multiple choice, a point as "lat lon". */
function expressionValue(v: AnswerValue | undefined): ExpressionValue {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object' && !Array.isArray(v)) return `${v.lat} ${v.lon}`;
  return v;
}

/** A form's text in the language asked for, Chinese when it has no English. */
export function formText(text: FormText, locale: Locale): string {
  return locale === 'en-US' ? (text.en ?? text.zh) : text.zh;
}

/**
 * Walks the questions in order and calls `visit` for each relevant one with the context its expressions see:
 * answers of earlier relevant questions (a hidden question's answer reads as empty, as in ODK).
 */
function walkRelevant(
  definition: FormDefinition,
  answers: Answers,
  visit: (q: Question, context: (self: ExpressionValue) => EvaluationContext) => void,
): string[] {
  const visible = new Map<string, ExpressionValue>();
  const shown: string[] = [];
  for (const q of definition.questions) {
    const context = (self: ExpressionValue): EvaluationContext => ({
      self,
      value: (name) => visible.get(name) ?? '',
    });
    const { relevant } = expressionsOf(q);
    if (relevant && !evaluateFormExpression(relevant, context(''))) continue;
    shown.push(q.name);
    visit(q, context);
    visible.set(q.name, expressionValue(answers[q.name]));
  }
  return shown;
}

/** The names of the questions shown for these answers, in order. */
export function relevantQuestions(definition: FormDefinition, answers: Answers): string[] {
  return walkRelevant(definition, answers, () => {});
}

/** Whether the question is shown for these answers. */
export function isRelevant(definition: FormDefinition, answers: Answers, name: string): boolean {
  return relevantQuestions(definition, answers).includes(name);
}

type Typed = { ok: true; value: AnswerValue } | { ok: false; message: FormText };

/** Checks and normalises one non-empty answer for its question's type. */
function checkType(q: Question, v: AnswerValue, today: Date): Typed {
  const bad = (message: FormText): Typed => ({ ok: false, message });
  const text = typeof v === 'string' ? v.trim() : null;
  switch (q.type) {
    case 'note':
      return bad(DEFAULT_TEXT.note);
    case 'text':
      return text !== null ? { ok: true, value: text } : bad(DEFAULT_TEXT.text);
    case 'integer': {
      const n = typeof v === 'number' ? v : text !== null && /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
      return Number.isSafeInteger(n) && Math.abs(n) <= 2_147_483_647
        ? { ok: true, value: n }
        : bad(DEFAULT_TEXT.integer);
    }
    case 'decimal': {
      const n =
        typeof v === 'number' ? v : text !== null && /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
      return Number.isFinite(n) && Math.abs(n) < 1e15 ? { ok: true, value: n } : bad(DEFAULT_TEXT.decimal);
    }
    case 'selectOne':
      return text !== null && q.choices?.some((c) => c.value === text)
        ? { ok: true, value: text }
        : bad(DEFAULT_TEXT.choice);
    case 'selectMultiple': {
      const values = Array.isArray(v) ? v : text !== null ? text.split(/\s+/) : null;
      if (!values || values.some((x) => !q.choices?.some((c) => c.value === x)))
        return bad(DEFAULT_TEXT.choice);
      return { ok: true, value: [...new Set(values)] };
    }
    case 'date': {
      if (text === null || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return bad(DEFAULT_TEXT.date);
      const d = new Date(`${text}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text
        ? { ok: true, value: text }
        : bad(DEFAULT_TEXT.date);
    }
    case 'time':
      return text !== null && /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/.test(text)
        ? { ok: true, value: text.slice(0, 5) }
        : bad(DEFAULT_TEXT.time);
    case 'dateTime':
      return text !== null &&
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) &&
        !Number.isNaN(Date.parse(text))
        ? { ok: true, value: text }
        : bad(DEFAULT_TEXT.dateTime);
    case 'yesNo':
      return text === 'yes' || text === 'no' ? { ok: true, value: text } : bad(DEFAULT_TEXT.yesNo);
    case 'phone': {
      const r = text !== null ? checkPhone(text) : null;
      if (r?.ok && r.value) return { ok: true, value: r.value };
      return bad(r && !r.ok ? fill(r.problem, r.params) : DEFAULT_TEXT.text);
    }
    case 'idNumber': {
      const r = text !== null ? checkIdNumber(text, today) : null;
      if (r?.ok) return { ok: true, value: r.value.idNumber };
      return bad(r && !r.ok ? fill(r.problem, r.params) : DEFAULT_TEXT.text);
    }
    case 'geopoint':
      return typeof v === 'object' && v !== null && !Array.isArray(v)
        ? { ok: true, value: v }
        : bad(DEFAULT_TEXT.geopoint);
    case 'photo':
    case 'signature':
      return text !== null && /^[0-9a-f]{64}$/.test(text)
        ? { ok: true, value: text }
        : bad(DEFAULT_TEXT.evidence);
  }
}

function fill(text: FormText, params: Record<string, string> | undefined): FormText {
  const apply = (s: string) => s.replace(/\{(\w+)\}/g, (whole, k: string) => params?.[k] ?? whole);
  return { zh: apply(text.zh), en: text.en === undefined ? undefined : apply(text.en) };
}

/**
 * Checks answers against a definition: each relevant question answered when required, of its type, within its
 * constraint (the form's message, or a default one); answers to questions that are not shown are dropped (a
 * phone may still hold an answer given before an earlier answer changed), answers to unknown names refused.
 */
export function validateAnswers(
  definition: FormDefinition,
  answers: Answers,
  options: { today?: Date } = {},
): AnswerCheck {
  const today = options.today ?? new Date();
  const problems: AnswerProblem[] = [];
  const clean: Answers = {};
  const known = new Set(definition.questions.map((q) => q.name));
  for (const name of Object.keys(answers)) {
    if (!known.has(name)) problems.push({ name, message: DEFAULT_TEXT.unknown });
  }
  const relevant = walkRelevant(definition, answers, (q, context) => {
    const given = answers[q.name];
    if (isEmpty(given)) {
      if (q.required) problems.push({ name: q.name, message: DEFAULT_TEXT.required });
      return;
    }
    const typed = checkType(q, given as AnswerValue, today);
    if (!typed.ok) {
      problems.push({ name: q.name, message: typed.message });
      return;
    }
    const { constraint } = expressionsOf(q);
    if (constraint && !evaluateFormExpression(constraint, context(expressionValue(typed.value)))) {
      problems.push({ name: q.name, message: q.constraintMessage ?? DEFAULT_TEXT.constraint });
      return;
    }
    clean[q.name] = typed.value;
  });
  return { answers: clean, problems, relevant };
}

/** The matter categories the answers raise cases in: each chosen choice with `raisesCase`, per question. */
export function casesRaised(
  definition: FormDefinition,
  answers: Answers,
): { question: string; choice: string; categoryCode: string }[] {
  const raised: { question: string; choice: string; categoryCode: string }[] = [];
  for (const q of definition.questions) {
    const given = answers[q.name];
    const chosen = Array.isArray(given) ? given : typeof given === 'string' ? [given] : [];
    for (const c of q.choices ?? []) {
      if (c.raisesCase && chosen.includes(c.value))
        raised.push({ question: q.name, choice: c.value, categoryCode: c.raisesCase.categoryCode });
    }
  }
  return raised;
}
