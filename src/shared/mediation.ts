/**
 * API shapes and rules of dispute mediation (矛盾纠纷调解, 人民调解), shared by the server, the console and the CLI.
 */
import { z } from 'zod';
import type { LocalizedText } from './errors.ts';
import type { Visibility } from './registry-policy.ts';
import type { Role } from './roles.ts';

/**
 * 30 calendar days from acceptance (人民调解法 practice: 调解一般在受理之日起三十日内完成); longer only when the
 * parties consent, recorded as an extension with its new limit.
 */
export const MEDIATION_LIMIT_DAYS = 30;
/**
 * The follow-up visit (回访) on performance is due this many days after the agreement: long enough for most
 * terms (an apology, a first payment) to have fallen due, soon enough to act before a breach hardens. Local rules
 * vary (7–30 days); 15 is the common middle.
 */
export const FOLLOW_UP_DAYS = 15;
/**
 * The parties may apply for judicial confirmation (司法确认) within 30 days of the agreement taking effect
 * (民事诉讼法 art. 205): the reminder falls due on that last day.
 */
export const CONFIRMATION_DAYS = 30;

export const MEDIATION_SOURCES = ['application', 'screening', 'entrusted', 'petition'] as const;
export type MediationSource = (typeof MEDIATION_SOURCES)[number];
export const MEDIATION_SOURCE_LABELS: Record<MediationSource, LocalizedText> = {
  application: { zh: '当事人申请', en: 'Application' },
  screening: { zh: '排查发现', en: 'Found while screening' },
  entrusted: { zh: '委托移交', en: 'Entrusted' },
  petition: { zh: '访调对接', en: 'Handed over from a petition' },
};

/** The dispute types of the people's mediation statistics (人民调解案件统计). */
export const DISPUTE_TYPES = [
  'family',
  'neighbour',
  'housing',
  'contract',
  'damages',
  'labour',
  'property',
  'land',
  'other',
] as const;
export type DisputeType = (typeof DISPUTE_TYPES)[number];
export const DISPUTE_TYPE_LABELS: Record<DisputeType, LocalizedText> = {
  family: { zh: '婚姻家庭纠纷', en: 'Marriage and family' },
  neighbour: { zh: '邻里纠纷', en: 'Neighbours' },
  housing: { zh: '房屋宅基地纠纷', en: 'Houses and plots' },
  contract: { zh: '合同纠纷', en: 'Contract' },
  damages: { zh: '损害赔偿纠纷', en: 'Damages' },
  labour: { zh: '劳动争议', en: 'Labour' },
  property: { zh: '物业纠纷', en: 'Property management' },
  land: { zh: '土地承包纠纷', en: 'Land contracting' },
  other: { zh: '其他纠纷', en: 'Other' },
};

export const MEDIATION_STATES = ['open', 'settled', 'unsettled'] as const;
export type MediationState = (typeof MEDIATION_STATES)[number];
export const MEDIATION_STATE_LABELS: Record<MediationState, LocalizedText> = {
  open: { zh: '调解中', en: 'In mediation' },
  settled: { zh: '调解成功', en: 'Settled' },
  unsettled: { zh: '调解不成', en: 'Not settled' },
};

export const REFERRAL_TARGETS = ['litigation', 'arbitration', 'department'] as const;
export type ReferralTarget = (typeof REFERRAL_TARGETS)[number];
export const REFERRAL_TARGET_LABELS: Record<ReferralTarget, LocalizedText> = {
  litigation: { zh: '引导诉讼', en: 'Litigation' },
  arbitration: { zh: '申请仲裁', en: 'Arbitration' },
  department: { zh: '移交职能部门', en: 'A department' },
};

export const PARTY_SIDES = ['applicant', 'respondent'] as const;
export const PARTY_SIDE_LABELS: Record<(typeof PARTY_SIDES)[number], LocalizedText> = {
  applicant: { zh: '申请人', en: 'Applicant' },
  respondent: { zh: '被申请人', en: 'Respondent' },
};

