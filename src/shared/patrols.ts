/**
 * API shapes of daily patrols (日巡查), shared by the server, the field view, the console and the CLI.
 */
import { z } from 'zod';
import type { LocalizedText } from './errors.ts';
import type { Role } from './roles.ts';

export { PATROL_READER_ROLES } from './access.ts';
/** Who patrols: grid workers (a grid leader on duty is a grid worker by role). */
export const PATROLLER_ROLES: readonly Role[] = ['gridWorker'];

/** At most this many points in one upload: a phone sends its queue in slices. */
export const MAX_POINTS_PER_BATCH = 500;
/** A phone's clock a little ahead of the server's is not a point from the future. */
export const POINT_CLOCK_SKEW_MS = 5 * 60_000;
/** The default distance (metres) within which a grid's area counts as covered by a track. */
export const DEFAULT_COVERAGE_METRES = 50;
/** The phone keeps points at least this far apart in time. */
export const POINT_INTERVAL_MS = 5_000;

const civilDate = z.iso.date().describe('YYYY-MM-DD, Asia/Shanghai');
const regionCode = z
  .string()
  .regex(/^\d{2,21}$/)
  .describe('A region or grid code: limits the answer to its subtree');

export const patrolKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/)
  .describe('Chosen by the phone when the patrol starts (it may have no signal): names the patrol in writes');

export const startPatrolSchema = z.object({
  clientKey: patrolKeySchema,
  startedAt: z.iso.datetime({ offset: true }),
});
export type StartPatrolInput = z.infer<typeof startPatrolSchema>;

export const patrolPointSchema = z.object({
  seq: z
    .number()
    .int()
    .min(0)
    .max(1_000_000)
    .describe('Client sequence number: a re-sent point is stored once'),
  lon: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  at: z.iso.datetime({ offset: true }).describe('When the phone took the fix'),
  accuracy: z.number().min(0).max(100_000).nullable().optional().describe('Metres, as the phone reports it'),
});
export type PatrolPoint = z.infer<typeof patrolPointSchema>;

export const pointBatchSchema = z.object({
  points: z.array(patrolPointSchema).min(1).max(MAX_POINTS_PER_BATCH),
});
export type PointBatchInput = z.infer<typeof pointBatchSchema>;

export const endPatrolSchema = z.object({ endedAt: z.iso.datetime({ offset: true }) });
export type EndPatrolInput = z.infer<typeof endPatrolSchema>;

export const patrolGridSchema = z.object({
  code: z.string(),
  name: z.string(),
  coverage: z.number().describe('Share 0–1 of the grid within the coverage distance of the track'),
  distanceM: z.number(),
  durationS: z.number().int(),
});

export const patrolSummarySchema = z.object({
  id: z.number().int(),
  clientKey: z.string(),
  userId: z.number().int(),
  userName: z.string(),
  regionCode: z.string(),
  day: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  durationS: z.number().int(),
  distanceM: z.number(),
  pointCount: z.number().int(),
  problems: z.number().int().describe('Cases the worker reported between start and end'),
  synthetic: z.boolean(),
  grids: z.array(patrolGridSchema),
});
export type PatrolSummary = z.infer<typeof patrolSummarySchema>;

export const patrolProblemSchema = z.object({
  id: z.number().int(),
  caseNumber: z.string(),
  description: z.string(),
  state: z.string(),
  regionCode: z.string(),
  createdAt: z.string(),
});

export const patrolDetailSchema = patrolSummarySchema.extend({
  track: z
    .array(z.tuple([z.number(), z.number(), z.number()]))
    .describe('Thinned: [lon, lat, epoch seconds]'),
  problemList: z.array(patrolProblemSchema),
  coverageMetres: z.number(),
});
export type PatrolDetail = z.infer<typeof patrolDetailSchema>;

export const patrolListQuerySchema = z.object({
  userId: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
  region: regionCode.optional(),
  from: civilDate.optional(),
  to: civilDate.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
export type PatrolListQuery = z.infer<typeof patrolListQuerySchema>;

export const patrolPageSchema = z.object({ total: z.number().int(), items: z.array(patrolSummarySchema) });
export type PatrolPage = z.infer<typeof patrolPageSchema>;

export const gridDayQuerySchema = z.object({
  region: regionCode.optional(),
  from: civilDate,
  to: civilDate,
});
export type GridDayQuery = z.infer<typeof gridDayQuerySchema>;

export const gridDaySchema = z.object({
  gridCode: z.string(),
  gridName: z.string(),
  villageName: z.string(),
  day: z.string(),
  patrolled: z.boolean(),
  patrols: z.number().int(),
  durationS: z.number().int(),
  distanceM: z.number(),
  coverage: z.number().describe('The best patrol of the day in this grid (share 0–1)'),
  problems: z.number().int(),
  workers: z.array(z.string()),
  synthetic: z.boolean().describe('Every patrol of the grid-day is demo data'),
});
export type GridDay = z.infer<typeof gridDaySchema>;
export const gridDayListSchema = z.object({ items: z.array(gridDaySchema), coverageMetres: z.number() });

export const regionQuerySchema = z.object({ region: regionCode.optional() });

export const unpatrolledGridSchema = z.object({
  gridCode: z.string(),
  gridName: z.string(),
  villageName: z.string(),
  workers: z.array(z.string()),
});
export const unpatrolledListSchema = z.object({ day: z.string(), items: z.array(unpatrolledGridSchema) });
export type UnpatrolledList = z.infer<typeof unpatrolledListSchema>;

export const todayTracksSchema = z.object({
  day: z.string(),
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      geometry: z.object({
        type: z.literal('LineString'),
        coordinates: z.array(z.tuple([z.number(), z.number()])),
      }),
      properties: z.object({
        patrolId: z.number().int(),
        userName: z.string(),
        startedAt: z.string(),
        endedAt: z.string().nullable(),
        synthetic: z.boolean(),
      }),
    }),
  ),
});
export type TodayTracks = z.infer<typeof todayTracksSchema>;

/** Per leaf grid over a period: the patrol-coverage indicator's inputs (see patrolCoverage in the server). */
export interface GridPatrolCoverage {
  gridCode: string;
  daysInPeriod: number;
  daysPatrolled: number;
  /** days patrolled / days in period. */
  rate: number;
  /** Mean over the days in the period of the day's best area share (0 on a day without a patrol). */
  meanShare: number;
}

export const PATROL_TEXT = {
  patrol: { zh: '巡查', en: 'Patrol' },
  synthetic: { zh: '演示数据', en: 'Demo data' },
} satisfies Record<string, LocalizedText>;
