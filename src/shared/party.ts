import { z } from 'zod';
import { bilingual } from './errors.ts';
import type { Role } from './roles.ts';
import { layerGridCodeSchema, regionCodeSchema } from './territory.ts';

/** Posts party members without an office take (设岗定责 for 无职党员). */
export const PARTY_POST_KINDS = [
  'environmentSupervisor',
  'disputeMediator',
  'safetyWatch',
  'policyPromoter',
  'careHelper',
  'civilityGuide',
] as const;
export type PartyPostKind = (typeof PARTY_POST_KINDS)[number];
export const PARTY_POST_KIND_LABELS: Record<PartyPostKind, { zh: string; en: string }> = {
  environmentSupervisor: { zh: '环境监督岗', en: 'Environment supervisor' },
  disputeMediator: { zh: '矛盾调解岗', en: 'Dispute mediator' },
  safetyWatch: { zh: '安全巡查岗', en: 'Safety watch' },
  policyPromoter: { zh: '政策宣传岗', en: 'Policy promoter' },
  careHelper: { zh: '关爱帮扶岗', en: 'Care helper' },
  civilityGuide: { zh: '文明劝导岗', en: 'Civility guide' },
};
export const PARTY_POST_DUTIES: Record<PartyPostKind, string> = {
  environmentSupervisor: '巡查责任片区环境卫生、乱堆放和河涌保洁，发现问题随手拍上报',
  disputeMediator: '排查邻里、家庭纠纷苗头，协助调解，重大纠纷及时上报',
  safetyWatch: '巡查出租屋、三小场所消防和用电安全，发现隐患及时上报',
  policyPromoter: '向群众宣传政策法规，收集群众意见建议',
  careHelper: '联系困难群众、独居老人，反映需求，协助帮扶',
  civilityGuide: '劝导乱摆卖、乱停放等不文明行为，发现问题及时上报',
};

export { PARTY_READER_ROLES } from './access.ts';
/** Who sees a member's ID number and phone in clear on asking (the reveal is audited). */
export const PARTY_REVEAL_ROLES: readonly Role[] = ['administrator'];
export const PARTY_WRITER_ROLES: readonly Role[] = ['administrator'];

const idParam = z.coerce.number().int().min(1).max(2_147_483_647);

export const partyFilterSchema = z.object({
  region: regionCodeSchema.optional().describe('A village or the town: limits the answer to its subtree'),
  branchId: idParam.optional(),
  postId: idParam.optional(),
  gridCode: layerGridCodeSchema
    .optional()
    .describe('A party grid: its members and posts, and its sub-grids’'),
});
export type PartyFilter = z.infer<typeof partyFilterSchema>;

export const partyMemberListQuerySchema = partyFilterSchema.extend({
  q: z.string().trim().max(40).optional().describe('Part of a name'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

export const PARTY_OUTCOMES = ['open', 'closed', 'rejected'] as const;
export type PartyOutcome = (typeof PARTY_OUTCOMES)[number];
export const PARTY_OUTCOME_LABELS: Record<PartyOutcome, { zh: string; en: string }> = {
  open: { zh: '办理中', en: 'In progress' },
  closed: { zh: '已办结', en: 'Closed' },
  rejected: { zh: '不予受理/合并', en: 'Rejected or merged' },
};

export const partyReportListQuerySchema = partyMemberListQuerySchema.extend({
  outcome: z.enum(PARTY_OUTCOMES).optional(),
  memberId: idParam.optional(),
});

export const partyMemberSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  idNumber: z.string().describe('Masked (110***********1234) unless revealed'),
  phone: z.string().nullable().describe('Masked unless revealed'),
  branch: z.object({ id: z.number().int(), code: z.string(), name: z.string() }),
  partyGrid: z.object({ code: z.string(), name: z.string() }).nullable(),
  post: z
    .object({ id: z.number().int(), code: z.string(), name: z.string(), kind: z.enum(PARTY_POST_KINDS) })
    .nullable(),
  regionCode: z.string(),
  regionName: z.string(),
  residentId: z.number().int().nullable().describe('The registry resident with the same ID number'),
  hasAccount: z.boolean(),
  joinedOn: z.string().nullable(),
  issues: z.number().int().describe('Cases reported as a party member'),
  synthetic: z.boolean(),
});
export type PartyMember = z.infer<typeof partyMemberSchema>;

export const partyMemberPageSchema = z.object({ total: z.number().int(), items: z.array(partyMemberSchema) });

export const partyPostSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(PARTY_POST_KINDS),
  duties: z.string(),
  branch: z.object({ id: z.number().int(), name: z.string() }),
  partyGrid: z.object({ code: z.string(), name: z.string() }).nullable(),
  regionName: z.string(),
  holders: z.array(z.object({ id: z.number().int(), name: z.string() })),
  issues: z.number().int(),
});
export type PartyPost = z.infer<typeof partyPostSchema>;

