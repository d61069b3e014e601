import { sql } from 'kysely';
import type { AreaGeometry } from '../../../shared/territory.ts';
import type { Db } from '../../db/database.ts';
import { likePrefix } from '../../db/like.ts';
import { regionCondition, type Scope } from '../people/scope.ts';
import type { PatrolRow, StoredTrack } from './patrol.table.ts';

/**
 * Who a read is for: the regions of the reader's scope and, for a grid worker, only their own patrols. The
 * regions, grid_people, users and cases tables are read here, never written.
 */
export interface PatrolReader {
  scope: Scope;
  /** Set for a grid worker: only this user's patrols. */
  ownerId: number | null;
}

export async function findPatrolByKey(db: Db, clientKey: string): Promise<PatrolRow | undefined> {
  return db.selectFrom('patrols').selectAll().where('client_key', '=', clientKey).executeTakeFirst();
}

export async function findPatrol(db: Db, id: number): Promise<PatrolRow | undefined> {
  return db.selectFrom('patrols').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Inserts a patrol unless its client key is taken (a replayed start); returns the row either way. */
export async function insertPatrol(
  db: Db,
  row: {
    client_key: string;
    user_id: number;
    region_code: string;
    county_code: string;
    started_at: Date;
    day: string;
    now: Date;
  },
): Promise<PatrolRow> {
  const { now, ...values } = row;
  await db
    .insertInto('patrols')
    .values({ ...values, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('client_key').doNothing())
    .execute();
  return (await findPatrolByKey(db, row.client_key)) as PatrolRow;
}

export interface PointRow {
  seq: number;
  lon: number;
  lat: number;
  recorded_at: Date;
  accuracy_m: number | null;
}

/** Stores points in one statement; a point whose sequence number is already stored is skipped. */
export async function insertPoints(db: Db, patrolId: number, points: readonly PointRow[]): Promise<number> {
  const json = JSON.stringify(
    points.map((p) => ({ ...p, recorded_at: p.recorded_at.toISOString(), patrol_id: patrolId })),
  );
  const result = await sql`
    insert into patrol_points (patrol_id, seq, lon, lat, recorded_at, accuracy_m)
    select patrol_id, seq, lon, lat, recorded_at, accuracy_m
    from jsonb_to_recordset(${json}::jsonb) as x(patrol_id integer, seq integer, lon double precision,
      lat double precision, recorded_at timestamptz, accuracy_m real)
    on conflict (patrol_id, seq) do nothing`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export async function listPoints(db: Db, patrolId: number): Promise<PointRow[]> {
  return db
    .selectFrom('patrol_points')
    .select(['seq', 'lon', 'lat', 'recorded_at', 'accuracy_m'])
    .where('patrol_id', '=', patrolId)
    .orderBy('recorded_at')
    .orderBy('seq')
    .execute();
}

/** Leaf grids with a boundary under a region: the grids a track can cover. */
export async function listLeafGridShapes(
  db: Db,
  prefix: string,
): Promise<{ code: string; boundary: AreaGeometry }[]> {
  const rows = await db
    .selectFrom('regions')
    .select(['code', 'boundary'])
    .where('code', 'like', likePrefix(prefix))
    .where('level', '=', 'grid')
    .where('boundary', 'is not', null)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('regions as c').select('c.code').whereRef('c.parent_code', '=', 'regions.code'))),
    )
    .execute();
  return rows as { code: string; boundary: AreaGeometry }[];
}

/** Writes a patrol's recomputed figures and replaces its per-grid rows, in one transaction. */
export async function saveFigures(
  db: Db,
  patrol: { id: number; day: string },
  figures: {
    endedAt?: Date;
    pointCount: number;
    distanceM: number;
    durationS: number;
    track: StoredTrack;
    now: Date;
    grids: { code: string; coverage: number; distanceM: number; durationS: number }[];
  },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('patrols')
      .set({
        ...(figures.endedAt ? { ended_at: figures.endedAt } : {}),
        point_count: figures.pointCount,
        distance_m: figures.distanceM,
        duration_s: figures.durationS,
        track: JSON.stringify(figures.track),
        updated_at: figures.now,
      })
      .where('id', '=', patrol.id)
      .execute();
    await trx.deleteFrom('patrol_grids').where('patrol_id', '=', patrol.id).execute();
    if (figures.grids.length > 0) {
      await trx
        .insertInto('patrol_grids')
        .values(
          figures.grids.map((g) => ({
            patrol_id: patrol.id,
            grid_code: g.code,
            day: patrol.day,
            coverage: g.coverage,
            distance_m: g.distanceM,
            duration_s: g.durationS,
          })),
        )
        .execute();
    }
  });
}

