/**
 * API shapes of inspection campaigns (专项行动/专项检查): the campaign, its targets and rounds, the field view's
 * list of targets to visit, and the campaign's results with the drill-down behind every figure. The enums
 * are in inspections.ts.
 */
import { z } from 'zod';
import { bilingual } from './errors.ts';
import {
  CAMPAIGN_STATUSES,
  RECURRENCES,
  ROUND_KINDS,
  rectifyLimitSchema,
  SITE_TYPES,
  type SiteType,
  TARGET_KINDS,
} from './inspections.ts';
import { ORGANISATION_TYPES, type OrganisationType } from './registry.ts';
import { ROLES } from './roles.ts';
import { regionCodeSchema } from './territory.ts';

/** Targets one selection may add, and a campaign may hold: a district's pharmacies fit many times over. */
export const MAX_TARGETS_PER_SELECTION = 5_000;
export const MAX_CAMPAIGN_TARGETS = 20_000;
/** The longest period a campaign may have: weekly rounds over it stay a readable list. */
export const MAX_CAMPAIGN_DAYS = 731;

/** The site type an organisation of the registry is inspected as. */
export const SITE_TYPE_OF_ORGANISATION: Record<OrganisationType, SiteType> = {
  market: 'market',
  shop: 'shop',
  restaurant: 'restaurant',
  pharmacy: 'pharmacy',
  clinic: 'clinic',
  hospital: 'hospital',
  bank: 'bank',
  school: 'school',
  kindergarten: 'school',
  hotel: 'hotel',
  enterprise: 'enterprise',
  government: 'government',
  other: 'other',
};

const id = z.number().int().min(1).max(2_147_483_647);
const civilDate = z.iso.date().describe('YYYY-MM-DD');
const rowVersion = z
  .number()
  .int()
  .min(1)
  .max(2_147_483_647)
  .describe('The rowVersion read: a newer one answers 409');

const campaignFields = {
  name: z.string().trim().min(2).max(100),
  templateId: id.describe('An active checklist template version'),
  regionCode: regionCodeSchema.describe('The area: any region of your scope, its whole subtree'),
  organiserDepartmentId: id.nullable().optional().describe('The department organising it, if any'),
  inspectorIds: z
    .array(id)
    .max(200)
    .describe('Inspectors, leaders or administrators whose scope holds part of the area'),
  covert: z.boolean().describe('暗访: hidden from the inspected until published'),
  startsOn: civilDate,
  endsOn: civilDate,
  recurrence: z.enum(RECURRENCES),
  sampleSize: z
    .number()
    .int()
    .min(1)
    .max(MAX_CAMPAIGN_TARGETS)
    .nullable()
    .optional()
    .describe('Visit a random sample of this many targets'),
  rectifyLimit: rectifyLimitSchema
    .nullable()
    .optional()
    .describe('Working-time limit of rectifications (an item may have its own)'),
  rectifyBy: civilDate.nullable().optional().describe('A fixed date every rectification is due by instead'),
  signatureRequired: z.boolean().describe('The person in charge signs each visit'),
};

function checkPeriod(
  value: {
    startsOn?: string | undefined;
    endsOn?: string | undefined;
    rectifyLimit?: unknown;
    rectifyBy?: unknown;
  },
  context: z.RefinementCtx,
): void {
  if (value.startsOn && value.endsOn) {
    const days = (Date.parse(value.endsOn) - Date.parse(value.startsOn)) / 86_400_000;
    if (days < 0)
      context.addIssue({
        code: 'custom',
        path: ['endsOn'],
        message: bilingual('结束日期不能早于开始日期', 'endsOn is before startsOn'),
      });
    else if (days > MAX_CAMPAIGN_DAYS)
      context.addIssue({
        code: 'custom',
        path: ['endsOn'],
        message: bilingual('检查周期最长两年', 'a campaign lasts two years at most'),
      });
  }
  if (value.rectifyLimit && value.rectifyBy)
    context.addIssue({
      code: 'custom',
      path: ['rectifyBy'],
      message: bilingual(
        '整改时限与整改截止日期只能填写一项',
        'give either a rectification limit or a fixed date, not both',
      ),
    });
}

