import { expressionBuilder, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { VisitUnit } from '../../../shared/household-visits.ts';
import type { Db } from '../../db/database.ts';
import { likePrefix } from '../../db/like.ts';
import type { Database } from '../../db/schema.ts';
import { regionCondition, type Scope } from '../people/scope.ts';
import type { HouseholdVisitRow, StoredRegistryChange, VisitCampaignRow } from './household-visit.table.ts';

/*
 * The SQL of visit campaigns. The registry's residents, houses, organisations and addresses, the regions, grid
 * people, users and cases tables are read here (a household is a group of residents: the registry has no row
 * of its own for it), never written: registry changes go through the registry service.
 *
 * A campaign counts one unit — households, houses or organisations. Every read goes through one derived table of
 * the campaign's units, `hh (unit_id, household_no, region_code, residents)`, and one lateral `p (name, address,
 * lon, lat)` describing a unit; only those two differ by unit, so coverage, the lists and the visits are one path.
 */

/** Which units a read covers: the campaign's area, the reader's scope, and optionally some grids. */
export interface HouseholdFilter {
  campaign: Pick<VisitCampaignRow, 'id' | 'region_codes' | 'unit'>;
  scope: Scope;
  /** Region or grid codes (each with its subtree) the read is limited to; undefined = no further limit. */
  within?: readonly string[] | undefined;
}

function anyPrefix(column: RawBuilder<unknown>, codes: readonly string[]): RawBuilder<SqlBool> {
  if (codes.length === 0) return sql<SqlBool>`false`;
  return sql<SqlBool>`(${sql.join(
    codes.map((c) => sql`${column} like ${likePrefix(c)}`),
    sql` or `,
  )})`;
}

/** The filter on the region code of the table aliased `alias`, as one SQL condition. */
function unitsWhere(filter: HouseholdFilter, alias: 'r' | 'h' | 'o'): RawBuilder<SqlBool> {
  const column = sql.ref(`${alias}.region_code`);
  const inScope = regionCondition(
    expressionBuilder<Database, 'registry_residents'>(),
    `${alias}.region_code` as never,
    filter.scope,
  );
  const parts = [anyPrefix(column, filter.campaign.region_codes), sql<SqlBool>`${inScope}`];
  if (filter.within) parts.push(anyPrefix(column, filter.within));
  return sql<SqlBool>`${sql.join(parts, sql` and `)}`;
}

/**
 * The units of the filter as a derived table `hh (unit_id, household_no, region_code, residents)`. Households:
 * the residents of one house with one household number (or none), as the registry counts them. Houses: every
 * house, lived in or not, with its residents. Organisations: every organisation, with no residents.
 */
function unitsOf(filter: HouseholdFilter): RawBuilder<unknown> {
  switch (filter.campaign.unit) {
    case 'household':
      return sql`
        select r.house_id as unit_id, coalesce(r.household_no, '') as household_no,
               min(r.region_code) as region_code, count(*)::int as residents
        from registry_residents as r
        where ${unitsWhere(filter, 'r')}
        group by r.house_id, coalesce(r.household_no, '')`;
    case 'house':
      return sql`
        select h.id as unit_id, '' as household_no, h.region_code,
               (select count(*) from registry_residents as r where r.house_id = h.id)::int as residents
        from registry_houses as h
        where ${unitsWhere(filter, 'h')}`;
    case 'organisation':
      return sql`
        select o.id as unit_id, '' as household_no, o.region_code, 0 as residents
        from registry_organisations as o
        where ${unitsWhere(filter, 'o')}`;
  }
}

/**
 * A lateral subquery describing the unit `unitId`/`householdNo` (SQL expressions of the outer query) as `(name,
 * address, lon, lat)`: the head of household (or first resident) of a household or house, an organisation's name.
 */
function placeOf(unit: VisitUnit, unitId: RawBuilder<unknown>, householdNo: RawBuilder<unknown>) {
  if (unit === 'organisation') {
    return sql`
      select o.name, coalesce(a.canonical_text, o.name) as address, coalesce(o.lon, a.lon) as lon,
             coalesce(o.lat, a.lat) as lat
      from registry_organisations as o
      left join registry_addresses as a on a.id = o.address_id
      where o.id = ${unitId}`;
  }
  const sameHousehold = unit === 'household' ? sql`and coalesce(r.household_no, '') = ${householdNo}` : sql``;
  return sql`
    select coalesce((select r.name from registry_residents as r
                      where r.house_id = h.id ${sameHousehold}
                      order by (r.relation = 'head') desc nulls last, r.id limit 1), '') as name,
           a.canonical_text as address, a.lon, a.lat
    from registry_houses as h
    join registry_addresses as a on a.id = h.address_id
    where h.id = ${unitId}`;
}

// ---------------------------------------------------------------------------------------------------------
// Campaigns.

export async function insertCampaign(
  db: Db,
  row: Omit<VisitCampaignRow, 'id' | 'synthetic' | 'closed_at' | 'closed_by'> & { synthetic?: boolean },
): Promise<VisitCampaignRow> {
  return db
    .insertInto('visit_campaigns')
    .values({ ...row, region_codes: sql`${sql.val(row.region_codes)}::text[]` as never })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Closes a campaign not closed yet; undefined when it already was (a second click, a race). */
export async function closeCampaign(
  db: Db,
  options: { id: number; closedAt: Date; closedBy: number | null },
): Promise<VisitCampaignRow | undefined> {
  return db
    .updateTable('visit_campaigns')
    .set({ closed_at: options.closedAt, closed_by: options.closedBy })
    .where('id', '=', options.id)
    .where('closed_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export async function findCampaign(db: Db, id: number): Promise<VisitCampaignRow | undefined> {
  return db.selectFrom('visit_campaigns').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Campaigns whose area meets the scope: an area region inside the scope, or the scope inside an area region
 * (a village's worker sees the town-wide campaign).
 */
export async function listCampaigns(db: Db, scope: Scope): Promise<VisitCampaignRow[]> {
  const rows = await db.selectFrom('visit_campaigns').selectAll().orderBy('id', 'desc').limit(500).execute();
  if (scope.kind === 'everything') return rows;
  if (scope.kind !== 'regions') return [];
  return rows.filter((r) =>
    r.region_codes.some((code) => code.startsWith(scope.prefix) || scope.prefix.startsWith(code)),
  );
}

export async function regionNames(
  db: Db,
  codes: readonly string[],
): Promise<Map<string, { name: string; level: string }>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .selectFrom('regions')
    .select(['code', 'name', 'level'])
    .where('code', 'in', [...new Set(codes)])
    .execute();
  return new Map(rows.map((r) => [r.code, { name: r.name, level: r.level }]));
}

// ---------------------------------------------------------------------------------------------------------
// Coverage.

export interface CoverageCount {
  code: string;
  households: number;
  visited: number;
  residents: number;
  covered: number;
}

/**
 * Households, visited households, residents and residents of visited households, per child region: the first
 * `childLength` digits of the household's region code, or the whole code (its leaf grid) when null.
 */
export async function countCoverage(
  db: Db,
  filter: HouseholdFilter,
  childLength: number | null,
): Promise<CoverageCount[]> {
  const child = childLength === null ? sql`hh.region_code` : sql`left(hh.region_code, ${childLength})`;
  const result = await sql<CoverageCount>`
    select ${child} as code,
           count(*)::int as households,
           count(v.unit_id)::int as visited,
           coalesce(sum(hh.residents), 0)::int as residents,
           coalesce(sum(hh.residents) filter (where v.unit_id is not null), 0)::int as covered
    from (${unitsOf(filter)}) as hh
    left join household_visit_households as v
      on v.campaign_id = ${filter.campaign.id} and v.unit_id = hh.unit_id and v.household_no = hh.household_no
    group by 1
    order by 1`.execute(db);
  return result.rows;
}

/** Households of the filter first visited on each day (Asia/Shanghai), in day order. */
export async function countFirstVisitsByDay(
  db: Db,
  filter: HouseholdFilter,
): Promise<{ day: string; visited: number }[]> {
  const result = await sql<{ day: string; visited: number }>`
    select to_char(v.first_day, 'YYYY-MM-DD') as day, count(*)::int as visited
    from (${unitsOf(filter)}) as hh
    join household_visit_households as v
      on v.campaign_id = ${filter.campaign.id} and v.unit_id = hh.unit_id and v.household_no = hh.household_no
    group by v.first_day
    order by v.first_day`.execute(db);
  return result.rows;
}

// ---------------------------------------------------------------------------------------------------------
// Households.

export interface HouseholdRow {
  unit_id: number;
  household_no: string;
  region_code: string;
  grid_name: string | null;
  residents: number;
  head_name: string;
  address: string;
  lon: number | null;
  lat: number | null;
  visits: number | null;
  last_visited_at: Date | null;
  total: number;
}

/** One page of households of the filter, by grid and address; unvisited, visited or all of them. */
export async function listHouseholds(
  db: Db,
  filter: HouseholdFilter,
  options: { status: 'unvisited' | 'visited' | 'all'; limit: number; offset: number; key?: string },
): Promise<HouseholdRow[]> {
  const status =
    options.status === 'unvisited'
      ? sql`v.unit_id is null`
      : options.status === 'visited'
        ? sql`v.unit_id is not null`
        : sql`true`;
  const place = placeOf(filter.campaign.unit, sql.ref('hh.unit_id'), sql.ref('hh.household_no'));
  const result = await sql<HouseholdRow>`
    select hh.unit_id, hh.household_no, hh.region_code, g.name as grid_name, hh.residents,
           p.name as head_name, p.address, p.lon, p.lat, v.visits, v.last_visited_at,
           count(*) over ()::int as total
    from (${unitsOf(filter)}) as hh
    cross join lateral (${place}) as p
    left join regions as g on g.code = hh.region_code
    left join household_visit_households as v
      on v.campaign_id = ${filter.campaign.id} and v.unit_id = hh.unit_id and v.household_no = hh.household_no
    where ${status}
    order by hh.region_code, p.address, hh.household_no, hh.unit_id
    limit ${options.limit} offset ${options.offset}`.execute(db);
  return result.rows;
}

/**
 * The residents (ids, relation, phone, version), head first, of a household — or of the whole house when no
 * household number is given: what registry updates work on.
 */
export async function listHouseholdResidents(
  db: Db,
  houseId: number,
  householdNo: string | null,
): Promise<
  { id: number; relation: string | null; phone: string | null; version: number; region_code: string }[]
> {
  let query = db
    .selectFrom('registry_residents')
    .select(['id', 'relation', 'phone', 'version', 'region_code'])
    .where('house_id', '=', houseId);
  if (householdNo !== null) {
    query = query.where(sql<string>`coalesce(household_no, '')`, '=', householdNo);
  }
  return query.orderBy(sql`(relation = 'head') desc nulls last`).orderBy('id').execute();
}

/** A house's facts a form may update through the registry (its use, its landlord's phone), at its version. */
export interface HouseFacts {
  id: number;
  version: number;
  use: string;
  landlord_phone: string | null;
}

/** A house or an organisation where the registry places it, for a visit to it. */
export interface PlacedUnit {
  id: number;
  region_code: string;
  county_code: string;
  address: string;
  lon: number | null;
  lat: number | null;
  /** A house's facts; null for an organisation. */
  house: HouseFacts | null;
}

const PLACED_TABLES = {
  house: {
    table: 'registry_houses',
    house: sql`jsonb_build_object('id', u.id, 'version', u.version, 'use', u.use, 'landlord_phone', u.landlord_phone)`,
  },
  organisation: { table: 'registry_organisations', house: sql`null::jsonb` },
} as const;

/**
 * Where a house or an organisation is — its grid, county, address and point, as `placeOf` describes it in every
 * list — and a house's facts; undefined when the registry has no such record (or a house no address).
 */
export async function findPlacedUnit(
  db: Db,
  kind: 'house' | 'organisation',
  id: number,
): Promise<PlacedUnit | undefined> {
  const { table, house } = PLACED_TABLES[kind];
  const result = await sql<PlacedUnit>`
    select u.id, u.region_code, u.county_code, p.address, p.lon, p.lat, ${house} as house
    from ${sql.table(table)} as u
    cross join lateral (${placeOf(kind, sql.ref('u.id'), sql`''`)}) as p
    where u.id = ${id}`.execute(db);
  return result.rows[0];
}

// ---------------------------------------------------------------------------------------------------------
// Visits.

export async function findVisitByKey(db: Db, clientKey: string): Promise<HouseholdVisitRow | undefined> {
  return db.selectFrom('household_visits').selectAll().where('client_key', '=', clientKey).executeTakeFirst();
}

export async function findVisit(db: Db, id: number): Promise<HouseholdVisitRow | undefined> {
  return db.selectFrom('household_visits').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Inserts a visit and counts its household as visited, unless the client key is taken (a replay, or a race
 * between two sends of it): then nothing is written and undefined comes back.
 */
export async function insertVisit(
  trx: Db,
  row: Omit<HouseholdVisitRow, 'id' | 'answers' | 'registry_changes' | 'synthetic'> & {
    answers: Record<string, unknown>;
    synthetic?: boolean;
  },
): Promise<HouseholdVisitRow | undefined> {
  const inserted = await trx
    .insertInto('household_visits')
    .values({ ...row, answers: JSON.stringify(row.answers) })
    .onConflict((oc) => oc.column('client_key').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!inserted) return undefined;
  await trx
    .insertInto('household_visit_households')
    .values({
      campaign_id: row.campaign_id,
      unit_id: row.unit_id,
      household_no: row.household_no,
      first_visited_at: row.visited_at,
      first_day: row.day,
      last_visited_at: row.visited_at,
    })
    .onConflict((oc) =>
      oc.columns(['campaign_id', 'unit_id', 'household_no']).doUpdateSet({
        visits: sql`household_visit_households.visits + 1`,
        // A visit sent late from a phone can be earlier than the one already counted.
        first_visited_at: sql`least(household_visit_households.first_visited_at, excluded.first_visited_at)`,
        first_day: sql`least(household_visit_households.first_day, excluded.first_day)`,
        last_visited_at: sql`greatest(household_visit_households.last_visited_at, excluded.last_visited_at)`,
      }),
    )
    .execute();
  return inserted;
}

export async function setRegistryChanges(
  db: Db,
  visitId: number,
  changes: readonly StoredRegistryChange[],
): Promise<void> {
  await db
    .updateTable('household_visits')
    .set({ registry_changes: JSON.stringify(changes) })
    .where('id', '=', visitId)
    .execute();
}

export async function insertVisitCase(
  db: Db,
  row: { visit_id: number; question: string; choice: string; case_id: number },
): Promise<void> {
  await db
    .insertInto('household_visit_cases')
    .values(row)
    .onConflict((oc) => oc.columns(['visit_id', 'question', 'choice']).doNothing())
    .execute();
}

export interface VisitCaseRow {
  visit_id: number;
  question: string;
  choice: string;
  case_id: number;
  case_number: string;
  state: string;
}

/** The cases raised by these visits, with each case's state as it is now. */
export async function listVisitCases(db: Db, visitIds: readonly number[]): Promise<VisitCaseRow[]> {
  if (visitIds.length === 0) return [];
  return db
    .selectFrom('household_visit_cases as hc')
    .innerJoin('cases as c', 'c.id', 'hc.case_id')
    .select(['hc.visit_id', 'hc.question', 'hc.choice', 'hc.case_id', 'c.case_number', 'c.state'])
    .where('hc.visit_id', 'in', [...visitIds])
    .orderBy('hc.visit_id')
    .execute();
}

export interface VisitListRow extends HouseholdVisitRow {
  visitor_name: string;
  address: string;
  /** The head of household (or first resident) of a household or house; an organisation's name. */
  unit_name: string;
  total: number;
}

/** Visits of the campaign in the scope, newest first; optionally of one unit. */
export async function listVisits(
  db: Db,
  options: {
    campaign: Pick<VisitCampaignRow, 'id' | 'unit'>;
    scope: Scope;
    household?: { unitId: number; householdNo: string } | undefined;
    /** One visit only. */
    id?: number;
    limit: number;
    offset: number;
  },
): Promise<VisitListRow[]> {
  // The unit's address now; '' when the registry has since removed it (the visit stays).
  const place = placeOf(options.campaign.unit, sql.ref('v.unit_id'), sql.ref('v.household_no'));
  let query = db
    .selectFrom('household_visits as v')
    .innerJoin('users as u', 'u.id', 'v.user_id')
    .selectAll('v')
    .select(['u.display_name as visitor_name'])
    .select(sql<string>`coalesce((select p.address from (${place}) as p), '')`.as('address'))
    .select(sql<string>`coalesce((select p.name from (${place}) as p), '')`.as('unit_name'))
    .select(sql<number>`count(*) over ()::int`.as('total'))
    .where('v.campaign_id', '=', options.campaign.id)
    .where((eb) => regionCondition(eb, 'v.region_code', options.scope));
  if (options.household) {
    query = query
      .where('v.unit_id', '=', options.household.unitId)
      .where('v.household_no', '=', options.household.householdNo);
  }
  if (options.id !== undefined) query = query.where('v.id', '=', options.id);
  return query.orderBy('v.id', 'desc').limit(options.limit).offset(options.offset).execute() as Promise<
    VisitListRow[]
  >;
}

/** Counts of every answer value of the campaign's visits in the scope: (question, value) → visits. */
export async function countAnswers(
  db: Db,
  options: { campaignId: number; scope: Scope },
): Promise<{ visits: number; counts: { question: string; value: string; n: number }[] }> {
  const inScope = regionCondition(
    expressionBuilder<Database, 'household_visits'>(),
    'region_code',
    options.scope,
  );
  const [total, counts] = await Promise.all([
    sql<{ n: number }>`
      select count(*)::int as n from household_visits
      where campaign_id = ${options.campaignId} and ${inScope}`.execute(db),
    sql<{ question: string; value: string; n: number }>`
      select a.key as question, x.value, count(*)::int as n
      from household_visits, jsonb_each(answers) as a,
           lateral (select jsonb_array_elements_text(case jsonb_typeof(a.value) when 'array' then a.value
                                                          else jsonb_build_array(a.value) end) as value) as x
      where campaign_id = ${options.campaignId} and ${inScope}
      group by 1, 2`.execute(db),
  ]);
  return { visits: total.rows[0]?.n ?? 0, counts: counts.rows };
}
