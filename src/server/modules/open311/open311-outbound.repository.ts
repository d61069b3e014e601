import { type Insertable, sql } from 'kysely';
import type { OutboundStatus } from '../../../shared/open311.ts';
import type { Db } from '../../db/database.ts';
import { regionCondition, type Scope } from '../people/scope.ts';
import type {
  Open311EndpointRow,
  Open311EndpointTable,
  Open311OutboundRow,
} from './open311-outbound.table.ts';

/** An endpoint with its department's name and region, and how many of its sends failed or died. */
export type EndpointWithNames = Open311EndpointRow & {
  department_name: string | null;
  department_region_code: string | null;
  failed_count: number;
};

function endpointsWithNames(db: Db) {
  return db
    .selectFrom('open311_endpoints as e')
    .leftJoin('departments as d', 'd.id', 'e.department_id')
    .selectAll('e')
    .select([
      'd.name as department_name',
      'd.region_code as department_region_code',
      sql<number>`(select count(*)::int from open311_outbound o
        where o.endpoint_id = e.id and o.status in ('failed', 'dead'))`.as('failed_count'),
    ]);
}

/** The endpoints of departments within a scope. */
export async function listEndpoints(db: Db, scope: Scope): Promise<EndpointWithNames[]> {
  return endpointsWithNames(db)
    .where((eb) => regionCondition(eb, 'd.region_code', scope))
    .orderBy('e.id')
    .execute();
}

export async function findEndpoint(db: Db, id: number): Promise<EndpointWithNames | undefined> {
  return endpointsWithNames(db).where('e.id', '=', id).executeTakeFirst();
}

