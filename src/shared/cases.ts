import { z } from 'zod';
import { attributeValuesSchema, MAX_ATTRIBUTES } from './attributes.ts';
import { bilingual } from './errors.ts';
import type { Role } from './roles.ts';

export const CATEGORY_KINDS = ['component', 'matter'] as const;
export const CATEGORY_KIND_LABELS = {
  component: { zh: '部件', en: 'Component' },
  matter: { zh: '事件', en: 'Matter' },
} as const;

export const TIME_UNITS = ['workingHours', 'workingDays', 'naturalDays'] as const;
export const TIME_UNIT_LABELS = {
  workingHours: { zh: '工作时', en: 'working hours' },
  workingDays: { zh: '工作日', en: 'working days' },
  naturalDays: { zh: '自然日', en: 'calendar days' },
} as const;

export const CASE_STEPS = ['register', 'dispatch', 'handle', 'verify'] as const;
export type CaseStep = (typeof CASE_STEPS)[number];

export const timeLimitSchema = z.object({
  amount: z.number().positive().max(1000),
  unit: z.enum(TIME_UNITS),
});
export type TimeLimitInput = z.infer<typeof timeLimitSchema>;

export const stepLimitsSchema = z.object({
  register: timeLimitSchema.optional(),
  dispatch: timeLimitSchema.optional(),
  handle: timeLimitSchema.optional(),
  verify: timeLimitSchema.optional(),
});

export const categorySchema = z.object({
  id: z.number().int(),
  kind: z.enum(CATEGORY_KINDS),
  code: z.string(),
  name: z.string(),
  parentId: z.number().int().nullable(),
  limits: stepLimitsSchema,
  defaultDepartmentId: z.number().int().nullable(),
  defaultDepartmentName: z.string().nullable(),
  onTheSpot: z.boolean().describe('即办: a grid worker may report and close in one step'),
  public: z.boolean().describe('Offered to residents on the public portal'),
  active: z.boolean(),
  version: z.number().int(),
});
export type Category = z.infer<typeof categorySchema>;

export const categoryTreeSchema = z.array(
  categorySchema
    .extend({ children: z.array(categorySchema) })
    .describe('A major class with its minor classes'),
);

export const categoryCodeSchema = z
  .string()
  .trim()
  .regex(
    /^\d{2}(\d{3})?$/,
    bilingual('大类代码为 2 位数字，小类代码为 5 位数字', 'a major class code has 2 digits, a minor class 5'),
  );

export const createCategorySchema = z.object({
  kind: z.enum(CATEGORY_KINDS),
  code: categoryCodeSchema,
  name: z.string().trim().min(1).max(64),
  limits: stepLimitsSchema.default({}),
  defaultDepartmentId: z.number().int().nullable().optional(),
  onTheSpot: z.boolean().default(false),
  public: z.boolean().default(true),
});
export const updateCategorySchema = z.object({
  version: z.number().int(),
  name: z.string().trim().min(1).max(64).optional(),
  limits: stepLimitsSchema.optional(),
  defaultDepartmentId: z.number().int().nullable().optional(),
  onTheSpot: z.boolean().optional(),
  public: z.boolean().optional(),
  active: z.boolean().optional(),
});

export const ATTRIBUTE_DATATYPES = [
  'string',
  'number',
  'datetime',
  'text',
  'singlevaluelist',
  'multivaluelist',
] as const;
export type AttributeDatatype = (typeof ATTRIBUTE_DATATYPES)[number];

/** An extra field of a minor class, asked for with a report (an Open311 service definition attribute). */
export const categoryAttributeSchema = z
  .object({
    code: z
      .string()
      .trim()
      .regex(
        /^[A-Za-z0-9_]{1,40}$/,
        bilingual('字段代码为 1–40 位字母、数字或下划线', 'a field code has 1–40 letters, digits or _'),
      ),
    datatype: z.enum(ATTRIBUTE_DATATYPES),
    variable: z.boolean().default(true).describe('False: information shown to the reporter, no input'),
    required: z.boolean().default(false),
    description: z.string().trim().min(1).max(500),
    datatypeDescription: z.string().trim().max(200).nullable().default(null),
    order: z.number().int().positive().describe('Shown in this order, 1 first; unique within the category'),
    values: z
      .array(z.object({ key: z.string().trim().min(1).max(100), name: z.string().trim().min(1).max(200) }))
      .max(200)
      .default([])
      .describe('The choices of a singlevaluelist or multivaluelist'),
  })
  .refine((a) => (a.datatype.endsWith('valuelist') ? a.values.length > 0 : a.values.length === 0), {
    message: bilingual(
      '列表字段须有选项，其他字段不能有选项',
      'a list field needs values; other fields take none',
    ),
    path: ['values'],
  });
