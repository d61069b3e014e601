import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { PUBLIC_CASE_SOURCES } from '../../../shared/case-privacy.ts';
import { TERMINAL_STATES } from '../../../shared/case-workflow.ts';
import type { Db } from '../../db/database.ts';
import { likeContaining, likePrefix } from '../../db/like.ts';
import type { Database } from '../../db/schema.ts';
import type { NewAuditRow } from '../audit/audit.service.ts';
import { regionCondition, type Scope } from '../people/scope.ts';
import type { CaseEventRow, CaseModerationRow, CaseRow, CaseTable } from './case.table.ts';

/** A case with the names shown beside its codes. */
export type CaseWithNames = CaseRow & {
  category_name: string;
  category_code: string;
  region_name: string;
  lead_department_name: string | null;
};

function casesWithNames(db: Db) {
  return db
    .selectFrom('cases')
    .innerJoin('categories', 'categories.id', 'cases.category_id')
    .innerJoin('regions', 'regions.code', 'cases.region_code')
    .leftJoin('departments', 'departments.id', 'cases.lead_department_id')
    .selectAll('cases')
    .select(NAME_COLUMNS);
}

const NAME_COLUMNS = [
  'categories.name as category_name',
  'categories.code as category_code',
  'regions.name as region_name',
  'departments.name as lead_department_name',
] as const;

/**
 * The condition "this case lies in the scope", for a query over `cases`: a department scope holds the cases
 * dispatched to the department (lead or assisting, through case_departments), a region scope those of its
 * subtree, an empty scope none. The one SQL definition of case visibility; `scopeHoldsCase` in case.policy.ts
 * is the same rule in memory.
 */
export function caseInScope<DB extends Database, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  scope: Scope,
): Expression<SqlBool> {
  // Every query this serves selects from `cases` (unaliased), whatever else it joins.
  const onCases = eb as unknown as ExpressionBuilder<Database, 'cases'>;
  if (scope.kind !== 'department') return regionCondition(onCases, 'cases.region_code', scope);
  return onCases.exists(
    onCases
      .selectFrom('case_departments')
      .select('case_departments.case_id')
      .whereRef('case_departments.case_id', '=', 'cases.id')
      .where('case_departments.department_id', '=', scope.departmentId),
  );
}

/** A case a user asked for by id, when it lies in their scope; undefined otherwise (or when there is none). */
export async function findCaseInScope(db: Db, id: number, scope: Scope): Promise<CaseWithNames | undefined> {
  return casesWithNames(db)
    .where('cases.id', '=', id)
    .where((eb) => caseInScope(eb, scope))
    .executeTakeFirst();
}

/** The id of a case by the number people see (案件编号), within the scope. */
export async function findCaseIdByNumber(
  db: Db,
  caseNumber: string,
  scope: Scope,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('cases')
    .select('cases.id')
    .where('cases.case_number', '=', caseNumber)
    .where((eb) => caseInScope(eb, scope))
    .executeTakeFirst();
  return row?.id;
}

/**
 * A case by id whoever asks: for system work and for the steps after a scoped read allowed the user in (a
 * transition's re-read, the outcome of an action that took the case out of the actor's scope). Also tells a
 * refused read (403) from a missing case (404).
 */
export async function findCaseUnscoped(db: Db, id: number): Promise<CaseWithNames | undefined> {
  return casesWithNames(db).where('cases.id', '=', id).executeTakeFirst();
}

/**
 * The case a client key was first used for, whoever used it: a key is not a read permission, so the caller
 * answers with the case only to its reporter (see `reportCase`).
 */
export async function findCaseByClientKeyUnscoped(
  db: Db,
  clientKey: string,
): Promise<Pick<CaseRow, 'id' | 'reporter_id' | 'source'> | undefined> {
  return db
    .selectFrom('cases')
    .select(['id', 'reporter_id', 'source'])
    .where('client_key', '=', clientKey)
    .executeTakeFirst();
}