/** The patrols a reader may see, filtered; newest first, with the worker's name and the problems found. */
export async function listPatrols(
  db: Db,
  reader: PatrolReader,
  filter: {
    id?: number;
    userId?: number;
    region?: string;
    from?: string;
    to?: string;
    limit: number;
    offset: number;
    now: Date;
  },
) {
  let query = db
    .selectFrom('patrols as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .where((eb) => regionCondition(eb, 'p.region_code', reader.scope));
  if (reader.ownerId !== null) query = query.where('p.user_id', '=', reader.ownerId);
  if (filter.id) query = query.where('p.id', '=', filter.id);
  if (filter.userId) query = query.where('p.user_id', '=', filter.userId);
  if (filter.region) {
    const region = filter.region;
    // A patrol is in a region when it started there or touched one of its grids.
    query = query.where((eb) =>
      eb.or([
        eb('p.region_code', 'like', likePrefix(region)),
        eb.exists(
          eb
            .selectFrom('patrol_grids as g')
            .select('g.patrol_id')
            .whereRef('g.patrol_id', '=', 'p.id')
            .where('g.grid_code', 'like', likePrefix(region)),
        ),
      ]),
    );
  }
  if (filter.from) query = query.where('p.day', '>=', filter.from);
  if (filter.to) query = query.where('p.day', '<=', filter.to);
  const total = await query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await query
    .select([
      'p.id',
      'p.client_key',
      'p.user_id',
      'p.region_code',
      'p.day',
      'p.started_at',
      'p.ended_at',
      'p.duration_s',
      'p.distance_m',
      'p.point_count',
      'p.synthetic',
      'u.display_name',
    ])
    .select(
      sql<string>`(
      select count(*) from cases c
      where c.reporter_id = p.user_id and c.created_at >= p.started_at
        and c.created_at <= coalesce(p.ended_at, ${filter.now})
    )`.as('problems'),
    )
    .orderBy('p.started_at', 'desc')
    .orderBy('p.id', 'desc')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  return { total: Number(total.n), rows };
}

/** Per-grid rows of some patrols, with the grid's name. */
export async function listPatrolGrids(db: Db, patrolIds: readonly number[]) {
  if (patrolIds.length === 0) return [];
  return db
    .selectFrom('patrol_grids as g')
    .innerJoin('regions as r', 'r.code', 'g.grid_code')
    .select(['g.patrol_id', 'g.grid_code', 'r.name', 'g.coverage', 'g.distance_m', 'g.duration_s'])
    .where('g.patrol_id', 'in', patrolIds)
    .orderBy('g.grid_code')
    .execute();
}

/** Cases a user reported in a time span: the problems found during a patrol. */
export async function listProblems(db: Db, userId: number, from: Date, to: Date) {
  return db
    .selectFrom('cases')
    .select(['id', 'case_number', 'description', 'state', 'region_code', 'created_at'])
    .where('reporter_id', '=', userId)
    .where('created_at', '>=', from)
    .where('created_at', '<=', to)
    .orderBy('created_at')
    .execute();
}

/** Leaf grids under the reader's scope (and `region`) that have a grid worker, with the workers' names. */
export async function listWorkedLeafGrids(db: Db, scope: Scope, region: string | undefined) {
  let query = db
    .selectFrom('regions as r')
    .innerJoin('grid_people as gp', (j) =>
      j.onRef('gp.grid_code', '=', 'r.code').on('gp.duty', '=', 'gridWorker'),
    )
    .innerJoin('users as u', 'u.id', 'gp.user_id')
    .leftJoin('regions as v', (j) => j.on(sql<boolean>`v.code = substr(r.code, 1, 12)`))
    .select(['r.code', 'r.name', 'v.name as village_name', 'u.display_name', 'u.id as user_id'])
    .where('r.level', '=', 'grid')
    .where((eb) => regionCondition(eb, 'r.code', scope))
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('regions as c').select('c.code').whereRef('c.parent_code', '=', 'r.code'))),
    );
  if (region) query = query.where('r.code', 'like', likePrefix(region));
  return query.orderBy('r.code').execute();
}

