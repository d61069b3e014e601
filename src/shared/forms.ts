/**
 * Form definitions (表单): a versioned list of questions, shared by the server (storing, validating answers),
 * the console's builder, and the renderer on the phone. The visit campaigns (走访) and checkpoint logs (卡点)
 * collect their answers through these definitions. Pure: no Node, no DOM.
 */
import { z } from 'zod';
import { bilingual } from './errors.ts';
import {
  expressionReferences,
  type FormExpression,
  FormExpressionError,
  parseFormExpression,
  usesSelf,
} from './form-expressions.ts';

export const QUESTION_TYPES = [
  'text',
  'integer',
  'decimal',
  'selectOne',
  'selectMultiple',
  'date',
  'time',
  'dateTime',
  'yesNo',
  'phone',
  'idNumber',
  'geopoint',
  'photo',
  'signature',
  'note',
] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];
export const CHOICE_TYPES: readonly QuestionType[] = ['selectOne', 'selectMultiple'];

/**
 * Registry fields a question may update when a visit is recorded (the visit module applies them through the
 * registry's own checks and history). Kept small on purpose: the facts a door-to-door visit confirms.
 *  - household.headPhone: the phone of the household's head (户主, relation 'head'), a resident's phone
 *  - household.residentCount: how many people live in the house (compared with the registry's residents)
 *  - house.use: selfOccupied / rental / vacant / commercial (the choice values must be these)
 *  - house.landlordPhone: the landlord's phone of a rented house
 */
export const REGISTRY_FIELDS = [
  'household.headPhone',
  'household.residentCount',
  'house.use',
  'house.landlordPhone',
] as const;
export type RegistryField = (typeof REGISTRY_FIELDS)[number];
/** The question type each registry field takes its value from. */
export const REGISTRY_FIELD_TYPES: Record<RegistryField, QuestionType> = {
  'household.headPhone': 'phone',
  'household.residentCount': 'integer',
  'house.use': 'selectOne',
  'house.landlordPhone': 'phone',
};
export const REGISTRY_FIELD_LABELS: Record<RegistryField, { zh: string; en: string }> = {
  'household.headPhone': { zh: '户主电话', en: "Household head's phone" },
  'household.residentCount': { zh: '实住人数', en: 'People living there' },
  'house.use': { zh: '房屋用途', en: 'Use of the house' },
  'house.landlordPhone': { zh: '房东电话', en: "Landlord's phone" },
};

export const MAX_QUESTIONS = 200;
export const MAX_CHOICES = 200;
export const QUESTION_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

const cleanText = (max: number) => z.string().trim().min(1).max(max);

/** Text in Chinese, with English where the form has it (the renderer falls back to Chinese). */
export const formTextSchema = z.object({ zh: cleanText(500), en: cleanText(500).optional() });
export type FormText = z.infer<typeof formTextSchema>;

export const choiceSchema = z.object({
  value: z
    .string()
    .regex(
      /^[A-Za-z0-9_.-]{1,64}$/,
      bilingual('选项值只能含字母、数字、_ . -', 'letters, digits, _ . - only'),
    ),
  label: formTextSchema,
  /** Choosing this answer raises a case (立案) in this matter category (事件小类 code, e.g. 06011). */
  raisesCase: z
    .object({ categoryCode: z.string().regex(/^\d{3,8}$/, bilingual('应为类别代码', 'a category code')) })
    .optional(),
});
export type Choice = z.infer<typeof choiceSchema>;

const expressionText = z.string().trim().max(1000);

export const questionSchema = z.object({
  name: z
    .string()
    .regex(
      QUESTION_NAME,
      bilingual('题目名称以字母开头，只含字母、数字、_ . -', 'start with a letter; letters, digits, _ . -'),
    ),
  type: z.enum(QUESTION_TYPES),
  label: formTextSchema,
  hint: formTextSchema.optional(),
  required: z.boolean().default(false),
  /** Shown (and answered) only when this is true; may read earlier questions only. */
  relevant: expressionText.optional(),
  /** Must be true of the answer (`.`) when given; may read earlier questions. */
  constraint: expressionText.optional(),
  constraintMessage: formTextSchema.optional(),
  choices: z.array(choiceSchema).max(MAX_CHOICES).optional(),
  registryField: z.enum(REGISTRY_FIELDS).optional(),
});
export type Question = z.infer<typeof questionSchema>;
export type QuestionInput = z.input<typeof questionSchema>;

export interface DefinitionProblem {
  /** questions.3.constraint — the builder and the API name the field. */
  path: string;
  question: string | null;
  message: { zh: string; en: string };
}

