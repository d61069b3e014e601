import { type Insertable, type SqlBool, sql } from 'kysely';
import type { HouseUse } from '../../../shared/registry.ts';
import type { Db } from '../../db/database.ts';
import { regionCondition } from '../people/scope.ts';
import {
  ADDRESS_PART_COLUMNS,
  type AddressPartColumns,
  insertFromJson,
  type ListWindow,
  matchesText,
  pageOf,
  rowsAfter,
  type TextFilter,
  updateRecord,
} from './registry.repository.ts';
import type { HouseRow, HouseTable } from './registry.table.ts';

export type NewHouseRow = Insertable<HouseTable>;
export type NewHouseValues = Omit<NewHouseRow, 'created_at' | 'updated_at'>;
export type HouseChanges = Omit<Partial<NewHouseRow>, 'created_at' | 'version'> & { updated_at: Date };

export type HouseView = HouseRow &
  AddressPartColumns & {
    region_name: string | null;
    village_name: string | null;
    address_text: string;
    address_lon: number | null;
    address_lat: number | null;
    building_code: string | null;
    resident_count: number;
  };

function housesWithNames(db: Db) {
  return db
    .selectFrom('registry_houses as h')
    .innerJoin('registry_addresses as a', 'a.id', 'h.address_id')
    .leftJoin('regions as g', 'g.code', 'h.region_code')
    .leftJoin('regions as v', (join) => join.on(sql<boolean>`v.code = left(h.region_code, 12)`))
    .leftJoin('registry_buildings as b', 'b.id', 'h.building_id')
    .selectAll('h')
    .select(ADDRESS_PART_COLUMNS)
    .select([
      'g.name as region_name',
      'v.name as village_name',
      'a.canonical_text as address_text',
      'a.lon as address_lon',
      'a.lat as address_lat',
      'b.code as building_code',
      sql<number>`(select count(*)::int from registry_residents r where r.house_id = h.id)`.as(
        'resident_count',
      ),
    ]);
}

export async function findHouse(db: Db, id: number): Promise<HouseView | undefined> {
  return housesWithNames(db).where('h.id', '=', id).executeTakeFirst();
}

export interface HouseFilter {
  use?: HouseUse | undefined;
  /** Words of the house's address. */
  text?: TextFilter | null;
  landlordPhone?: string;
  landlordIdNumber?: string;
}

function filtered(db: Db, window: ListWindow, filter: HouseFilter) {
  let query = housesWithNames(db).where((eb) => regionCondition(eb, 'h.region_code', window.scope));
  if (filter.use) query = query.where('h.use', '=', filter.use);
  if (filter.text) query = query.where(matchesText('a', filter.text));
  if (filter.landlordPhone) query = query.where('h.landlord_phone', '=', filter.landlordPhone);
  if (filter.landlordIdNumber) query = query.where('h.landlord_id_number', '=', filter.landlordIdNumber);
  return query;
}

export async function listHouses(db: Db, window: ListWindow, filter: HouseFilter) {
  return pageOf(db, filtered(db, window, filter), 'h.id', window);
}

export function listHousesAfter(
  db: Db,
  window: ListWindow,
  filter: HouseFilter,
  afterId: number,
): Promise<HouseView[]> {
  return rowsAfter(filtered(db, window, filter), 'h.id', afterId, window.limit);
}

export async function findHouseRow(db: Db, id: number): Promise<HouseRow | undefined> {
  return db.selectFrom('registry_houses').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findHousesByAddresses(db: Db, addressIds: readonly number[]): Promise<HouseRow[]> {
  if (addressIds.length === 0) return [];
  return db
    .selectFrom('registry_houses')
    .selectAll()
    .where(sql<SqlBool>`address_id = any(${[...addressIds]}::bigint[])`)
    .execute();
}

const HOUSE_INSERT_COLUMNS = {
  county_code: 'text',
  region_code: 'text',
  address_id: 'bigint',
  building_id: 'bigint',
  use: 'text',
  area_m2: 'float8',
  landlord_name: 'text',
  landlord_phone: 'text',
  landlord_id_number: 'text',
} as const satisfies Partial<Record<keyof NewHouseValues, string>>;

/** Inserts houses in one statement; one a concurrent writer inserted meanwhile at the same address is skipped. */
export function insertHouses(db: Db, rows: readonly NewHouseValues[], at: Date): Promise<HouseRow[]> {
  return insertFromJson(db, {
    table: 'registry_houses',
    columns: HOUSE_INSERT_COLUMNS,
    rows,
    at,
    onConflict: 'on conflict (address_id) do nothing',
    returning: '*',
  });
}

export function updateHouse(
  db: Db,
  id: number,
  version: number | null,
  values: HouseChanges,
): Promise<boolean> {
  return updateRecord(db, 'registry_houses', id, version, values);
}

export async function countHouseResidents(db: Db, id: number): Promise<number> {
  const row = await db
    .selectFrom('registry_residents')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('house_id', '=', id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function deleteHouse(db: Db, id: number): Promise<void> {
  await db.deleteFrom('registry_houses').where('id', '=', id).execute();
}
