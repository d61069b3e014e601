import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { regionCondition, type Scope } from '../people/scope.ts';
import {
  insertFromJson,
  type ListWindow,
  matchesText,
  pageOf,
  rowsAfter,
  type TextFilter,
  updateRecord,
} from './registry.repository.ts';
import type { AddressRow, NewAddressRow } from './registry.table.ts';

type NewAddressValues = Omit<NewAddressRow, 'created_at' | 'updated_at'>;

/** An address as writers use it: everything but its search grams, which only the database reads. */
export type StoredAddress = Omit<AddressRow, 'search_grams'>;
const REF_COLUMNS = [
  'id',
  'county_code',
  'village_code',
  'region_code',
  'road',
  'number',
  'building',
  'unit',
  'room',
  'canonical_text',
  'search_text',
  'lon',
  'lat',
  'version',
  'created_at',
  'updated_at',
] as const;

/** An address with the names of its grid and village. */
export type AddressView = AddressRow & { region_name: string | null; village_name: string | null };

function addressesWithNames(db: Db) {
  return db
    .selectFrom('registry_addresses as a')
    .leftJoin('regions as g', 'g.code', 'a.region_code')
    .leftJoin('regions as v', 'v.code', 'a.village_code')
    .selectAll('a')
    .select(['g.name as region_name', 'v.name as village_name']);
}

export async function findAddress(db: Db, id: number): Promise<AddressView | undefined> {
  return addressesWithNames(db).where('a.id', '=', id).executeTakeFirst();
}

export interface AddressFilter {
  text: TextFilter | null;
}

function filtered(db: Db, window: ListWindow, filter: AddressFilter) {
  let query = addressesWithNames(db).where((eb) => regionCondition(eb, 'a.region_code', window.scope));
  if (filter.text) query = query.where(matchesText('a', filter.text));
  return query;
}

export async function listAddresses(db: Db, window: ListWindow, filter: AddressFilter) {
  return pageOf(db, filtered(db, window, filter), 'a.id', window);
}

/** The next rows in id order after `afterId`: how an export walks a table. */
export function listAddressesAfter(
  db: Db,
  window: ListWindow,
  filter: AddressFilter,
  afterId: number,
): Promise<AddressView[]> {
  return rowsAfter(filtered(db, window, filter), 'a.id', afterId, window.limit);
}

/** Addresses by their natural key: the canonical text within the village. */
export async function findAddressesByKeys(
  db: Db,
  keys: readonly { villageCode: string; canonical: string }[],
): Promise<StoredAddress[]> {
  if (keys.length === 0) return [];
  return db
    .selectFrom('registry_addresses')
    .select(REF_COLUMNS)
    .where(
      sql<boolean>`(village_code, canonical_text) in (
        select * from unnest(${keys.map((k) => k.villageCode)}::text[], ${keys.map((k) => k.canonical)}::text[]))`,
    )
    .execute();
}

/** Addresses with these canonical texts in a scope: how an address given without a place is found. */
export async function findAddressesByCanonical(
  db: Db,
  canonicals: readonly string[],
  scope: Scope,
): Promise<StoredAddress[]> {
  if (canonicals.length === 0) return [];
  return db
    .selectFrom('registry_addresses')
    .select(REF_COLUMNS)
    .where('canonical_text', 'in', [...canonicals])
    .where((eb) => regionCondition(eb, 'region_code', scope))
    .execute();
}

export async function findAddressRows(db: Db, ids: readonly number[]): Promise<AddressRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('registry_addresses')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
}

const ADDRESS_INSERT_COLUMNS = {
  county_code: 'text',
  village_code: 'text',
  region_code: 'text',
  road: 'text',
  number: 'text',
  building: 'text',
  unit: 'text',
  room: 'text',
  canonical_text: 'text',
  search_text: 'text',
  search_grams: 'text[]',
  lon: 'float8',
  lat: 'float8',
} as const satisfies Partial<Record<keyof NewAddressValues, string>>;

/**
 * Inserts addresses in one statement (an import's hot path, as for residents); one that a concurrent writer
 * inserted meanwhile is skipped, and the caller reads it back by its key.
 */
export function insertAddresses(
  db: Db,
  rows: readonly NewAddressValues[],
  at: Date,
): Promise<StoredAddress[]> {
  return insertFromJson(db, {
    table: 'registry_addresses',
    columns: ADDRESS_INSERT_COLUMNS,
    rows,
    at,
    onConflict: 'on conflict (village_code, canonical_text) do nothing',
    returning: REF_COLUMNS,
  });
}

export function updateAddress(
  db: Db,
  id: number,
  version: number | null,
  values: Omit<Partial<NewAddressRow>, 'created_at' | 'version'> & { updated_at: Date },
): Promise<boolean> {
  return updateRecord(db, 'registry_addresses', id, version, values);
}

export async function deleteAddress(db: Db, id: number): Promise<void> {
  await db.deleteFrom('registry_addresses').where('id', '=', id).execute();
}

/** How many records hang off an address: it cannot be deleted while any do. */
export async function countAddressUses(db: Db, id: number): Promise<number> {
  const result = await sql<{ n: number }>`
    select (select count(*) from registry_houses where address_id = ${id})
         + (select count(*) from registry_buildings where address_id = ${id})
         + (select count(*) from registry_organisations where address_id = ${id})
         + (select count(*) from registry_facilities where address_id = ${id}) as n`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}
