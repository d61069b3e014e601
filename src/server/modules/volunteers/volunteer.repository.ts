import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { FigureGroup } from '../../../shared/volunteers.ts';
import type { Db } from '../../db/database.ts';
import { likeContaining } from '../../db/like.ts';
import type { Database } from '../../db/schema.ts';
import { regionCondition, type Scope } from '../people/scope.ts';
import type {
  VolunteerAssignmentRow,
  VolunteerRequestRow,
  VolunteerRow,
  VolunteerUnitRow,
} from './volunteer.table.ts';

/**
 * Who a read is for. `scopes`: the regions whose units, requests and sign-ins the reader sees (a region user's
 * subtree; for a unit contact, the regions of their units). `unitIds`: set for a unit contact, whose units,
 * volunteers and sign-ins are only their own units'. The regions table is read here, never written.
 */
export interface VolunteerReader {
  scopes: readonly Scope[];
  unitIds: readonly number[] | null;
}

type Eb<T extends keyof Database> = ExpressionBuilder<Database, T>;

function inScopes<T extends keyof Database>(
  eb: Eb<T>,
  column: Parameters<Eb<T>['ref']>[0],
  scopes: readonly Scope[],
): Expression<SqlBool> {
  return eb.or(scopes.map((s) => regionCondition(eb, column, s)));
}

// ---- units ----

export type UnitView = VolunteerUnitRow & {
  region_name: string;
  volunteer_count: number;
  party_count: number;
  person_times: number;
};

function unitViews(db: Db) {
  return db
    .selectFrom('volunteer_units as u')
    .innerJoin('regions as g', 'g.code', 'u.region_code')
    .selectAll('u')
    .select((eb) => [
      'g.name as region_name',
      eb
        .selectFrom('volunteers as v')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('v.unit_id', '=', 'u.id')
        .where('v.active', '=', true)
        .as('volunteer_count'),
      eb
        .selectFrom('volunteers as v')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('v.unit_id', '=', 'u.id')
        .where('v.active', '=', true)
        .where('v.party_member', '=', true)
        .as('party_count'),
      eb
        .selectFrom('volunteer_assignments as a')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('a.unit_id', '=', 'u.id')
        .where('a.signed_in_at', 'is not', null)
        .as('person_times'),
    ]);
}

function unitFilter(reader: VolunteerReader) {
  return (eb: Eb<'volunteer_units'>) =>
    reader.unitIds
      ? reader.unitIds.length
        ? eb('u.id' as never, 'in', reader.unitIds as never)
        : eb.lit(false)
      : inScopes(eb, 'u.region_code' as never, reader.scopes);
}