export const PROCEDURES = ['standard', 'simplified'] as const;
export const PROCEDURE_LABELS: Record<(typeof PROCEDURES)[number], LocalizedText> = {
  standard: { zh: '一般程序', en: 'Standard' },
  simplified: { zh: '简易程序', en: 'Simplified' },
};

export { MEDIATION_READER_ROLES } from './access.ts';
/** Who opens a mediation (from a dispute case or an application at the committee's desk). */
export const MEDIATION_OPENER_ROLES: readonly Role[] = ['administrator', 'dispatcher', 'mediator'];
/** Who records sessions, extensions, outcomes and follow-ups: the mediators (and administrators correcting). */
export const MEDIATION_WRITER_ROLES: readonly Role[] = ['administrator', 'mediator'];

/**
 * How each role sees the parties' personal data. Mediators talk to the parties and write their agreement: they
 * reveal ID numbers and phones one at a time (logged). Administrators reveal what a correction needs. Dispatchers
 * call a party back about an application: the phone on reveal. Leaders read figures and records for supervision,
 * grid workers the disputes of their village they screened: neither needs to know who the parties are, so names
 * and addresses are masked too. Other roles do not read mediations at all.
 */
export interface PartyVisibility {
  name: Visibility;
  idNumber: Visibility;
  phone: Visibility;
  address: Visibility;
}
const MASKED_ALL: PartyVisibility = {
  name: 'masked',
  idNumber: 'masked',
  phone: 'masked',
  address: 'masked',
};
const PARTY_VISIBILITY: Partial<Record<Role, PartyVisibility>> = {
  administrator: { name: 'clear', idNumber: 'reveal', phone: 'reveal', address: 'clear' },
  mediator: { name: 'clear', idNumber: 'reveal', phone: 'reveal', address: 'clear' },
  dispatcher: { name: 'clear', idNumber: 'masked', phone: 'reveal', address: 'clear' },
};

/** How a role sees the parties; every role not named above sees them masked. */
export function partyVisibilityOf(role: Role): PartyVisibility {
  return PARTY_VISIBILITY[role] ?? MASKED_ALL;
}
export const PARTY_FIELDS = ['idNumber', 'phone'] as const;
export type PartyField = (typeof PARTY_FIELDS)[number];

const id = z.number().int().min(1).max(2_147_483_647);
const text = (max: number) => z.string().trim().min(1).max(max);
const civilDate = z.iso.date().describe('YYYY-MM-DD, Asia/Shanghai');

export const partyInputSchema = z.object({
  side: z.enum(PARTY_SIDES),
  name: text(50),
  idNumber: z.string().trim().max(18).nullable().optional().describe('18-digit resident ID number'),
  phone: z.string().trim().max(20).nullable().optional(),
  address: z.string().trim().max(200).nullable().optional(),
});
export type PartyInput = z.infer<typeof partyInputSchema>;

export const openMediationSchema = z.object({
  caseId: id
    .nullable()
    .optional()
    .describe('The dispute case the mediation handles; null for a desk application'),
  regionCode: z
    .string()
    .regex(/^\d{9,21}$/)
    .optional()
    .describe('The village (or grid) of the dispute; taken from the case when one is given'),
  disputeType: z.enum(DISPUTE_TYPES),
  source: z.enum(MEDIATION_SOURCES),
  procedure: z.enum(PROCEDURES).default('standard'),
  summary: text(2000).describe('纠纷简要情况: what the dispute is about'),
  mediatorId: id.nullable().optional().describe('A user with the mediator role whose scope holds the region'),
  acceptedOn: civilDate.optional().describe('The day it was accepted (受理); today when absent'),
  parties: z.array(partyInputSchema).min(2).max(20),
  clientKey: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/)
    .optional()
    .describe('Retrying with the same key answers with the same mediation'),
});
export type OpenMediationInput = z.infer<typeof openMediationSchema>;

const versioned = { version: z.number().int().min(1).max(2_147_483_647) };

export const assignMediatorSchema = z.object({ mediatorId: id, ...versioned });
export type AssignMediatorInput = z.infer<typeof assignMediatorSchema>;

