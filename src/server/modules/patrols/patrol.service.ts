/**
 * Daily patrols (日巡查): a grid worker starts a patrol on the phone, the phone sends the points it records (in
 * batches, possibly long after, each point once by its sequence number) and ends the patrol. Every change
 * recomputes the patrol's figures from its stored points, so a late batch corrects them; reads are of the
 * per-grid rows written then.
 */
import type { LocalizedText } from '../../../shared/errors.ts';
import {
  DEFAULT_COVERAGE_METRES,
  type EndPatrolInput,
  type GridDay,
  type GridDayQuery,
  type GridPatrolCoverage,
  type PatrolDetail,
  type PatrolListQuery,
  type PatrolPage,
  type PatrolSummary,
  POINT_CLOCK_SKEW_MS,
  type PointBatchInput,
  type StartPatrolInput,
  type TodayTracks,
  type UnpatrolledList,
} from '../../../shared/patrols.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { notFound } from '../../errors.ts';
import { assertInScope, assertRole } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';
import { regionScope, type Scope } from '../people/scope.ts';
import { invalidFields, PATROL, PATROLLERS, patrolReader, READERS, shanghaiDay } from './patrol.policy.ts';
import { daysBetween, groupWorkers, presentGridDays, presentPatrol, storeTrack } from './patrol.presenter.ts';
import * as repo from './patrol.repository.ts';
import type { PatrolRow } from './patrol.table.ts';
import {
  activeDuration,
  dropJitter,
  gridFigures,
  type TrackPoint,
  thinTrack,
  trackLength,
} from './track-geometry.ts';

export interface PatrolServiceDeps {
  db: Db;
  clock: Clock;
  /** Distance (metres) within which a grid's area counts as covered by a track. */
  coverageMetres?: number;
}

const TEXT = {
  start: { zh: '开始巡查', en: 'start a patrol' },
  read: { zh: '查看巡查记录', en: 'read patrols' },
  future: { zh: '时间晚于当前时间', en: 'the time is in the future' },
  beforeStart: { zh: '时间早于巡查开始时间', en: 'the time is before the patrol started' },
  afterEnd: { zh: '时间晚于巡查结束时间', en: 'the time is after the patrol ended' },
  range: { zh: '开始日期晚于结束日期', en: 'the start date is after the end date' },
  tooLong: { zh: '查询范围不能超过 92 天', en: 'the period cannot exceed 92 days' },
  otherOwner: { zh: '该客户端编号已被他人的巡查使用', en: 'the client key belongs to another user’s patrol' },
} satisfies Record<string, LocalizedText>;

const MAX_DAYS = 92;

export type PatrolService = ReturnType<typeof createPatrolService>;