export type CategoryAttribute = z.output<typeof categoryAttributeSchema>;
export const categoryAttributesSchema = z
  .array(categoryAttributeSchema)
  .max(MAX_ATTRIBUTES)
  .refine((list) => new Set(list.map((a) => a.code)).size === list.length, {
    message: bilingual('字段代码不能重复', 'field codes must be unique'),
  })
  .refine((list) => new Set(list.map((a) => a.order)).size === list.length, {
    message: bilingual('字段顺序不能重复', 'field orders must be unique'),
  });

/** Opens the description of every case of the demo town's synthetic history (db/seed/demo-history.ts). */
export const SYNTHETIC_CASE_MARK = '【演示数据】';

export const CASE_SOURCES = [
  'gridWorker',
  'inspector',
  'resident',
  'hotline',
  'api',
  'partyMember',
  'phone',
  'walkIn',
  // A volunteer signed in at a community reports there (issue 18): counted apart from the grid's own staff.
  'volunteer',
] as const;
export const CASE_SOURCE_LABELS = {
  gridWorker: { zh: '网格员上报', en: 'Grid worker' },
  inspector: { zh: '督查发现', en: 'Inspection' },
  resident: { zh: '群众随手拍', en: 'Resident' },
  hotline: { zh: '12345 热线', en: '12345 hotline' },
  api: { zh: '系统对接', en: 'API' },
  partyMember: { zh: '党员上报', en: 'Party member' },
  phone: { zh: '电话', en: 'Phone call' },
  walkIn: { zh: '来访', en: 'Walk-in' },
  volunteer: { zh: '志愿者上报', en: 'Volunteer' },
} as const;

/**
 * The sources a dispatcher names at the report desk when logging what reached the office: a call, a visit, a
 * hotline order taken by hand, what an inspection or a grid worker passed on, a resident's message.
 */
export const DESK_SOURCES = ['phone', 'walkIn', 'hotline', 'inspector', 'gridWorker', 'resident'] as const;
/** Who works the report desk: only they name a report's source; anyone else reports as their own role. */
export const DESK_ROLES: readonly Role[] = ['dispatcher', 'administrator'];

export const DEADLINE_STATUSES = ['onTime', 'dueSoon', 'overdue', 'beyondCalendar', 'none'] as const;

const evidence = z
  .array(z.string().regex(/^[0-9a-f]{64}$/))
  .max(20)
  .describe('Ids (SHA-256) of uploaded photos');

export const reportCaseSchema = z
  .object({
    clientKey: z
      .string()
      .trim()
      .min(8)
      .max(100)
      .optional()
      .describe('Idempotency key chosen by the client: a replayed report returns the case already created'),
    categoryId: z.number().int(),
    description: z.string().trim().min(2).max(2000),
    lon: z.number().min(-180).max(180).optional(),
    lat: z.number().min(-90).max(90).optional(),
    regionCode: z
      .string()
      .regex(/^\d{12,21}$/)
      .optional()
      .describe('The grid, when no point is given'),
    address: z.string().trim().max(200).optional(),
    reporterName: z.string().trim().max(40).optional(),
    reporterPhone: z.string().trim().max(20).optional(),
    evidence: evidence.optional().describe('Photos of the problem, uploaded first (POST /evidence)'),
    attributes: attributeValuesSchema.optional(),
    source: z
      .enum(DESK_SOURCES)
      .optional()
      .describe('Where a report logged at the desk came from (dispatchers and administrators only)'),
  })
  .refine((v) => (v.lon !== undefined && v.lat !== undefined) || v.regionCode !== undefined, {
    message: bilingual('请在地图上选点（经纬度）或选择网格', 'give a point (lon, lat) or a grid'),
    path: ['lon'],
  });

export const caseSummarySchema = z.object({
  id: z.number().int(),
  caseNumber: z.string(),
  externalRef: z
    .string()
    .nullable()
    .describe('Its number in the system it came from, e.g. the 12345 hotline order number (工单编号)'),
  state: z.string(),
  source: z.enum(CASE_SOURCES),
  categoryId: z.number().int(),
  categoryName: z.string(),
  categoryCode: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  description: z.string(),
  address: z.string().nullable(),
  lon: z.number().nullable(),
  lat: z.number().nullable(),
  step: z.enum(CASE_STEPS).nullable(),
  stepDueAt: z.string().nullable(),
  deadline: z.enum(DEADLINE_STATUSES),
  leadDepartmentId: z.number().int().nullable(),
  leadDepartmentName: z.string().nullable(),
  supervised: z.boolean(),
  returnCount: z.number().int(),
  reworkCount: z.number().int(),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  version: z.number().int(),
});
export type CaseSummary = z.infer<typeof caseSummarySchema>;