export const sessionInputSchema = z.object({
  heldAt: z.iso.datetime({ offset: true }),
  place: text(200),
  matter: text(2000).describe('事项: what was discussed'),
  result: text(2000).describe('结果: what came of it'),
  transcript: z
    .string()
    .trim()
    .max(20_000)
    .nullable()
    .optional()
    .describe('调解笔录; required under the standard procedure, left out under the simplified one'),
});
export type SessionInput = z.infer<typeof sessionInputSchema>;

export const extensionInputSchema = z.object({
  days: z.number().int().min(1).max(90),
  reason: text(500),
  consent: text(500).describe('How the parties consented (e.g. "双方当事人书面同意")'),
  ...versioned,
});
export type ExtensionInput = z.infer<typeof extensionInputSchema>;

export const settleInputSchema = z.object({
  facts: text(4000).describe('纠纷事实'),
  terms: text(4000).describe('协议内容: what each party undertakes'),
  performanceMethod: text(500).describe('履行方式'),
  performancePlace: text(200).describe('履行地点'),
  performBy: civilDate.describe('履行期限'),
  signedOn: civilDate.optional().describe('The day the parties signed; today when absent'),
  evidence: z
    .array(z.string().regex(/^[0-9a-f]{64}$/))
    .max(20)
    .default([])
    .describe('Uploaded photos (POST /evidence) of the signed document: required when a case is linked'),
  ...versioned,
});
export type SettleInput = z.infer<typeof settleInputSchema>;

export const referInputSchema = z.object({
  referredTo: z.enum(REFERRAL_TARGETS),
  department: z
    .string()
    .trim()
    .max(100)
    .nullable()
    .optional()
    .describe('Named when referred to a department'),
  reason: text(1000),
  evidence: z
    .array(z.string().regex(/^[0-9a-f]{64}$/))
    .max(20)
    .default([])
    .describe('Uploaded photos (POST /evidence) of the signed document: required when a case is linked'),
  ...versioned,
});
export type ReferInput = z.infer<typeof referInputSchema>;

export const followUpInputSchema = z.object({
  performed: z.boolean().describe('The agreement is being performed (履行)'),
  note: text(1000),
  ...versioned,
});
export type FollowUpInput = z.infer<typeof followUpInputSchema>;

export const confirmationInputSchema = z.object({
  applied: z.boolean().describe('The parties applied for judicial confirmation (司法确认)'),
  note: z.string().trim().max(500).optional(),
  ...versioned,
});
export type ConfirmationInput = z.infer<typeof confirmationInputSchema>;

export const revealPartySchema = z.object({ partyId: id, field: z.enum(PARTY_FIELDS) });