export function createPatrolService(deps: PatrolServiceDeps) {
  const { db, clock } = deps;
  const coverageMetres = deps.coverageMetres ?? DEFAULT_COVERAGE_METRES;
  // Leaf grid shapes per town, kept briefly: a phone sends a batch every few seconds while boundaries rarely move.
  const shapeCache = new Map<string, { at: number; shapes: { code: string; geometry: never }[] }>();

  async function gridShapes(prefix: string) {
    const hit = shapeCache.get(prefix);
    if (hit && Date.now() - hit.at < 10_000) return hit.shapes;
    const rows = await repo.listLeafGridShapes(db, prefix);
    const shapes = rows.map((r) => ({ code: r.code, geometry: r.boundary as never }));
    shapeCache.set(prefix, { at: Date.now(), shapes });
    return shapes;
  }

  /** The patrol a worker writes to by its key; another user's patrol is not found, so keys reveal nothing. */
  async function ownPatrol(actor: Actor, clientKey: string): Promise<PatrolRow> {
    const row = await repo.findPatrolByKey(db, clientKey);
    if (!row || row.user_id !== actor.id) throw notFound(PATROL, clientKey);
    return row;
  }

  /** Recomputes a patrol's figures from all its stored points. */
  async function recompute(patrol: PatrolRow, endedAt?: Date): Promise<void> {
    const points = await repo.listPoints(db, patrol.id);
    const track: TrackPoint[] = points.map((p) => ({
      lon: p.lon,
      lat: p.lat,
      t: p.recorded_at.getTime() / 1000,
    }));
    const spaced = dropJitter(track);
    const end = endedAt ?? patrol.ended_at;
    const last =
      track.length > 0 ? (track[track.length - 1] as TrackPoint).t * 1000 : patrol.started_at.getTime();
    const durationS = Math.max(
      0,
      Math.round(((end?.getTime() ?? last) - patrol.started_at.getTime()) / 1000),
    );
    // Grids of the worker's town: a patrol may cross into a neighbouring village's grid.
    const shapes = await gridShapes(patrol.region_code.slice(0, 9));
    const grids = gridFigures(shapes, spaced, { distanceM: coverageMetres }).map((g) => ({
      ...g,
      durationS: Math.round(g.durationS),
    }));
    await repo.saveFigures(db, patrol, {
      ...(endedAt ? { endedAt } : {}),
      pointCount: points.length,
      distanceM: trackLength(spaced),
      durationS: Math.max(durationS, Math.round(activeDuration(spaced))),
      track: storeTrack(thinTrack(track)),
      now: clock.now(),
      grids,
    });
  }

  async function summary(reader: repo.PatrolReader, id: number): Promise<PatrolSummary> {
    const page = await repo.listPatrols(db, reader, { id, limit: 1, offset: 0, now: clock.now() });
    const row = page.rows[0];
    if (!row) throw notFound(PATROL, id);
    return presentPatrol(row, await repo.listPatrolGrids(db, [id]));
  }

  function assertNotFuture(actor: Actor, path: string, at: Date): void {
    if (at.getTime() > clock.now().getTime() + POINT_CLOCK_SKEW_MS) {
      throw invalidFields(actor, [{ path, text: TEXT.future }]);
    }
  }

  async function startPatrol(actor: Actor, input: StartPatrolInput): Promise<PatrolSummary> {
    assertRole(actor, PATROLLERS, TEXT.start);
    const startedAt = new Date(input.startedAt);
    assertNotFuture(actor, 'startedAt', startedAt);
    const existing = await repo.findPatrolByKey(db, input.clientKey);
    if (existing && existing.user_id !== actor.id)
      throw invalidFields(actor, [{ path: 'clientKey', text: TEXT.otherOwner }]);
    const row =
      existing ??
      (await repo.insertPatrol(db, {
        client_key: input.clientKey,
        user_id: actor.id,
        region_code: actor.scopeCode,
        county_code: actor.scopeCode.slice(0, 6),
        started_at: startedAt,
        day: shanghaiDay(startedAt),
        now: clock.now(),
      }));
    return summary(patrolReader(actor), row.id);
  }

  async function addPoints(
    actor: Actor,
    clientKey: string,
    input: PointBatchInput,
  ): Promise<{ stored: number; duplicates: number; patrol: PatrolSummary }> {
    const patrol = await ownPatrol(actor, clientKey);
    const issues: { path: string; text: LocalizedText }[] = [];
    const limit = clock.now().getTime() + POINT_CLOCK_SKEW_MS;
    input.points.forEach((p, i) => {
      const at = Date.parse(p.at);
      if (at > limit) issues.push({ path: `points.${i}.at`, text: TEXT.future });
      else if (at < patrol.started_at.getTime())
        issues.push({ path: `points.${i}.at`, text: TEXT.beforeStart });
      else if (patrol.ended_at && at > patrol.ended_at.getTime() + POINT_CLOCK_SKEW_MS)
        issues.push({ path: `points.${i}.at`, text: TEXT.afterEnd });
    });
    if (issues.length > 0) throw invalidFields(actor, issues.slice(0, 20));
    const stored = await repo.insertPoints(
      db,
      patrol.id,
      input.points.map((p) => ({
        seq: p.seq,
        lon: p.lon,
        lat: p.lat,
        recorded_at: new Date(p.at),
        accuracy_m: p.accuracy ?? null,
      })),
    );
    if (stored > 0) await recompute(patrol);
    return {
      stored,
      duplicates: input.points.length - stored,
      patrol: await summary(patrolReader(actor), patrol.id),
    };
  }

  async function endPatrol(actor: Actor, clientKey: string, input: EndPatrolInput): Promise<PatrolSummary> {
    const patrol = await ownPatrol(actor, clientKey);
    const endedAt = new Date(input.endedAt);
    assertNotFuture(actor, 'endedAt', endedAt);
    if (endedAt < patrol.started_at)
      throw invalidFields(actor, [{ path: 'endedAt', text: TEXT.beforeStart }]);
    // Ending twice (a replayed request) keeps the first end.
    if (!patrol.ended_at) await recompute(patrol, endedAt);
    return summary(patrolReader(actor), patrol.id);
  }

  function readerOf(actor: Actor, region: string | undefined): repo.PatrolReader {
    assertRole(actor, READERS, TEXT.read);
    if (region) assertInScope(actor, region, region);
    return patrolReader(actor);
  }

  async function listPatrols(actor: Actor, query: PatrolListQuery): Promise<PatrolPage> {
    const reader = readerOf(actor, query.region);
    const page = await repo.listPatrols(db, reader, {
      ...(query.userId ? { userId: query.userId } : {}),
      ...(query.region ? { region: query.region } : {}),
      ...(query.from ? { from: query.from } : {}),
      ...(query.to ? { to: query.to } : {}),
      limit: query.limit,
      offset: query.offset,
      now: clock.now(),
    });
    const grids = await repo.listPatrolGrids(
      db,
      page.rows.map((r) => r.id),
    );
    return { total: page.total, items: page.rows.map((r) => presentPatrol(r, grids)) };
  }

  async function getPatrol(actor: Actor, id: number): Promise<PatrolDetail> {
    const reader = readerOf(actor, undefined);
    // Outside the reader's view reads as absent: an id reveals nothing about another village.
    const [listed, row] = await Promise.all([
      repo.listPatrols(db, reader, { id, limit: 1, offset: 0, now: clock.now() }),
      repo.findPatrol(db, id),
    ]);
    const listedRow = listed.rows[0];
    if (!listedRow || !row) throw notFound(PATROL, id);
    const [grids, problems] = await Promise.all([
      repo.listPatrolGrids(db, [id]),
      repo.listProblems(db, row.user_id, row.started_at, row.ended_at ?? clock.now()),
    ]);
    return {
      ...presentPatrol(listedRow, grids),
      track: row.track,
      coverageMetres,
      problemList: problems.map((c) => ({
        id: c.id,
        caseNumber: c.case_number,
        description: c.description,
        state: c.state,
        regionCode: c.region_code,
        createdAt: c.created_at.toISOString(),
      })),
    };
  }

  async function gridDays(
    actor: Actor,
    query: GridDayQuery,
  ): Promise<{ items: GridDay[]; coverageMetres: number }> {
    const reader = readerOf(actor, query.region);
    if (query.from > query.to) throw invalidFields(actor, [{ path: 'from', text: TEXT.range }]);
    const days = daysBetween(query.from, query.to);
    if (days.length > MAX_DAYS) throw invalidFields(actor, [{ path: 'to', text: TEXT.tooLong }]);
    const range = { from: query.from, to: query.to, region: query.region, now: clock.now() };
    const [grids, figures, problems] = await Promise.all([
      repo.listWorkedLeafGrids(db, reader.scope, query.region),
      repo.gridDayFigures(db, reader, range),
      repo.problemsByGridDay(db, reader, range),
    ]);
    const items = presentGridDays(days, groupWorkers(grids, reader.ownerId), figures, problems);
    return { items, coverageMetres };
  }

  async function unpatrolledToday(
    actor: Actor,
    query: { region?: string | undefined },
  ): Promise<UnpatrolledList> {
    const reader = readerOf(actor, query.region);
    const day = shanghaiDay(clock.now());
    const [grids, figures] = await Promise.all([
      repo.listWorkedLeafGrids(db, reader.scope, query.region),
      repo.gridDayFigures(db, reader, { from: day, to: day, region: query.region, now: clock.now() }),
    ]);
    const patrolled = new Set(figures.map((f) => f.grid_code));
    return {
      day,
      items: groupWorkers(grids, reader.ownerId)
        .filter((g) => !patrolled.has(g.code))
        .map((g) => ({ gridCode: g.code, gridName: g.name, villageName: g.villageName, workers: g.workers })),
    };
  }

  async function todayTracks(actor: Actor, query: { region?: string | undefined }): Promise<TodayTracks> {
    const reader = readerOf(actor, query.region);
    const day = shanghaiDay(clock.now());
    const rows = await repo.listDayTracks(db, reader, day, query.region);
    return {
      day,
      type: 'FeatureCollection',
      features: rows
        .filter((r) => r.track.length > 0)
        .map((r) => ({
          type: 'Feature' as const,
          geometry: {
            type: 'LineString' as const,
            // A one-point track is drawn as a dot-length line, so every started patrol shows.
            coordinates: (r.track.length === 1 ? [r.track[0], r.track[0]] : r.track).map(
              (p) => [p?.[0] ?? 0, p?.[1] ?? 0] as [number, number],
            ),
          },
          properties: {
            patrolId: r.id,
            userName: r.display_name,
            startedAt: r.started_at.toISOString(),
            endedAt: r.ended_at?.toISOString() ?? null,
            synthetic: r.synthetic,
          },
        })),
    };
  }

  /**
   * The patrol-coverage indicator (巡查覆盖率) per leaf grid under `scope`, for the civil days from `from` to
   * `to` (inclusive, Asia/Shanghai):
   *
   *   rate      = grid-days patrolled / grid-days in the period
   *   meanShare = Σ over the period's days of the day's best area share / days in the period
   *
   * A grid-day is patrolled when some patrol that day covered at least one lattice point of the grid (share
   * > 0; see track-geometry.ts coverageShare, distance from the configuration, default 50 m). A unit above
   * grids (village, town) sums days patrolled and days in the period over its leaf grids.
   */
  async function patrolCoverage(
    scope: Scope,
    period: { from: string; to: string },
  ): Promise<GridPatrolCoverage[]> {
    const days = daysBetween(period.from, period.to).length;
    const [codes, rows] = await Promise.all([
      repo.listLeafGridCodes(db, scope),
      repo.dailyBestCoverage(db, scope, period.from, period.to),
    ]);
    const perGrid = new Map<string, { days: number; share: number }>();
    for (const r of rows) {
      const entry = perGrid.get(r.grid_code) ?? { days: 0, share: 0 };
      entry.days++;
      entry.share += Number(r.coverage);
      perGrid.set(r.grid_code, entry);
    }
    return codes.map((gridCode) => {
      const e = perGrid.get(gridCode) ?? { days: 0, share: 0 };
      return {
        gridCode,
        daysInPeriod: days,
        daysPatrolled: e.days,
        rate: days === 0 ? 0 : e.days / days,
        meanShare: days === 0 ? 0 : e.share / days,
      };
    });
  }

  return {
    coverageMetres,
    startPatrol,
    addPoints,
    endPatrol,
    listPatrols,
    getPatrol,
    gridDays,
    unpatrolledToday,
    todayTracks,
    patrolCoverage,
    /** For the CLI and the demo seed's checks: the actor's region scope. */
    scopeOf: (actor: Actor) => regionScope(actor),
  };
}
