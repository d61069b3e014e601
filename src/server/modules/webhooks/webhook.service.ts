import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { CaseAction } from '../../../shared/case-workflow.ts';
import type { LocalizedText } from '../../../shared/errors.ts';
import {
  type createWebhookSchema,
  type Delivery,
  type DeliveryPage,
  type DeliveryStatus,
  type deliveryListQuerySchema,
  type updateWebhookSchema,
  WEBHOOK_TEST_EVENT,
  type Webhook,
  type WebhookCreated,
  type WebhookEvent,
} from '../../../shared/webhooks.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { AppError, conflict, ENTITY, notFound } from '../../errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { assertInScope, assertRole } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';
import { regionScope } from '../people/scope.ts';
import { createOutboundGuard, type OutboundGuard } from './outbound-guard.ts';
import { presentDelivery, presentWebhook } from './webhook.presenter.ts';
import * as webhooks from './webhook.repository.ts';

export type CreateWebhookInput = z.infer<typeof createWebhookSchema>;
export type UpdateWebhookInput = z.infer<typeof updateWebhookSchema>;
export type DeliveryListQuery = z.infer<typeof deliveryListQuerySchema>;

const MANAGE_WEBHOOKS = { zh: '管理 Webhook 推送', en: 'manage webhooks' };

const STATUS_LABELS: Record<DeliveryStatus, LocalizedText> = {
  pending: { zh: '待发送', en: 'pending' },
  delivered: { zh: '已送达', en: 'delivered' },
  failed: { zh: '重试中', en: 'retrying' },
  dead: { zh: '已失败', en: 'failed' },
};

/**
 * The webhook event each case history entry sends, by the entry's action ('report' and the sweep's
 * 'escalate' besides the workflow actions). Actions not listed send nothing.
 */
const EVENT_OF_CASE_ACTION: Partial<Record<CaseAction | 'report' | 'escalate', WebhookEvent>> = {
  report: 'case.reported',
  register: 'case.registered',
  reject: 'case.rejected',
  dispatch: 'case.dispatched',
  accept: 'case.accepted',
  return: 'case.returned',
  finish: 'case.finished',
  verifyFail: 'case.reworked',
  verifyPass: 'case.closed',
  handleOnTheSpot: 'case.closed',
  escalate: 'case.overdue',
  supervise: 'case.supervised',
};

/** Deliveries claimed per round, and rounds per call: a backlog drains without one call running for ever. */
const BATCH = 50;
const MAX_BATCHES = 20;
/** Settled deliveries deleted per statement when the log is pruned. */
const PRUNE_BATCH = 10_000;
/** What the delivery log keeps of a receiver's answer: enough to tell what went wrong, never the whole body. */
const RESPONSE_EXCERPT = 200;
const SUBSCRIPTIONS_MS = 5_000;

export interface WebhookServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  /** How long a receiver has to answer. */
  timeoutMs?: number;
  /** Attempts before a delivery is given up (dead); it can still be retried by hand. */
  maxAttempts?: number;
  /** Days settled deliveries stay in the log (`pruneDeliveries`); 0 keeps them all. */
  keepDays?: number;
  /** Where deliveries may go (GRIDGOV_OUTBOUND_ALLOW); without it no private address is reached. */
  outbound?: OutboundGuard;
}

