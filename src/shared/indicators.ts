import { z } from 'zod';
import { CASE_SOURCE_LABELS, CASE_SOURCES } from './cases.ts';
import { bilingual, type LocalizedText } from './errors.ts';
import { periodProblem } from './evaluation.ts';

/**
 * The evaluation indicators (考核指标, GB/T 30428.4 / CJ/T 292 style), each defined once: the counts the server
 * keeps for a unit and a period, the figures derived from them, and the composite score. docs/evaluation.md
 * explains the counting rules; the server and the console both derive figures with `figuresOf`.
 */

/** What is counted per unit and period; every count opens onto the list of cases behind it (`drill`). */
export const COUNT_KEYS = [
  'reported',
  'registered',
  'registeredOnTime',
  'dispatched',
  'dispatchReturned',
  'handled',
  'handledOnTime',
  'handledReworked',
  'handledExtended',
  'closed',
  'closedOnTime',
  'rated',
  'satisfied',
  'overduePending',
  'overduePendingReworked',
  'overduePendingExtended',
] as const;
export type CountKey = (typeof COUNT_KEYS)[number];

/** Sums kept beside the counts: they are not case lists. */
export interface IndicatorSums {
  /** Working minutes from the last dispatch to the end of handling, suspensions left out. */
  handlingMinutes: number;
  /** The sum of the satisfaction scores given (1–5). */
  scoreSum: number;
}
export type IndicatorCounts = Record<CountKey, number> & IndicatorSums;

export const EMPTY_COUNTS: IndicatorCounts = {
  ...(Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])) as Record<CountKey, number>),
  handlingMinutes: 0,
  scoreSum: 0,
};

export const COUNT_LABELS: Record<CountKey, LocalizedText> = {
  reported: { zh: '上报数', en: 'Reported' },
  registered: { zh: '立案数', en: 'Registered' },
  registeredOnTime: { zh: '按时立案数', en: 'Registered on time' },
  dispatched: { zh: '派遣数', en: 'Dispatched' },
  dispatchReturned: { zh: '退回数', en: 'Returned after dispatch' },
  handled: { zh: '处置数', en: 'Handled' },
  handledOnTime: { zh: '按期处置数', en: 'Handled on time' },
  handledReworked: { zh: '返工数（已处置）', en: 'Reworked (handled)' },
  handledExtended: { zh: '延期数（已处置）', en: 'Extended (handled)' },
  closed: { zh: '结案数', en: 'Closed' },
  closedOnTime: { zh: '按期结案数', en: 'Closed on time' },
  rated: { zh: '评价数', en: 'Rated' },
  satisfied: { zh: '满意数', en: 'Satisfied' },
  overduePending: { zh: '超期待处置数', en: 'Pending past deadline' },
  overduePendingReworked: { zh: '返工数（超期待处置）', en: 'Reworked (pending past deadline)' },
  overduePendingExtended: { zh: '延期数（超期待处置）', en: 'Extended (pending past deadline)' },
};

export const INDICATOR_KEYS = [
  'reported',
  'registered',
  'handlingRate',
  'onTimeHandlingRate',
  'closureRate',
  'onTimeClosureRate',
  'reworkRate',
  'overduePendingRate',
  'extensionRate',
  'onTimeRegistrationRate',
  'accurateDispatchRate',
  'averageHandlingHours',
  'satisfactionRate',
] as const;
export type IndicatorKey = (typeof INDICATOR_KEYS)[number];

export interface IndicatorDefinition {
  label: LocalizedText;
  /** The formula as a reader sees it. */
  formula: LocalizedText;
  unit: 'count' | 'rate' | 'hours';
  /** Whether a higher figure is better (rankings sort by it). */
  higherIsBetter: boolean;
  /** The counts behind the figure: numerator first, then the denominator's parts. */
  counts: readonly CountKey[];
}

const rate = (
  label: LocalizedText,
  formula: LocalizedText,
  counts: readonly CountKey[],
  higherIsBetter = true,
): IndicatorDefinition => ({ label, formula, unit: 'rate', higherIsBetter, counts });

