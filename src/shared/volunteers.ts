/**
 * API shapes of the volunteer service (志愿服务, 大党委 / 下沉): member units, their volunteers, the communities'
 * requests, the named volunteers units send, sign-ins and the figures. Shared by the server, console, field view
 * and CLI.
 */
import { z } from 'zod';
import { bilingual } from './errors.ts';
import { idNumberSchema, registryPhoneSchema } from './registry-inputs.ts';
import type { Role } from './roles.ts';
import { regionCodeSchema } from './territory.ts';

/** Who keeps the member units and reads the town's figures: the town's (or a village's) office and leaders. */
export const UNIT_ADMIN_ROLES: readonly Role[] = ['administrator'];
export const FIGURE_READER_ROLES: readonly Role[] = ['administrator', 'leader', 'dispatcher', 'unitContact'];
/** Community staff: they ask for people and sign volunteers in and out at their community. */
export const COMMUNITY_ROLES: readonly Role[] = ['administrator', 'gridWorker'];
export { REQUEST_READER_ROLES } from './access.ts';

export const UNIT_KINDS = ['department', 'enterprise', 'institution', 'socialOrg', 'other'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];
export const UNIT_KIND_LABELS: Record<UnitKind, { zh: string; en: string }> = {
  department: { zh: '机关部门', en: 'Government office' },
  enterprise: { zh: '企业', en: 'Enterprise' },
  institution: { zh: '事业单位', en: 'Public institution' },
  socialOrg: { zh: '社会组织', en: 'Social organisation' },
  other: { zh: '其他', en: 'Other' },
};

export const REQUEST_KINDS = ['doorToDoor', 'checkpoint', 'cleanUp', 'other'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
export const REQUEST_KIND_LABELS: Record<RequestKind, { zh: string; en: string }> = {
  doorToDoor: { zh: '入户走访', en: 'Door-to-door visits' },
  checkpoint: { zh: '卡点值守', en: 'Checkpoint shift' },
  cleanUp: { zh: '环境清洁', en: 'Clean-up' },
  other: { zh: '其他', en: 'Other' },
};

/**
 * How far a signed-in volunteer's reach goes (their task's community and tool, people/actor.ts): as long as they
 * stay signed in — past midnight too, as an evening shift does — on the request's day and the next, the window the
 * volunteer's task list shows. A sign-in nobody closed lapses at the end of the day after the request's.
 */
export function taskInReach(requestDay: string, today: string): boolean {
  return requestDay >= firstReachDay(today) && requestDay <= today;
}

/** The earliest request day whose open sign-in still reaches today (yesterday, Asia/Shanghai). */
export function firstReachDay(today: string): string {
  return new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

const id = z.number().int().min(1).max(2_147_483_647);
const text = (max: number) => z.string().trim().min(1).max(max);
const civilDate = z.iso.date().describe('YYYY-MM-DD, Asia/Shanghai');
const clockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, bilingual('时间格式应为 HH:MM', 'a time is HH:MM'))
  .describe('HH:MM, Asia/Shanghai');
const month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, bilingual('月份格式应为 YYYY-MM', 'a month is YYYY-MM'));

export const unitInputSchema = z.object({
  name: text(100),
  kind: z.enum(UNIT_KINDS),
  regionCode: regionCodeSchema.describe('The town (or village) whose 大党委 the unit belongs to'),
  contactName: z.string().trim().max(50).nullable().optional(),
  contactPhone: registryPhoneSchema.nullable().optional(),
});
export type UnitInput = z.infer<typeof unitInputSchema>;

export const unitSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.enum(UNIT_KINDS),
  regionCode: z.string(),
  regionName: z.string(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable().describe('Masked'),
  volunteers: z.number().int(),
  partyMembers: z.number().int(),
  personTimes: z.number().int(),
  synthetic: z.boolean(),
});
export type Unit = z.infer<typeof unitSchema>;