/** Wait before the next attempt after `attempts` failed ones: 1 min, 2, 4 … up to an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(attempts - 1, 0), 3_600_000);
}

/** The X-Gridgov-Signature header: HMAC-SHA256 of "<timestamp>.<body>" with the webhook's secret. */
export function signatureOf(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export type WebhookService = ReturnType<typeof createWebhookService>;

/**
 * Outgoing webhooks. A case step queues its deliveries in its own transaction (the outbox), so a step
 * rolled back sends nothing and a step committed is sent even if the process dies right after; a worker
 * (`deliverDueWebhooks`, every few seconds in each server process) sends them, signed, and retries with
 * backoff. Receivers get each delivery at least once and tell repeats by the delivery id.
 */
export function createWebhookService(deps: WebhookServiceDeps) {
  const { db, clock, audit } = deps;
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const maxAttempts = deps.maxAttempts ?? 8;
  const keepDays = deps.keepDays ?? 30;
  const outbound = deps.outbound ?? createOutboundGuard();
  // Longer than any attempt can take, so a claim lapses only when its process has died.
  const leaseMs = timeoutMs * 6;

  // The events some active webhook wants, re-read every few seconds: most towns have no webhooks, and report
  // intake then skips the enqueue statement. Changes made here apply at once; another server process sees a
  // new webhook within SUBSCRIPTIONS_MS.
  let subscriptions: { readAt: number; events: Set<string> } | null = null;

  /** Whether some active webhook subscribes to the event a case history entry of this action sends. */
  async function anySubscribed(action: CaseAction | 'report' | 'escalate'): Promise<boolean> {
    const event = EVENT_OF_CASE_ACTION[action];
    if (!event) return false;
    if (!subscriptions || Date.now() - subscriptions.readAt > SUBSCRIPTIONS_MS) {
      subscriptions = { readAt: Date.now(), events: new Set(await webhooks.listSubscribedEvents(db)) };
    }
    return subscriptions.events.has(event);
  }

  /** Queues the deliveries of case history entries, in the transaction that writes them. */
  async function enqueueCaseEvent(
    trx: Db,
    options: { action: CaseAction | 'report' | 'escalate'; caseIds: readonly number[]; at: Date },
  ): Promise<void> {
    const event = EVENT_OF_CASE_ACTION[options.action];
    if (!event) return;
    await webhooks.enqueueCaseDeliveries(trx, { event, caseIds: options.caseIds, at: options.at });
  }

  async function getManaged(actor: Actor, id: number) {
    assertRole(actor, ['administrator'], MANAGE_WEBHOOKS);
    const row = await webhooks.findWebhook(db, id);
    if (!row) throw notFound(ENTITY.webhook, id);
    assertInScope(actor, row.region_code, row.name);
    return row;
  }

  async function listWebhooks(actor: Actor): Promise<Webhook[]> {
    assertRole(actor, ['administrator'], MANAGE_WEBHOOKS);
    return (await webhooks.listWebhooks(db, regionScope(actor))).map(presentWebhook);
  }

  async function getWebhook(actor: Actor, id: number): Promise<Webhook> {
    return presentWebhook(await getManaged(actor, id));
  }

  /** Creates a webhook covering the administrator's data scope; the answer is the only one with the secret. */
  async function createWebhook(actor: Actor, input: CreateWebhookInput): Promise<WebhookCreated> {
    assertRole(actor, ['administrator'], MANAGE_WEBHOOKS);
    await outbound.assertAllowedUrl(input.url, 'url');
    const secret = input.secret ?? randomBytes(32).toString('base64url');
    const events = [...new Set(input.events)];
    const id = await db.transaction().execute(async (trx) => {
      const newId = await webhooks.insertWebhook(trx, {
        name: input.name,
        url: input.url,
        secret,
        events,
        region_code: actor.scopeCode,
        created_by: actor.id > 0 ? actor.id : null,
        created_at: clock.now(),
      });
      await audit.record(trx, {
        actor,
        action: 'webhook.create',
        entityType: 'webhook',
        entityId: newId,
        details: { name: input.name, url: input.url, events, regionCode: actor.scopeCode },
      });
      return newId;
    });
    subscriptions = null;
    return { ...(await getWebhook(actor, id)), secret };
  }

  async function updateWebhook(actor: Actor, id: number, input: UpdateWebhookInput): Promise<Webhook> {
    const row = await getManaged(actor, id);
    if (input.url !== undefined) await outbound.assertAllowedUrl(input.url, 'url');
    const changes: webhooks.WebhookChanges = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.url !== undefined) changes.url = input.url;
    if (input.events !== undefined) changes.events = [...new Set(input.events)];
    if (input.active !== undefined) changes.active = input.active;
    if (input.secret !== undefined) changes.secret = input.secret;
    await db.transaction().execute(async (trx) => {
      if (!(await webhooks.updateWebhookAtVersion(trx, id, input.version, changes)))
        throw conflict(ENTITY.webhook, row.version);
      const { secret: _secret, ...logged } = changes;
      await audit.record(trx, {
        actor,
        action: 'webhook.update',
        entityType: 'webhook',
        entityId: id,
        details: { ...logged, secretReplaced: input.secret !== undefined },
      });
    });
    subscriptions = null;
    return getWebhook(actor, id);
  }

  /** Removes a webhook and its delivery log; deactivating keeps the log. */
  async function deleteWebhook(actor: Actor, id: number): Promise<void> {
    const row = await getManaged(actor, id);
    await db.transaction().execute(async (trx) => {
      await webhooks.deleteWebhook(trx, id);
      await audit.record(trx, {
        actor,
        action: 'webhook.delete',
        entityType: 'webhook',
        entityId: id,
        details: { name: row.name, url: row.url },
      });
    });
    subscriptions = null;
  }

  async function listDeliveries(
    actor: Actor,
    webhookId: number,
    query: DeliveryListQuery,
  ): Promise<DeliveryPage> {
    await getManaged(actor, webhookId);
    const rows = await webhooks.listDeliveries(db, {
      webhookId,
      status: query.status,
      limit: query.pageSize + 1,
      offset: (query.page - 1) * query.pageSize,
    });
    return {
      items: rows.slice(0, query.pageSize).map(presentDelivery),
      page: query.page,
      pageSize: query.pageSize,
      more: rows.length > query.pageSize,
    };
  }

  /** Queues a `webhook.test` delivery and attempts it at once; the answer says how the receiver took it. */
  async function sendTestEvent(actor: Actor, webhookId: number): Promise<Delivery> {
    const row = await getManaged(actor, webhookId);
    const id = randomUUID();
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      await webhooks.insertDelivery(trx, {
        id,
        webhook_id: row.id,
        event_type: WEBHOOK_TEST_EVENT,
        payload: { deliveryId: id, event: WEBHOOK_TEST_EVENT, occurredAt: now.toISOString(), case: null },
        at: now,
      });
      await audit.record(trx, {
        actor,
        action: 'webhook.test',
        entityType: 'webhook',
        entityId: row.id,
        details: { deliveryId: id },
      });
    });
    return attemptNow(id);
  }

  /** Attempts a failed or dead delivery now, once more; if that fails too it waits or is dead again. */
  async function retryDelivery(actor: Actor, webhookId: number, deliveryId: string): Promise<Delivery> {
    await getManaged(actor, webhookId);
    const delivery = await webhooks.findDelivery(db, deliveryId);
    if (!delivery || delivery.webhook_id !== webhookId) throw notFound(ENTITY.webhookDelivery, deliveryId);
    await db.transaction().execute(async (trx) => {
      if (!(await webhooks.makeDueNow(trx, deliveryId, clock.now()))) {
        const status = STATUS_LABELS[delivery.status];
        throw new AppError('ILLEGAL_TRANSITION', {
          text: {
            zh: `该推送记录状态为「${status.zh}」，只有「重试中」或「已失败」的记录可以立即重试。`,
            en: `This delivery is ${status.en}; only retrying or failed deliveries can be retried now.`,
          },
        });
      }
      await audit.record(trx, {
        actor,
        action: 'webhook.delivery.retry',
        entityType: 'webhook',
        entityId: webhookId,
        details: { deliveryId, status: delivery.status, attempts: delivery.attempts },
      });
    });
    return attemptNow(deliveryId);
  }

  async function attemptNow(deliveryId: string): Promise<Delivery> {
    await claimAndSend({ limit: 1, id: deliveryId });
    const row = await webhooks.findDelivery(db, deliveryId);
    if (!row) throw notFound(ENTITY.webhookDelivery, deliveryId);
    return presentDelivery(row);
  }

  /**
   * Sends every delivery that is due, in rounds of concurrent requests. Safe to run in several processes at
   * once: each claims rows the others have not locked. Returns how many were delivered and how many failed.
   */
  async function deliverDueWebhooks(): Promise<{ delivered: number; failed: number }> {
    const total = { delivered: 0, failed: 0 };
    for (let round = 0; round < MAX_BATCHES; round++) {
      const outcomes = await claimAndSend({ limit: BATCH });
      for (const status of outcomes) total[status === 'delivered' ? 'delivered' : 'failed'] += 1;
      if (outcomes.length < BATCH) break;
    }
    return total;
  }

  /**
   * Deletes the deliveries settled (delivered, or given up) more than `keepDays` ago, a batch per statement so
   * that no statement holds the log for long. Pending and failed ones stay however old: they are still to be sent.
   * Returns how many went.
   */
  async function pruneDeliveries(): Promise<number> {
    if (keepDays === 0) return 0;
    const before = new Date(clock.now().getTime() - keepDays * 86_400_000);
    let total = 0;
    for (;;) {
      const deleted = await webhooks.deleteSettledDeliveries(db, { before, limit: PRUNE_BATCH });
      total += deleted;
      if (deleted < PRUNE_BATCH) return total;
    }
  }

  async function claimAndSend(options: { limit: number; id?: string }): Promise<DeliveryStatus[]> {
    const now = clock.now();
    const claimed = await webhooks.claimDueDeliveries(db, {
      now,
      leaseUntil: new Date(now.getTime() + leaseMs),
      limit: options.limit,
      ...(options.id ? { id: options.id } : {}),
    });
    return Promise.all(claimed.map(attempt));
  }

  async function attempt(delivery: webhooks.ClaimedDelivery): Promise<DeliveryStatus> {
    const result = delivery.active
      ? await post(delivery)
      : { statusCode: null, error: 'webhook deactivated' };
    const now = clock.now();
    let outcome: webhooks.DeliveryOutcome;
    if (result.error === null) {
      outcome = {
        status: 'delivered',
        next_attempt_at: null,
        last_status_code: result.statusCode,
        last_error: null,
        delivered_at: now,
      };
    } else {
      const dead = !delivery.active || delivery.attempts >= maxAttempts;
      outcome = {
        status: dead ? 'dead' : 'failed',
        next_attempt_at: dead ? null : new Date(now.getTime() + retryDelayMs(delivery.attempts)),
        last_status_code: result.statusCode,
        last_error: result.error,
        delivered_at: null,
      };
    }
    await webhooks.recordOutcome(db, delivery.id, delivery.attempts, outcome);
    return outcome.status;
  }

  /** One POST; a 2xx answer is success, anything else (redirects included) is an error to retry. */
  async function post(
    delivery: webhooks.ClaimedDelivery,
  ): Promise<{ statusCode: number | null; error: string | null }> {
    const body = JSON.stringify(delivery.payload);
    const timestamp = String(Math.floor(clock.now().getTime() / 1000));
    try {
      // The address is checked again as the connection is made: the URL's name may resolve elsewhere by now.
      const response = await outbound.send(delivery.url, {
        method: 'POST',
        timeoutMs,
        maxBytes: RESPONSE_EXCERPT * 4,
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'gridgov-webhooks',
          'X-Gridgov-Event': delivery.event_type,
          'X-Gridgov-Delivery': delivery.id,
          'X-Gridgov-Timestamp': timestamp,
          'X-Gridgov-Signature': signatureOf(delivery.secret, timestamp, body),
        },
        body,
      });
      if (response.status >= 200 && response.status < 300) {
        return { statusCode: response.status, error: null };
      }
      const excerpt = response.body.trim().slice(0, RESPONSE_EXCERPT);
      return {
        statusCode: response.status,
        error: `HTTP ${response.status}${excerpt ? `: ${excerpt}` : ''}`,
      };
    } catch (error) {
      return { statusCode: null, error: describeFailure(error, timeoutMs) };
    }
  }

  return {
    anySubscribed,
    enqueueCaseEvent,
    listWebhooks,
    getWebhook,
    createWebhook,
    updateWebhook,
    deleteWebhook,
    listDeliveries,
    sendTestEvent,
    retryDelivery,
    deliverDueWebhooks,
    pruneDeliveries,
  };
}

/** What went wrong on the way, as the delivery log shows it: "connect ECONNREFUSED …", "no answer in 10 s". */
export function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') {
    return `no answer within ${timeoutMs / 1000} s`;
  }
  if (!(error instanceof Error)) return String(error);
  // fetch reports network errors as "fetch failed" with the system error as the cause.
  const cause = (error as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? cause.message : error.message;
}