/** A case found by its client key, with the key of the history it was imported from (null: reported). */
export interface ClientKeyCase {
  id: number;
  case_number: string;
  region_code: string;
  client_key: string;
  history_key: string | null;
}

/**
 * The cases under these client keys, whoever reported them: an import tells the rows it created before from
 * new ones. The caller names a case to the importer only when it lies in their scope.
 */
export async function findCasesByClientKeysUnscoped(
  db: Db,
  clientKeys: readonly string[],
): Promise<ClientKeyCase[]> {
  const found: ClientKeyCase[] = [];
  // Chunked: an import of twenty thousand rows would otherwise send one statement with as many parameters.
  for (let start = 0; start < clientKeys.length; start += 1000) {
    const rows = await db
      .selectFrom('cases')
      .select(['id', 'case_number', 'region_code', 'client_key'])
      // What an imported history was made from (see `recordHistory`): tells a corrected order from the same.
      .select((eb) =>
        eb
          .selectFrom('case_events')
          .select(sql<string | null>`data->>'historyKey'`.as('k'))
          .whereRef('case_events.case_id', '=', 'cases.id')
          .where('case_events.action', '=', 'report')
          .orderBy('case_events.id')
          .limit(1)
          .as('history_key'),
      )
      .where('client_key', 'in', clientKeys.slice(start, start + 1000))
      .execute();
    for (const row of rows) if (row.client_key) found.push({ ...row, client_key: row.client_key });
  }
  return found;
}

/** The departments among `ids` that exist: a dispatch naming another is refused before it is written. */
export async function findExistingDepartments(db: Db, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('departments')
    .select('id')
    .where('id', 'in', [...ids])
    .execute();
  return new Set(rows.map((r) => r.id));
}

/**
 * Whether a photo is named by the history of a case in the scope: who may read a case may see its photos.
 * With `caseId` (the case page asks about its own photos) one case's entries are read, by index; without it
 * every entry naming the photo is looked for.
 */
export async function photoInScope(
  db: Db,
  options: { sha256: string; scope: Scope; caseId?: number | undefined },
): Promise<boolean> {
  const named = JSON.stringify([options.sha256]);
  let query = db
    .selectFrom('case_events as e')
    .innerJoin('cases', 'cases.id', 'e.case_id')
    .select('e.id')
    .where((eb) =>
      eb.or(
        (['evidence', 'beforePhotos', 'afterPhotos'] as const).map(
          (field) => sql<SqlBool>`${eb.ref('e.data')} -> ${field} @> ${named}::jsonb`,
        ),
      ),
    )
    .where((eb) => caseInScope(eb, options.scope));
  if (options.caseId !== undefined) query = query.where('e.case_id', '=', options.caseId);
  return (await query.limit(1).executeTakeFirst()) !== undefined;
}

export type NewCase = Omit<
  CaseTable,
  | 'id'
  | 'case_number'
  | 'return_count'
  | 'rework_count'
  | 'extension_count'
  | 'supervised'
  | 'overdue'
  | 'version'
  | 'step_beyond_calendar'
  | 'warned'
> & { step_beyond_calendar: boolean; warned: boolean };

/** A report as intake writes it: the case, its first history entry and its audit entry. */
export interface NewReport {
  case: NewCase;
  event: Omit<CaseEventRow, 'id' | 'case_id' | 'data'> & { data: Record<string, unknown> };
  audit: NewAuditRow;
}

/**
 * Inserts reported cases, each unless its client key is taken (by an earlier case or an earlier report of
 * the batch), with its first history entry and its audit entry, and returns them with their names: one
 * statement for the whole batch, so one round trip and atomic without a transaction (intake is the hot path).
 * The answer has one entry per report, in order; undefined where the key was taken and nothing was written.
 */
