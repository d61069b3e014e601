import type { GridDay, PatrolSummary } from '../../../shared/patrols.ts';
import type * as repo from './patrol.repository.ts';
import type { StoredTrack } from './patrol.table.ts';
import type { TrackPoint } from './track-geometry.ts';

/** Distances to the decimetre and shares to four places: what a table can show, without float noise. */
const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

export interface PatrolListRow {
  id: number;
  client_key: string;
  user_id: number;
  region_code: string;
  day: string;
  started_at: Date;
  ended_at: Date | null;
  duration_s: number;
  distance_m: number;
  point_count: number;
  synthetic: boolean;
  display_name: string;
  problems: string | number;
}

export interface PatrolGridListRow {
  patrol_id: number;
  grid_code: string;
  name: string;
  coverage: number;
  distance_m: number;
  duration_s: number;
}

export function presentPatrol(row: PatrolListRow, grids: readonly PatrolGridListRow[]): PatrolSummary {
  return {
    id: row.id,
    clientKey: row.client_key,
    userId: row.user_id,
    userName: row.display_name,
    regionCode: row.region_code,
    day: row.day,
    startedAt: row.started_at.toISOString(),
    endedAt: row.ended_at?.toISOString() ?? null,
    durationS: row.duration_s,
    distanceM: round(row.distance_m, 1),
    pointCount: row.point_count,
    problems: Number(row.problems),
    synthetic: row.synthetic,
    grids: grids
      .filter((g) => g.patrol_id === row.id)
      .map((g) => ({
        code: g.grid_code,
        name: g.name,
        coverage: round(g.coverage, 4),
        distanceM: round(g.distance_m, 1),
        durationS: g.duration_s,
      })),
  };
}

/** The thinned track as stored: degrees to 7 places (about a centimetre), whole seconds. */
export function storeTrack(points: readonly TrackPoint[]): StoredTrack {
  return points.map((p) => [round(p.lon, 7), round(p.lat, 7), Math.round(p.t)]);
}

export { round };

const DAY_MS = 86_400_000;

/** The civil days from `from` to `to`, inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY_MS) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

type WorkedGridRow = Awaited<ReturnType<typeof repo.listWorkedLeafGrids>>[number];
type GridDayRow = Awaited<ReturnType<typeof repo.gridDayFigures>>[number];
type ProblemRow = Awaited<ReturnType<typeof repo.problemsByGridDay>>[number];

/** One entry per grid with its workers' names; for a grid worker, only the grids they are the worker of. */
export function groupWorkers(rows: readonly WorkedGridRow[], ownerId: number | null) {
  const grids = new Map<
    string,
    { code: string; name: string; villageName: string; workers: string[]; mine: boolean }
  >();
  for (const r of rows) {
    const g = grids.get(r.code) ?? {
      code: r.code,
      name: r.name,
      villageName: r.village_name ?? '',
      workers: [],
      mine: false,
    };
    g.workers.push(r.display_name);
    if (r.user_id === ownerId) g.mine = true;
    grids.set(r.code, g);
  }
  return [...grids.values()].filter((g) => ownerId === null || g.mine);
}

/** The grid-day table: every grid on every day, newest day first, with that day's figures if patrolled. */
export function presentGridDays(
  days: readonly string[],
  grids: ReturnType<typeof groupWorkers>,
  figures: readonly GridDayRow[],
  problems: readonly ProblemRow[],
): GridDay[] {
  const byKey = new Map(figures.map((f) => [`${f.grid_code}|${f.day}`, f]));
  const problemsAt = new Map(problems.map((p) => [`${p.region_code}|${p.day}`, Number(p.problems)]));
  const items: GridDay[] = [];
  for (const day of [...days].reverse()) {
    for (const g of grids) {
      const f = byKey.get(`${g.code}|${day}`);
      items.push({
        gridCode: g.code,
        gridName: g.name,
        villageName: g.villageName,
        day,
        patrolled: f !== undefined,
        patrols: Number(f?.patrols ?? 0),
        durationS: Number(f?.duration_s ?? 0),
        distanceM: round(Number(f?.distance_m ?? 0), 1),
        coverage: round(Number(f?.coverage ?? 0), 4),
        // Problems count on a grid-day the grid was patrolled (a case elsewhere on the walk counts where it is).
        problems: f ? (problemsAt.get(`${g.code}|${day}`) ?? 0) : 0,
        workers: g.workers,
        synthetic: f?.synthetic ?? false,
      });
    }
  }
  return items;
}
