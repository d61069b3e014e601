import { type Expression, type Insertable, type SqlBool, sql } from 'kysely';
import type { CareTag, ResidentKind } from '../../../shared/registry.ts';
import type { Db } from '../../db/database.ts';
import { likePrefix } from '../../db/like.ts';
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
import type { ResidentRow, ResidentTable } from './registry.table.ts';

export type NewResidentRow = Insertable<ResidentTable>;
export type NewResidentValues = Omit<NewResidentRow, 'created_at' | 'updated_at'>;
export type ResidentChanges = Omit<Partial<NewResidentRow>, 'created_at' | 'version'> & { updated_at: Date };

export type ResidentView = ResidentRow &
  AddressPartColumns & {
    region_name: string | null;
    village_name: string | null;
    address_id: number;
    address_text: string;
    lon: number | null;
    lat: number | null;
  };

function residentsWithNames(db: Db) {
  return db
    .selectFrom('registry_residents as r')
    .innerJoin('registry_houses as h', 'h.id', 'r.house_id')
    .innerJoin('registry_addresses as a', 'a.id', 'h.address_id')
    .leftJoin('regions as g', 'g.code', 'r.region_code')
    .leftJoin('regions as v', (join) => join.on(sql<boolean>`v.code = left(r.region_code, 12)`))
    .selectAll('r')
    .select(ADDRESS_PART_COLUMNS)
    .select([
      'g.name as region_name',
      'v.name as village_name',
      'a.id as address_id',
      'a.canonical_text as address_text',
      'a.lon as lon',
      'a.lat as lat',
    ]);
}

export async function findResident(db: Db, id: number): Promise<ResidentView | undefined> {
  return residentsWithNames(db).where('r.id', '=', id).executeTakeFirst();
}

/** One way a resident is looked for; a filter's alternatives are joined by "or". */
export type ResidentMatch =
  | { idNumber: string }
  | { phone: string }
  /** The name from its start; with the last four characters of the ID number when given. */
  | { namePrefix: string; idTail?: string }
  /** Words of the address lived at. */
  | { address: TextFilter };

function matchCondition(alias: string, match: ResidentMatch): Expression<SqlBool> {
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  if ('idNumber' in match) return sql<SqlBool>`${column('id_number')} = ${match.idNumber}`;
  if ('phone' in match) return sql<SqlBool>`${column('phone')} = ${match.phone}`;
  if ('namePrefix' in match) {
    const name = sql<SqlBool>`${column('name')} like ${likePrefix(match.namePrefix)}`;
    return match.idTail ? sql<SqlBool>`${name} and right(${column('id_number')}, 4) = ${match.idTail}` : name;
  }
  return sql<SqlBool>`${column('house_id')} in (
    select h2.id from registry_houses h2 join registry_addresses a2 on a2.id = h2.address_id
    where ${matchesText('a2', match.address)})`;
}

export interface ResidentFilter {
  kind?: ResidentKind | undefined;
  tag?: CareTag | undefined;
  houseId?: number | undefined;
  /** Leave out residents with care tags (roles that may not see them). */
  hideCared: boolean;
  matches?: readonly ResidentMatch[];
}

function filtered(db: Db, window: ListWindow, filter: ResidentFilter) {
  let query = residentsWithNames(db).where('r.region_code', 'like', window.scopePattern);
  if (window.regionPattern) query = query.where('r.region_code', 'like', window.regionPattern);
  if (filter.kind) query = query.where('r.kind', '=', filter.kind);
  if (filter.tag) query = query.where(sql<SqlBool>`r.care_tags @> array[${filter.tag}]::text[]`);
  if (filter.houseId) query = query.where('r.house_id', '=', filter.houseId);
  if (filter.hideCared) query = query.where(sql<SqlBool>`r.care_tags = '{}'`);
  const matches = filter.matches ?? [];
  const [only] = matches;
  if (matches.length === 1 && only) query = query.where(matchCondition('r', only));
  else if (matches.length > 1) {
    // Each alternative is found through its own index and the ids joined, rather than one "or" that no
    // index serves.
    query = query.where('r.id', 'in', (eb) => {
      const [first, ...rest] = matches.map((match) =>
        eb.selectFrom('registry_residents as m').select('m.id').where(matchCondition('m', match)),
      );
      // biome-ignore lint/style/noNonNullAssertion: matches has two or more entries here.
      return rest.reduce((union, next) => union.union(next), first!);
    });
  }
  return query;
}

