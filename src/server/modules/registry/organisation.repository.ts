import { type Insertable, type SqlBool, sql } from 'kysely';
import type { OrganisationType } from '../../../shared/registry.ts';
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
import type { OrganisationRow, OrganisationTable } from './registry.table.ts';

export type NewOrganisationRow = Insertable<OrganisationTable>;
export type OrganisationChanges = Omit<Partial<NewOrganisationRow>, 'created_at' | 'version'> & {
  updated_at: Date;
};

export type OrganisationView = OrganisationRow &
  AddressPartColumns & {
    region_name: string | null;
    village_name: string | null;
    address_text: string | null;
  };

function organisationsWithNames(db: Db) {
  return db
    .selectFrom('registry_organisations as o')
    .leftJoin('regions as g', 'g.code', 'o.region_code')
    .leftJoin('regions as v', (join) => join.on(sql<boolean>`v.code = left(o.region_code, 12)`))
    .leftJoin('registry_addresses as a', 'a.id', 'o.address_id')
    .selectAll('o')
    .select(ADDRESS_PART_COLUMNS)
    .select(['g.name as region_name', 'v.name as village_name', 'a.canonical_text as address_text']);
}

export async function findOrganisation(db: Db, id: number): Promise<OrganisationView | undefined> {
  return organisationsWithNames(db).where('o.id', '=', id).executeTakeFirst();
}

export interface OrganisationFilter {
  type?: OrganisationType | undefined;
  text?: TextFilter | null;
  uscc?: string;
  contactPhone?: string;
}

function filtered(db: Db, window: ListWindow, filter: OrganisationFilter) {
  let query = organisationsWithNames(db).where((eb) => regionCondition(eb, 'o.region_code', window.scope));
  if (filter.type) query = query.where('o.type', '=', filter.type);
  if (filter.text) query = query.where(matchesText('o', filter.text));
  if (filter.uscc) query = query.where('o.uscc', '=', filter.uscc);
  if (filter.contactPhone) query = query.where('o.contact_phone', '=', filter.contactPhone);
  return query;
}

export async function listOrganisations(db: Db, window: ListWindow, filter: OrganisationFilter) {
  return pageOf(db, filtered(db, window, filter), 'o.id', window);
}

export function listOrganisationsAfter(
  db: Db,
  window: ListWindow,
  filter: OrganisationFilter,
  afterId: number,
): Promise<OrganisationView[]> {
  return rowsAfter(filtered(db, window, filter), 'o.id', afterId, window.limit);
}

export async function findOrganisationRow(db: Db, id: number): Promise<OrganisationRow | undefined> {
  return db.selectFrom('registry_organisations').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Organisations by their natural keys: the credit code, or — for those without one — the name at the address.
 */
export async function findOrganisationsByKeys(
  db: Db,
  keys: { usccs: readonly string[]; named: readonly { name: string; addressId: number | null }[] },
): Promise<OrganisationRow[]> {
  const found: OrganisationRow[] = [];
  if (keys.usccs.length) {
    found.push(
      ...(await db
        .selectFrom('registry_organisations')
        .selectAll()
        .where('uscc', 'in', [...keys.usccs])
        .execute()),
    );
  }
  if (keys.named.length) {
    found.push(
      ...(await db
        .selectFrom('registry_organisations')
        .selectAll()
        .where('uscc', 'is', null)
        .where(
          sql<SqlBool>`(name, coalesce(address_id, 0)) in (
            select * from unnest(${keys.named.map((k) => k.name)}::text[],
                                 ${keys.named.map((k) => k.addressId ?? 0)}::bigint[]))`,
        )
        .execute()),
    );
  }
  return found;
}

export async function insertOrganisations(
  db: Db,
  rows: readonly NewOrganisationRow[],
): Promise<OrganisationRow[]> {
  if (rows.length === 0) return [];
  return db
    .insertInto('registry_organisations')
    .values([...rows])
    .returningAll()
    .execute();
}

export function updateOrganisation(
  db: Db,
  id: number,
  version: number | null,
  values: OrganisationChanges,
): Promise<boolean> {
  return updateRecord(db, 'registry_organisations', id, version, values);
}

export async function deleteOrganisation(db: Db, id: number): Promise<void> {
  await db.deleteFrom('registry_organisations').where('id', '=', id).execute();
}