/**
 * The checks a definition must pass before it is saved, beyond its shape: unique names, choices for choice
 * questions only, expressions that parse and read only known (earlier) questions, registry fields on a
 * question of the right type and at most once. Each problem names the question.
 */
export function checkDefinition(questions: readonly Question[]): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const seen = new Map<string, Question>();
  const usedFields = new Set<string>();
  questions.forEach((q, i) => {
    const at = (field: string) => `questions.${i}.${field}`;
    const add = (field: string, zh: string, en: string) =>
      problems.push({
        path: at(field),
        question: q.name,
        message: { zh: `题目 ${q.name}：${zh}`, en: `question ${q.name}: ${en}` },
      });
    if (seen.has(q.name)) add('name', '名称重复', 'the name is used twice');
    const isChoice = CHOICE_TYPES.includes(q.type);
    if (isChoice && !q.choices?.length)
      add('choices', '单选/多选题需要选项', 'a choice question needs choices');
    if (!isChoice && q.choices?.length)
      add('choices', '只有单选/多选题可以有选项', 'only choice questions have choices');
    const values = new Set<string>();
    for (const c of q.choices ?? []) {
      if (values.has(c.value))
        add('choices', `选项值 ${c.value} 重复`, `choice value ${c.value} is used twice`);
      values.add(c.value);
    }
    if (q.type === 'note' && (q.required || q.constraint || q.registryField)) {
      add(
        'type',
        '说明不需回答，不能必填、约束或对应登记字段',
        'a note takes no answer: no required, constraint or registry field',
      );
    }
    for (const field of ['relevant', 'constraint'] as const) {
      const source = q[field];
      if (!source) continue;
      let tree: FormExpression;
      try {
        tree = parseFormExpression(source);
      } catch (error) {
        if (!(error instanceof FormExpressionError)) throw error;
        add(field, `表达式有误：${error.problem.zh}`, `the expression is wrong: ${error.problem.en}`);
        continue;
      }
      if (field === 'relevant' && usesSelf(tree)) {
        add(field, '显示条件不能使用“.”（本题答案）', 'a condition cannot read "." (its own answer)');
      }
      for (const name of expressionReferences(tree)) {
        if (seen.has(name)) continue;
        if (name === q.name && field === 'constraint') continue;
        const later = questions.some((other) => other.name === name);
        add(
          field,
          later ? `引用了后面的题目 ${name}，只能引用前面的题目` : `引用了不存在的题目 ${name}`,
          later
            ? `reads ${name}, which comes later: read earlier questions only`
            : `reads ${name}, which is not a question of this form`,
        );
      }
      walkSelected(tree, (name) => {
        const target = name === q.name ? q : seen.get(name);
        if (target && !CHOICE_TYPES.includes(target.type)) {
          add(
            field,
            `selected() 只能用于单选/多选题，${name} 不是`,
            `selected() needs a choice question; ${name} is not one`,
          );
        }
      });
    }
    if (q.constraintMessage && !q.constraint)
      add('constraintMessage', '有约束提示却没有约束', 'a constraint message without a constraint');
    if (q.registryField) {
      if (REGISTRY_FIELD_TYPES[q.registryField] !== q.type) {
        add(
          'registryField',
          `登记字段 ${q.registryField} 需要 ${REGISTRY_FIELD_TYPES[q.registryField]} 类题目`,
          `registry field ${q.registryField} needs a ${REGISTRY_FIELD_TYPES[q.registryField]} question`,
        );
      }
      if (usedFields.has(q.registryField))
        add(
          'registryField',
          `登记字段 ${q.registryField} 已被其他题目使用`,
          `registry field ${q.registryField} is used by another question`,
        );
      usedFields.add(q.registryField);
    }
    seen.set(q.name, q);
  });
  return problems;
}

function walkSelected(e: FormExpression, visit: (name: string) => void): void {
  if (e.kind === 'call') {
    const first = e.args[0];
    if ((e.fn === 'selected' || e.fn === 'count-selected') && first?.kind === 'ref') visit(first.name);
    for (const arg of e.args) walkSelected(arg, visit);
  } else if (e.kind === 'compare' || e.kind === 'logic') {
    walkSelected(e.left, visit);
    walkSelected(e.right, visit);
  }
}

/** A form's content: what a version stores (immutable once published). */
export const formDefinitionSchema = z
  .object({ questions: z.array(questionSchema).min(1).max(MAX_QUESTIONS) })
  .superRefine((definition, ctx) => {
    for (const p of checkDefinition(definition.questions)) {
      ctx.addIssue({
        code: 'custom',
        path: p.path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
        message: bilingual(p.message.zh, p.message.en),
      });
    }
  });