/** Patrol figures per grid and day (the best coverage of the day, summed time and distance). */
export async function gridDayFigures(
  db: Db,
  reader: PatrolReader,
  range: { from: string; to: string; region: string | undefined; now: Date },
) {
  let query = db
    .selectFrom('patrol_grids as g')
    .innerJoin('patrols as p', 'p.id', 'g.patrol_id')
    .select([
      'g.grid_code',
      'g.day',
      sql<string>`count(distinct p.id)`.as('patrols'),
      sql<string>`sum(g.duration_s)`.as('duration_s'),
      sql<number>`sum(g.distance_m)`.as('distance_m'),
      sql<number>`max(g.coverage)`.as('coverage'),
      sql<boolean>`bool_and(p.synthetic)`.as('synthetic'),
    ])
    .where((eb) => regionCondition(eb, 'g.grid_code', reader.scope))
    .where('g.day', '>=', range.from)
    .where('g.day', '<=', range.to)
    .where('g.coverage', '>', 0)
    .groupBy(['g.grid_code', 'g.day']);
  if (reader.ownerId !== null) query = query.where('p.user_id', '=', reader.ownerId);
  if (range.region) query = query.where('g.grid_code', 'like', likePrefix(range.region));
  return query.execute();
}

/**
 * Cases reported during the patrols of a period, by the grid they lie in and the patrol's day: the problems
 * found. The caller keeps those in a grid patrolled that day.
 */
export async function problemsByGridDay(
  db: Db,
  reader: PatrolReader,
  range: { from: string; to: string; region: string | undefined; now: Date },
) {
  let query = db
    .selectFrom('patrols as q')
    .innerJoin('cases as c', (j) =>
      j
        .onRef('c.reporter_id', '=', 'q.user_id')
        .onRef('c.created_at', '>=', 'q.started_at')
        .on(sql<boolean>`c.created_at <= coalesce(q.ended_at, ${range.now})`),
    )
    .select(['c.region_code', 'q.day', sql<string>`count(distinct c.id)`.as('problems')])
    .where((eb) => regionCondition(eb, 'c.region_code', reader.scope))
    .where('q.day', '>=', range.from)
    .where('q.day', '<=', range.to)
    .groupBy(['c.region_code', 'q.day']);
  if (reader.ownerId !== null) query = query.where('q.user_id', '=', reader.ownerId);
  if (range.region) query = query.where('c.region_code', 'like', likePrefix(range.region));
  return query.execute();
}

/** Patrols of one day in the reader's view, with their thinned tracks: the map of today's tracks. */
export async function listDayTracks(db: Db, reader: PatrolReader, day: string, region: string | undefined) {
  let query = db
    .selectFrom('patrols as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select(['p.id', 'p.track', 'p.started_at', 'p.ended_at', 'p.synthetic', 'u.display_name'])
    .where((eb) => regionCondition(eb, 'p.region_code', reader.scope))
    .where('p.day', '=', day);
  if (reader.ownerId !== null) query = query.where('p.user_id', '=', reader.ownerId);
  if (region) query = query.where('p.region_code', 'like', likePrefix(region));
  return query.orderBy('p.started_at').execute();
}

/** Per leaf grid and day in a period: the day's best coverage (for the patrol-coverage indicator). */
export async function dailyBestCoverage(db: Db, scope: Scope, from: string, to: string) {
  return db
    .selectFrom('patrol_grids as g')
    .select(['g.grid_code', 'g.day', sql<number>`max(g.coverage)`.as('coverage')])
    .where((eb) => regionCondition(eb, 'g.grid_code', scope))
    .where('g.day', '>=', from)
    .where('g.day', '<=', to)
    .where('g.coverage', '>', 0)
    .groupBy(['g.grid_code', 'g.day'])
    .execute();
}

/** Leaf grid codes under a scope (with or without a worker): the units of the coverage indicator. */
export async function listLeafGridCodes(db: Db, scope: Scope): Promise<string[]> {
  const rows = await db
    .selectFrom('regions as r')
    .select('r.code')
    .where('r.level', '=', 'grid')
    .where((eb) => regionCondition(eb, 'r.code', scope))
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('regions as c').select('c.code').whereRef('c.parent_code', '=', 'r.code'))),
    )
    .orderBy('r.code')
    .execute();
  return rows.map((r) => r.code);
}