export const mediationListQuerySchema = z.object({
  regionCode: z
    .string()
    .regex(/^\d{2,21}$/)
    .optional(),
  state: z.enum(MEDIATION_STATES).optional(),
  mediatorId: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
    .optional()
    .describe('YYYY-MM: mediations closed in that month (Asia/Shanghai)'),
  task: z
    .enum(['overdue', 'followUp', 'confirmation'])
    .optional()
    .describe('overdue: open past the limit; followUp / confirmation: due and not yet done'),
  caseId: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type MediationListQuery = z.infer<typeof mediationListQuerySchema>;

export const figuresQuerySchema = z.object({
  from: civilDate.optional().describe('First day counted (closing date); 12 months back by default'),
  to: civilDate.optional().describe('Last day counted; today by default'),
  regionCode: z
    .string()
    .regex(/^\d{2,21}$/)
    .optional(),
});
export type FiguresQuery = z.infer<typeof figuresQuerySchema>;

const lightSchema = z
  .enum(['green', 'red', 'none'])
  .describe('red: open past its limit without an extension');

export const partySchema = z.object({
  id: z.number(),
  side: z.enum(PARTY_SIDES),
  name: z.string(),
  idNumber: z.string().nullable(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  masked: z.boolean(),
  revealable: z.array(z.enum(PARTY_FIELDS)),
});

export const mediationSummarySchema = z.object({
  id: z.number(),
  number: z.string(),
  caseId: z.number().nullable(),
  caseNumber: z.string().nullable(),
  regionCode: z.string(),
  regionName: z.string(),
  disputeType: z.enum(DISPUTE_TYPES),
  source: z.enum(MEDIATION_SOURCES),
  procedure: z.enum(PROCEDURES),
  state: z.enum(MEDIATION_STATES),
  mediatorId: z.number().nullable(),
  mediatorName: z.string().nullable(),
  acceptedAt: z.string(),
  dueAt: z.string(),
  closedAt: z.string().nullable(),
  light: lightSchema,
  escalated: z.boolean(),
  followUpDueOn: z.string().nullable(),
  followUpDoneAt: z.string().nullable(),
  confirmationDueOn: z.string().nullable(),
  synthetic: z.boolean(),
  version: z.number(),
});
export type MediationSummary = z.infer<typeof mediationSummarySchema>;

export const mediationDetailSchema = mediationSummarySchema.extend({
  summary: z.string(),
  parties: z.array(partySchema),
  sessions: z.array(
    z.object({
      id: z.number(),
      heldAt: z.string(),
      place: z.string(),
      matter: z.string(),
      result: z.string(),
      transcript: z.string().nullable(),
      recordedBy: z.string(),
    }),
  ),
  extensions: z.array(
    z.object({
      id: z.number(),
      days: z.number(),
      previousDueAt: z.string(),
      newDueAt: z.string(),
      reason: z.string(),
      consent: z.string(),
      recordedBy: z.string(),
      recordedAt: z.string(),
    }),
  ),
  agreement: z
    .object({
      number: z.string(),
      facts: z.string(),
      terms: z.string(),
      performanceMethod: z.string(),
      performancePlace: z.string(),
      performBy: z.string(),
      signedOn: z.string(),
    })
    .nullable(),
  referral: z
    .object({
      referredTo: z.enum(REFERRAL_TARGETS),
      department: z.string().nullable(),
      reason: z.string(),
    })
    .nullable(),
  followUp: z
    .object({ performed: z.boolean().nullable(), note: z.string().nullable() })
    .describe('回访: performed and note once done'),
  confirmation: z.object({ applied: z.boolean().nullable(), note: z.string().nullable() }),
});
export type MediationDetail = z.infer<typeof mediationDetailSchema>;

export const mediationPageSchema = z.object({
  total: z.number(),
  items: z.array(mediationSummarySchema),
});
export type MediationPage = z.infer<typeof mediationPageSchema>;

export const figureRowSchema = z.object({
  key: z.string().describe('The village code, mediator id or month (YYYY-MM) the row counts'),
  label: z.string(),
  handled: z.number().describe('Closed: settled or not'),
  settled: z.number(),
  settlementRate: z.number().nullable().describe('settled / handled, percent with 2 decimals'),
  onTime: z.number(),
  onTimeRate: z.number().nullable().describe('closed within the limit (extensions included) / handled'),
  followUpsDue: z.number(),
  followUpsDone: z.number(),
  followUpRate: z.number().nullable().describe('follow-ups done / follow-ups due'),
  performed: z.number(),
  performanceRate: z.number().nullable().describe('performed / follow-ups done'),
});
export type FigureRow = z.infer<typeof figureRowSchema>;

export const figuresSchema = z.object({
  from: z.string(),
  to: z.string(),
  open: z.number(),
  overdue: z.number(),
  total: figureRowSchema,
  byVillage: z.array(figureRowSchema),
  byMediator: z.array(figureRowSchema),
  byMonth: z.array(figureRowSchema),
});
export type MediationFigures = z.infer<typeof figuresSchema>;

export const disputeCategorySchema = z.object({
  categoryId: z.number(),
  code: z.string(),
  name: z.string(),
  disputeType: z.enum(DISPUTE_TYPES),
});
export const setDisputeCategoriesSchema = z.object({
  categories: z.array(z.object({ categoryId: id, disputeType: z.enum(DISPUTE_TYPES) })).max(500),
});

/** A rate as a percentage with two decimals (86.18), or null when nothing was counted. */
export function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 10_000) / 100;
}
