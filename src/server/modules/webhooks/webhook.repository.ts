import { sql } from 'kysely';
import type { DeliveryStatus } from '../../../shared/webhooks.ts';
import type { Db } from '../../db/database.ts';
import { regionCondition, type Scope } from '../people/scope.ts';
import type { WebhookDeliveryRow, WebhookRow, WebhookTable } from './webhook.table.ts';

/** A webhook with the names shown beside its codes. */
export type WebhookWithNames = WebhookRow & { region_name: string | null; created_by_name: string | null };

function webhooksWithNames(db: Db) {
  return db
    .selectFrom('webhooks')
    .leftJoin('regions', 'regions.code', 'webhooks.region_code')
    .leftJoin('users', 'users.id', 'webhooks.created_by')
    .selectAll('webhooks')
    .select(['regions.name as region_name', 'users.display_name as created_by_name']);
}

export async function listWebhooks(db: Db, scope: Scope): Promise<WebhookWithNames[]> {
  return webhooksWithNames(db)
    .where((eb) => regionCondition(eb, 'webhooks.region_code', scope))
    .orderBy('id')
    .execute();
}

export async function findWebhook(db: Db, id: number): Promise<WebhookWithNames | undefined> {
  return webhooksWithNames(db).where('webhooks.id', '=', id).executeTakeFirst();
}

/** Every event some active webhook subscribes to. */
export async function listSubscribedEvents(db: Db): Promise<string[]> {
  const rows = await sql<{ event: string }>`
    select distinct unnest(events) as event from webhooks where active`.execute(db);
  return rows.rows.map((r) => r.event);
}

