import { sql } from 'kysely';
import type { AreaGeometry } from '../../../shared/territory.ts';
import { shanghaiDay } from '../../modules/patrols/patrol.policy.ts';
import {
  geometryBounds,
  gridFigures,
  type TrackPoint,
  trackLength,
} from '../../modules/patrols/track-geometry.ts';
import type { Db } from '../database.ts';

/*
 * Synthetic daily patrols (日巡查) for the demo town, so the patrol pages, the grid-day table and the coverage
 * indicator have weeks of history on the first start. Every row is marked `synthetic` (shown as 演示数据). Each
 * leaf grid's grid worker walks their grid on most days of the last four weeks (some days missed, a few grids
 * neglected more often), along one of three made-up routes across the grid, at a walking pace, in the morning.
 * Deterministic: the same seed and `now` give the same rows. Only the thinned tracks and their figures are
 * written (no raw points), in three statements, so the demo load stays quick.
 */

const DAYS = 28;
const WALK_M_PER_S = 1.1;
const COVERAGE_M = 50;

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A route across the grid's box, as fractions of its width and height: zigzags and a cross. */
const ROUTES: [number, number][][] = [
  [
    [0.1, 0.15],
    [0.9, 0.2],
    [0.85, 0.5],
    [0.15, 0.5],
    [0.1, 0.8],
    [0.9, 0.85],
  ],
  [
    [0.2, 0.1],
    [0.25, 0.9],
    [0.5, 0.85],
    [0.5, 0.15],
    [0.75, 0.1],
    [0.8, 0.9],
  ],
  [
    [0.15, 0.2],
    [0.85, 0.8],
    [0.5, 0.5],
    [0.2, 0.85],
  ],
];

interface Template {
  /** [lon, lat, seconds from the start] of each turn. */
  track: [number, number, number][];
  lengthM: number;
  grids: { code: string; coverage: number; distanceM: number; durationS: number }[];
}

function templateFor(grid: { code: string; geometry: AreaGeometry }, route: [number, number][]): Template {
  const [west, south, east, north] = geometryBounds(grid.geometry);
  const turns = route.map(([fx, fy]) => ({
    lon: west + fx * (east - west),
    lat: south + fy * (north - south),
    t: 0,
  }));
  // Time runs with the distance walked, at a walking pace.
  let walked = 0;
  const track: TrackPoint[] = turns.map((p, i) => {
    if (i > 0) walked += trackLength([turns[i - 1] as TrackPoint, p]);
    return { ...p, t: walked / WALK_M_PER_S };
  });
  // Legs of a real walk are a few seconds apart: densify so each grid's time counts (legs over 5 minutes are not).
  const dense: TrackPoint[] = [];
  for (let i = 1; i < track.length; i++) {
    const a = track[i - 1] as TrackPoint;
    const b = track[i] as TrackPoint;
    const steps = Math.max(1, Math.ceil((b.t - a.t) / 60));
    for (let s = 0; s < steps; s++) {
      const f = s / steps;
      dense.push({
        lon: a.lon + f * (b.lon - a.lon),
        lat: a.lat + f * (b.lat - a.lat),
        t: a.t + f * (b.t - a.t),
      });
    }
  }
  dense.push(track[track.length - 1] as TrackPoint);
  return {
    track: track.map((p) => [Number(p.lon.toFixed(7)), Number(p.lat.toFixed(7)), Math.round(p.t)]),
    lengthM: walked,
    grids: gridFigures([grid], dense, { distanceM: COVERAGE_M, cellM: 20 }).map((g) => ({
      ...g,
      durationS: Math.round(g.durationS),
    })),
  };
}

/**
 * Loads the synthetic patrols of the town's leaf grids for the four weeks before `now` (Asia/Shanghai days) and
 * this morning's for most grids, except the demo grid workers' own grids today: theirs is left for a visitor to
 * walk. Returns the number of patrols written.
 */