export const INDICATORS: Record<IndicatorKey, IndicatorDefinition> = {
  reported: {
    label: { zh: '上报数', en: 'Cases reported' },
    formula: { zh: '期间内上报的案件数', en: 'Cases reported in the period' },
    unit: 'count',
    higherIsBetter: true,
    counts: ['reported'],
  },
  registered: {
    label: { zh: '立案数', en: 'Cases registered' },
    formula: {
      zh: '期间内立案（含即办）的案件数',
      en: 'Cases registered (or handled on the spot) in the period',
    },
    unit: 'count',
    higherIsBetter: true,
    counts: ['registered'],
  },
  handlingRate: rate(
    { zh: '处置率', en: 'Handling rate' },
    { zh: '处置数 ÷ 应处置数', en: 'handled / due for handling' },
    ['handled', 'handled', 'overduePending'],
  ),
  onTimeHandlingRate: rate(
    { zh: '按期处置率', en: 'On-time handling rate' },
    { zh: '按期处置数 ÷ 应处置数', en: 'handled on time / due for handling' },
    ['handledOnTime', 'handled', 'overduePending'],
  ),
  closureRate: rate(
    { zh: '结案率', en: 'Closure rate' },
    { zh: '结案数 ÷ 应结案数', en: 'closed / due for closure' },
    ['closed', 'closed', 'overduePending'],
  ),
  onTimeClosureRate: rate(
    { zh: '按期结案率', en: 'On-time closure rate' },
    { zh: '按期结案数 ÷ 应结案数', en: 'closed on time / due for closure' },
    ['closedOnTime', 'closed', 'overduePending'],
  ),
  reworkRate: rate(
    { zh: '返工率', en: 'Rework rate' },
    { zh: '返工数 ÷ 应处置数', en: 'reworked / due for handling' },
    ['handledReworked', 'overduePendingReworked', 'handled', 'overduePending'],
    false,
  ),
  overduePendingRate: rate(
    { zh: '超期待处置率', en: 'Overdue-pending rate' },
    { zh: '超期待处置数 ÷ 应处置数', en: 'pending past deadline / due for handling' },
    ['overduePending', 'handled', 'overduePending'],
    false,
  ),
  extensionRate: rate(
    { zh: '延期率', en: 'Extension rate' },
    { zh: '延期数 ÷ 应处置数', en: 'extended / due for handling' },
    ['handledExtended', 'overduePendingExtended', 'handled', 'overduePending'],
    false,
  ),
  onTimeRegistrationRate: rate(
    { zh: '按时立案率', en: 'On-time registration rate' },
    { zh: '按时立案数 ÷ 立案数', en: 'registered on time / registered' },
    ['registeredOnTime', 'registered'],
  ),
  accurateDispatchRate: rate(
    { zh: '准确派遣率', en: 'Accurate dispatch rate' },
    { zh: '1 − 退回数 ÷ 派遣数', en: '1 − returned / dispatched' },
    ['dispatchReturned', 'dispatched'],
  ),
  averageHandlingHours: {
    label: { zh: '平均处置时长', en: 'Average handling time' },
    formula: {
      zh: '处置用时（工作小时，挂账时间不计）之和 ÷ 处置数',
      en: 'working hours from dispatch to handled (suspensions left out) / handled',
    },
    unit: 'hours',
    higherIsBetter: false,
    counts: ['handled'],
  },
  satisfactionRate: rate(
    { zh: '满意率', en: 'Satisfaction rate' },
    { zh: '满意数 ÷ 评价数', en: 'satisfied / rated' },
    ['satisfied', 'rated'],
  ),
};

export type IndicatorFigures = Record<IndicatorKey, number | null> & {
  /** 应处置数: handled in the period, or pending past the deadline at its end. */
  dueForHandling: number;
  /** 应结案数: closed in the period, or still in handling past its deadline at its end. */
  dueForClosure: number;
};

const ratio = (numerator: number, denominator: number) => (denominator > 0 ? numerator / denominator : null);