export const unitListQuerySchema = z.object({
  q: z.string().trim().max(50).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export const unitPageSchema = z.object({ total: z.number().int(), items: z.array(unitSchema) });
export type UnitPage = z.infer<typeof unitPageSchema>;

export const unitContactInputSchema = z.object({ userId: id.describe('A user with the role unitContact') });

export const volunteerInputSchema = z.object({
  name: text(50),
  phone: registryPhoneSchema.pipe(z.string({ error: bilingual('请填写联系电话', 'a phone is required') })),
  idNumber: idNumberSchema.nullable().optional(),
  partyMember: z.boolean().default(false),
  partyMemberId: id.nullable().optional().describe('The party member record, once the party module has one'),
  userId: id.nullable().optional().describe('The volunteer’s own account (role volunteer), if any'),
});
export type VolunteerInput = z.infer<typeof volunteerInputSchema>;

export const volunteerSchema = z.object({
  id: z.number().int(),
  unitId: z.number().int(),
  unitName: z.string(),
  name: z.string(),
  phone: z.string().describe('Masked; POST /volunteers/{id}/reveal shows it'),
  idNumber: z.string().nullable().describe('Masked'),
  partyMember: z.boolean(),
  partyMemberId: z.number().int().nullable(),
  hasAccount: z.boolean(),
  personTimes: z.number().int(),
  synthetic: z.boolean(),
});
export type Volunteer = z.infer<typeof volunteerSchema>;
export const volunteerListSchema = z.array(volunteerSchema);

export const VOLUNTEER_SENSITIVE_FIELDS = ['phone', 'idNumber'] as const;
export const volunteerRevealInputSchema = z.object({ field: z.enum(VOLUNTEER_SENSITIVE_FIELDS) });
export const volunteerRevealResultSchema = z.object({
  field: z.enum(VOLUNTEER_SENSITIVE_FIELDS),
  value: z.string().nullable(),
});

export const requestInputSchema = z
  .object({
    regionCode: regionCodeSchema.describe('The community (village) asking'),
    kind: z.enum(REQUEST_KINDS),
    title: text(100),
    place: text(200),
    day: civilDate,
    startTime: clockTime,
    endTime: clockTime,
    wanted: z.number().int().min(1).max(500),
    note: z.string().trim().max(1000).default(''),
    visitCampaignId: id
      .nullable()
      .optional()
      .describe('doorToDoor only: the visit campaign its volunteers visit for, in the community'),
    checkpointId: id
      .nullable()
      .optional()
      .describe('checkpoint only: the checkpoint its volunteers log at, in the community'),
  })
  .refine((r) => r.startTime < r.endTime, {
    path: ['endTime'],
    message: bilingual('结束时间应晚于开始时间', 'the end time must be after the start time'),
  })
  .refine((r) => !r.visitCampaignId || r.kind === 'doorToDoor', {
    path: ['visitCampaignId'],
    message: bilingual(
      '只有入户走访需求可以指定走访活动',
      'only a door-to-door request names a visit campaign',
    ),
  })
  .refine((r) => !r.checkpointId || r.kind === 'checkpoint', {
    path: ['checkpointId'],
    message: bilingual('只有卡点值守需求可以指定卡点', 'only a checkpoint shift names a checkpoint'),
  });
export type RequestInput = z.infer<typeof requestInputSchema>;

export const requestSchema = z.object({
  id: z.number().int(),
  regionCode: z.string(),
  regionName: z.string(),
  kind: z.enum(REQUEST_KINDS),
  title: z.string(),
  place: z.string(),
  day: z.string(),
  startTime: z.string(),
  endTime: z.string(),
  wanted: z.number().int(),
  filled: z.number().int().describe('Named volunteers sent so far'),
  signedIn: z.number().int(),
  note: z.string(),
  cancelled: z.boolean(),
  visitCampaignId: z.number().int().nullable().describe('The visit campaign its volunteers visit for'),
  checkpointId: z.number().int().nullable().describe('The checkpoint its volunteers log at'),
  synthetic: z.boolean(),
});
export type VolunteerRequest = z.infer<typeof requestSchema>;

export const requestListQuerySchema = z.object({
  regionCode: regionCodeSchema.optional(),
  from: civilDate.optional(),
  to: civilDate.optional(),
  open: z.enum(['true', 'false']).optional().describe('true: only requests not yet filled'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type RequestListQuery = z.infer<typeof requestListQuerySchema>;
export const requestPageSchema = z.object({ total: z.number().int(), items: z.array(requestSchema) });
export type RequestPage = z.infer<typeof requestPageSchema>;

export const assignmentSchema = z.object({
  id: z.number().int(),
  requestId: z.number().int(),
  unitId: z.number().int(),
  unitName: z.string(),
  volunteerId: z.number().int(),
  volunteerName: z.string(),
  phone: z.string().describe('Masked'),
  partyMember: z.boolean(),
  signedInAt: z.string().nullable(),
  signedOutAt: z.string().nullable(),
});
export type Assignment = z.infer<typeof assignmentSchema>;

export const requestDetailSchema = requestSchema.extend({
  units: z.array(z.object({ unitId: z.number().int(), unitName: z.string(), sent: z.number().int() })),
  assignments: z
    .array(assignmentSchema)
    .describe('Community staff and supervisors: everyone sent; a unit contact: their own units’ people'),
});
export type RequestDetail = z.infer<typeof requestDetailSchema>;

export const sendVolunteersSchema = z.object({
  unitId: id,
  volunteerIds: z.array(id).min(1).max(100),
});
export type SendVolunteersInput = z.infer<typeof sendVolunteersSchema>;

export const signInputSchema = z.object({
  at: z.iso.datetime({ offset: true }).optional().describe('When it happened (a phone that was offline)'),
});

export const myTaskSchema = z.object({
  assignment: assignmentSchema,
  request: requestSchema,
});
export const myTaskListSchema = z.array(myTaskSchema);
export type MyTask = z.infer<typeof myTaskSchema>;

export const FIGURE_GROUPS = ['unit', 'community', 'month'] as const;
export type FigureGroup = (typeof FIGURE_GROUPS)[number];

export const figureQuerySchema = z.object({
  by: z.enum(FIGURE_GROUPS).default('unit'),
  from: civilDate.optional(),
  to: civilDate.optional(),
  unitId: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
  regionCode: regionCodeSchema.optional(),
  month: month.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
export type FigureQuery = z.infer<typeof figureQuerySchema>;

export const figureRowSchema = z.object({
  key: z.string().describe('Unit id, community code or YYYY-MM'),
  name: z.string(),
  personTimes: z.number().int().describe('Sign-ins (人次)'),
  partyMemberTimes: z.number().int(),
  volunteers: z.number().int().describe('Distinct people'),
  hours: z.number(),
});
export const figuresSchema = z.object({
  by: z.enum(FIGURE_GROUPS),
  totals: figureRowSchema.omit({ key: true, name: true }).extend({ units: z.number().int() }),
  rows: z.array(figureRowSchema),
});
export type Figures = z.infer<typeof figuresSchema>;

export const signInListQuerySchema = figureQuerySchema.omit({ by: true, limit: true }).extend({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type SignInListQuery = z.infer<typeof signInListQuerySchema>;
export const signInRowSchema = assignmentSchema.extend({
  day: z.string(),
  requestTitle: z.string(),
  kind: z.enum(REQUEST_KINDS),
  regionCode: z.string(),
  regionName: z.string(),
  hours: z.number().nullable(),
});
export const signInPageSchema = z.object({ total: z.number().int(), items: z.array(signInRowSchema) });
export type SignInPage = z.infer<typeof signInPageSchema>;