/** One row of the figures: a branch, party grid or post, or the whole scope. */
export const partyFigureRowSchema = z.object({
  key: z.string().describe('branch id, party grid code or post id'),
  code: z.string(),
  name: z.string(),
  regionName: z.string(),
  members: z.number().int(),
  posts: z.number().int(),
  postsFilled: z.number().int().describe('Posts with at least one holder'),
  issues: z.number().int().describe('Cases reported by party members'),
  closed: z.number().int(),
  open: z.number().int(),
  rejected: z.number().int(),
});
export type PartyFigureRow = z.infer<typeof partyFigureRowSchema>;

export const PARTY_FIGURE_GROUPS = ['branch', 'grid', 'post'] as const;
export type PartyFigureGroup = (typeof PARTY_FIGURE_GROUPS)[number];

export const partyFiguresQuerySchema = z.object({
  region: regionCodeSchema.optional(),
  by: z.enum(PARTY_FIGURE_GROUPS).default('branch'),
});

export const partyFiguresSchema = z.object({
  total: partyFigureRowSchema,
  by: z.enum(PARTY_FIGURE_GROUPS),
  rows: z.array(partyFigureRowSchema),
  synthetic: z.boolean().describe('True when the figures hold demo data'),
});
export type PartyFigures = z.infer<typeof partyFiguresSchema>;

export const partyReportSchema = z.object({
  caseId: z.number().int(),
  caseNumber: z.string(),
  description: z.string(),
  state: z.string(),
  outcome: z.enum(PARTY_OUTCOMES),
  reportedAt: z.iso.datetime({ offset: true }),
  member: z.object({ id: z.number().int(), name: z.string() }),
  post: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  regionCode: z.string(),
  regionName: z.string(),
});
export const partyReportPageSchema = z.object({ total: z.number().int(), items: z.array(partyReportSchema) });

/** One member of an import file; a member is found again by ID number, so importing twice changes nothing. */
export const partyMemberImportRowSchema = z.object({
  name: z.string().trim().min(1).max(40),
  idNumber: z
    .string()
    .trim()
    .regex(/^\d{17}[\dX]$/, bilingual('身份证号应为 18 位', 'an ID number is 18 characters')),
  phone: z.string().trim().max(20).optional(),
  branchCode: z.string().trim().min(1).max(40),
  postCode: z.string().trim().max(40).optional(),
  joinedOn: z.iso.date().optional(),
});

export const partyMemberImportSchema = z.object({
  dryRun: z.boolean().optional(),
  members: z.array(partyMemberImportRowSchema).min(1).max(5000),
});

export const partyImportReportSchema = z.object({
  applied: z.boolean(),
  total: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  linkedToResidents: z.number().int(),
  errors: z.array(z.object({ line: z.number().int(), reason: z.string() })),
});
export type PartyImportReport = z.infer<typeof partyImportReportSchema>;

export const partyRevealSchema = z.object({ field: z.enum(['idNumber', 'phone']) });
