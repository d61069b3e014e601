/**
 * API shapes of household-visit campaigns (入户走访, e.g. 三询问一完善), shared by the server, the console, the
 * field view and the CLI. A campaign asks one form of every household of an area in a period; coverage is
 * households visited over the registry's households, grid by grid ("不漏一户").
 */
import { z } from 'zod';
import type { LocalizedText } from './errors.ts';
import type { Role } from './roles.ts';
import { regionCodeSchema } from './territory.ts';

/** Who sets campaigns up and closes them: administrators and leaders, over areas within their scope. */
export const VISIT_CAMPAIGN_MANAGER_ROLES: readonly Role[] = ['administrator', 'leader'];
export { VISIT_CAMPAIGN_READER_ROLES } from './access.ts';
/**
 * Who visits households: grid workers (a grid leader on duty is a grid worker by role), and volunteers signed in
 * to a door-to-door request naming the campaign (only that campaign, in that community: access.policy.ts).
 */
export const HOUSEHOLD_VISITOR_ROLES: readonly Role[] = ['gridWorker', 'administrator', 'volunteer'];

/**
 * What a campaign counts (its denominator). A household (户) is the registry's: the residents of one house sharing
 * a household number, and the residents of a house without one form one household (as the registry's coverage
 * counts them). A house (实有房屋) is every house of the registry, lived in or not (a rented-house check); an
 * organisation (实有单位) every organisation (a shop-by-shop fire-safety visit). Households are the default.
 */
export const VISIT_UNITS = ['household', 'house', 'organisation'] as const;
export type VisitUnit = (typeof VISIT_UNITS)[number];
export const VISIT_UNIT_LABELS: Record<VisitUnit, LocalizedText> = {
  household: { zh: '户（实有人口户）', en: 'Household' },
  house: { zh: '房屋（实有房屋）', en: 'House' },
  organisation: { zh: '单位（实有单位）', en: 'Organisation' },
};
/** One unit, as a message names it ("房屋 12 不存在"). */
export const VISIT_UNIT_NOUNS: Record<VisitUnit, LocalizedText> = {
  household: { zh: '户', en: 'Household' },
  house: { zh: '房屋', en: 'House' },
  organisation: { zh: '单位', en: 'Organisation' },
};
/**
 * Who or what names a unit in lists and exports (`headName`): the head of a household (or its first resident), a
 * house's first resident, an organisation's name.
 */
export const VISIT_UNIT_NAME_LABELS: Record<VisitUnit, LocalizedText> = {
  household: { zh: '户主', en: 'Head of household' },
  house: { zh: '住户', en: 'Resident' },
  organisation: { zh: '单位名称', en: 'Organisation' },
};

/** Where a campaign stands on a day: not started, under way, or over (its end date passed, or closed early). */
export const CAMPAIGN_STATUSES = ['upcoming', 'active', 'ended'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** At most this many regions make up a campaign's area. */
export const MAX_CAMPAIGN_REGIONS = 50;

const id = z.number().int().min(1).max(2_147_483_647);
const civilDate = z.iso.date().describe('YYYY-MM-DD, Asia/Shanghai');

export const createVisitCampaignSchema = z
  .object({
    name: z.string().trim().min(2).max(100),
    formId: id.describe('The form asked at every household; its latest published version is used'),
    regionCodes: z
      .array(regionCodeSchema)
      .min(1)
      .max(MAX_CAMPAIGN_REGIONS)
      .describe('The area: villages (communities) or a town of your scope, each with its whole subtree'),
    unit: z.enum(VISIT_UNITS).default('household'),
    startsOn: civilDate,
    endsOn: civilDate,
  })
  .refine((v) => v.startsOn <= v.endsOn, {
    message: 'endsOn is before startsOn',
    path: ['endsOn'],
  });
export type CreateVisitCampaignInput = z.infer<typeof createVisitCampaignSchema>;

export const visitCampaignSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  formId: z.number().int(),
  formVersionId: z.number().int().describe('The version row asked (GET /form-versions/{id})'),
  formVersion: z.number().int(),
  formTitle: z.string(),
  unit: z.enum(VISIT_UNITS),
  regions: z.array(z.object({ code: z.string(), name: z.string() })),
  startsOn: z.string(),
  endsOn: z.string(),
  createdAt: z.string(),
  closedAt: z
    .string()
    .nullable()
    .describe('When it was closed before its end date (结束活动); visits after are refused'),
  status: z
    .enum(CAMPAIGN_STATUSES)
    .describe('Today (Asia/Shanghai): upcoming, active, or ended (past endsOn or closed)'),
  synthetic: z.boolean().describe('Made up by the demo load (演示数据)'),
  households: z
    .number()
    .int()
    .describe(
      "Units (households, houses or organisations, as the campaign's unit) in the registry of the part of the area you see",
    ),
  visited: z.number().int().describe('Of those, visited at least once'),
});
export type VisitCampaign = z.infer<typeof visitCampaignSchema>;
export const visitCampaignListSchema = z.object({ items: z.array(visitCampaignSchema) });

export const campaignIdParams = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647) });

export const coverageQuerySchema = z.object({
  regionCode: regionCodeSchema
    .optional()
    .describe('Show the children of this region (default: the part of the area you see)'),
});