export const caseEventSchema = z.object({
  id: z.number().int(),
  action: z.string(),
  fromState: z.string().nullable(),
  toState: z.string(),
  actorName: z.string(),
  note: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  at: z.string(),
});

/** An extra field's value as a case carries it (shared/attributes.ts describeAttributeValues). */
export const caseAttributeValueSchema = z.object({
  code: z.string(),
  description: z.string().describe('The field as the category describes it now; its code once it has gone'),
  datatype: z.enum(ATTRIBUTE_DATATYPES).nullable(),
  value: z.array(z.string()).describe('As reported: text, a number, an ISO 8601 date-time, or list keys'),
  shown: z.array(z.string()).describe('What to show: list values by their names, anything else as reported'),
});
export type CaseAttributeValue = z.infer<typeof caseAttributeValueSchema>;

export const caseDetailSchema = caseSummarySchema.extend({
  reporterName: z.string().nullable(),
  reporterPhone: z
    .string()
    .nullable()
    .describe('Masked (138****5678) unless the role sees it in clear: REPORTER_PHONE_VISIBILITY'),
  reporterPhoneMasked: z.boolean().describe('Whether reporterPhone is the mask'),
  reporterPhoneRevealable: z.boolean().describe('Whether POST /cases/{id}/reveal would show it'),
  mergedInto: z.number().int().nullable(),
  extensionCount: z.number().int(),
  satisfaction: z.number().int().nullable(),
  stepStartedAt: z.string().nullable(),
  suspendedAt: z.string().nullable(),
  departments: z.array(
    z.object({ id: z.number().int(), name: z.string(), role: z.enum(['lead', 'assist']) }),
  ),
  events: z.array(caseEventSchema),
  attributes: z
    .array(caseAttributeValueSchema)
    .describe("The extra fields sent with the report, in the category's order"),
  allowedActions: z.array(z.string()).describe('The actions this user may take on this case now'),
  mediation: z
    .object({ id: z.number().int(), number: z.string() })
    .nullable()
    .describe(
      'The open mediation the case is in: its handling follows it until the outcome marks it handled',
    ),
  possibleDuplicates: z
    .array(caseSummarySchema)
    .describe(
      'While the case awaits registration: open cases of its category nearby, reported shortly before',
    ),
  suggestedDepartmentId: z.number().int().nullable().describe('Where the routing rules would dispatch it'),
  suggestedBecause: z
    .enum(['routingRule', 'categoryDefault'])
    .nullable()
    .describe('Why that department: a routing rule (分派规则) matched, or the category names it by default'),
  photos: z
    .array(z.lazy(() => evidenceSchema))
    .describe('Every photo the timeline names, with the time and place its EXIF records'),
  moderation: z
    .array(z.lazy(() => moderationEntrySchema))
    .describe('What staff hid from the public view of the case (portal, Open311), and why'),
});
export type CaseDetail = z.infer<typeof caseDetailSchema>;
export type CaseMediation = NonNullable<CaseDetail['mediation']>;

const civilDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
  .refine((day) => {
    const at = new Date(`${day}T00:00:00Z`);
    return !Number.isNaN(at.getTime()) && at.toISOString().startsWith(day);
  }, 'not a day of the calendar');