export async function insertEndpoint(db: Db, row: Insertable<Open311EndpointTable>): Promise<number> {
  const inserted = await db
    .insertInto('open311_endpoints')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export type EndpointChanges = Partial<
  Pick<
    Open311EndpointRow,
    'name' | 'department_id' | 'base_url' | 'api_key' | 'jurisdiction_id' | 'category_ids' | 'active'
  >
>;

export async function updateEndpointAtVersion(
  db: Db,
  id: number,
  version: number,
  changes: EndpointChanges,
): Promise<boolean> {
  const result = await db
    .updateTable('open311_endpoints')
    .set({ ...changes, version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteEndpoint(db: Db, id: number): Promise<void> {
  await db.deleteFrom('open311_outbound_updates').where('endpoint_id', '=', id).execute();
  await db.deleteFrom('open311_outbound').where('endpoint_id', '=', id).execute();
  await db.deleteFrom('open311_endpoints').where('id', '=', id).execute();
}

/**
 * Queues a case dispatched to a department for every active endpoint of that department taking its category,
 * once per case and endpoint (a case dispatched there again is not sent again).
 */
export async function enqueueDispatched(
  db: Db,
  options: { caseId: number; departmentId: number; categoryId: number; at: Date },
): Promise<number> {
  const result = await sql`
    insert into open311_outbound (case_id, endpoint_id, status, next_attempt_at, created_at)
    select ${options.caseId}, e.id, 'pending', ${options.at}, ${options.at}
    from open311_endpoints e
    where e.active and e.department_id = ${options.departmentId}
      and (cardinality(e.category_ids) = 0 or ${options.categoryId}::int = any(e.category_ids))
    on conflict (case_id, endpoint_id) do nothing`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

/** An outbound row as the admin list shows it. */
export type OutboundListRow = Open311OutboundRow & { case_number: string; case_region_code: string };

function outboundForList(db: Db) {
  return db
    .selectFrom('open311_outbound as o')
    .innerJoin('cases as c', 'c.id', 'o.case_id')
    .selectAll('o')
    .select(['c.case_number', 'c.region_code as case_region_code']);
}

/** Sends of cases within a scope, newest first. */
export async function listOutbound(
  db: Db,
  options: {
    scope: Scope;
    status?: OutboundStatus | undefined;
    endpointId?: number | undefined;
    limit: number;
  },
): Promise<OutboundListRow[]> {
  let query = outboundForList(db).where((eb) => regionCondition(eb, 'c.region_code', options.scope));
  if (options.status) query = query.where('o.status', '=', options.status);
  if (options.endpointId !== undefined) query = query.where('o.endpoint_id', '=', options.endpointId);
  return query.orderBy('o.created_at', 'desc').orderBy('o.id', 'desc').limit(options.limit).execute();
}

export async function findOutbound(db: Db, id: number): Promise<OutboundListRow | undefined> {
  return outboundForList(db).where('o.id', '=', id).executeTakeFirst();
}

/** An outbound row claimed for one attempt, with what posting it needs. */
export interface ClaimedOutbound {
  id: number;
  attempts: number;
  base_url: string;
  api_key: string;
  jurisdiction_id: string | null;
  active: boolean;
  description: string;
  lon: number | null;
  lat: number | null;
  address: string | null;
  service_code: string;
}

/**
 * Claims up to `limit` due rows (or the one named): counts the attempt and moves the due time to `leaseUntil`,
 * skipping rows another process has locked — the same lease as the webhook outbox.
 */
export async function claimDue(
  db: Db,
  options: { now: Date; leaseUntil: Date; limit: number; id?: number },
): Promise<ClaimedOutbound[]> {
  const only = options.id === undefined ? sql`` : sql`and id = ${options.id}`;
  const result = await sql<ClaimedOutbound>`
    update open311_outbound o
    set attempts = o.attempts + 1, next_attempt_at = ${options.leaseUntil}
    from open311_endpoints e, cases c, categories k
    where e.id = o.endpoint_id and c.id = o.case_id and k.id = c.category_id and o.id in (
      select id from open311_outbound
      where status in ('pending', 'failed') and next_attempt_at <= ${options.now} ${only}
      order by next_attempt_at
      limit ${options.limit}
      for update skip locked)
    returning o.id, o.attempts, e.base_url, e.api_key, e.jurisdiction_id, e.active,
      c.description, c.lon, c.lat, c.address, k.code as service_code`.execute(db);
  return result.rows.map((r) => ({ ...r, id: Number(r.id) }));
}

export type OutboundOutcome = Pick<
  Open311OutboundRow,
  'status' | 'next_attempt_at' | 'last_error' | 'remote_request_id' | 'remote_token' | 'sent_at'
>;

/** Records an attempt's outcome, unless a later attempt has claimed the row since. */
export async function recordOutcome(
  db: Db,
  id: number,
  attempts: number,
  outcome: OutboundOutcome,
): Promise<void> {
  await db
    .updateTable('open311_outbound')
    .set(outcome)
    .where('id', '=', id)
    .where('attempts', '=', attempts)
    .execute();
}

/** Makes a failed or dead row due now; false when it is in neither state. */
export async function makeDueNow(db: Db, id: number, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('open311_outbound')
    .set({ status: 'failed', next_attempt_at: now })
    .where('id', '=', id)
    .where('status', 'in', ['failed', 'dead'])
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Active endpoints last pulled up to `before`. */
export async function listEndpointsToPull(db: Db, before: Date, id?: number): Promise<Open311EndpointRow[]> {
  let query = db
    .selectFrom('open311_endpoints')
    .selectAll()
    .where('active', '=', true)
    .where((eb) => eb.or([eb('last_pull_at', 'is', null), eb('last_pull_at', '<=', before)]));
  if (id !== undefined) query = query.where('id', '=', id);
  return query.orderBy('id').execute();
}

export async function recordPull(
  db: Db,
  id: number,
  pull: { last_pull_at: Date; last_pull_error: string | null; pulled_until?: Date },
): Promise<void> {
  await db.updateTable('open311_endpoints').set(pull).where('id', '=', id).execute();
}

/** Sent rows whose remote request id is still a token. */
export async function listUnresolvedTokens(
  db: Db,
  endpointId: number,
): Promise<{ id: number; remote_token: string }[]> {
  const rows = await db
    .selectFrom('open311_outbound')
    .select(['id', 'remote_token'])
    .where('endpoint_id', '=', endpointId)
    .where('status', '=', 'sent')
    .where('remote_request_id', 'is', null)
    .where('remote_token', 'is not', null)
    .execute();
  return rows.map((r) => ({ id: Number(r.id), remote_token: r.remote_token ?? '' }));
}

export async function setRemoteRequestId(db: Db, id: number, remoteRequestId: string): Promise<void> {
  await db
    .updateTable('open311_outbound')
    .set({ remote_request_id: remoteRequestId })
    .where('id', '=', id)
    .execute();
}

/** Our case of each remote service_request_id sent through the endpoint. */
export async function casesOfRemoteIds(
  db: Db,
  endpointId: number,
  remoteIds: readonly string[],
): Promise<Map<string, number>> {
  if (remoteIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('open311_outbound')
    .select(['case_id', 'remote_request_id'])
    .where('endpoint_id', '=', endpointId)
    .where('remote_request_id', 'in', [...remoteIds])
    .execute();
  return new Map(rows.map((r) => [r.remote_request_id ?? '', Number(r.case_id)]));
}

/** Claims a remote update for recording; false when it was recorded (or claimed) before. */
export async function claimUpdate(
  db: Db,
  row: { endpoint_id: number; update_id: string; case_id: number; created_at: Date },
): Promise<boolean> {
  const result = await db
    .insertInto('open311_outbound_updates')
    .values({ ...row, case_event_id: null })
    .onConflict((oc) => oc.columns(['endpoint_id', 'update_id']).doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

export async function setUpdateEvent(
  db: Db,
  endpointId: number,
  updateId: string,
  caseEventId: number,
): Promise<void> {
  await db
    .updateTable('open311_outbound_updates')
    .set({ case_event_id: caseEventId })
    .where('endpoint_id', '=', endpointId)
    .where('update_id', '=', updateId)
    .execute();
}

/** Releases a claimed update whose recording failed, so the next pull records it. */
export async function forgetUpdate(db: Db, endpointId: number, updateId: string): Promise<void> {
  await db
    .deleteFrom('open311_outbound_updates')
    .where('endpoint_id', '=', endpointId)
    .where('update_id', '=', updateId)
    .execute();
}