/** The figures of one unit from its counts: rates as fractions (0–1), null where the denominator is 0. */
export function figuresOf(c: IndicatorCounts): IndicatorFigures {
  const dueForHandling = c.handled + c.overduePending;
  const dueForClosure = c.closed + c.overduePending;
  const returned = ratio(c.dispatchReturned, c.dispatched);
  return {
    dueForHandling,
    dueForClosure,
    reported: c.reported,
    registered: c.registered,
    handlingRate: ratio(c.handled, dueForHandling),
    onTimeHandlingRate: ratio(c.handledOnTime, dueForHandling),
    closureRate: ratio(c.closed, dueForClosure),
    onTimeClosureRate: ratio(c.closedOnTime, dueForClosure),
    reworkRate: ratio(c.handledReworked + c.overduePendingReworked, dueForHandling),
    overduePendingRate: ratio(c.overduePending, dueForHandling),
    extensionRate: ratio(c.handledExtended + c.overduePendingExtended, dueForHandling),
    onTimeRegistrationRate: ratio(c.registeredOnTime, c.registered),
    accurateDispatchRate: returned === null ? null : 1 - returned,
    averageHandlingHours: c.handled > 0 ? c.handlingMinutes / 60 / c.handled : null,
    satisfactionRate: ratio(c.satisfied, c.rated),
  };
}

/** The rates a composite may weigh. */
export const COMPOSITE_INDICATORS = INDICATOR_KEYS.filter((k) => INDICATORS[k].unit === 'rate');

export const schemeComponentSchema = z.object({
  indicator: z.enum(COMPOSITE_INDICATORS as [IndicatorKey, ...IndicatorKey[]]),
  weight: z.number().positive().max(100),
  /** `rate`: the rate counts as it is; `oneMinus`: 1 − rate (for rates where lower is better). */
  direction: z.enum(['rate', 'oneMinus']),
});
export type SchemeComponent = z.infer<typeof schemeComponentSchema>;

export const schemeInputSchema = z.object({
  components: z
    .array(schemeComponentSchema)
    .min(1)
    .max(COMPOSITE_INDICATORS.length)
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      for (const [i, c] of list.entries()) {
        if (seen.has(c.indicator))
          ctx.addIssue({
            code: 'custom',
            path: [i, 'indicator'],
            message: bilingual('指标重复', 'an indicator appears twice'),
          });
        seen.add(c.indicator);
      }
      const total = list.reduce((sum, c) => sum + c.weight, 0);
      if (Math.abs(total - 100) > 1e-6)
        ctx.addIssue({
          code: 'custom',
          path: [],
          message: bilingual(
            `权重之和应为 100（现为 ${total}）`,
            `the weights must add up to 100 (now ${total})`,
          ),
        });
    }),
  note: z.string().trim().max(200).optional(),
});
export type SchemeInput = z.infer<typeof schemeInputSchema>;

/** The default composite (one district's published rule): 处置率 30, 按期处置率 20, 返工率 20, 超期待处置率 20, 延期率 10. */
export const DEFAULT_SCHEME: readonly SchemeComponent[] = [
  { indicator: 'handlingRate', weight: 30, direction: 'rate' },
  { indicator: 'onTimeHandlingRate', weight: 20, direction: 'rate' },
  { indicator: 'reworkRate', weight: 20, direction: 'oneMinus' },
  { indicator: 'overduePendingRate', weight: 20, direction: 'oneMinus' },
  { indicator: 'extensionRate', weight: 10, direction: 'oneMinus' },
];

/**
 * The composite score (0–100): Σ weight × (rate, or 1 − rate). A unit with no case due for handling has no
 * composite (null): it is ranked after every unit that has one, not given 0 or 100. A component whose own
 * denominator is 0 (no case registered, say) counts as 1 − 0 or 0 by its direction: nothing went wrong.
 */
export function compositeOf(
  figures: IndicatorFigures,
  components: readonly SchemeComponent[],
): number | null {
  if (figures.dueForHandling === 0) return null;
  let score = 0;
  for (const c of components) {
    const value = figures[c.indicator] ?? (c.direction === 'rate' ? 1 : 0);
    score += c.weight * (c.direction === 'rate' ? value : 1 - value);
  }
  return score;
}

