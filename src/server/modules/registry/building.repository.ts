import { type Insertable, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { regionCondition } from '../people/scope.ts';
import {
  ADDRESS_PART_COLUMNS,
  type AddressPartColumns,
  type ListWindow,
  matchesText,
  pageOf,
  rowsAfter,
  type TextFilter,
  updateRecord,
} from './registry.repository.ts';
import type { BuildingRow, BuildingTable } from './registry.table.ts';

export type NewBuildingRow = Insertable<BuildingTable>;
export type BuildingChanges = Omit<Partial<NewBuildingRow>, 'created_at' | 'version'> & { updated_at: Date };

/** A building with the names of its grid and village, its address and how many houses it has. */
export type BuildingView = BuildingRow &
  AddressPartColumns & {
    region_name: string | null;
    village_name: string | null;
    address_text: string | null;
    house_count: number;
  };

function buildingsWithNames(db: Db) {
  return db
    .selectFrom('registry_buildings as b')
    .leftJoin('regions as g', 'g.code', 'b.region_code')
    .leftJoin('regions as v', (join) => join.on(sql<boolean>`v.code = left(b.region_code, 12)`))
    .leftJoin('registry_addresses as a', 'a.id', 'b.address_id')
    .selectAll('b')
    .select(ADDRESS_PART_COLUMNS)
    .select([
      'g.name as region_name',
      'v.name as village_name',
      'a.canonical_text as address_text',
      sql<number>`(select count(*)::int from registry_houses h where h.building_id = b.id)`.as('house_count'),
    ]);
}

export async function findBuilding(db: Db, id: number): Promise<BuildingView | undefined> {
  return buildingsWithNames(db).where('b.id', '=', id).executeTakeFirst();
}

export interface BuildingFilter {
  text: TextFilter | null;
}

function filtered(db: Db, window: ListWindow, filter: BuildingFilter) {
  let query = buildingsWithNames(db).where((eb) => regionCondition(eb, 'b.region_code', window.scope));
  if (filter.text) query = query.where(matchesText('b', filter.text));
  return query;
}

export async function listBuildings(db: Db, window: ListWindow, filter: BuildingFilter) {
  return pageOf(db, filtered(db, window, filter), 'b.id', window);
}

export function listBuildingsAfter(
  db: Db,
  window: ListWindow,
  filter: BuildingFilter,
  afterId: number,
): Promise<BuildingView[]> {
  return rowsAfter(filtered(db, window, filter), 'b.id', afterId, window.limit);
}

export async function findBuildingsByCodes(db: Db, codes: readonly string[]): Promise<BuildingRow[]> {
  if (codes.length === 0) return [];
  return db
    .selectFrom('registry_buildings')
    .selectAll()
    .where('code', 'in', [...codes])
    .execute();
}

export async function findBuildingsByAddresses(
  db: Db,
  addressIds: readonly number[],
): Promise<BuildingRow[]> {
  if (addressIds.length === 0) return [];
  return db
    .selectFrom('registry_buildings')
    .selectAll()
    .where('address_id', 'in', [...addressIds])
    .execute();
}

export async function findBuildingRow(db: Db, id: number): Promise<BuildingRow | undefined> {
  return db.selectFrom('registry_buildings').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Serialises the numbering of new buildings (for the transaction), and gives the highest sequence used in each
 * grid, so codes can be handed out without two writers taking the same one.
 */
export async function lockAndReadBuildingSequences(
  db: Db,
  gridCodes: readonly string[],
): Promise<Map<string, number>> {
  // Any constant works: it names the lock that one writer of new building codes at a time holds.
  await sql`select pg_advisory_xact_lock(73110007)`.execute(db);
  const result = await sql<{ grid: string; seq: number }>`
    select g.grid, coalesce(max(right(b.code, 4)::int), 0) as seq
    from unnest(${[...gridCodes]}::text[]) as g(grid)
    left join registry_buildings b on b.code like g.grid || '____' and length(b.code) = length(g.grid) + 4
    group by g.grid`.execute(db);
  return new Map(result.rows.map((r) => [r.grid, Number(r.seq)]));
}

export async function insertBuildings(db: Db, rows: readonly NewBuildingRow[]): Promise<BuildingRow[]> {
  if (rows.length === 0) return [];
  return db
    .insertInto('registry_buildings')
    .values([...rows])
    .returningAll()
    .execute();
}

export function updateBuilding(
  db: Db,
  id: number,
  version: number | null,
  values: BuildingChanges,
): Promise<boolean> {
  return updateRecord(db, 'registry_buildings', id, version, values);
}

export async function deleteBuilding(db: Db, id: number): Promise<void> {
  await db.updateTable('registry_houses').set({ building_id: null }).where('building_id', '=', id).execute();
  await db.deleteFrom('registry_buildings').where('id', '=', id).execute();
}
