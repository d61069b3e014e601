import { z } from 'zod';
import { bilingual, type LocalizedText } from './errors.ts';
import { INDICATOR_READER_ROLES } from './evaluation.ts';
import {
  COUNT_KEYS,
  type CountKey,
  EVALUATION_SOURCES,
  INDICATOR_KEYS,
  type IndicatorKey,
  UNIT_KINDS,
} from './indicators.ts';

/**
 * The leader's dashboard (数读 / 大屏): one answer with today's and this month's figures, a 30-day trend, the open
 * cases on the map, hot spots, sources, the month's ranking and the key figures an administrator chose.
 */

/** Who reads the dashboard: the indicator readers, each within their region scope. */
export const DASHBOARD_ROLES = INDICATOR_READER_ROLES;

/** More open cases than this are clustered on the server rather than sent one by one. */
export const MAP_POINT_CAP = 5_000;
/** Days of the trend, today included. */
export const TREND_DAYS = 30;
/** Categories listed as hot spots. */
export const HOT_SPOT_COUNT = 10;
/** Key figures an administrator may pin at most. */
export const MAX_KEY_FIGURES = 8;

/** What colours an open case on the map: its deadline (green, yellow due soon, red overdue), or suspended (grey). */
export const DEADLINE_TONES = ['normal', 'dueSoon', 'overdue', 'suspended'] as const;
export type DeadlineTone = (typeof DEADLINE_TONES)[number];
export const DEADLINE_TONE_LABELS: Record<DeadlineTone, LocalizedText> = {
  normal: { zh: '时限内', en: 'Within deadline' },
  dueSoon: { zh: '即将到期', en: 'Due soon' },
  overdue: { zh: '已超期', en: 'Overdue' },
  suspended: { zh: '已挂账', en: 'Suspended' },
};

/** The key figures shown when an administrator chose none. */
export const DEFAULT_KEY_FIGURES: readonly IndicatorKey[] = [
  'closureRate',
  'onTimeClosureRate',
  'averageHandlingHours',
  'accurateDispatchRate',
];

export const dashboardQuerySchema = z.object({
  scope: z
    .string()
    .regex(/^\d{2,24}$/, bilingual('范围应为区划代码', 'scope is a region code'))
    .optional()
    .describe("A village (12 digits) inside the reader's scope; default the reader's whole scope"),
});
export type DashboardQuery = z.input<typeof dashboardQuerySchema>;

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
const periodFiguresSchema = z.object({
  from: z.string(),
  to: z.string(),
  counts: countsSchema,
  figures: figuresSchema,
});

export const mapPointSchema = z.object({
  lon: z.number(),
  lat: z.number(),
  /** 1 for a case; more for a cluster of nearby cases (then the case fields are null). */
  count: z.number().int(),
  /** A cluster takes the most urgent tone of its cases. */
  tone: z.enum(DEADLINE_TONES),
  id: z.number().int().nullable(),
  caseNumber: z.string().nullable(),
  state: z.string().nullable(),
  categoryName: z.string().nullable(),
});
export type MapPoint = z.infer<typeof mapPointSchema>;

export const dashboardSchema = z.object({
  scope: z.object({ code: z.string(), name: z.string() }),
  /** How the figures open onto their cases (GET /indicators/cases): unit and key; no key for the reader's scope. */
  drill: z.object({ unit: z.enum(UNIT_KINDS), key: z.string().nullable() }),
  today: periodFiguresSchema,
  month: periodFiguresSchema.extend({ composite: z.number().nullable() }),
  trend: z.array(
    z.object({
      date: z.string(),
      reported: z.number().int(),
      handled: z.number().int(),
      closed: z.number().int(),
    }),
  ),
  map: z.object({
    open: z.number().int().describe('Open cases in scope'),
    withoutLocation: z.number().int(),
    clustered: z.boolean(),
    points: z.array(mapPointSchema),
  }),
  hotSpots: z.array(z.object({ categoryId: z.number().int(), name: z.string(), count: z.number().int() })),
  sources: z.array(z.object({ source: z.enum(EVALUATION_SOURCES), reported: z.number().int() })),
  ranking: z.object({
    unit: z.enum(UNIT_KINDS),
    schemeVersion: z.number().int(),
    ranked: z.number().int(),
    rows: z.array(
      z.object({
        key: z.string(),
        name: z.string(),
        rank: z.number().int().nullable(),
        composite: z.number().nullable(),
        previousRank: z.number().int().nullable(),
      }),
    ),
    redList: z.array(z.string()),
    blackList: z.array(z.string()),
  }),
  keyFigures: z.array(z.enum(INDICATOR_KEYS)),
  /** The demo town's synthetic history (演示数据) is loaded. */
  synthetic: z.boolean(),
  generatedAt: z.string(),
});
export type Dashboard = z.infer<typeof dashboardSchema>;

export const dashboardSettingsSchema = z.object({
  keyFigures: z
    .array(z.enum(INDICATOR_KEYS))
    .max(MAX_KEY_FIGURES, bilingual(`最多选择 ${MAX_KEY_FIGURES} 项`, `choose at most ${MAX_KEY_FIGURES}`))
    .refine((list) => new Set(list).size === list.length, {
      message: bilingual('指标重复', 'an indicator appears twice'),
    }),
});
export type DashboardSettings = z.infer<typeof dashboardSettingsSchema>;
export const dashboardSettingsAnswerSchema = dashboardSettingsSchema.extend({
  /** The region whose choice applies (the reader's scope or an ancestor); null: the default. */
  scopeCode: z.string().nullable(),
});