export async function listResidents(db: Db, window: ListWindow, filter: ResidentFilter) {
  const [only] = filter.matches ?? [];
  // People found by name are listed by name: the order the name index reads them in. (Newest first, the planner
  // would walk every resident backwards looking for the few with that name.)
  const byName = filter.matches?.length === 1 && only && 'namePrefix' in only;
  const order = byName
    ? ([
        ['r.name', 'asc'],
        ['r.id', 'asc'],
      ] as const)
    : undefined;
  return pageOf(db, filtered(db, window, filter), 'r.id', window, order);
}

export function listResidentsAfter(
  db: Db,
  window: ListWindow,
  filter: ResidentFilter,
  afterId: number,
): Promise<ResidentView[]> {
  return rowsAfter(filtered(db, window, filter), 'r.id', afterId, window.limit);
}

/**
 * Residents living at addresses that contain the words, the newest addresses first: found through the address
 * index and then each house's residents, rather than by walking all residents and asking each about its address.
 * Reads the first `addressLimit` matching addresses, enough for a page of search hits.
 */
export async function listResidentsAtAddresses(
  db: Db,
  window: ListWindow,
  filter: { text: TextFilter; hideCared: boolean; tag?: CareTag | undefined; addressLimit: number },
): Promise<ResidentView[]> {
  let query = residentsWithNames(db)
    .innerJoin(
      (eb) =>
        eb
          .selectFrom('registry_addresses as m')
          .select('m.id')
          .where(matchesText('m', filter.text))
          .where('m.region_code', 'like', window.scopePattern)
          .orderBy('m.id', 'desc')
          .limit(filter.addressLimit)
          .as('matched'),
      (join) => join.onRef('matched.id', '=', 'a.id'),
    )
    .where('r.region_code', 'like', window.scopePattern);
  if (window.regionPattern) query = query.where('r.region_code', 'like', window.regionPattern);
  if (filter.tag) query = query.where(sql<SqlBool>`r.care_tags @> array[${filter.tag}]::text[]`);
  if (filter.hideCared) query = query.where(sql<SqlBool>`r.care_tags = '{}'`);
  return query.orderBy('a.id', 'desc').orderBy('r.id').limit(window.limit).offset(window.offset).execute();
}

export async function findResidentRow(db: Db, id: number): Promise<ResidentRow | undefined> {
  return db.selectFrom('registry_residents').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findResidentsByIdNumbers(db: Db, idNumbers: readonly string[]): Promise<ResidentRow[]> {
  if (idNumbers.length === 0) return [];
  return db
    .selectFrom('registry_residents')
    .selectAll()
    .where(sql<SqlBool>`id_number = any(${[...idNumbers]}::text[])`)
    .execute();
}

const RESIDENT_INSERT_COLUMNS = {
  county_code: 'text',
  region_code: 'text',
  id_number: 'text',
  name: 'text',
  sex: 'text',
  birth_date: 'date',
  phone: 'text',
  kind: 'text',
  house_id: 'bigint',
  household_no: 'text',
  relation: 'text',
  care_tags: 'text[]',
} as const satisfies Partial<Record<keyof NewResidentValues, string>>;

/** Inserts residents in one statement: the import's hot path, where a million rows go in batches. */
export function insertResidents(
  db: Db,
  rows: readonly NewResidentValues[],
  at: Date,
): Promise<{ id: number; id_number: string }[]> {
  return insertFromJson(db, {
    table: 'registry_residents',
    columns: RESIDENT_INSERT_COLUMNS,
    rows,
    at,
    returning: ['id', 'id_number'],
  });
}

export function updateResident(
  db: Db,
  id: number,
  version: number | null,
  values: ResidentChanges,
): Promise<boolean> {
  return updateRecord(db, 'registry_residents', id, version, values);
}

export async function deleteResident(db: Db, id: number): Promise<void> {
  await db.deleteFrom('registry_residents').where('id', '=', id).execute();
}