export const UNIT_KINDS = ['village', 'grid', 'department', 'worker'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];
export const UNIT_KIND_LABELS: Record<UnitKind, LocalizedText> = {
  village: { zh: '村（社区）', en: 'Villages' },
  grid: { zh: '网格', en: 'Grids' },
  department: { zh: '部门', en: 'Departments' },
  worker: { zh: '网格员', en: 'Workers' },
};

/**
 * The sources the evaluation tells apart: the intake sources, with the grid worker's reports split into those
 * made during one of their patrols (`patrol`, 巡查发现) and the others (`gridWorker`).
 */
export const EVALUATION_SOURCES = [...CASE_SOURCES, 'patrol'] as const;
export type EvaluationSource = (typeof EVALUATION_SOURCES)[number];
export const EVALUATION_SOURCE_LABELS: Record<EvaluationSource, LocalizedText> = {
  ...CASE_SOURCE_LABELS,
  patrol: { zh: '巡查发现', en: 'Patrol' },
};
/** The sources whose reporter is on the staff: a case of these counts for its reporter as a worker. */
export const WORKER_SOURCES: readonly EvaluationSource[] = ['gridWorker', 'patrol', 'inspector'];

const dateField = (zh: string, en: string) => z.iso.date({ error: bilingual(zh, en) });

export const rankingQuerySchema = z
  .object({
    from: dateField('开始日期应为 YYYY-MM-DD', 'from must be a date, YYYY-MM-DD')
      .optional()
      .describe('First day (Asia/Shanghai), included; default the first day of last month'),
    to: dateField('结束日期应为 YYYY-MM-DD', 'to must be a date, YYYY-MM-DD')
      .optional()
      .describe('Last day, included; default the last day of last month'),
    unit: z.enum(UNIT_KINDS).default('village'),
    source: z.enum(EVALUATION_SOURCES).optional(),
    sortBy: z.enum(['composite', ...INDICATOR_KEYS] as [string, ...string[]]).default('composite'),
  })
  .superRefine((query, ctx) => {
    const problem = query.from && query.to ? periodProblem(query.from, query.to) : null;
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['to'] });
    if ((query.from === undefined) !== (query.to === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [query.from === undefined ? 'from' : 'to'],
        message: bilingual('开始和结束日期须同时给出', 'give both from and to, or neither'),
      });
  });
export type RankingQuery = z.input<typeof rankingQuerySchema>;

const countsSchema = z.object({
  ...(Object.fromEntries(COUNT_KEYS.map((k) => [k, z.number().int()])) as Record<CountKey, z.ZodNumber>),
  handlingMinutes: z.number(),
  scoreSum: z.number(),
});

const figuresSchema = z.object({
  ...(Object.fromEntries(INDICATOR_KEYS.map((k) => [k, z.number().nullable()])) as Record<
    IndicatorKey,
    z.ZodNullable<z.ZodNumber>
  >),
  dueForHandling: z.number().int(),
  dueForClosure: z.number().int(),
});

export const rankingRowSchema = z.object({
  key: z.string().describe('Region code, department id or worker user id'),
  code: z.string().nullable(),
  name: z.string(),
  rank: z.number().int().nullable().describe('1 = best; equal composites share a rank; null: nothing due'),
  composite: z.number().nullable(),
  previousComposite: z
    .number()
    .nullable()
    .describe('The composite of the previous period of the same length'),
  previousRank: z.number().int().nullable(),
  counts: countsSchema,
  figures: figuresSchema,
  patrolCoverage: z
    .number()
    .nullable()
    .describe(
      '巡查覆盖率: grid-days patrolled / grid-days in the period over the leaf grids of a village or grid; null for departments',
    ),
  inspectionScoreRate: z
    .number()
    .nullable()
    .describe(
      '检查得分率: points earned / points applicable over the inspection visits of the period to targets in the village or grid (a vetoed visit earns 0; covert campaigns count once published); null without visits, and for departments and workers',
    ),
  inspectionVisits: z.number().int().describe('The inspection visits the score rate is taken over'),
});
export type RankingRow = z.infer<typeof rankingRowSchema>;

