import { type Expression, expressionBuilder, type Insertable, type SqlBool, sql } from 'kysely';
import type { CareTag, ResidentKind } from '../../../shared/registry.ts';
import type { Db } from '../../db/database.ts';
import { likePrefix } from '../../db/like.ts';
import type { Database } from '../../db/schema.ts';
import { regionCondition } from '../people/scope.ts';
import {
  ADDRESS_PART_COLUMNS,
  type AddressPartColumns,
  COUNT_CAP,
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

/** The conditions on a resident row itself: the scope and the list's filters. */
function rowConditions(alias: string, window: ListWindow, filter: ResidentFilter): Expression<SqlBool> {
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  const eb = expressionBuilder<Database, 'registry_residents'>();
  const conditions: Expression<SqlBool>[] = [
    regionCondition(eb, `${alias}.region_code` as 'region_code', window.scope),
  ];
  if (filter.kind) conditions.push(sql<SqlBool>`${column('kind')} = ${filter.kind}`);
  if (filter.tag) conditions.push(sql<SqlBool>`${column('care_tags')} @> array[${filter.tag}]::text[]`);
  if (filter.houseId) conditions.push(sql<SqlBool>`${column('house_id')} = ${filter.houseId}`);
  if (filter.hideCared) conditions.push(sql<SqlBool>`${column('care_tags')} = '{}'`);
  return eb.and(conditions);
}

function filtered(db: Db, window: ListWindow, filter: ResidentFilter) {
  return residentsWithNames(db).where(rowConditions('r', window, filter));
}

/**
 * Residents found one way, ids only, at most `limit`: the index of the way (name, ID number, phone, the houses at
 * matching addresses) is read first and the list's conditions are checked on what it finds. The houses are
 * gathered once into an array (an InitPlan) rather than joined, so that a planner without statistics (a bulk load
 * not yet analysed) cannot turn the search into a nested loop over every resident.
 */
export function residentCandidates(
  db: Db,
  window: ListWindow,
  filter: ResidentFilter,
  match: ResidentMatch,
  options: { limit: number; afterId?: number },
) {
  let query = db
    .selectFrom('registry_residents as m')
    .select('m.id')
    .where(rowConditions('m', window, filter));
  if ('address' in match) {
    const houses = db
      .selectFrom('registry_houses as h2')
      .innerJoin('registry_addresses as a2', 'a2.id', 'h2.address_id')
      .select('h2.id')
      .where(matchesText('a2', match.address))
      .where((eb) => regionCondition(eb, 'a2.region_code', window.scope))
      .orderBy('a2.id', 'desc');
    query = query.where(
      sql<SqlBool>`m.house_id = any(array(${options.afterId === undefined ? houses.limit(options.limit) : houses}))`,
    );
  } else query = query.where(matchCondition('m', match));
  if (options.afterId !== undefined) query = query.where('m.id', '>', options.afterId).orderBy('m.id');
  // Read in the name index's order, so a page of names stops as soon as it is full.
  else if ('namePrefix' in match) query = query.orderBy('m.name').orderBy('m.id');
  return query.limit(options.limit);
}

/** The views of residents by id, in the order of `ids`. */
async function viewsInOrder(db: Db, ids: readonly number[]): Promise<ResidentView[]> {
  if (ids.length === 0) return [];
  const rows = await residentsWithNames(db)
    .where(sql<SqlBool>`r.id = any(${[...ids]}::bigint[])`)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export async function listResidents(
  db: Db,
  window: ListWindow,
  filter: ResidentFilter,
): Promise<{ rows: ResidentView[]; total: number; more: boolean }> {
  const matches = filter.matches ?? [];
  if (matches.length === 0) return pageOf(db, filtered(db, window, filter), 'r.id', window);
  const [only] = matches;
  // People found by name are listed by name: the order the name index reads them in. Others newest first.
  const byName = matches.length === 1 && only !== undefined && 'namePrefix' in only;
  // Each way of matching gathers at most one more than the count shows, so the work of a broad search ("陈") is
  // bounded whatever the registry's size and statistics; a page of names needs no more than the page.
  const limit = byName && window.count === false ? window.offset + window.limit : COUNT_CAP + 1;
  const found = new Set<number>();
  for (const ids of await Promise.all(
    matches.map((match) => residentCandidates(db, window, filter, match, { limit }).execute()),
  )) {
    for (const { id } of ids) found.add(id);
  }
  let pageIds: number[];
  if (byName) {
    const ordered = await db
      .selectFrom('registry_residents')
      .select('id')
      .where(sql<SqlBool>`id = any(${[...found]}::bigint[])`)
      .orderBy('name')
      .orderBy('id')
      .limit(window.limit)
      .offset(window.offset)
      .execute();
    pageIds = ordered.map((r) => r.id);
  } else {
    pageIds = [...found].sort((a, b) => b - a).slice(window.offset, window.offset + window.limit);
  }
  const rows = await viewsInOrder(db, pageIds);
  if (window.count === false) return { rows, total: window.offset + rows.length, more: false };
  return { rows, total: Math.min(found.size, COUNT_CAP), more: found.size > COUNT_CAP };
}

export async function listResidentsAfter(
  db: Db,
  window: ListWindow,
  filter: ResidentFilter,
  afterId: number,
): Promise<ResidentView[]> {
  const matches = filter.matches ?? [];
  if (matches.length === 0) return rowsAfter(filtered(db, window, filter), 'r.id', afterId, window.limit);
  const found = new Set<number>();
  for (const ids of await Promise.all(
    matches.map((match) =>
      residentCandidates(db, window, filter, match, { limit: window.limit, afterId }).execute(),
    ),
  )) {
    for (const { id } of ids) found.add(id);
  }
  return viewsInOrder(db, [...found].sort((a, b) => a - b).slice(0, window.limit));
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
  const addressIds = await db
    .selectFrom('registry_addresses as m')
    .select('m.id')
    .where(matchesText('m', filter.text))
    .where((eb) => regionCondition(eb, 'm.region_code', window.scope))
    .orderBy('m.id', 'desc')
    .limit(filter.addressLimit)
    .execute();
  if (addressIds.length === 0) return [];
  const ids = addressIds.map((a) => a.id);
  // The houses are gathered first (an InitPlan) so the residents are read through their house index, whatever
  // the planner believes about the tables' sizes.
  return residentsWithNames(db)
    .where(
      sql<SqlBool>`r.house_id = any(array(select id from registry_houses where address_id = any(${ids}::bigint[])))`,
    )
    .where(rowConditions('r', window, { hideCared: filter.hideCared, tag: filter.tag }))
    .orderBy('a.id', 'desc')
    .orderBy('r.id')
    .limit(window.limit)
    .offset(window.offset)
    .execute();
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