export const createCampaignSchema = z
  .object({
    ...campaignFields,
    inspectorIds: campaignFields.inspectorIds.default([]),
    covert: campaignFields.covert.default(false),
    recurrence: campaignFields.recurrence.default('once'),
    signatureRequired: campaignFields.signatureRequired.default(false),
  })
  .superRefine(checkPeriod);
export type CreateCampaignInput = z.infer<typeof createCampaignSchema>;

export const updateCampaignSchema = z
  .object(campaignFields)
  .partial()
  .extend({ rowVersion })
  .superRefine(checkPeriod);
export type UpdateCampaignInput = z.infer<typeof updateCampaignSchema>;

export const campaignListQuerySchema = z.object({
  status: z.enum(CAMPAIGN_STATUSES).optional(),
  covert: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
  regionCode: regionCodeSchema.optional().describe('Campaigns whose area meets this region'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type CampaignListQuery = z.infer<typeof campaignListQuerySchema>;

/** How targets are taken from the registry (or the territory, for grids). */
export const targetSelectionSchema = z.discriminatedUnion('source', [
  z.object({
    source: z.literal('organisationTypes').describe('All organisations of these types in a subtree'),
    types: z.array(z.enum(ORGANISATION_TYPES)).min(1).max(ORGANISATION_TYPES.length),
    regionCode: regionCodeSchema.optional().describe("Default: the campaign's area"),
  }),
  z.object({
    source: z.literal('organisations'),
    ids: z.array(id).min(1).max(1_000),
  }),
  z.object({
    source: z.literal('facilities'),
    ids: z.array(id).min(1).max(1_000),
    siteType: z.enum(SITE_TYPES).default('publicSpace'),
  }),
  z.object({
    source: z.literal('addresses'),
    ids: z.array(id).min(1).max(1_000),
    siteType: z.enum(SITE_TYPES).default('residentialEstate'),
  }),
  z.object({
    source: z.literal('grids').describe('Whole grids (e.g. back streets), each one target'),
    regionCodes: z.array(regionCodeSchema).min(1).max(1_000),
    siteType: z.enum(SITE_TYPES).default('backStreet'),
  }),
]);
export type TargetSelection = z.infer<typeof targetSelectionSchema>;

export const manualTargetSchema = z.object({
  name: z.string().trim().min(2).max(100),
  siteType: z.enum(SITE_TYPES),
  address: z.string().trim().max(200).nullable().optional(),
  lon: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
});
export type ManualTargetInput = z.infer<typeof manualTargetSchema>;

export const sampleSchema = z.object({
  size: z
    .number()
    .int()
    .min(1)
    .max(MAX_CAMPAIGN_TARGETS)
    .optional()
    .describe("Default: the campaign's sample size"),
  seed: z
    .string()
    .trim()
    .regex(/^[0-9A-Za-z-]{1,40}$/)
    .optional()
    .describe('Draw again with a recorded seed to get the same sample; default a new one'),
});
export type SampleInput = z.infer<typeof sampleSchema>;

export const campaignStepSchema = z.object({ rowVersion });

export const reinspectionRoundSchema = z.object({
  rowVersion,
  roundId: id.describe('The round whose failed targets are visited again'),
  opensOn: civilDate,
  dueOn: civilDate,
});
export type ReinspectionRoundInput = z.infer<typeof reinspectionRoundSchema>;

export const inspectorCandidatesQuerySchema = z.object({
  regionCode: regionCodeSchema.describe("The campaign's area"),
});

/** Who may be named an inspector of a campaign over an area: names only, no phones. */
export const inspectorCandidateSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  role: z.enum(ROLES),
  scopeName: z.string().describe('The region their scope is'),
});
export type InspectorCandidate = z.infer<typeof inspectorCandidateSchema>;

// ---------------------------------------------------------------------------------------------------------
// Answers.

const personRef = z.object({ id: z.number().int(), name: z.string() });

export const campaignSummarySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  status: z.enum(CAMPAIGN_STATUSES),
  covert: z.boolean(),
  publishedAt: z.string().nullable(),
  regionCode: z.string(),
  regionName: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  recurrence: z.enum(RECURRENCES),
  template: z.object({ id: z.number().int(), code: z.string(), version: z.number().int(), name: z.string() }),
  organiser: personRef.nullable(),
  targetCount: z.number().int().describe('Targets you see (your scope, unless you run the campaign)'),
  sampledCount: z.number().int(),
});
export type CampaignSummary = z.infer<typeof campaignSummarySchema>;

