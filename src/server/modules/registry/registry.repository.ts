import { type Expression, expressionBuilder, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import { type Db, withLongStatements } from '../../db/database.ts';
import { likeContaining } from '../../db/like.ts';
import type { Database } from '../../db/schema.ts';
import { regionCondition, type Scope } from '../people/scope.ts';
import type { ImportRow, ImportTable } from './registry.table.ts';

/** Counting a million rows exactly costs more than the page; past this the list says "more". */
export const COUNT_CAP = 10_000;

/** What every registry list is narrowed by: the actor's scope (narrowed to a region when asked), a page. */
export interface ListWindow {
  scope: Scope;
  limit: number;
  offset: number;
  /** False when only the page is wanted (search), saving the count. */
  count?: boolean;
}

/** Words every row must contain, with the bigrams the GIN index finds candidates by. */
export interface TextFilter {
  words: readonly string[];
  grams: readonly string[];
}

/** Rows whose search grams include all of `grams` and whose search text contains each word. */
export function matchesText(alias: string, filter: TextFilter): Expression<SqlBool> {
  const conditions = filter.words.map(
    (word) => sql<SqlBool>`${sql.ref(`${alias}.search_text`)} like ${likeContaining(word)}`,
  );
  if (filter.grams.length) {
    conditions.unshift(sql<SqlBool>`${sql.ref(`${alias}.search_grams`)} @> ${filter.grams}::text[]`);
  }
  return conditions.length ? sql<SqlBool>`(${sql.join(conditions, sql` and `)})` : sql<SqlBool>`true`;
}

/**
 * Inserts rows in one statement from one JSON parameter, each row an object keyed by column (`columns` gives the
 * SQL type of each). An import's hot path: serialising a batch with JSON.stringify is several times cheaper than
 * a parameter per value or an array parameter per column, and the statement is the same whatever the batch size.
 */
export async function insertFromJson<R>(
  db: Db,
  options: {
    table: string;
    columns: Readonly<Record<string, string>>;
    /** The rows, without their timestamps: a Date per row would make JSON.stringify several times slower. */
    rows: readonly object[];
    /** When they were created (and last updated). */
    at: Date;
    /** Said after the select, e.g. `on conflict (address_id) do nothing`. */
    onConflict?: string;
    /** The columns returned, or `*` for the whole rows. */
    returning: readonly string[] | '*';
  },
): Promise<R[]> {
  if (options.rows.length === 0) return [];
  const names = Object.keys(options.columns);
  const list = sql.join(names.map((name) => sql.ref(name)));
  const types = sql.raw(names.map((name) => `${name} ${options.columns[name]}`).join(', '));
  const result = await sql<R>`
    insert into ${sql.table(options.table)} (${list}, created_at, updated_at)
    select ${list}, ${options.at}::timestamptz, ${options.at}::timestamptz from json_to_recordset(${JSON.stringify(options.rows)}::json) as v(${types})
    ${sql.raw(options.onConflict ?? '')}
    returning ${
      options.returning === '*' ? sql.raw('*') : sql.join(options.returning.map((column) => sql.ref(column)))
    }`.execute(db);
  return result.rows;
}

// biome-ignore lint/suspicious/noExplicitAny: the helper serves the queries of every registry table, with joins.
type AnySelect = SelectQueryBuilder<any, any, any>;
// biome-ignore lint/suspicious/noExplicitAny: as above.
type RowOf<QB> = QB extends SelectQueryBuilder<any, any, infer O> ? O : never;

/** A page of a query ordered newest first, and the count of all its rows up to COUNT_CAP. */
export async function pageOf<QB extends AnySelect>(
  db: Db,
  query: QB,
  idColumn: string,
  window: Pick<ListWindow, 'limit' | 'offset' | 'count'>,
  /** The order of the page: newest first unless given (e.g. by name, the order a name index reads in). */
  order: readonly (readonly [string, 'asc' | 'desc'])[] = [[idColumn, 'desc']],
): Promise<{ rows: RowOf<QB>[]; total: number; more: boolean }> {
  const page = order
    .reduce<AnySelect>((ordered, [column, direction]) => ordered.orderBy(sql.ref(column), direction), query)
    .limit(window.limit)
    .offset(window.offset);
  if (window.count === false) {
    const rows = (await page.execute()) as RowOf<QB>[];
    return { rows, total: window.offset + rows.length, more: false };
  }
  const counted = query
    .clearSelect()
    .select(sql.ref(idColumn).as('id'))
    .limit(COUNT_CAP + 1);
  const [rows, count] = await Promise.all([
    page.execute(),
    db
      .selectFrom(counted.as('counted'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as RowOf<QB>[], total: Math.min(count.n, COUNT_CAP), more: count.n > COUNT_CAP };
}

/** The next `limit` rows of a query after `afterId` in id order: an export's keyset paging, as fast at the end. */
export async function rowsAfter<QB extends AnySelect>(
  query: QB,
  idColumn: string,
  afterId: number,
  limit: number,
): Promise<RowOf<QB>[]> {
  return (await query
    .where(sql.ref(idColumn), '>', afterId)
    .orderBy(sql.ref(idColumn))
    .limit(limit)
    .execute()) as RowOf<QB>[];
}

/** The tables of registry records: each has `id`, `version` and `updated_at`. */
export type RecordTableName =
  | 'registry_addresses'
  | 'registry_buildings'
  | 'registry_houses'
  | 'registry_residents'
  | 'registry_organisations'
  | 'registry_facilities';

/**
 * Updates one record and moves its version on; given a version, only at that version (optimistic concurrency).
 * True when the row changed. Each repository wraps it with the type of its own changes.
 */
export async function updateRecord(
  db: Db,
  table: RecordTableName,
  id: number,
  version: number | null,
  values: { updated_at: Date },
): Promise<boolean> {
  let query = db
    .updateTable(table)
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('id', '=', id);
  if (version !== null) query = query.where('version', '=', version);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The parts of a record's address, selected beside it: an export repeats them so it can be imported again. */
export const ADDRESS_PART_COLUMNS = [
  'a.road as address_road',
  'a.number as address_number',
  'a.building as address_building',
  'a.unit as address_unit',
  'a.room as address_room',
] as const;
export interface AddressPartColumns {
  address_road: string | null;
  address_number: string | null;
  address_building: string | null;
  address_unit: string | null;
  address_room: string | null;
}

// ---------------------------------------------------------------------------------------------------------
// Imports.

export async function insertImport(
  db: Db,
  row: Pick<ImportTable, 'entity' | 'file_name' | 'actor_id' | 'actor_name' | 'scope_code' | 'started_at'>,
): Promise<number> {
  const inserted = await db
    .insertInto('registry_imports')
    .values({ ...row, status: 'running', failure: null, finished_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function setImportHeaders(db: Db, id: number, headers: readonly string[]): Promise<void> {
  await db
    .updateTable('registry_imports')
    .set({ headers: JSON.stringify(headers) })
    .where('id', '=', id)
    .execute();
}

/** Adds a batch's counts to the import, in the batch's transaction, so the counts match what is committed. */
export async function addImportCounts(
  db: Db,
  id: number,
  counts: { total: number; created: number; updated: number; unchanged: number; rejected: number },
): Promise<void> {
  await db
    .updateTable('registry_imports')
    .set((eb) => ({
      total: eb('total', '+', counts.total),
      created: eb('created', '+', counts.created),
      updated: eb('updated', '+', counts.updated),
      unchanged: eb('unchanged', '+', counts.unchanged),
      rejected: eb('rejected', '+', counts.rejected),
    }))
    .where('id', '=', id)
    .execute();
}

export async function finishImport(
  db: Db,
  id: number,
  outcome: { status: 'done' | 'failed'; failure: string | null; at: Date },
): Promise<void> {
  await db
    .updateTable('registry_imports')
    .set({ status: outcome.status, failure: outcome.failure, finished_at: outcome.at })
    .where('id', '=', id)
    .execute();
}

/** Marks every import still running as failed, with the reason; returns how many there were. */
export async function failRunningImports(db: Db, outcome: { failure: string; at: Date }): Promise<number> {
  const result = await db
    .updateTable('registry_imports')
    .set({ status: 'failed', failure: outcome.failure, finished_at: outcome.at })
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function findImport(db: Db, id: number): Promise<ImportRow | undefined> {
  return db.selectFrom('registry_imports').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listImports(
  db: Db,
  filter: {
    /** An import belongs to the scope it was made in: listed to those whose scope holds that. */
    scope: Scope;
    /** The entity types listed: those the reader's role may read. */
    entities: readonly string[];
    status: string | null;
    limit: number;
    offset: number;
  },
): Promise<ImportRow[]> {
  let query = db
    .selectFrom('registry_imports')
    .selectAll()
    .where((eb) => regionCondition(eb, 'scope_code', filter.scope));
  if (filter.entities.length === 0) return [];
  query = query.where('entity', 'in', [...filter.entities]);
  if (filter.status) query = query.where('status', '=', filter.status as ImportRow['status']);
  return query.orderBy('id', 'desc').limit(filter.limit).offset(filter.offset).execute();
}

export async function insertRejects(
  db: Db,
  importId: number,
  rows: readonly { row: number; cells: readonly string[]; reasons: readonly { zh: string; en: string }[] }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('registry_import_rejects')
    .values(
      rows.map((r) => ({
        import_id: importId,
        row_number: r.row,
        cells: JSON.stringify(r.cells),
        reasons: JSON.stringify(r.reasons),
      })),
    )
    .execute();
}

/** Rejected rows in row order, a page at a time: the error report is written as they come. */
export async function listRejects(
  db: Db,
  importId: number,
  afterRow: number,
  limit: number,
): Promise<{ row_number: number; cells: string[]; reasons: { zh: string; en: string }[] }[]> {
  return db
    .selectFrom('registry_import_rejects')
    .select(['row_number', 'cells', 'reasons'])
    .where('import_id', '=', importId)
    .where('row_number', '>', afterRow)
    .orderBy('row_number')
    .limit(limit)
    .execute();
}

// ---------------------------------------------------------------------------------------------------------
// Coverage: counts grouped by the child region each record lies in.

export interface CoverageCounts {
  prefix: string;
  addresses: number;
  buildings: number;
  houses: number;
  rental_houses: number;
  households: number;
  residents: number;
  registered: number;
  floating: number;
  care: Record<string, number>;
  organisations: Record<string, number>;
  facilities: Record<string, number>;
}

/** The scope's condition on the `region_code` column of a single-table statement written in SQL. */
function scopedRegion(scope: Scope): Expression<SqlBool> {
  return regionCondition(expressionBuilder<Database, 'registry_residents'>(), 'region_code', scope);
}

/** Counts per child region in `scope`, the child being the first `childLength` digits of region codes. */
export async function countCoverage(
  db: Db,
  options: { scope: Scope; childLength: number },
): Promise<CoverageCounts[]> {
  const { childLength } = options;
  const inScope = scopedRegion(options.scope);
  const byPrefix = new Map<string, CoverageCounts>();
  const entry = (prefix: string): CoverageCounts => {
    let counts = byPrefix.get(prefix);
    if (!counts) {
      counts = {
        prefix,
        addresses: 0,
        buildings: 0,
        houses: 0,
        rental_houses: 0,
        households: 0,
        residents: 0,
        registered: 0,
        floating: 0,
        care: {},
        organisations: {},
        facilities: {},
      };
      byPrefix.set(prefix, counts);
    }
    return counts;
  };
  const [addresses, buildings, houses, residents, care, organisations, facilities] = await Promise.all([
    sql<{ prefix: string; n: number }>`
      select left(region_code, ${childLength}) as prefix, count(*)::int as n
      from registry_addresses where ${inScope} group by 1`.execute(db),
    sql<{ prefix: string; n: number }>`
      select left(region_code, ${childLength}) as prefix, count(*)::int as n
      from registry_buildings where ${inScope} group by 1`.execute(db),
    sql<{ prefix: string; n: number; rental: number }>`
      select left(region_code, ${childLength}) as prefix, count(*)::int as n,
             count(*) filter (where use = 'rental')::int as rental
      from registry_houses where ${inScope} group by 1`.execute(db),
    sql<{ prefix: string; n: number; registered: number; households: number }>`
      select left(region_code, ${childLength}) as prefix, count(*)::int as n,
             count(*) filter (where kind = 'registered')::int as registered,
             count(distinct (house_id, coalesce(household_no, '')))::int as households
      from registry_residents where ${inScope} group by 1`.execute(db),
    sql<{ prefix: string; tag: string; n: number }>`
      select left(region_code, ${childLength}) as prefix, tag, count(*)::int as n
      from registry_residents, unnest(care_tags) as tag
      where ${inScope} and care_tags <> '{}' group by 1, 2`.execute(db),
    sql<{ prefix: string; type: string; n: number }>`
      select left(region_code, ${childLength}) as prefix, type, count(*)::int as n
      from registry_organisations where ${inScope} group by 1, 2`.execute(db),
    sql<{ prefix: string; type: string; n: number }>`
      select left(region_code, ${childLength}) as prefix, type, count(*)::int as n
      from registry_facilities where ${inScope} group by 1, 2`.execute(db),
  ]);
  for (const r of addresses.rows) entry(r.prefix).addresses = r.n;
  for (const r of buildings.rows) entry(r.prefix).buildings = r.n;
  for (const r of houses.rows) Object.assign(entry(r.prefix), { houses: r.n, rental_houses: r.rental });
  for (const r of residents.rows) {
    Object.assign(entry(r.prefix), {
      residents: r.n,
      registered: r.registered,
      floating: r.n - r.registered,
      households: r.households,
    });
  }
  for (const r of care.rows) entry(r.prefix).care[r.tag] = r.n;
  for (const r of organisations.rows) entry(r.prefix).organisations[r.type] = r.n;
  for (const r of facilities.rows) entry(r.prefix).facilities[r.type] = r.n;
  return [...byPrefix.values()];
}

// ---------------------------------------------------------------------------------------------------------
// Relocation after boundaries change.

export type PointTable =
  | 'registry_addresses'
  | 'registry_buildings'
  | 'registry_organisations'
  | 'registry_facilities';

/** Records with their own point, in id order after `afterId`: relocation walks each table in pages. */
export async function listPointed(
  db: Db,
  table: PointTable,
  afterId: number,
  limit: number,
): Promise<{ id: number; region_code: string; lon: number; lat: number }[]> {
  const result = await sql<{ id: number; region_code: string; lon: number; lat: number }>`
    select id, region_code, lon, lat from ${sql.table(table)}
    where id > ${afterId} and lon is not null and lat is not null
    order by id limit ${limit}`.execute(db);
  return result.rows;
}

/**
 * Moves addresses to the regions given, keeping each village's addresses unique: an address whose canonical text
 * already exists in the village it would move to stays where it was (counted as a conflict).
 */
export async function moveAddresses(
  db: Db,
  moves: readonly { id: number; regionCode: string; searchText: string; grams: string[] }[],
  now: Date,
): Promise<{ moved: number; conflicts: number }> {
  let moved = 0;
  let conflicts = 0;
  for (const move of moves) {
    const villageCode = move.regionCode.slice(0, 12);
    const result = await sql`
      update registry_addresses a
      set region_code = ${move.regionCode}, county_code = ${move.regionCode.slice(0, 6)},
          village_code = ${villageCode}, search_text = ${move.searchText}, search_grams = ${move.grams}::text[],
          version = version + 1, updated_at = ${now}
      where a.id = ${move.id} and not exists (
        select 1 from registry_addresses o
        where o.village_code = ${villageCode} and o.canonical_text = a.canonical_text and o.id <> a.id)`.execute(
      db,
    );
    if (Number(result.numAffectedRows ?? 0) > 0) moved++;
    else conflicts++;
  }
  return { moved, conflicts };
}

/** Sets the regions of records with their own point, in one statement per page. */
export async function moveRecords(
  db: Db,
  table: Exclude<PointTable, 'registry_addresses'>,
  moves: readonly { id: number; regionCode: string }[],
  now: Date,
): Promise<number> {
  if (moves.length === 0) return 0;
  const result = await sql`
    update ${sql.table(table)} t
    set region_code = m.region_code, county_code = left(m.region_code, 6), version = t.version + 1,
        updated_at = ${now}
    from (select unnest(${moves.map((m) => m.id)}::bigint[]) as id,
                 unnest(${moves.map((m) => m.regionCode)}::text[]) as region_code) m
    where t.id = m.id`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Records without their own point follow their address (buildings and organisations without one, every house),
 * and residents follow their house. Returns how many moved, per table.
 */
export async function followAddresses(
  db: Db,
  now: Date,
): Promise<{ buildings: number; houses: number; residents: number; organisations: number }> {
  const follow = async (table: 'registry_buildings' | 'registry_houses' | 'registry_organisations') => {
    const ownPoint = table === 'registry_houses' ? sql`` : sql`and t.lon is null`;
    const result = await sql`
      update ${sql.table(table)} t
      set region_code = a.region_code, county_code = a.county_code, version = t.version + 1, updated_at = ${now}
      from registry_addresses a
      where a.id = t.address_id and t.region_code <> a.region_code ${ownPoint}`.execute(db);
    return Number(result.numAffectedRows ?? 0);
  };
  const buildings = await follow('registry_buildings');
  const houses = await follow('registry_houses');
  const organisations = await follow('registry_organisations');
  const residents = await sql`
    update registry_residents r
    set region_code = h.region_code, county_code = h.county_code, version = r.version + 1, updated_at = ${now}
    from registry_houses h
    where h.id = r.house_id and r.region_code <> h.region_code`.execute(db);
  return { buildings, houses, residents: Number(residents.numAffectedRows ?? 0), organisations };
}

// ---------------------------------------------------------------------------------------------------------
// The demo registry's state, kept in settings so a load cut short (a server stopped) is redone whole.

const DEMO_STATE_KEY = 'registry.demo';

export async function readDemoState(db: Db): Promise<'loading' | 'done' | null> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', DEMO_STATE_KEY)
    .executeTakeFirst();
  return row ? (row.value as 'loading' | 'done') : null;
}

export async function writeDemoState(db: Db, state: 'loading' | 'done'): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key: DEMO_STATE_KEY, value: JSON.stringify(state) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(state) }))
    .execute();
}

/**
 * Empties the registry: only ever done to a demo registry whose load was cut short. What hangs off its records by
 * a foreign key (household visits to its houses) goes with them: it described households that are reloaded anew.
 */
export async function clearRegistry(db: Db): Promise<void> {
  await sql`
    truncate registry_residents, registry_houses, registry_organisations, registry_facilities, registry_buildings,
      registry_addresses cascade`.execute(db);
}

/** Whether the registry holds any record. */
export async function registryHasRecords(db: Db): Promise<boolean> {
  const result = await sql<{ any: boolean }>`
    select exists (select 1 from registry_addresses) or exists (select 1 from registry_facilities) as any`.execute(
    db,
  );
  return Boolean(result.rows[0]?.any);
}

/**
 * Merges the GIN indexes' pending lists into the indexes. A bulk import leaves new entries in a pending list that
 * every search then reads through; autovacuum merges it eventually, an import does it when it ends.
 */
export async function flushSearchIndexes(db: Db): Promise<void> {
  await withLongStatements(db, (trx) =>
    sql`
    select gin_clean_pending_list(index)
    from unnest(array['registry_addresses_grams', 'registry_buildings_grams', 'registry_organisations_grams',
      'registry_facilities_grams']::regclass[]) as index`.execute(trx),
  );
}