export type FormDefinition = z.infer<typeof formDefinitionSchema>;
export type FormDefinitionInput = z.input<typeof formDefinitionSchema>;

/*
 * Answers, keyed by question name:
 *   text, phone, idNumber, selectOne, date (YYYY-MM-DD), time (HH:MM), dateTime (ISO with offset): string
 *   yesNo: 'yes' | 'no' (as XLSForm's yes_no list, so expressions compare it like a choice)
 *   integer, decimal: number;  selectMultiple: string[]
 *   geopoint: { lon, lat, accuracyM? } (WGS-84);  photo, signature: evidence id (sha-256 hex from POST /evidence)
 */
export const geopointAnswerSchema = z.object({
  lon: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  accuracyM: z.number().min(0).max(100_000).optional(),
});
export type GeopointAnswer = z.infer<typeof geopointAnswerSchema>;
export const answerValueSchema = z.union([
  z.string().max(2000),
  z.number(),
  z.array(z.string().max(64)).max(MAX_CHOICES),
  geopointAnswerSchema,
  z.null(),
]);
export type AnswerValue = z.infer<typeof answerValueSchema>;
export const answersSchema = z
  .record(z.string().regex(QUESTION_NAME), answerValueSchema)
  .refine((a) => Object.keys(a).length <= MAX_QUESTIONS, bilingual('答案过多', 'too many answers'));
export type Answers = z.infer<typeof answersSchema>;

// ——— API shapes of the forms module ———

export const FORM_CODE = /^[A-Za-z0-9_-]{2,40}$/;
export const formCodeSchema = z
  .string()
  .regex(FORM_CODE, bilingual('表单代码为 2–40 位字母、数字、_ -', '2–40 letters, digits, _ or -'));

export const createFormSchema = z.object({
  code: formCodeSchema,
  title: formTextSchema,
  /** The region the form belongs to (a prefix of region codes); default the author's scope. */
  regionCode: z
    .string()
    .regex(/^\d{6,15}$/)
    .optional(),
  definition: formDefinitionSchema,
});
export type CreateFormInput = z.input<typeof createFormSchema>;

export const saveDraftSchema = z.object({
  title: formTextSchema.optional(),
  definition: formDefinitionSchema,
  rowVersion: z
    .number()
    .int()
    .min(1)
    .max(2_147_483_647)
    .describe("The form's rowVersion you read; a stale one gets 409"),
});

export const formVersionSchema = z.object({
  id: z.number().int(),
  formId: z.number().int(),
  formCode: z.string(),
  version: z.number().int(),
  title: formTextSchema,
  definition: formDefinitionSchema,
  publishedAt: z.string().nullable(),
});
export type FormVersion = z.infer<typeof formVersionSchema>;

export const formSummarySchema = z.object({
  id: z.number().int(),
  code: z.string(),
  title: formTextSchema,
  regionCode: z.string(),
  questionCount: z.number().int(),
  /** The newest version, published or draft. */
  latestVersion: z.number().int(),
  /** The newest published version, if any: what campaigns use. */
  publishedVersion: z.number().int().nullable(),
  publishedVersionId: z.number().int().nullable(),
  synthetic: z.boolean(),
  /** Whether the reader may edit and publish it. */
  editable: z.boolean(),
  rowVersion: z.number().int(),
  createdBy: z.string(),
  updatedAt: z.string(),
});
export type FormSummary = z.infer<typeof formSummarySchema>;

export const formDetailSchema = formSummarySchema.extend({
  /** The newest version: the draft being edited, or the published one when there is no draft. */
  current: formVersionSchema,
  versions: z.array(
    z.object({ id: z.number().int(), version: z.number().int(), publishedAt: z.string().nullable() }),
  ),
});
export type FormDetail = z.infer<typeof formDetailSchema>;

export const formListQuerySchema = z.object({
  q: z.string().trim().max(40).optional(),
  publishedOnly: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});

export const publishFormSchema = z.object({
  rowVersion: z.number().int().min(1).max(2_147_483_647),
});

export const MAX_XLSFORM_BYTES = 2 * 1024 * 1024;
export const xlsformImportQuerySchema = z.object({
  code: formCodeSchema.optional().describe("The form's code; default the settings sheet's form_id"),
  regionCode: z
    .string()
    .regex(/^\d{6,15}$/)
    .optional(),
  dryRun: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});
export const xlsformImportResultSchema = z.object({
  applied: z.boolean(),
  code: z.string(),
  newForm: z.boolean(),
  questions: z.number().int(),
  form: formDetailSchema.nullable(),
});
export type XlsformImportResult = z.infer<typeof xlsformImportResultSchema>;

export { FORM_AUTHOR_ROLES } from './access.ts';
