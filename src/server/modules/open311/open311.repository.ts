import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { likePrefix } from '../../db/like.ts';
import { regionCondition, type Scope } from '../people/scope.ts';
import type { Open311KeyRow, Open311PendingRow, Open311RequestRow } from './open311.table.ts';

// ---- api keys --------------------------------------------------------------------------------------------

export type KeyWithNames = Open311KeyRow & { region_name: string | null; created_by_name: string | null };

export async function insertKey(
  db: Db,
  values: Omit<Open311KeyRow, 'id' | 'revoked_at' | 'revoked_by'>,
): Promise<number> {
  const { id } = await db.insertInto('open311_keys').values(values).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function listKeys(db: Db, scope: Scope): Promise<KeyWithNames[]> {
  return db
    .selectFrom('open311_keys as k')
    .leftJoin('regions as r', 'r.code', 'k.region_code')
    .leftJoin('users as u', 'u.id', 'k.created_by')
    .selectAll('k')
    .select(['r.name as region_name', 'u.display_name as created_by_name'])
    .where((eb) => regionCondition(eb, 'k.region_code', scope))
    .orderBy('k.id')
    .execute();
}

export async function findKey(db: Db, id: number): Promise<Open311KeyRow | undefined> {
  return db.selectFrom('open311_keys').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findActiveKeyByHash(db: Db, hash: string): Promise<Open311KeyRow | undefined> {
  return db
    .selectFrom('open311_keys')
    .selectAll()
    .where('key_hash', '=', hash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function revokeKey(db: Db, id: number, by: number | null, at: Date): Promise<boolean> {
  const result = await db
    .updateTable('open311_keys')
    .set({ revoked_at: at, revoked_by: by })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

// ---- what clients sent ------------------------------------------------------------------------------------

export async function insertRequest(db: Db, row: Open311RequestRow): Promise<void> {
  await db
    .insertInto('open311_requests')
    .values({ ...row, attributes: JSON.stringify(row.attributes) })
    .onConflict((oc) => oc.column('case_id').doNothing())
    .execute();
}

export async function insertPending(db: Db, row: Omit<Open311PendingRow, 'case_id' | 'placed_at'>) {
  await db
    .insertInto('open311_pending')
    .values({ ...row, request: JSON.stringify(row.request), case_id: null, placed_at: null })
    .execute();
}

export type PendingWithCase = Open311PendingRow & { case_number: string | null };

export async function findPending(db: Db, token: string): Promise<PendingWithCase | undefined> {
  return db
    .selectFrom('open311_pending as p')
    .leftJoin('cases as c', 'c.id', 'p.case_id')
    .selectAll('p')
    .select('c.case_number')
    .where('p.token', '=', token)
    .executeTakeFirst();
}

/**
 * Queued reports a scope may place: those whose key's region and jurisdiction each lie in the scope or hold it
 * (a village dispatcher places the town key's queued reports that fall in the village). No jurisdiction is the
 * whole server's.
 */
export async function listOpenPending(db: Db, scope: Scope, limit: number): Promise<Open311PendingRow[]> {
  return db
    .selectFrom('open311_pending as p')
    .innerJoin('open311_keys as k', 'k.id', 'p.key_id')
    .selectAll('p')
    .where('p.case_id', 'is', null)
    .where((eb) =>
      scope.kind === 'regions'
        ? eb.and([
            eb.or([
              regionCondition(eb, 'k.region_code', scope),
              sql<boolean>`${scope.prefix} like k.region_code || '%'`,
            ]),
            eb.or([
              regionCondition(eb, 'p.jurisdiction', scope),
              sql<boolean>`${scope.prefix} like coalesce(p.jurisdiction, '') || '%'`,
            ]),
          ])
        : regionCondition(eb, 'p.jurisdiction', scope),
    )
    .orderBy('p.created_at')
    .limit(limit)
    .execute();
}

export async function markPlaced(db: Db, token: string, caseId: number, at: Date): Promise<boolean> {
  const result = await db
    .updateTable('open311_pending')
    .set({ case_id: caseId, placed_at: at })
    .where('token', '=', token)
    .where('case_id', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The update a client already posted on a request under its id: update ids are the client's, per request. */
export async function findClientUpdate(db: Db, keyId: number, caseId: number, clientUpdateId: string) {
  return db
    .selectFrom('open311_client_updates')
    .selectAll()
    .where('key_id', '=', keyId)
    .where('case_id', '=', caseId)
    .where('client_update_id', '=', clientUpdateId)
    .executeTakeFirst();
}

export async function insertClientUpdate(
  db: Db,
  row: {
    key_id: number;
    client_update_id: string;
    case_id: number;
    case_event_id: number;
    status: string;
    created_at: Date;
  },
): Promise<void> {
  await db.insertInto('open311_client_updates').values(row).execute();
}

// ---- the public read model of cases ----------------------------------------------------------------------

export interface RequestFilter {
  /** The jurisdiction's region code, or '' for every region. */
  regionPrefix: string;
  caseNumbers?: readonly string[];
  categoryIds?: readonly number[];
  /** Created at or after this instant. */
  from?: Date;
  /** Created before this instant (exclusive: the reads pass the end of the second an end_date names). */
  before?: Date;
  closed?: boolean;
  limit: number;
  /** The sources whose cases the server publishes (besides those Open311 clients sent). */
  sources: readonly string[];
}

/** Cases of public categories, newest first, with what the public answer shows and nothing personal. */
export async function listPublicRequests(db: Db, filter: RequestFilter) {
  let query = db
    .selectFrom('cases as c')
    .innerJoin('categories as cat', 'cat.id', 'c.category_id')
    .innerJoin('regions as r', 'r.code', 'c.region_code')
    .leftJoin('departments as d', 'd.id', 'c.lead_department_id')
    .leftJoin('open311_requests as o', 'o.case_id', 'c.id')
    .select([
      'c.id',
      'c.case_number',
      'c.state',
      'c.category_id',
      'c.description',
      'c.address',
      'c.lon',
      'c.lat',
      'c.step_due_at',
      'c.created_at',
      'c.updated_at',
      'c.closed_at',
      'r.name as region_name',
      'd.name as department_name',
      'o.media_url',
      'o.address_id',
      // Staff may hide a description from the public (moderation): the answer then says so instead.
      sql<boolean>`exists (select 1 from case_moderation m where m.case_id = c.id and m.target = 'description')`.as(
        'description_hidden',
      ),
    ])
    .where('cat.public', '=', true)
    .where(publicSource(filter.sources))
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(filter.limit);
  if (filter.regionPrefix) query = query.where('c.region_code', 'like', likePrefix(filter.regionPrefix));
  if (filter.caseNumbers) query = query.where('c.case_number', 'in', [...filter.caseNumbers, '']);
  if (filter.categoryIds) query = query.where('c.category_id', 'in', [...filter.categoryIds, -1]);
  if (filter.from) query = query.where('c.created_at', '>=', filter.from);
  if (filter.before) query = query.where('c.created_at', '<', filter.before);
  if (filter.closed !== undefined) {
    query = query.where('c.closed_at', filter.closed ? 'is not' : 'is', null);
  }
  return query.execute();
}
export type PublicRequestRow = Awaited<ReturnType<typeof listPublicRequests>>[number];

/** The latest public step of each case: its status notes. */
export async function latestPublicSteps(db: Db, caseIds: readonly number[], actions: readonly string[]) {
  if (caseIds.length === 0) return [];
  const result = await sql<{ case_id: number; action: string; to_state: string; reason: string | null }>`
    select distinct on (case_id) case_id, action, to_state, data->>'reason' as reason
    from case_events
    where case_id = any(${[...caseIds]}::bigint[]) and action = any(${[...actions]}::text[])
    order by case_id, id desc`.execute(db);
  return result.rows;
}

/** Public steps in a time window, oldest first: GET servicerequestupdates. */
export async function listPublicSteps(
  db: Db,
  filter: {
    regionPrefix: string;
    from: Date;
    before: Date;
    actions: readonly string[];
    limit: number;
    sources: readonly string[];
  },
) {
  let query = db
    .selectFrom('case_events as e')
    .innerJoin('cases as c', 'c.id', 'e.case_id')
    .innerJoin('categories as cat', 'cat.id', 'c.category_id')
    .select([
      'e.id',
      'e.action',
      'e.to_state',
      'e.at',
      'c.case_number',
      sql<string | null>`e.data->>'reason'`.as('reason'),
    ])
    .where('cat.public', '=', true)
    .where(publicSource(filter.sources))
    .where('e.action', 'in', [...filter.actions])
    .where('e.at', '>=', filter.from)
    .where('e.at', '<', filter.before)
    .orderBy('e.at')
    .orderBy('e.id')
    .limit(filter.limit);
  if (filter.regionPrefix) query = query.where('c.region_code', 'like', likePrefix(filter.regionPrefix));
  return query.execute();
}

/** A case of a public category by its number, for a client's update. */
export async function findPublicCase(db: Db, caseNumber: string, sources: readonly string[]) {
  return db
    .selectFrom('cases as c')
    .innerJoin('categories as cat', 'cat.id', 'c.category_id')
    .select(['c.id', 'c.region_code'])
    .where('c.case_number', '=', caseNumber)
    .where('cat.public', '=', true)
    .where(publicSource(sources))
    .executeTakeFirst();
}

/**
 * The public may read a case of a source the server publishes (`sources`: PUBLIC_CASE_SOURCES unless configured)
 * or one an Open311 client sent; an inspection, a staff or grid worker's report — and a hotline order, unless the
 * town publishes them — is never shown, whatever id is asked for.
 */
function publicSource(sources: readonly string[]) {
  return sql<boolean>`(c.source = any(${[...sources]}::text[])
    or exists (select 1 from open311_requests q where q.case_id = c.id))`;
}

/**
 * When categories or their fields last changed — created, edited, given fields, or imported (how a server's
 * categories are first loaded) — the discovery changeset.
 */
export async function lastCategoryChange(db: Db): Promise<Date | null> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.max('occurred_at').as('at'))
    .where((eb) => eb.or([eb('action', 'like', 'category.%'), eb('action', '=', 'categories.import')]))
    .executeTakeFirst();
  return row?.at ? new Date(row.at as Date) : null;
}