export async function insertReports(
  db: Db,
  reports: readonly NewReport[],
): Promise<(CaseWithNames | undefined)[]> {
  // The batch travels as one JSON parameter: one statement text whatever the batch size, typed by the record
  // definition below. Case ids are drawn first so that history and audit rows can name their case.
  const rows = reports.map(({ case: c, event, audit }, ord) => ({
    ...c,
    ord,
    event_action: event.action,
    event_from_state: event.from_state,
    event_to_state: event.to_state,
    event_actor_id: event.actor_id,
    event_actor_name: event.actor_name,
    event_note: event.note,
    event_data: event.data,
    event_at: event.at,
    audit_occurred_at: audit.occurred_at,
    audit_actor_id: audit.actor_id,
    audit_actor_name: audit.actor_name,
    audit_action: audit.action,
    audit_entity_type: audit.entity_type,
    audit_county_code: audit.county_code,
    // Kept as the canonical text the audit chain hashes.
    audit_details: audit.details,
  }));
  const { rows: inserted } = await sql<CaseWithNames & { ord: number }>`
    with input as materialized (
      select nextval(pg_get_serial_sequence('cases', 'id')) as id, r.*
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r (
        ord int, county_code text, client_key text, external_ref text, source text, category_id int,
        region_code text, lon float8, lat float8, address text, description text, state text, step text,
        step_started_at timestamptz, step_due_at timestamptz, step_beyond_calendar boolean,
        step_warn_at timestamptz, warned boolean, handling_deadline timestamptz, suspended_at timestamptz,
        lead_department_id int,
        reporter_id int, reporter_name text, reporter_phone text, merged_into bigint, satisfaction smallint,
        created_at timestamptz, updated_at timestamptz, closed_at timestamptz,
        event_action text, event_from_state text, event_to_state text, event_actor_id int,
        event_actor_name text, event_note text, event_data jsonb, event_at timestamptz,
        audit_occurred_at timestamptz, audit_actor_id int, audit_actor_name text, audit_action text,
        audit_entity_type text, audit_county_code text, audit_details text
      )
      order by ord
    ),
    inserted as (
      insert into cases (id, county_code, client_key, external_ref, source, category_id, region_code, lon, lat,
        address, description, state, step, step_started_at, step_due_at, step_beyond_calendar, step_warn_at,
        warned, handling_deadline, suspended_at, lead_department_id, reporter_id, reporter_name, reporter_phone,
        merged_into, satisfaction, created_at, updated_at, closed_at)
      overriding system value
      select id, county_code, client_key, external_ref, source, category_id, region_code, lon, lat, address,
        description, state, step, step_started_at, step_due_at, step_beyond_calendar, step_warn_at, warned,
        handling_deadline, suspended_at, lead_department_id, reporter_id, reporter_name, reporter_phone,
        merged_into, satisfaction, created_at, updated_at, closed_at
      from input order by ord
      on conflict (client_key) where client_key is not null do nothing
      returning *
    ),
    event as (
      insert into case_events (case_id, action, from_state, to_state, actor_id, actor_name, note, data, at)
      select id, event_action, event_from_state, event_to_state, event_actor_id, event_actor_name, event_note,
        event_data, event_at
      from input where id in (select id from inserted)
    ),
    audit as (
      insert into audit_log (occurred_at, actor_id, actor_name, action, entity_type, entity_id, county_code,
        details)
      select audit_occurred_at, audit_actor_id, audit_actor_name, audit_action, audit_entity_type, id::text,
        audit_county_code, audit_details::jsonb
      from input where id in (select id from inserted) order by ord
    )
    select input.ord, cases.*, categories.name as category_name, categories.code as category_code,
      regions.name as region_name, departments.name as lead_department_name
    from inserted as cases
    join input on input.id = cases.id
    join categories on categories.id = cases.category_id
    join regions on regions.code = cases.region_code
    left join departments on departments.id = cases.lead_department_id`.execute(db);
  const byOrd = new Map(inserted.map(({ ord, ...row }) => [ord, row as CaseWithNames]));
  return reports.map((_, ord) => byOrd.get(ord));
}

