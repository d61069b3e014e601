import { sql } from 'kysely';
import type { CountQuery, DailyCount, EntryListQuery } from '../../../shared/checkpoints.ts';
import { FEVER_CELSIUS } from '../../../shared/checkpoints.ts';
import type { Db } from '../../db/database.ts';
import { likePrefix } from '../../db/like.ts';
import { regionCondition, type Scope } from '../people/scope.ts';
import type { CheckpointEntryRow, CheckpointRow } from './checkpoint.table.ts';

/**
 * Checkpoints, their duties and entries. Every read takes a `Scope` and filters on the checkpoint's or entry's
 * grid code; the users and regions tables are read here, never written.
 */

export async function findCheckpoint(db: Db, id: number): Promise<CheckpointRow | undefined> {
  return db.selectFrom('checkpoints').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listCheckpoints(
  db: Db,
  scope: Scope,
  filter: { status?: string | undefined; ids?: readonly number[] },
): Promise<CheckpointRow[]> {
  let query = db
    .selectFrom('checkpoints')
    .selectAll()
    .where((eb) => regionCondition(eb, 'grid_code', scope));
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.ids) query = query.where('id', 'in', filter.ids.length ? filter.ids : [0]);
  return query.orderBy('grid_code').orderBy('id').execute();
}

export type NewCheckpoint = Omit<CheckpointRow, 'id' | 'version' | 'synthetic'> & { synthetic?: boolean };