export async function loadDemoPatrols(
  db: Db,
  options: { townCode: string; now: Date; seed: number; skipTodayFor?: readonly number[] },
): Promise<number> {
  const grids = await db
    .selectFrom('regions as r')
    .innerJoin('grid_people as gp', (j) =>
      j.onRef('gp.grid_code', '=', 'r.code').on('gp.duty', '=', 'gridWorker'),
    )
    .innerJoin('users as u', 'u.id', 'gp.user_id')
    .select(['r.code', 'r.boundary', 'u.id as user_id', 'u.region_code'])
    .where('r.code', 'like', `${options.townCode}%`)
    .where('r.level', '=', 'grid')
    .where('r.boundary', 'is not', null)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('regions as c').select('c.code').whereRef('c.parent_code', '=', 'r.code'))),
    )
    .orderBy('r.code')
    .execute();
  const random = mulberry32(options.seed);
  const today = shanghaiDay(options.now);
  const todayStart = Date.parse(`${today}T00:00:00+08:00`);
  const hourNow = (options.now.getTime() - todayStart) / 3_600_000;
  const skipToday = new Set(options.skipTodayFor ?? []);
  const patrols: object[] = [];
  const figures: object[] = [];
  for (const grid of grids) {
    const shape = { code: grid.code, geometry: grid.boundary as AreaGeometry };
    const templates = ROUTES.map((route) => templateFor(shape, route));
    // Most grids are patrolled nearly every day; one in eight is neglected.
    const diligence = random() < 0.125 ? 0.55 : 0.92;
    for (let back = DAYS; back >= 0; back--) {
      const dayStart = todayStart - back * 86_400_000;
      const startHour = 8.5 + random() * 2;
      const roll = random();
      const pick = Math.floor(random() * templates.length);
      if (roll > diligence) continue;
      // Today: only patrols already over by now, and none for the demo logins' grids.
      if (back === 0 && (skipToday.has(grid.user_id) || startHour + 1.2 > hourNow)) continue;
      const template = templates[pick] as Template;
      const startedAt = dayStart + startHour * 3_600_000;
      const durationS = Math.round(
        (template.track[template.track.length - 1]?.[2] ?? 0) + 300 + random() * 900,
      );
      const key = `demo-${grid.code}-${back}`;
      patrols.push({
        client_key: key,
        user_id: grid.user_id,
        region_code: grid.region_code,
        county_code: grid.region_code.slice(0, 6),
        started_at: new Date(startedAt).toISOString(),
        ended_at: new Date(startedAt + durationS * 1000).toISOString(),
        day: shanghaiDay(new Date(startedAt)),
        point_count: Math.round(durationS / 5),
        distance_m: Math.round(template.lengthM * 10) / 10,
        duration_s: durationS,
        track: template.track.map(([lon, lat, t]) => [lon, lat, Math.round(startedAt / 1000 + t)]),
      });
      for (const g of template.grids)
        figures.push({ client_key: key, day: shanghaiDay(new Date(startedAt)), ...g });
    }
  }
  if (patrols.length === 0) return 0;
  const at = options.now.toISOString();
  await sql`
    insert into patrols (client_key, user_id, region_code, county_code, started_at, ended_at, day, point_count,
      distance_m, duration_s, track, synthetic, created_at, updated_at)
    select client_key, user_id, region_code, county_code, started_at, ended_at, day, point_count, distance_m,
      duration_s, track, true, ${at}::timestamptz, ${at}::timestamptz
    from jsonb_to_recordset(${JSON.stringify(patrols)}::jsonb) as x(client_key text, user_id integer,
      region_code text, county_code text, started_at timestamptz, ended_at timestamptz, day date,
      point_count integer, distance_m double precision, duration_s integer, track jsonb)`.execute(db);
  await sql`
    insert into patrol_grids (patrol_id, grid_code, day, coverage, distance_m, duration_s)
    select p.id, x.code, x.day, x.coverage, x."distanceM", x."durationS"
    from jsonb_to_recordset(${JSON.stringify(figures)}::jsonb) as x(client_key text, code text, day date,
      coverage double precision, "distanceM" double precision, "durationS" integer)
    join patrols p on p.client_key = x.client_key`.execute(db);
  return patrols.length;
}