export type CaseChanges = Partial<
  Pick<
    CaseRow,
    | 'state'
    | 'step'
    | 'step_started_at'
    | 'step_due_at'
    | 'step_beyond_calendar'
    | 'suspended_at'
    | 'lead_department_id'
    | 'merged_into'
    | 'return_count'
    | 'rework_count'
    | 'extension_count'
    | 'supervised'
    | 'overdue'
    | 'step_warn_at'
    | 'warned'
    | 'satisfaction'
    | 'handling_deadline'
    | 'closed_at'
    | 'updated_at'
  >
>;

/** Writes a transition when nobody else wrote the case since `version` was read. */
export async function updateCaseAtVersion(
  db: Db,
  id: number,
  version: number,
  changes: CaseChanges,
): Promise<boolean> {
  const result = await db
    .updateTable('cases')
    .set({ ...changes, version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function listCaseDepartments(db: Db, caseId: number) {
  return db
    .selectFrom('case_departments')
    .innerJoin('departments', 'departments.id', 'case_departments.department_id')
    .select(['departments.id', 'departments.name', 'case_departments.role'])
    .where('case_departments.case_id', '=', caseId)
    .orderBy('case_departments.role', 'desc')
    .execute();
}

export async function setCaseDepartments(
  db: Db,
  caseId: number,
  lead: number | null,
  assisting: readonly number[],
  replace: boolean,
): Promise<void> {
  if (replace) await db.deleteFrom('case_departments').where('case_id', '=', caseId).execute();
  const rows = [
    ...(lead ? [{ case_id: caseId, department_id: lead, role: 'lead' as const }] : []),
    ...assisting.map((id) => ({ case_id: caseId, department_id: id, role: 'assist' as const })),
  ];
  if (rows.length)
    await db
      .insertInto('case_departments')
      .values(rows)
      .onConflict((oc) => oc.doNothing())
      .execute();
}

export async function insertCaseEvent(
  db: Db,
  event: Omit<CaseEventRow, 'id' | 'data'> & { data: Record<string, unknown> },
): Promise<number> {
  const { id } = await db
    .insertInto('case_events')
    .values({ ...event, data: JSON.stringify(event.data) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function listCaseEvents(db: Db, caseId: number): Promise<CaseEventRow[]> {
  return db.selectFrom('case_events').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
}

export interface CaseListFilter {
  /** The cases the user may see: their regions, or their department's; an empty scope lists nothing. */
  scope: Scope;
  states?: readonly string[] | undefined;
  /** Only cases with an open step (not closed, rejected or merged). */
  open?: boolean | undefined;
  step?: string | undefined;
  deadline?: 'dueSoon' | 'overdue' | undefined;
  /** For `dueSoon`: cases whose due time falls before this instant. */
  dueSoonBefore?: Date;
  now: Date;
  categoryId?: number | undefined;
  /** Narrows the list to a region's subtree (within the scope, which still applies). */
  regionCode?: string | undefined;
  q?: string | undefined;
  source?: string | undefined;
  leadDepartmentId?: number | undefined;
  /** Reported at or after / before these instants. */
  reportedFrom?: Date | undefined;
  reportedBefore?: Date | undefined;
  reporterId?: number | undefined;
  supervised?: boolean | undefined;
  rework?: boolean | undefined;
  limit: number;
  offset: number;
}

/** The queue: open steps first, earliest due first — what a dispatcher or department works through. */
export async function listCases(
  db: Db,
  filter: CaseListFilter,
): Promise<{ rows: CaseWithNames[]; total: number; more: boolean }> {
  // Counting a district's million cases exactly costs more than the page itself; past COUNT_CAP the list
  // says "more than" instead. The count reads `cases` alone: the filter names no other table, and every case
  // has its category and region (the joins that name them drop no row), so joining them would only cost, a
  // fifth of the count's time.
  const counted = db
    .selectFrom('cases')
    .select('cases.id')
    .where((eb) => listed(eb, filter))
    .limit(COUNT_CAP + 1);
  const [rows, count] = await Promise.all([
    casesWithNames(db)
      .where((eb) => listed(eb, filter))
      .orderBy(sql`cases.step_due_at asc nulls last`)
      .orderBy('cases.id', 'desc')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    db
      .selectFrom(counted.as('counted'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Math.min(count.n, COUNT_CAP), more: count.n > COUNT_CAP };
}

/** The condition "this case is on the list": its scope and filters, over the columns of `cases` only. */
function listed<DB extends Database, TB extends keyof DB>(
  anyEb: ExpressionBuilder<DB, TB>,
  filter: CaseListFilter,
): Expression<SqlBool> {
  const eb = anyEb as unknown as ExpressionBuilder<Database, 'cases'>;
  const all: Expression<SqlBool>[] = [caseInScope(eb, filter.scope)];
  if (filter.states?.length) all.push(eb('cases.state', 'in', filter.states as CaseRow['state'][]));
  if (filter.open) all.push(eb('cases.state', 'not in', [...TERMINAL_STATES]));
  if (filter.source) all.push(eb('cases.source', '=', filter.source as CaseRow['source']));
  if (filter.leadDepartmentId) all.push(eb('cases.lead_department_id', '=', filter.leadDepartmentId));
  if (filter.reportedFrom) all.push(eb('cases.created_at', '>=', filter.reportedFrom));
  if (filter.reportedBefore) all.push(eb('cases.created_at', '<', filter.reportedBefore));
  if (filter.reporterId) all.push(eb('cases.reporter_id', '=', filter.reporterId));
  if (filter.supervised !== undefined) all.push(eb('cases.supervised', '=', filter.supervised));
  if (filter.rework) all.push(eb('cases.rework_count', '>', 0));
  if (filter.step) all.push(eb('cases.step', '=', filter.step));
  if (filter.deadline === 'overdue') all.push(eb('cases.step_due_at', '<', filter.now));
  if (filter.deadline === 'dueSoon' && filter.dueSoonBefore) {
    all.push(eb('cases.step_due_at', '>=', filter.now), eb('cases.step_due_at', '<', filter.dueSoonBefore));
  }
  if (filter.categoryId) all.push(eb('cases.category_id', '=', filter.categoryId));
  if (filter.regionCode) all.push(eb('cases.region_code', 'like', likePrefix(filter.regionCode)));
  if (filter.q) {
    const pattern = likeContaining(filter.q);
    const code = filter.q.trim().toUpperCase();
    all.push(
      eb.or([
        eb('cases.case_number', 'like', pattern),
        // A resident quoting the ticket code the portal gave them.
        eb('cases.id', '=', eb.selectFrom('case_tickets').select('case_id').where('ticket_code', '=', code)),
        eb('cases.external_ref', 'like', pattern),
        eb('cases.description', 'ilike', pattern),
        eb('cases.address', 'ilike', pattern),
      ]),
    );
  }
  return eb.and(all);
}

export const COUNT_CAP = 10_000;

/**
 * Open cases of a category inside a box around a point, reported since `since`: the candidates for
 * duplicates, to be narrowed by true distance.
 */
export async function listOpenCasesNear(
  db: Db,
  options: {
    categoryId: number;
    box: [number, number, number, number];
    since: Date;
    excludeId?: number;
    /** Only candidates the user may see: a department's are those dispatched to it. */
    scope: Scope;
  },
): Promise<CaseWithNames[]> {
  const [west, south, east, north] = options.box;
  let query = casesWithNames(db)
    .where('cases.category_id', '=', options.categoryId)
    .where('cases.closed_at', 'is', null)
    .where('cases.created_at', '>=', options.since)
    .where('cases.lon', '>=', west)
    .where('cases.lon', '<=', east)
    .where('cases.lat', '>=', south)
    .where('cases.lat', '<=', north)
    .where((eb) => caseInScope(eb, options.scope));
  if (options.excludeId !== undefined) query = query.where('cases.id', '!=', options.excludeId);
  return query.orderBy('cases.created_at', 'desc').limit(50).execute();
}

export async function findRoutingDepartment(
  db: Db,
  categoryId: number,
  regionCode: string,
): Promise<number | null> {
  const rule = await db
    .selectFrom('routing_rules')
    .select('department_id')
    .where((eb) =>
      eb.or([
        eb('category_id', '=', categoryId),
        eb('category_id', '=', eb.selectFrom('categories').select('parent_id').where('id', '=', categoryId)),
        eb('category_id', 'is', null),
      ]),
    )
    .where(sql<boolean>`${regionCode} like routing_rules.region_code || '%'`)
    // The most specific rule wins: the minor class over its major class over a catch-all, then a village over
    // the town.
    .orderBy(sql`case when category_id = ${categoryId} then 0 when category_id is null then 2 else 1 end`)
    .orderBy(sql`length(region_code)`, 'desc')
    .limit(1)
    .executeTakeFirst();
  return rule?.department_id ?? null;
}

// ---- the public view of a case (portal) and moderation -----------------------------------------------------

/** A case of a public category by its number: the only cases the public may look up. */
/**
 * A case the public may read (of a public category and a public source), by its ticket code: the portal's
 * ticket page. Any other case, or a case number, is not found.
 */
export async function findPublicCaseByTicketCode(
  db: Db,
  ticketCode: string,
): Promise<CaseWithNames | undefined> {
  return casesWithNames(db)
    .where((eb) =>
      eb(
        'cases.id',
        '=',
        eb.selectFrom('case_tickets').select('case_id').where('ticket_code', '=', ticketCode),
      ),
    )
    .where('categories.public', '=', true)
    .where('cases.source', 'in', [...PUBLIC_CASE_SOURCES])
    .executeTakeFirst();
}

export async function findTicketCode(db: Db, caseId: number): Promise<string> {
  const row = await db
    .selectFrom('case_tickets')
    .select('ticket_code')
    .where('case_id', '=', caseId)
    .executeTakeFirstOrThrow();
  return row.ticket_code;
}

/** The case's history entries of these actions, oldest first, with the department a dispatch named. */
export async function listEventsOf(db: Db, caseId: number, actions: readonly string[]) {
  return db
    .selectFrom('case_events as e')
    .leftJoin('departments as d', (join) => join.on(sql`d.id`, '=', sql`(e.data->>'leadDepartmentId')::int`))
    .select([
      'e.id',
      'e.action',
      'e.to_state',
      'e.at',
      'e.data',
      sql<string | null>`e.data->>'reason'`.as('reason'),
      'd.name as department_name',
    ])
    .where('e.case_id', '=', caseId)
    .where('e.action', 'in', [...actions])
    .orderBy('e.id')
    .execute();
}

export async function listModeration(db: Db, caseId: number): Promise<CaseModerationRow[]> {
  return db
    .selectFrom('case_moderation')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('hidden_at')
    .execute();
}

/** Shows a hidden target again; false when it was not hidden. */
export async function deleteModeration(db: Db, caseId: number, target: string): Promise<boolean> {
  const result = await db
    .deleteFrom('case_moderation')
    .where('case_id', '=', caseId)
    .where('target', '=', target)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Hides a target; false when it was hidden already. */
export async function insertModeration(db: Db, row: CaseModerationRow): Promise<boolean> {
  const result = await db
    .insertInto('case_moderation')
    .values(row)
    .onConflict((oc) => oc.columns(['case_id', 'target']).doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}