export async function insertWebhook(
  db: Db,
  row: Omit<WebhookTable, 'id' | 'active' | 'version'>,
): Promise<number> {
  const inserted = await db.insertInto('webhooks').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export type WebhookChanges = Partial<Pick<WebhookRow, 'name' | 'url' | 'events' | 'active' | 'secret'>>;

export async function updateWebhookAtVersion(
  db: Db,
  id: number,
  version: number,
  changes: WebhookChanges,
): Promise<boolean> {
  const result = await db
    .updateTable('webhooks')
    .set({ ...changes, version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteWebhook(db: Db, id: number): Promise<void> {
  await db.deleteFrom('webhooks').where('id', '=', id).execute();
}

/**
 * Queues one delivery per active webhook subscribed to `event` and covering the case's region, for each
 * case, in one statement however many cases there are (an overdue sweep may flag thousands). The body is
 * built here from the case as the caller's transaction has just written it.
 */
export async function enqueueCaseDeliveries(
  db: Db,
  options: { event: string; caseIds: readonly number[]; at: Date },
): Promise<number> {
  if (options.caseIds.length === 0) return 0;
  const ids = [...options.caseIds];
  const occurredAt = options.at.toISOString();
  // `offset 0` keeps the subquery from being merged into the insert, so each row draws its id once and the
  // body carries the same id as the row.
  const result = await sql`
    insert into webhook_deliveries (id, webhook_id, event_type, case_id, payload, status, next_attempt_at, created_at)
    select d.id, d.webhook_id, ${options.event}, d.case_id,
      jsonb_build_object(
        'deliveryId', d.id, 'event', ${options.event}::text, 'occurredAt', ${occurredAt}::text, 'case', d.summary),
      'pending', ${options.at}, ${options.at}
    from (
      select gen_random_uuid() as id, w.id as webhook_id, c.id as case_id,
        jsonb_build_object(
          'id', c.id,
          'caseNumber', c.case_number,
          'state', c.state,
          'categoryKind', k.kind,
          'categoryCode', k.code,
          'categoryName', k.name,
          'regionCode', c.region_code,
          'regionName', r.name,
          'leadDepartmentCode', dep.code,
          'stepDueAt', to_char(c.step_due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          'overdue', c.overdue,
          'supervised', c.supervised) as summary
      from webhooks w
      join cases c on c.id = any(${ids}::bigint[]) and c.region_code like w.region_code || '%'
      join categories k on k.id = c.category_id
      join regions r on r.code = c.region_code
      left join departments dep on dep.id = c.lead_department_id
      where w.active and ${options.event}::text = any(w.events)
      offset 0
    ) d`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

export async function insertDelivery(
  db: Db,
  row: {
    id: string;
    webhook_id: number;
    event_type: string;
    payload: Record<string, unknown>;
    at: Date;
  },
): Promise<void> {
  await db
    .insertInto('webhook_deliveries')
    .values({
      id: row.id,
      webhook_id: row.webhook_id,
      event_type: row.event_type,
      case_id: null,
      payload: JSON.stringify(row.payload),
      status: 'pending',
      next_attempt_at: row.at,
      last_status_code: null,
      last_error: null,
      created_at: row.at,
      delivered_at: null,
    })
    .execute();
}

/** A delivery as the log lists it: the body is left out, its case number picked from it. */
export type DeliveryListRow = Omit<WebhookDeliveryRow, 'payload'> & { case_number: string | null };

function deliveriesForLog(db: Db) {
  return db
    .selectFrom('webhook_deliveries')
    .select([
      'id',
      'webhook_id',
      'event_type',
      'case_id',
      'status',
      'attempts',
      'next_attempt_at',
      'last_status_code',
      'last_error',
      'created_at',
      'delivered_at',
      sql<string | null>`payload -> 'case' ->> 'caseNumber'`.as('case_number'),
    ]);
}

export async function listDeliveries(
  db: Db,
  options: { webhookId: number; status?: DeliveryStatus | undefined; limit: number; offset: number },
): Promise<DeliveryListRow[]> {
  let query = deliveriesForLog(db).where('webhook_id', '=', options.webhookId);
  if (options.status) query = query.where('status', '=', options.status);
  return query
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(options.limit)
    .offset(options.offset)
    .execute();
}

export async function findDelivery(db: Db, id: string): Promise<DeliveryListRow | undefined> {
  return deliveriesForLog(db).where('id', '=', id).executeTakeFirst();
}

/** A delivery claimed for one attempt, with what sending it needs. */
export interface ClaimedDelivery {
  id: string;
  event_type: string;
  payload: Record<string, unknown>;
  attempts: number;
  url: string;
  secret: string;
  active: boolean;
}

/**
 * Claims up to `limit` due deliveries (or the one named) for an attempt: counts the attempt and moves the
 * due time to `leaseUntil`, so neither another process (rows locked by it are skipped) nor this one's next
 * round picks them up while the request runs. If the process dies mid-attempt, the row is due again when
 * the lease ends.
 */
export async function claimDueDeliveries(
  db: Db,
  options: { now: Date; leaseUntil: Date; limit: number; id?: string },
): Promise<ClaimedDelivery[]> {
  const only = options.id === undefined ? sql`` : sql`and id = ${options.id}`;
  const result = await sql<ClaimedDelivery>`
    update webhook_deliveries d
    set attempts = d.attempts + 1, next_attempt_at = ${options.leaseUntil}
    from webhooks w
    where w.id = d.webhook_id and d.id in (
      select id from webhook_deliveries
      where status in ('pending', 'failed') and next_attempt_at <= ${options.now} ${only}
      order by next_attempt_at
      limit ${options.limit}
      for update skip locked)
    returning d.id, d.event_type, d.payload, d.attempts, w.url, w.secret, w.active`.execute(db);
  return result.rows;
}

export type DeliveryOutcome = Pick<
  WebhookDeliveryRow,
  'status' | 'next_attempt_at' | 'last_status_code' | 'last_error' | 'delivered_at'
>;

/** Records an attempt's outcome, unless a later attempt has claimed the row since (its lease ran out). */
export async function recordOutcome(
  db: Db,
  id: string,
  attempts: number,
  outcome: DeliveryOutcome,
): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set(outcome)
    .where('id', '=', id)
    .where('attempts', '=', attempts)
    .execute();
}

/**
 * Deletes up to `limit` settled deliveries that settled before `before`: delivered ones by when they were delivered,
 * given-up ones by when they were queued (their last attempt came within hours of it). Returns how many.
 */
export async function deleteSettledDeliveries(
  db: Db,
  options: { before: Date; limit: number },
): Promise<number> {
  const result = await db
    .deleteFrom('webhook_deliveries')
    .where(
      'id',
      'in',
      db
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('status', 'in', ['delivered', 'dead'])
        .where(sql<Date>`coalesce(delivered_at, created_at)`, '<', options.before)
        .limit(options.limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Makes a failed or dead delivery due now; false when it is in neither state (any more). */
export async function makeDueNow(db: Db, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({ status: 'failed', next_attempt_at: now })
    .where('id', '=', id)
    .where('status', 'in', ['failed', 'dead'])
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