export async function listUnits(
  db: Db,
  reader: VolunteerReader,
  query: { q?: string | undefined; limit: number; offset: number },
): Promise<{ total: number; rows: UnitView[] }> {
  const base = (q: ReturnType<typeof unitViews>) => {
    let next = q.where(unitFilter(reader) as never);
    if (query.q) next = next.where('u.name', 'like', likeContaining(query.q));
    return next;
  };
  const [rows, count] = await Promise.all([
    base(unitViews(db)).orderBy('u.name').limit(query.limit).offset(query.offset).execute(),
    base(unitViews(db)).clearSelect().select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { total: count.n, rows: rows as UnitView[] };
}

export async function findUnit(db: Db, reader: VolunteerReader, id: number): Promise<UnitView | undefined> {
  return (await unitViews(db)
    .where('u.id', '=', id)
    .where(unitFilter(reader) as never)
    .executeTakeFirst()) as UnitView | undefined;
}

export async function insertUnit(
  db: Db,
  row: Omit<VolunteerUnitRow, 'id' | 'version' | 'synthetic'>,
): Promise<number> {
  const inserted = await db
    .insertInto('volunteer_units')
    .values(row)
    .onConflict((oc) => oc.columns(['region_code', 'name']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id ?? 0;
}

export async function addUnitContact(db: Db, unitId: number, userId: number): Promise<void> {
  await db
    .insertInto('volunteer_unit_contacts')
    .values({ unit_id: unitId, user_id: userId })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** The units a user looks after as their contact. */
export async function unitsOfContact(db: Db, userId: number): Promise<{ id: number; region_code: string }[]> {
  return db
    .selectFrom('volunteer_unit_contacts as c')
    .innerJoin('volunteer_units as u', 'u.id', 'c.unit_id')
    .select(['u.id', 'u.region_code'])
    .where('c.user_id', '=', userId)
    .execute();
}

// ---- volunteers ----

export type VolunteerView = VolunteerRow & { unit_name: string; person_times: number };

function volunteerViews(db: Db) {
  return db
    .selectFrom('volunteers as v')
    .innerJoin('volunteer_units as u', 'u.id', 'v.unit_id')
    .selectAll('v')
    .select((eb) => [
      'u.name as unit_name',
      eb
        .selectFrom('volunteer_assignments as a')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('a.volunteer_id', '=', 'v.id')
        .where('a.signed_in_at', 'is not', null)
        .as('person_times'),
    ]);
}

export async function listVolunteers(db: Db, unitId: number): Promise<VolunteerView[]> {
  return (await volunteerViews(db)
    .where('v.unit_id', '=', unitId)
    .where('v.active', '=', true)
    .orderBy('v.party_member', 'desc')
    .orderBy('v.name')
    .limit(2_000)
    .execute()) as VolunteerView[];
}

export async function findVolunteer(db: Db, id: number): Promise<VolunteerView | undefined> {
  return (await volunteerViews(db).where('v.id', '=', id).executeTakeFirst()) as VolunteerView | undefined;
}

export async function findVolunteerOfUser(db: Db, userId: number): Promise<VolunteerRow | undefined> {
  return db.selectFrom('volunteers').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

export async function insertVolunteer(
  db: Db,
  row: Omit<VolunteerRow, 'id' | 'active' | 'synthetic'>,
): Promise<number> {
  const inserted = await db.insertInto('volunteers').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

/** Of the given volunteers, the active ones of the unit. */
export async function activeVolunteersOfUnit(db: Db, unitId: number, ids: readonly number[]) {
  return db
    .selectFrom('volunteers')
    .select(['id', 'name'])
    .where('unit_id', '=', unitId)
    .where('active', '=', true)
    .where('id', 'in', ids as number[])
    .execute();
}

// ---- requests ----

export type RequestView = VolunteerRequestRow & { region_name: string; filled: number; signed_in: number };

function requestViews(db: Db) {
  return db
    .selectFrom('volunteer_requests as r')
    .innerJoin('regions as g', 'g.code', 'r.region_code')
    .selectAll('r')
    .select((eb) => [
      'g.name as region_name',
      eb
        .selectFrom('volunteer_assignments as a')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('a.request_id', '=', 'r.id')
        .as('filled'),
      eb
        .selectFrom('volunteer_assignments as a')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('a.request_id', '=', 'r.id')
        .where('a.signed_in_at', 'is not', null)
        .as('signed_in'),
    ]);
}

export interface RequestFilter {
  regionPrefix?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  openOnly?: boolean;
}

export async function listRequests(
  db: Db,
  scopes: readonly Scope[],
  filter: RequestFilter & { limit: number; offset: number },
): Promise<{ total: number; rows: RequestView[] }> {
  const base = (q: ReturnType<typeof requestViews>) => {
    let next = q.where((eb) => inScopes(eb as never, 'r.region_code' as never, scopes));
    if (filter.regionPrefix) next = next.where('r.region_code', 'like', `${filter.regionPrefix}%`);
    if (filter.from) next = next.where('r.day', '>=', filter.from);
    if (filter.to) next = next.where('r.day', '<=', filter.to);
    if (filter.openOnly) {
      next = next
        .where('r.cancelled', '=', false)
        .where(
          sql<boolean>`(select count(*) from volunteer_assignments a where a.request_id = r.id) < r.wanted`,
        );
    }
    return next;
  };
  const [rows, count] = await Promise.all([
    base(requestViews(db))
      .orderBy('r.day', 'desc')
      .orderBy('r.start_time')
      .orderBy('r.id')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    base(requestViews(db)).clearSelect().select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { total: count.n, rows: rows as RequestView[] };
}

export async function findRequest(
  db: Db,
  scopes: readonly Scope[],
  id: number,
): Promise<RequestView | undefined> {
  return (await requestViews(db)
    .where('r.id', '=', id)
    .where((eb) => inScopes(eb as never, 'r.region_code' as never, scopes))
    .executeTakeFirst()) as RequestView | undefined;
}

export async function insertRequest(
  db: Db,
  row: Omit<VolunteerRequestRow, 'id' | 'cancelled' | 'synthetic'>,
): Promise<number> {
  const inserted = await db
    .insertInto('volunteer_requests')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/** Locks the request row for a send, so two units cannot overfill it together; returns how many are sent. */
export async function lockRequestFill(db: Db, requestId: number): Promise<number> {
  await sql`select id from volunteer_requests where id = ${requestId} for update`.execute(db);
  const row = await db
    .selectFrom('volunteer_assignments')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('request_id', '=', requestId)
    .executeTakeFirstOrThrow();
  return row.n;
}

// ---- assignments ----

export type AssignmentView = VolunteerAssignmentRow & {
  unit_name: string;
  volunteer_name: string;
  phone: string;
  party_member: boolean;
};

function assignmentViews(db: Db) {
  return db
    .selectFrom('volunteer_assignments as a')
    .innerJoin('volunteers as v', 'v.id', 'a.volunteer_id')
    .innerJoin('volunteer_units as u', 'u.id', 'a.unit_id')
    .selectAll('a')
    .select(['u.name as unit_name', 'v.name as volunteer_name', 'v.phone', 'v.party_member']);
}

export async function listAssignments(
  db: Db,
  requestId: number,
  unitIds: readonly number[] | null,
): Promise<AssignmentView[]> {
  let query = assignmentViews(db).where('a.request_id', '=', requestId);
  if (unitIds)
    query = unitIds.length
      ? query.where('a.unit_id', 'in', unitIds as number[])
      : query.where(sql.lit(false));
  return query.orderBy('u.name').orderBy('v.name').execute();
}

export async function unitCounts(db: Db, requestId: number) {
  return db
    .selectFrom('volunteer_assignments as a')
    .innerJoin('volunteer_units as u', 'u.id', 'a.unit_id')
    .select(['a.unit_id', 'u.name', sql<number>`count(*)::int`.as('sent')])
    .where('a.request_id', '=', requestId)
    .groupBy(['a.unit_id', 'u.name'])
    .orderBy('u.name')
    .execute();
}

export async function findAssignment(db: Db, id: number): Promise<AssignmentView | undefined> {
  return assignmentViews(db).where('a.id', '=', id).executeTakeFirst();
}

/** Inserts the assignments; a volunteer already sent to the request is skipped. Returns how many were new. */
export async function insertAssignments(
  db: Db,
  rows: readonly Omit<
    VolunteerAssignmentRow,
    'id' | 'signed_in_at' | 'signed_in_by' | 'signed_out_at' | 'signed_out_by'
  >[],
): Promise<number> {
  const result = await db
    .insertInto('volunteer_assignments')
    .values(rows as never)
    .onConflict((oc) => oc.columns(['request_id', 'volunteer_id']).doNothing())
    .returning('id')
    .execute();
  return result.length;
}

/** Signs in (once: a repeated sign-in keeps the first time). Returns false when it was already signed in. */
export async function signIn(db: Db, id: number, at: Date, by: number | null): Promise<boolean> {
  const result = await db
    .updateTable('volunteer_assignments')
    .set({ signed_in_at: at, signed_in_by: by })
    .where('id', '=', id)
    .where('signed_in_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function signOut(db: Db, id: number, at: Date, by: number | null): Promise<boolean> {
  const result = await db
    .updateTable('volunteer_assignments')
    .set({ signed_out_at: at, signed_out_by: by })
    .where('id', '=', id)
    .where('signed_in_at', 'is not', null)
    .where('signed_out_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** A volunteer's assignments of requests on or after a day, soonest first. */
export async function assignmentsOfVolunteer(db: Db, volunteerId: number, fromDay: string) {
  return assignmentViews(db)
    .innerJoin('volunteer_requests as r', 'r.id', 'a.request_id')
    .where('a.volunteer_id', '=', volunteerId)
    .where('r.day', '>=', fromDay)
    .where('r.cancelled', '=', false)
    .orderBy('r.day')
    .orderBy('r.start_time')
    .limit(50)
    .execute();
}

/**
 * The request a user's volunteer is signed in to, among the requests of the given days, and not yet signed out of
 * (the latest sign-in, should a volunteer have signed in to two): what a signed-in volunteer may act within
 * (volunteer.policy.ts).
 */
export async function openTaskOfUser(db: Db, userId: number, days: { from: string; to: string }) {
  return db
    .selectFrom('volunteer_assignments as a')
    .innerJoin('volunteers as v', 'v.id', 'a.volunteer_id')
    .innerJoin('volunteer_requests as r', 'r.id', 'a.request_id')
    .innerJoin('regions as g', 'g.code', 'r.region_code')
    .select([
      'a.id as assignment_id',
      'r.id as request_id',
      'r.region_code',
      'g.name as region_name',
      'r.kind',
      'r.visit_campaign_id',
      'r.checkpoint_id',
    ])
    .where('v.user_id', '=', userId)
    .where('v.active', '=', true)
    .where('a.signed_in_at', 'is not', null)
    .where('a.signed_out_at', 'is', null)
    .where('r.day', '>=', days.from)
    .where('r.day', '<=', days.to)
    .where('r.cancelled', '=', false)
    .orderBy('a.signed_in_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

// ---- figures ----

export interface SignInFilter {
  from?: string | undefined;
  to?: string | undefined;
  unitId?: number | undefined;
  regionCode?: string | undefined;
  month?: string | undefined;
}

function signIns(db: Db, reader: VolunteerReader, filter: SignInFilter) {
  let query = db
    .selectFrom('volunteer_assignments as a')
    .innerJoin('volunteer_requests as r', 'r.id', 'a.request_id')
    .innerJoin('volunteers as v', 'v.id', 'a.volunteer_id')
    .innerJoin('volunteer_units as u', 'u.id', 'a.unit_id')
    .innerJoin('regions as g', 'g.code', 'r.region_code')
    .where('a.signed_in_at', 'is not', null);
  // A region user counts the sign-ins at communities in their scope; a unit contact their own units' people.
  query = reader.unitIds
    ? reader.unitIds.length
      ? query.where('a.unit_id', 'in', reader.unitIds as number[])
      : query.where(sql.lit(false))
    : query.where((eb) => inScopes(eb as never, 'r.region_code' as never, reader.scopes));
  if (filter.from) query = query.where('r.day', '>=', filter.from);
  if (filter.to) query = query.where('r.day', '<=', filter.to);
  if (filter.unitId) query = query.where('a.unit_id', '=', filter.unitId);
  if (filter.regionCode) query = query.where('r.region_code', 'like', `${filter.regionCode}%`);
  if (filter.month) query = query.where(sql`to_char(r.day, 'YYYY-MM')`, '=', filter.month);
  return query;
}

const HOURS = sql<number>`coalesce(round(sum(extract(epoch from (a.signed_out_at - a.signed_in_at))) / 3600.0, 1), 0)::float8`;

export async function figures(
  db: Db,
  reader: VolunteerReader,
  by: FigureGroup,
  filter: SignInFilter,
  limit: number,
) {
  const key =
    by === 'unit'
      ? sql<string>`a.unit_id::text`
      : by === 'community'
        ? sql<string>`r.region_code`
        : sql<string>`to_char(r.day, 'YYYY-MM')`;
  const name = by === 'unit' ? sql<string>`u.name` : by === 'community' ? sql<string>`g.name` : key;
  const measures = [
    sql<number>`count(*)::int`.as('person_times'),
    sql<number>`(count(*) filter (where v.party_member))::int`.as('party_times'),
    sql<number>`count(distinct a.volunteer_id)::int`.as('volunteers'),
    HOURS.as('hours'),
  ] as const;
  const [rows, totals] = await Promise.all([
    signIns(db, reader, filter)
      .select([key.as('key'), sql<string>`min(${name})`.as('name'), ...measures])
      .groupBy(key)
      .orderBy(by === 'month' ? sql`1` : sql`count(*)`, by === 'month' ? 'asc' : 'desc')
      .limit(limit)
      .execute(),
    signIns(db, reader, filter)
      .select([...measures, sql<number>`count(distinct a.unit_id)::int`.as('units')])
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, totals };
}

export type SignInView = AssignmentView & {
  day: string;
  title: string;
  kind: string;
  region_code: string;
  region_name: string;
};

export async function listSignIns(
  db: Db,
  reader: VolunteerReader,
  filter: SignInFilter & { limit: number; offset: number },
): Promise<{ total: number; rows: SignInView[] }> {
  const [rows, count] = await Promise.all([
    signIns(db, reader, filter)
      .selectAll('a')
      .select([
        'u.name as unit_name',
        'v.name as volunteer_name',
        'v.phone',
        'v.party_member',
        'r.day',
        'r.title',
        'r.kind',
        'r.region_code',
        'g.name as region_name',
      ])
      .orderBy('r.day', 'desc')
      .orderBy('a.id')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    signIns(db, reader, filter).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { total: count.n, rows: rows as SignInView[] };
}
