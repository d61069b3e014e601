import { z } from 'zod';
import type { CaseAttributeValue, CategoryAttribute } from './cases.ts';
import { bilingual, type LocalizedText } from './errors.ts';

/**
 * The extra fields of a report (a minor class's attributes, Open311's service definition attributes): the one
 * check of the values a reporter sent against the definitions, whichever way they came (Open311 arguments, the
 * console's or the portal's report body), and how the values read back.
 */

/** What a report carries: a field's code with its value, or its list of keys for a multivaluelist. */
export type AttributeValues = Record<string, string | string[]>;

/** The longest value of a field; a longer one is refused rather than cut. */
export const MAX_ATTRIBUTE_VALUE = 4_000;
/** A category has at most this many extra fields (categoryAttributesSchema), so a report sends no more. */
export const MAX_ATTRIBUTES = 50;

export const attributeValuesSchema = z
  .record(
    z.string().max(40),
    z.union([z.string().max(MAX_ATTRIBUTE_VALUE), z.array(z.string().max(MAX_ATTRIBUTE_VALUE)).max(200)]),
  )
  .refine((values) => Object.keys(values).length <= MAX_ATTRIBUTES, {
    message: bilingual(
      `扩展字段最多 ${MAX_ATTRIBUTES} 项`,
      `at most ${MAX_ATTRIBUTES} extra fields can be sent`,
    ),
  })
  .describe(
    'Extra fields of the category (GET /categories/{id}/attributes), by code: text, a number or an ISO 8601 ' +
      'date-time as a string, a list key, or an array of keys for a multivaluelist',
  );

/** One field the check refused, with why, in words that do not name the field (callers name it their way). */
export interface AttributeProblem {
  code: string;
  /** The field as the category describes it; the code for a field the category does not have. */
  description: string;
  reason: LocalizedText;
}

export type AttributeCheck =
  | { ok: true; values: AttributeValues }
  | { ok: false; problems: AttributeProblem[] };

const REASON = {
  unknown: { zh: '不是该类别的字段', en: 'is not a field of this category' },
  required: { zh: '为必填项', en: 'is required' },
  notANumber: { zh: '须为数字', en: 'must be a number' },
  notADateTime: { zh: '须为带时区的 ISO 8601 日期时间', en: 'must be an ISO 8601 date-time' },
  lineBreak: { zh: '不能换行', en: 'may not contain line breaks' },
  oneValue: { zh: '只能有一个值', en: 'takes one value' },
  tooLong: {
    zh: `过长（最多 ${MAX_ATTRIBUTE_VALUE} 个字符）`,
    en: `is too long (${MAX_ATTRIBUTE_VALUE} characters at most)`,
  },
} satisfies Record<string, LocalizedText>;

const noChoice = (value: string): LocalizedText => ({ zh: `没有选项 ${value}`, en: `has no value ${value}` });

/**
 * Checks what a reporter sent against the category's extra fields: every field sent is a variable field of the
 * category, every required one is there, each value fits its datatype, list values are among the listed keys.
 * Values are trimmed and blank ones count as not sent; a multivaluelist's keys lose their repeats. Fields that
 * are not variable (notes shown to the reporter) take no value.
 */
export function checkAttributeValues(
  definitions: readonly CategoryAttribute[],
  given: ReadonlyMap<string, readonly string[]> | Readonly<Record<string, string | readonly string[]>>,
): AttributeCheck {
  const sent = new Map<string, string[]>();
  const entries = given instanceof Map ? [...given] : Object.entries(given);
  for (const [code, raw] of entries as [string, string | readonly string[]][]) {
    const values = (typeof raw === 'string' ? [raw] : raw).map((v) => v.trim()).filter(Boolean);
    if (values.length) sent.set(code, values);
  }
  const problems: AttributeProblem[] = [];
  const values: AttributeValues = {};
  const fields = new Map(definitions.filter((d) => d.variable).map((d) => [d.code, d]));
  for (const code of sent.keys()) {
    if (!fields.has(code)) problems.push({ code, description: code, reason: REASON.unknown });
  }
  for (const field of [...fields.values()].sort((a, b) => a.order - b.order)) {
    const refuse = (reason: LocalizedText) =>
      problems.push({ code: field.code, description: field.description, reason });
    const list = sent.get(field.code);
    if (!list) {
      if (field.required) refuse(REASON.required);
      continue;
    }
    const reason = problemOf(field, list);
    if (reason) refuse(reason);
    else values[field.code] = field.datatype === 'multivaluelist' ? [...new Set(list)] : (list[0] ?? '');
  }
  return problems.length ? { ok: false, problems } : { ok: true, values };
}

function problemOf(field: CategoryAttribute, list: readonly string[]): LocalizedText | null {
  if (field.datatype === 'multivaluelist') {
    const keys = new Set(field.values.map((v) => v.key));
    const stranger = list.find((v) => !keys.has(v));
    return stranger === undefined ? null : noChoice(stranger);
  }
  const value = list[0] ?? '';
  if (field.datatype === 'singlevaluelist' && !field.values.some((v) => v.key === value))
    return noChoice(value);
  if (list.length > 1) return REASON.oneValue;
  if (field.datatype === 'number' && !Number.isFinite(Number(value))) return REASON.notANumber;
  if (field.datatype === 'datetime' && !parseW3cDateTime(value)) return REASON.notADateTime;
  if (field.datatype === 'string' && /[\r\n]/.test(value)) return REASON.lineBreak;
  if (value.length > MAX_ATTRIBUTE_VALUE) return REASON.tooLong;
  return null;
}

/** A problem as a sentence that names the field by its description: 「垃圾种类」为必填项. */
export function attributeProblemText(problem: AttributeProblem): LocalizedText {
  return {
    zh: `「${problem.description}」${problem.reason.zh}`,
    en: `“${problem.description}” ${problem.reason.en}`,
  };
}

/**
 * The values a case carries as people read them: in the order of the category's fields, each with its
 * description and list values by their names. A field the category no longer has keeps its code and raw value.
 * `recorded` is what the report's history entry keeps (its data's `attributes`), nothing when it has none.
 */
export function describeAttributeValues(
  definitions: readonly CategoryAttribute[],
  recorded: unknown,
): CaseAttributeValue[] {
  if (typeof recorded !== 'object' || recorded === null) return [];
  const values = recorded as Readonly<Record<string, unknown>>;
  const known = new Map(definitions.map((d) => [d.code, d]));
  const codes = Object.keys(values).sort(
    (a, b) =>
      (known.get(a)?.order ?? Number.MAX_SAFE_INTEGER) - (known.get(b)?.order ?? Number.MAX_SAFE_INTEGER),
  );
  return codes.flatMap((code) => {
    const raw = values[code];
    const value = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
    if (!value.length) return [];
    const field = known.get(code);
    const names = new Map(field?.values.map((v) => [v.key, v.name]));
    return [
      {
        code,
        description: field?.description ?? code,
        datatype: field?.datatype ?? null,
        value,
        shown: value.map((v) => names.get(v) ?? v),
      },
    ];
  });
}

/**
 * Parses a W3C date-time (Open311's start_date and end_date, a datetime field). The time zone is required, as
 * the Open311 spec requires it of every date-time; a bare date is taken as midnight UTC.
 */
export function parseW3cDateTime(text: string): Date | null {
  const match = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.exec(text);
  if (!match) return null;
  const at = new Date(match[1] ? text : `${text}T00:00:00Z`);
  return Number.isNaN(at.getTime()) ? null : at;
}