/** One row of coverage: a town, village or grid, with the figures of its subtree. */
export const coverageRowSchema = z.object({
  code: z.string(),
  name: z.string(),
  level: z.string().describe('town, village or grid'),
  households: z.number().int(),
  visited: z.number().int(),
  residents: z.number().int(),
  peopleCovered: z.number().int().describe('Residents of the visited households'),
  rate: z.number().nullable().describe('visited / households, 0–1; null without households'),
});
export type CoverageRow = z.infer<typeof coverageRowSchema>;

export const coverageSchema = z.object({
  campaignId: z.number().int(),
  root: coverageRowSchema.describe('The region asked for (or the area you see) as a whole'),
  rows: z.array(coverageRowSchema).describe('Its children, or its leaf grids when asked for a village'),
});
export type Coverage = z.infer<typeof coverageSchema>;

export const coverageDaySchema = z.object({
  day: z.string(),
  visited: z.number().int().describe('Households first visited that day'),
  cumulative: z.number().int(),
});
export const coverageByDaySchema = z.object({
  households: z.number().int(),
  days: z.array(coverageDaySchema),
});
export type CoverageByDay = z.infer<typeof coverageByDaySchema>;

export const householdListQuerySchema = z.object({
  gridCode: regionCodeSchema.optional().describe('One grid (or region) of the area'),
  status: z.enum(['unvisited', 'visited', 'all']).default('unvisited'),
  mine: z
    .stringbool()
    .optional()
    .describe('Grid workers: only the grids they are the grid worker of (default true for them)'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(2_000).default(200),
});
export type HouseholdListQuery = z.infer<typeof householdListQuerySchema>;

/** A unit to visit (a household, house or organisation, as the campaign counts) as the visit list shows it. */
export const campaignHouseholdSchema = z.object({
  key: z.string().describe('unitId:householdNo — what a visit names'),
  unitId: z
    .number()
    .int()
    .describe("The registry's house (households and houses) or organisation (organisations)"),
  householdNo: z
    .string()
    .describe(
      'The household number; empty for a house without household numbers, a house or an organisation',
    ),
  gridCode: z.string(),
  gridName: z.string(),
  address: z.string(),
  lon: z.number().nullable(),
  lat: z.number().nullable(),
  headName: z
    .string()
    .describe(
      "Households and houses: the head of household (or first resident), masked unless your role sees names, '' when nobody lives there; organisations: the organisation's name",
    ),
  residents: z.number().int().describe('People registered there (0 for organisations)'),
  visits: z.number().int(),
  lastVisitAt: z.string().nullable(),
});
export type CampaignHousehold = z.infer<typeof campaignHouseholdSchema>;
export const campaignHouseholdPageSchema = z.object({
  items: z.array(campaignHouseholdSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type CampaignHouseholdPage = z.infer<typeof campaignHouseholdPageSchema>;

export const householdKeySchema = z
  .string()
  .regex(/^\d{1,10}:[^\s:]{0,30}$/, 'unitId:householdNo')
  .describe(
    "unitId:householdNo as the campaign's list of units to visit gives it (householdNo empty but for households)",
  );

export const recordHouseholdVisitSchema = z.object({
  clientKey: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/)
    .describe('Chosen by the phone once: a replay answers with the visit already recorded'),
  household: householdKeySchema,
  visitedAt: z.iso.datetime({ offset: true }),
  answers: z
    .record(z.string().max(64), z.unknown())
    .describe("Answers by question name, checked by the form's own rules"),
});
export type RecordHouseholdVisitInput = z.infer<typeof recordHouseholdVisitSchema>;

export const visitCaseSchema = z.object({
  question: z.string(),
  choice: z.string(),
  caseId: z.number().int(),
  caseNumber: z.string(),
  state: z.string().describe("The case's state now (a closed case shows here at once)"),
});

export const registryChangeSchema = z.object({
  field: z.string(),
  residentId: z.number().int().nullable(),
  outcome: z.enum(['updated', 'unchanged', 'refused']),
  message: z.string().nullable(),
});

export const householdVisitSchema = z.object({
  id: z.number().int(),
  campaignId: z.number().int(),
  household: z.string().describe('unitId:householdNo of the unit visited'),
  gridCode: z.string(),
  address: z.string(),
  unitName: z
    .string()
    .describe(
      "The head of household (or first resident), masked unless your role sees names; an organisation's name",
    ),
  visitorName: z.string(),
  visitedAt: z.string(),
  answers: z.record(z.string(), z.unknown()),
  cases: z.array(visitCaseSchema),
  registryChanges: z.array(registryChangeSchema),
  synthetic: z.boolean(),
});
export type HouseholdVisit = z.infer<typeof householdVisitSchema>;

export const visitListQuerySchema = z.object({
  household: householdKeySchema.optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export const householdVisitPageSchema = z.object({
  items: z.array(householdVisitSchema),
  total: z.number().int(),
});

/** Counts of each choice of each choice question: the results page's charts. */
export const answerSummarySchema = z.object({
  visits: z.number().int(),
  questions: z.array(
    z.object({
      name: z.string(),
      label: z.string(),
      type: z.string(),
      answered: z.number().int(),
      choices: z.array(z.object({ value: z.string(), label: z.string(), count: z.number().int() })),
    }),
  ),
});
export type AnswerSummary = z.infer<typeof answerSummarySchema>;

/** Where a campaign stands on a civil day (YYYY-MM-DD, Asia/Shanghai). */
export function campaignStatus(
  campaign: { startsOn: string; endsOn: string; closedAt: string | null },
  today: string,
): CampaignStatus {
  if (campaign.closedAt !== null || today > campaign.endsOn) return 'ended';
  return today < campaign.startsOn ? 'upcoming' : 'active';
}