export const campaignListItemSchema = campaignSummarySchema.extend({
  progressRound: z
    .number()
    .int()
    .nullable()
    .describe('The regular round the progress counts: the latest opened (null before the first opens)'),
  visited: z.number().int().describe('Targets visited in that round (those you see)'),
  targets: z.number().int().describe('Targets to visit in a regular round: the sampled ones you see'),
});
export type CampaignListItem = z.infer<typeof campaignListItemSchema>;

export const campaignPageSchema = z.object({
  items: z.array(campaignListItemSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type CampaignPage = z.infer<typeof campaignPageSchema>;

export const campaignTargetSchema = z.object({
  id: z.number().int(),
  kind: z.enum(TARGET_KINDS),
  refId: z.number().int().nullable(),
  name: z.string(),
  siteType: z.enum(SITE_TYPES),
  regionCode: z.string().describe('The leaf grid it lies in'),
  address: z.string().nullable(),
  lon: z.number().nullable(),
  lat: z.number().nullable(),
  sampled: z.boolean(),
});
export type CampaignTarget = z.infer<typeof campaignTargetSchema>;

export const campaignDetailTargetSchema = campaignTargetSchema.extend({
  regionName: z.string().describe("The leaf grid's name"),
  villageName: z.string().nullable().describe('The village (社区/村) the grid lies in'),
});
export type CampaignDetailTarget = z.infer<typeof campaignDetailTargetSchema>;

export const campaignDetailSchema = campaignSummarySchema.extend({
  organiserDepartment: personRef.nullable(),
  inspectors: z.array(personRef),
  sampleSize: z.number().int().nullable(),
  sampleSeed: z
    .string()
    .nullable()
    .describe('The seed of the sample drawn: drawing with it again repeats it'),
  rectifyLimit: rectifyLimitSchema.nullable(),
  rectifyBy: z.string().nullable(),
  signatureRequired: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  rowVersion: z.number().int(),
  targets: z.array(campaignDetailTargetSchema).describe('Those you see'),
  rights: z.object({
    manage: z.boolean().describe('Edit, start, finish, publish'),
    visit: z.boolean().describe('Record visits'),
  }),
});
export type CampaignDetail = z.infer<typeof campaignDetailSchema>;

export const targetsAddedSchema = z.object({
  added: z.number().int(),
  alreadyThere: z.number().int(),
  campaign: campaignDetailSchema,
});
export type TargetsAdded = z.infer<typeof targetsAddedSchema>;

export const campaignRoundSchema = z.object({
  id: z.number().int(),
  number: z.number().int(),
  kind: z.enum(ROUND_KINDS),
  opensOn: z.string(),
  dueOn: z.string(),
  targets: z.number().int().describe('Targets to visit in the round'),
  visited: z.number().int(),
  late: z.number().int().describe('Visited after the due date'),
  missed: z.number().int().describe('Not visited, and the due date has passed'),
  drill: z.object({ visited: z.string(), late: z.string(), missed: z.string() }),
});
export type CampaignRound = z.infer<typeof campaignRoundSchema>;

export const myTargetSchema = z.object({
  campaign: z.object({
    id: z.number().int(),
    name: z.string(),
    covert: z.boolean(),
    templateId: z.number().int(),
    signatureRequired: z.boolean(),
  }),
  round: z.object({
    id: z.number().int(),
    number: z.number().int(),
    kind: z.enum(ROUND_KINDS),
    opensOn: z.string(),
    dueOn: z.string(),
  }),
  target: campaignTargetSchema,
  visitId: z.number().int().nullable().describe('The visit recorded in this round, if any'),
  visitedAt: z.string().nullable(),
  due: z.enum(['open', 'overdue', 'done']).describe('overdue: not visited and past the due date'),
});
export type MyTarget = z.infer<typeof myTargetSchema>;

// ---------------------------------------------------------------------------------------------------------
// Results.

/** The figures a drill-down can open: each answers the visits or cases behind it. */
export const DRILL_FIGURES = [
  'target',
  'item',
  'village',
  'vetoed',
  'department',
  'rectification',
  'roundVisited',
  'roundLate',
  'roundMissed',
] as const;
export type DrillFigure = (typeof DRILL_FIGURES)[number];
export const RECTIFICATION_PROGRESS = ['open', 'openOverdue', 'doneOnTime', 'doneLate'] as const;
export type RectificationProgress = (typeof RECTIFICATION_PROGRESS)[number];

const rate = z.number().nullable().describe('Percent, two decimals (72.22); null when nothing applied');
const drill = z.string().describe('Query string for GET …/results/drill: the visits or cases behind it');
const progressFigure = z.object({ count: z.number().int(), drill });

export const campaignResultsSchema = z.object({
  campaignId: z.number().int(),
  computedAt: z.string(),
  scope: z.enum(['campaign', 'yourScope']).describe('yourScope: only targets in your data scope'),
  overall: z.object({
    targets: z.number().int(),
    visited: z.number().int(),
    averageRate: rate.describe('Mean of the targets’ score rates (vetoed ones count 0)'),
    vetoed: z.number().int(),
  }),
  targets: z.array(
    z.object({
      targetId: z.number().int(),
      name: z.string(),
      siteType: z.enum(SITE_TYPES),
      regionCode: z.string(),
      visitId: z.number().int().nullable().describe('The visit of the latest regular round scored'),
      roundNumber: z.number().int().nullable(),
      earned: z.number().nullable(),
      applicable: z.number().nullable(),
      rawRate: rate.describe('earned / applicable, before any veto'),
      rate: rate.describe('得分率: 0 when a veto item failed'),
      vetoedBy: z.object({ itemId: z.number().int(), key: z.string(), question: z.string() }).nullable(),
      failed: z.number().int().describe('Items failed in that visit'),
      drill,
    }),
  ),
  items: z.array(
    z.object({
      itemId: z.number().int(),
      key: z.string(),
      section: z.string(),
      question: z.string(),
      points: z.number(),
      veto: z.boolean(),
      applicable: z.number().int().describe('Visited targets where the item applied'),
      failed: z.number().int(),
      failureRate: rate,
      drill,
    }),
  ),
  villages: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      targets: z.number().int(),
      visited: z.number().int(),
      averageRate: rate,
      vetoed: z.number().int(),
      drill,
    }),
  ),
  departments: z.array(
    z.object({
      departmentId: z.number().int().nullable().describe('null: not dispatched yet'),
      name: z.string(),
      cases: z.number().int(),
      open: z.number().int(),
      doneOnTime: z.number().int(),
      doneLate: z.number().int(),
      drill,
    }),
  ),
  vetoed: z.array(
    z.object({
      targetId: z.number().int(),
      name: z.string(),
      visitId: z.number().int(),
      rawRate: rate,
      item: z.object({ itemId: z.number().int(), key: z.string(), question: z.string() }),
    }),
  ),
  rectification: z
    .object({
      open: progressFigure.describe('Not closed yet, within the deadline'),
      openOverdue: progressFigure.describe('Not closed, and the deadline has passed'),
      doneOnTime: progressFigure,
      doneLate: progressFigure,
    })
    .describe('The rectification cases the visits raised'),
});
export type CampaignResults = z.infer<typeof campaignResultsSchema>;

export const drillQuerySchema = z.object({
  figure: z.enum(DRILL_FIGURES),
  key: z
    .string()
    .trim()
    .regex(/^[0-9A-Za-z]{1,21}$/)
    .optional()
    .describe('Target, item, round or department id, village code, or rectification progress'),
});
export type DrillQuery = z.infer<typeof drillQuerySchema>;

export const drillResultSchema = z.object({
  figure: z.enum(DRILL_FIGURES),
  key: z.string().nullable(),
  visits: z.array(
    z.object({
      id: z.number().int(),
      targetId: z.number().int(),
      targetName: z.string(),
      roundNumber: z.number().int(),
      visitedAt: z.string(),
      inspectorName: z.string(),
      noticeNumber: z.string(),
      rate,
    }),
  ),
  cases: z.array(
    z.object({
      id: z.number().int(),
      caseNumber: z.string(),
      state: z.string(),
      targetName: z.string(),
      dueAt: z.string().nullable(),
      closedAt: z.string().nullable(),
      departmentId: z.number().int().nullable(),
    }),
  ),
  targets: z.array(campaignTargetSchema).describe('roundMissed: the targets not visited'),
});
export type DrillResult = z.infer<typeof drillResultSchema>;