export const rankingSchema = z.object({
  from: z.string(),
  to: z.string(),
  previous: z.object({ from: z.string(), to: z.string() }),
  unit: z.enum(UNIT_KINDS),
  scope: z.object({ code: z.string(), name: z.string() }),
  scheme: z.object({ version: z.number().int(), components: z.array(schemeComponentSchema) }),
  rows: z.array(rankingRowSchema),
  total: z.object({ counts: countsSchema, figures: figuresSchema, composite: z.number().nullable() }),
  /** 红榜 / 黑榜: the best and worst ranked units (at most three each, never the same unit on both). */
  redList: z.array(z.string()),
  blackList: z.array(z.string()),
});
export type Ranking = z.infer<typeof rankingSchema>;

export const drillQuerySchema = z.object({
  from: dateField('开始日期应为 YYYY-MM-DD', 'from must be a date, YYYY-MM-DD'),
  to: dateField('结束日期应为 YYYY-MM-DD', 'to must be a date, YYYY-MM-DD'),
  unit: z.enum(UNIT_KINDS),
  key: z
    .string()
    .regex(
      /^\d{1,21}$/,
      bilingual('单位应为区划代码、部门编号或人员编号', 'key is a region code, a department id or a user id'),
    )
    .optional()
    .describe('The unit (region code, department id or worker user id); none: the whole scope'),
  count: z.enum(COUNT_KEYS),
  source: z.enum(EVALUATION_SOURCES).optional(),
  categoryId: z.coerce
    .number<string | number>({ error: bilingual('类别应为编号', 'categoryId must be a category id') })
    .int()
    .positive()
    .max(2_147_483_647)
    .optional()
    .describe('Only the cases of this category (a hot spot on the dashboard)'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type DrillQuery = z.input<typeof drillQuerySchema>;

/** A village's or grid's patrol coverage or inspection score rate, opened onto what it is taken over. */
export const unitFigureQuerySchema = z.object({
  from: dateField('开始日期应为 YYYY-MM-DD', 'from must be a date, YYYY-MM-DD'),
  to: dateField('结束日期应为 YYYY-MM-DD', 'to must be a date, YYYY-MM-DD'),
  key: z
    .string()
    .regex(/^\d{2,21}$/, bilingual('单位应为区划代码', 'key is a region code'))
    .describe('The village or grid'),
});
export type UnitFigureQuery = z.infer<typeof unitFigureQuerySchema>;

export const patrolGridsSchema = z.object({
  rows: z.array(
    z.object({
      gridCode: z.string(),
      gridName: z.string(),
      daysInPeriod: z.number().int(),
      daysPatrolled: z.number().int(),
    }),
  ),
});
export type PatrolGrids = z.infer<typeof patrolGridsSchema>;

export const inspectionVisitsSchema = z.object({
  rows: z.array(
    z.object({
      visitId: z.number().int(),
      campaignId: z.number().int(),
      campaignName: z.string(),
      targetName: z.string(),
      regionCode: z.string(),
      visitedAt: z.string(),
      rate: z.number().describe('0–1; 0 when a veto item failed'),
      vetoed: z.boolean(),
    }),
  ),
});
export type InspectionVisits = z.infer<typeof inspectionVisitsSchema>;

export const drillRowSchema = z.object({
  id: z.number().int(),
  caseNumber: z.string(),
  categoryName: z.string(),
  regionCode: z.string(),
  state: z.string(),
  reportedAt: z.string(),
  handledAt: z.string().nullable(),
  closedAt: z.string().nullable(),
});
export const drillSchema = z.object({ total: z.number().int(), rows: z.array(drillRowSchema) });
export type Drill = z.infer<typeof drillSchema>;

export const schemeSchema = z.object({
  version: z.number().int(),
  components: z.array(schemeComponentSchema),
  note: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type Scheme = z.infer<typeof schemeSchema>;