export const caseListQuerySchema = z.object({
  state: z
    .string()
    .regex(/^[a-zA-Z]+(,[a-zA-Z]+)*$/)
    .optional()
    .describe('One state, or several joined by commas (accepted,extensionRequested)'),
  open: z.stringbool().optional().describe('Only cases not yet closed, rejected or merged'),
  step: z.enum(CASE_STEPS).optional(),
  deadline: z.enum(['dueSoon', 'overdue']).optional(),
  categoryId: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
  regionCode: z.string().regex(/^\d+$/).optional(),
  source: z.enum(CASE_SOURCES).optional(),
  departmentId: z.coerce.number().int().min(1).max(2_147_483_647).optional().describe('The lead department'),
  from: civilDate.optional().describe('Reported on or after this day (Beijing time)'),
  to: civilDate.optional().describe('Reported on or before this day (Beijing time)'),
  reportedByMe: z.stringbool().optional().describe('Only the cases the caller reported'),
  supervised: z.stringbool().optional(),
  rework: z.stringbool().optional().describe('Only cases sent back for rework at least once'),
  mine: z
    .stringbool()
    .optional()
    .describe('Department handlers: only cases of my department (always true for them)'),
  q: z.string().trim().max(100).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

const note = z.string().trim().max(1000).optional();
const reason = z.string().trim().min(2).max(1000);
/** A stored photo and what it says of itself (EXIF); `takenAt`, `lon`, `lat` are null when it does not say. */
export const evidenceSchema = z.object({
  id: z.string().describe('SHA-256 of the bytes'),
  mime: z.string(),
  size: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
  takenAt: z.string().nullable(),
  lon: z.number().nullable(),
  lat: z.number().nullable(),
});
export type Evidence = z.infer<typeof evidenceSchema>;

/** The action input fields that carry photos: a finish's result, a verification, before/after on the spot. */
export const PHOTO_FIELDS = ['evidence', 'beforePhotos', 'afterPhotos'] as const;

/** The photo ids an action's recorded data names, in field order. */
export function photoIdsOf(data: Record<string, unknown>): string[] {
  return PHOTO_FIELDS.flatMap((field) => {
    const list = data[field];
    return Array.isArray(list) ? list.filter((id): id is string => typeof id === 'string') : [];
  });
}

/** The input of each workflow action, besides the case `version` every action carries. */
export const caseActionInputSchemas = {
  register: z.object({ note }),
  reject: z.union([
    // The original as people know it: its case number (案件编号), or its id.
    z
      .object({
        reason: z.literal('duplicate'),
        originalCaseId: z.number().int().optional(),
        originalCaseNumber: z.string().trim().min(1).max(40).optional(),
        note,
      })
      .refine((v) => v.originalCaseId !== undefined || v.originalCaseNumber !== undefined, {
        path: ['originalCaseNumber'],
        message: 'name the original case: its case number',
      }),
    z.object({ reason: z.enum(['invalid', 'notOurs']), note }),
  ]),
  dispatch: z.object({
    leadDepartmentId: z.number().int(),
    assistingDepartmentIds: z.array(z.number().int()).max(10).optional(),
    note,
  }),
  recall: z.object({ reason }),
  reassign: z.object({
    leadDepartmentId: z.number().int(),
    assistingDepartmentIds: z.array(z.number().int()).max(10).optional(),
    reason,
  }),
  whistle: z.object({ departmentIds: z.array(z.number().int()).min(1).max(10), note }),
  accept: z.object({ note }),
  return: z.object({ reason }),
  requestExtension: z.object({ extension: timeLimitSchema, reason }),
  approveExtension: z.object({ extension: timeLimitSchema, note }),
  refuseExtension: z.object({ reason }),
  suspend: z.object({ reason }),
  resume: z.object({ note }),
  finish: z.object({ note: z.string().trim().min(2).max(1000), evidence }),
  verifyPass: z.object({ note, evidence: evidence.optional() }),
  verifyFail: z.object({ reason, evidence: evidence.optional() }),
  handleOnTheSpot: z.object({ note, beforePhotos: evidence, afterPhotos: evidence }),
  rate: z.object({ score: z.number().int().min(1).max(5), comment: z.string().trim().max(500).optional() }),
  supervise: z.object({ note }),
} as const;
export type CaseActionName = keyof typeof caseActionInputSchemas;

/** The actions a dispatcher or leader takes on many cases at once from the queue. */
export const BULK_ACTIONS = ['register', 'dispatch', 'supervise'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];
export const bulkActionInputSchemas = {
  register: caseActionInputSchemas.register,
  // Without a lead department, each case goes where the routing rules (or its category) say.
  dispatch: caseActionInputSchemas.dispatch.extend({ leadDepartmentId: z.number().int().optional() }),
  supervise: caseActionInputSchemas.supervise,
} satisfies Record<BulkAction, z.ZodType>;
export const bulkActionBodySchema = z.object({
  items: z
    .array(z.object({ id: z.number().int(), version: z.number().int() }))
    .min(1)
    .max(100)
    .describe('The cases and the versions you read'),
  input: z.record(z.string(), z.unknown()).default({}),
});
export const bulkOutcomeSchema = z.object({
  id: z.number().int(),
  caseNumber: z.string().nullable(),
  state: z.string().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type BulkOutcome = z.infer<typeof bulkOutcomeSchema>;
export const CASE_ACTION_NAMES = Object.keys(caseActionInputSchemas) as CaseActionName[];

/** Moderation hides a case's description, or one of its photos (by evidence id), from the public. */
export const moderationTargetSchema = z.union([z.literal('description'), z.string().regex(/^[0-9a-f]{64}$/)]);

export const moderateCaseSchema = z.object({
  target: moderationTargetSchema.describe("'description', or the evidence id of a photo of the case"),
  reason: z.string().trim().min(2).max(200).describe('Why it is hidden: kept in the audit log'),
});

export const moderationEntrySchema = z.object({
  target: z.string(),
  reason: z.string(),
  hiddenByName: z.string(),
  hiddenAt: z.string(),
});
export type ModerationEntry = z.infer<typeof moderationEntrySchema>;
