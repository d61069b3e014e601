import { type Insertable, sql } from 'kysely';
import type { FacilityStatus, FacilityType } from '../../../shared/registry.ts';
import type { Db } from '../../db/database.ts';
import { regionCondition } from '../people/scope.ts';
import {
  type ListWindow,
  matchesText,
  pageOf,
  rowsAfter,
  type TextFilter,
  updateRecord,
} from './registry.repository.ts';
import type { FacilityRow, FacilityTable } from './registry.table.ts';

export type NewFacilityRow = Insertable<FacilityTable>;
export type FacilityChanges = Omit<Partial<NewFacilityRow>, 'created_at' | 'version'> & { updated_at: Date };

export type FacilityView = FacilityRow & {
  region_name: string | null;
  village_name: string | null;
  address_text: string | null;
};

function facilitiesWithNames(db: Db) {
  return db
    .selectFrom('registry_facilities as f')
    .leftJoin('regions as g', 'g.code', 'f.region_code')
    .leftJoin('regions as v', (join) => join.on(sql<boolean>`v.code = left(f.region_code, 12)`))
    .leftJoin('registry_addresses as a', 'a.id', 'f.address_id')
    .selectAll('f')
    .select(['g.name as region_name', 'v.name as village_name', 'a.canonical_text as address_text']);
}

export async function findFacility(db: Db, id: number): Promise<FacilityView | undefined> {
  return facilitiesWithNames(db).where('f.id', '=', id).executeTakeFirst();
}

export interface FacilityFilter {
  type?: FacilityType | undefined;
  status?: FacilityStatus | undefined;
  text?: TextFilter | null;
}

function filtered(db: Db, window: ListWindow, filter: FacilityFilter) {
  let query = facilitiesWithNames(db).where((eb) => regionCondition(eb, 'f.region_code', window.scope));
  if (filter.type) query = query.where('f.type', '=', filter.type);
  if (filter.status) query = query.where('f.status', '=', filter.status);
  if (filter.text) query = query.where(matchesText('f', filter.text));
  return query;
}

export async function listFacilities(db: Db, window: ListWindow, filter: FacilityFilter) {
  return pageOf(db, filtered(db, window, filter), 'f.id', window);
}

export function listFacilitiesAfter(
  db: Db,
  window: ListWindow,
  filter: FacilityFilter,
  afterId: number,
): Promise<FacilityView[]> {
  return rowsAfter(filtered(db, window, filter), 'f.id', afterId, window.limit);
}

export async function findFacilityRow(db: Db, id: number): Promise<FacilityRow | undefined> {
  return db.selectFrom('registry_facilities').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findFacilitiesByCodes(db: Db, codes: readonly string[]): Promise<FacilityRow[]> {
  if (codes.length === 0) return [];
  return db
    .selectFrom('registry_facilities')
    .selectAll()
    .where('code', 'in', [...codes])
    .execute();
}

export async function insertFacilities(db: Db, rows: readonly NewFacilityRow[]): Promise<FacilityRow[]> {
  if (rows.length === 0) return [];
  return db
    .insertInto('registry_facilities')
    .values([...rows])
    .returningAll()
    .execute();
}

export function updateFacility(
  db: Db,
  id: number,
  version: number | null,
  values: FacilityChanges,
): Promise<boolean> {
  return updateRecord(db, 'registry_facilities', id, version, values);
}

export async function deleteFacility(db: Db, id: number): Promise<void> {
  await db.deleteFrom('registry_facilities').where('id', '=', id).execute();
}