export async function insertCheckpoint(db: Db, row: NewCheckpoint): Promise<number> {
  const inserted = await db.insertInto('checkpoints').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

/** Updates at the version read; undefined when someone changed it meanwhile. */
export async function updateCheckpoint(
  db: Db,
  id: number,
  version: number,
  values: Partial<Omit<CheckpointRow, 'id' | 'version' | 'created_at'>>,
): Promise<number | undefined> {
  const row = await db
    .updateTable('checkpoints')
    .set({ ...values, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('version')
    .executeTakeFirst();
  return row?.version;
}

export interface DutyRow {
  checkpoint_id: number;
  weekday: number;
  shift: string;
  seq: number;
  user_id: number | null;
  name: string;
}

export async function listDuties(db: Db, checkpointIds: readonly number[]): Promise<DutyRow[]> {
  if (checkpointIds.length === 0) return [];
  return db
    .selectFrom('checkpoint_duties')
    .selectAll()
    .where('checkpoint_id', 'in', checkpointIds)
    .orderBy('checkpoint_id')
    .orderBy('weekday')
    .orderBy('shift')
    .orderBy('seq')
    .execute();
}

export async function replaceDuties(db: Db, checkpointId: number, duties: readonly DutyRow[]): Promise<void> {
  await db.deleteFrom('checkpoint_duties').where('checkpoint_id', '=', checkpointId).execute();
  if (duties.length > 0)
    await db
      .insertInto('checkpoint_duties')
      .values([...duties])
      .execute();
}

/** Active users whose scope lies inside a village: the staff a roster may name. */
export async function listVillageUsers(
  db: Db,
  villageCode: string,
): Promise<{ id: number; display_name: string; role: string; region_code: string }[]> {
  return db
    .selectFrom('users')
    .select(['id', 'display_name', 'role', 'region_code'])
    .where('region_code', 'like', likePrefix(villageCode))
    .where('active', '=', true)
    .where('password_hash', 'is not', null)
    .orderBy('display_name')
    .execute();
}

export async function userNames(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

/** Today's entries and stops per checkpoint, for the list. */
export async function todayTotals(
  db: Db,
  checkpointIds: readonly number[],
  day: string,
): Promise<Map<number, { total: number; stopped: number }>> {
  if (checkpointIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('checkpoint_entries')
    .select((eb) => [
      'checkpoint_id',
      eb.fn.countAll<string>().as('total'),
      sql<string>`count(*) filter (where outcome = 'stopped')`.as('stopped'),
    ])
    .where('checkpoint_id', 'in', checkpointIds)
    .where('day', '=', day)
    .groupBy('checkpoint_id')
    .execute();
  return new Map(rows.map((r) => [r.checkpoint_id, { total: Number(r.total), stopped: Number(r.stopped) }]));
}

export type NewEntry = Omit<CheckpointEntryRow, 'id' | 'synthetic' | 'checks'> & {
  checks: string;
  synthetic?: boolean;
};

/** Inserts entries in one statement; an entry whose client key is already stored is skipped. Gives the new ids. */
export async function insertEntries(
  db: Db,
  rows: readonly NewEntry[],
): Promise<{ id: number; client_key: string }[]> {
  if (rows.length === 0) return [];
  return db
    .insertInto('checkpoint_entries')
    .values([...rows])
    .onConflict((oc) => oc.column('client_key').doNothing())
    .returning(['id', 'client_key'])
    .execute();
}

export async function findEntriesByKeys(
  db: Db,
  keys: readonly string[],
): Promise<{ id: number; client_key: string; checkpoint_id: number; recorded_by: number }[]> {
  if (keys.length === 0) return [];
  return db
    .selectFrom('checkpoint_entries')
    .select(['id', 'client_key', 'checkpoint_id', 'recorded_by'])
    .where('client_key', 'in', [...keys])
    .execute();
}

export async function findEntry(db: Db, id: number): Promise<CheckpointEntryRow | undefined> {
  return db.selectFrom('checkpoint_entries').selectAll().where('id', '=', id).executeTakeFirst();
}

export type EntryView = CheckpointEntryRow & {
  checkpoint_name: string;
  recorder_name: string;
  /** The number of the form version the checks answered (`form_version_id`). */
  form_version: number | null;
};

export interface EntryFilter extends Omit<EntryListQuery, 'page' | 'pageSize' | 'from' | 'to'> {
  from: string;
  to: string;
}

function entryQuery(db: Db, scope: Scope, filter: EntryFilter) {
  let query = db
    .selectFrom('checkpoint_entries as e')
    .innerJoin('checkpoints as c', 'c.id', 'e.checkpoint_id')
    .innerJoin('users as u', 'u.id', 'e.recorded_by')
    .where((eb) => regionCondition(eb, 'e.grid_code', scope))
    .where('e.day', '>=', filter.from)
    .where('e.day', '<=', filter.to);
  if (filter.regionCode) query = query.where('e.grid_code', 'like', likePrefix(filter.regionCode));
  if (filter.checkpointId) query = query.where('e.checkpoint_id', '=', filter.checkpointId);
  if (filter.direction) query = query.where('e.direction', '=', filter.direction);
  if (filter.subject) query = query.where('e.subject', '=', filter.subject);
  if (filter.outcome) query = query.where('e.outcome', '=', filter.outcome);
  return query;
}

export async function countEntries(db: Db, scope: Scope, filter: EntryFilter): Promise<number> {
  const row = await entryQuery(db, scope, filter)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Entries newest first; `afterId` pages an export through all of them by id (descending). */
export async function listEntries(
  db: Db,
  scope: Scope,
  filter: EntryFilter,
  window: { limit: number; offset: number; beforeId?: number },
): Promise<EntryView[]> {
  let query = entryQuery(db, scope, filter)
    .leftJoin('form_versions as fv', 'fv.id', 'e.form_version_id')
    .selectAll('e')
    .select(['c.name as checkpoint_name', 'u.display_name as recorder_name', 'fv.version as form_version']);
  if (window.beforeId !== undefined) query = query.where('e.id', '<', window.beforeId);
  return query.orderBy('e.id', 'desc').limit(window.limit).offset(window.offset).execute() as Promise<
    EntryView[]
  >;
}

/** Per checkpoint and day: people and vehicles in and out, stops and fevers, in one grouped read. */
export async function dailyCounts(
  db: Db,
  scope: Scope,
  filter: Omit<CountQuery, 'from' | 'to'> & { from: string; to: string },
): Promise<(Omit<DailyCount, 'villageName'> & { gridCode: string })[]> {
  let query = db
    .selectFrom('checkpoint_entries as e')
    .innerJoin('checkpoints as c', 'c.id', 'e.checkpoint_id')
    .where((eb) => regionCondition(eb, 'e.grid_code', scope))
    .where('e.day', '>=', filter.from)
    .where('e.day', '<=', filter.to);
  if (filter.regionCode) query = query.where('e.grid_code', 'like', likePrefix(filter.regionCode));
  if (filter.checkpointId) query = query.where('e.checkpoint_id', '=', filter.checkpointId);
  const count = (condition: ReturnType<typeof sql>) => sql<string>`count(*) filter (where ${condition})`;
  const rows = await query
    .select((eb) => [
      'e.checkpoint_id',
      'c.name',
      'c.grid_code',
      sql<string>`e.day::text`.as('day'),
      count(sql`e.subject = 'person' and e.direction = 'in'`).as('people_in'),
      count(sql`e.subject = 'person' and e.direction = 'out'`).as('people_out'),
      count(sql`e.subject = 'vehicle' and e.direction = 'in'`).as('vehicles_in'),
      count(sql`e.subject = 'vehicle' and e.direction = 'out'`).as('vehicles_out'),
      count(sql`e.outcome = 'stopped'`).as('stopped'),
      count(sql`e.temperature >= ${FEVER_CELSIUS}`).as('fever'),
      eb.fn.countAll<string>().as('total'),
    ])
    .groupBy(['e.checkpoint_id', 'c.name', 'c.grid_code', 'e.day'])
    .orderBy('e.day', 'desc')
    .orderBy('c.grid_code')
    .orderBy('e.checkpoint_id')
    .execute();
  return rows.map((r) => ({
    checkpointId: r.checkpoint_id,
    checkpointName: r.name,
    gridCode: r.grid_code,
    day: r.day,
    peopleIn: Number(r.people_in),
    peopleOut: Number(r.people_out),
    vehiclesIn: Number(r.vehicles_in),
    vehiclesOut: Number(r.vehicles_out),
    stopped: Number(r.stopped),
    fever: Number(r.fever),
    total: Number(r.total),
  }));
}
