import type { z } from 'zod';
import type {
  createOpen311EndpointSchema,
  Open311Endpoint,
  Open311Outbound,
  OutboundStatus,
  outboundListQuerySchema,
  updateOpen311EndpointSchema,
} from '../../../shared/open311.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { AppError, conflict, ENTITY, notFound } from '../../errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { CaseService } from '../cases/case.service.ts';
import type { CaseDispatched } from '../cases/case-events.ts';
import { assertInScope, assertRole } from '../people/access.policy.ts';
import { type Actor, systemActor } from '../people/actor.ts';
import { regionScope } from '../people/scope.ts';
import type { PeopleService } from '../people/user.service.ts';
import { createOutboundGuard, type OutboundGuard } from '../webhooks/outbound-guard.ts';
import { describeFailure, retryDelayMs } from '../webhooks/webhook.service.ts';
import { w3cDateTime } from './open311-format.ts';
import { presentEndpoint, presentOutbound } from './open311-outbound.presenter.ts';
import * as outbound from './open311-outbound.repository.ts';

export type CreateEndpointInput = z.infer<typeof createOpen311EndpointSchema>;
export type UpdateEndpointInput = z.infer<typeof updateOpen311EndpointSchema>;
export type OutboundListQuery = z.infer<typeof outboundListQuerySchema>;

const MANAGE_ENDPOINTS = { zh: '管理 Open311 对接系统', en: 'manage Open311 endpoints' };

const STATUS_LABELS: Record<OutboundStatus, { zh: string; en: string }> = {
  pending: { zh: '待发送', en: 'pending' },
  sent: { zh: '已送达', en: 'sent' },
  failed: { zh: '重试中', en: 'retrying' },
  dead: { zh: '已失败', en: 'failed' },
};

const BATCH = 20;
const MAX_BATCHES = 10;
/** What the send log keeps of a remote server's error answer: never the whole body. */
const RESPONSE_EXCERPT = 200;
/** The most of an answer read: a full page of 1,000 updates fits many times over. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;
/** A pull starts this much before the last one ended, so an update stamped late by the remote clock is kept. */
const PULL_OVERLAP_MS = 10 * 60_000;
/** The GeoReport servers' longest date range (gridgov's is 90 days). */
const PULL_WINDOW_MS = 89 * 86_400_000;
/** Servers answer at most this many updates: a full answer is paged on from its last update. */
const PULL_PAGE = 1_000;

export interface Open311OutboundServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  people: Pick<PeopleService, 'getDepartment'>;
  cases: Pick<CaseService, 'recordClientUpdate'>;
  /** How long a remote server has to answer. */
  timeoutMs?: number;
  /** Attempts before a send is given up (dead); it can still be retried by hand. */
  maxAttempts?: number;
  /** How often each endpoint's updates are pulled. */
  pullIntervalMs?: number;
  /** Where requests may go (GRIDGOV_OUTBOUND_ALLOW); without it no private address is reached. */
  outbound?: OutboundGuard;
}

/** A GeoReport v2 update as servers answer it (servicerequestupdates.json). */
interface RemoteUpdate {
  update_id?: unknown;
  service_request_id?: unknown;
  status?: unknown;
  updated_datetime?: unknown;
  description?: unknown;
  media_url?: unknown;
}

type Answer = { ok: true; body: unknown } | { ok: false; error: string };

export type Open311OutboundService = ReturnType<typeof createOpen311OutboundService>;

/**
 * Open311 outbound: a department that keeps its own system takes its cases over GeoReport v2. A dispatch to it
 * queues the case in the dispatch's transaction (the outbox, as webhooks do); `sendDue` posts queued cases as
 * requests with backoff (1, 2, 4 … 60 min, dead after 8 attempts); `pullUpdates` reads the remote
 * servicerequestupdates and puts each update of a case we sent on its timeline once.
 */
export function createOpen311OutboundService(deps: Open311OutboundServiceDeps) {
  const { db, clock, audit, people, cases } = deps;
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const maxAttempts = deps.maxAttempts ?? 8;
  const pullIntervalMs = deps.pullIntervalMs ?? 60_000;
  const guard = deps.outbound ?? createOutboundGuard();
  const leaseMs = timeoutMs * 6;

  /**
   * Queues a case just dispatched to a department for that department's endpoints, in the dispatch's
   * transaction: a subscriber to the cases' dispatches (deps.ts).
   */
  async function enqueueDispatched(trx: Db, event: CaseDispatched): Promise<void> {
    await outbound.enqueueDispatched(trx, event);
  }

  async function getManaged(actor: Actor, id: number) {
    assertRole(actor, ['administrator'], MANAGE_ENDPOINTS);
    const row = await outbound.findEndpoint(db, id);
    if (!row) throw notFound(ENTITY.open311Endpoint, id);
    // An endpoint belongs to its department's region: administrators manage those within their scope.
    assertInScope(actor, row.department_region_code ?? '', row.name);
    return row;
  }

  async function listEndpoints(actor: Actor): Promise<Open311Endpoint[]> {
    assertRole(actor, ['administrator'], MANAGE_ENDPOINTS);
    return (await outbound.listEndpoints(db, regionScope(actor))).map(presentEndpoint);
  }

  async function getEndpoint(actor: Actor, id: number): Promise<Open311Endpoint> {
    return presentEndpoint(await getManaged(actor, id));
  }

  /** Adds an endpoint; updates from the moment it is added on are pulled. */
  async function createEndpoint(actor: Actor, input: CreateEndpointInput): Promise<Open311Endpoint> {
    assertRole(actor, ['administrator'], MANAGE_ENDPOINTS);
    await guard.assertAllowedUrl(input.baseUrl, 'baseUrl');
    await people.getDepartment(actor, input.departmentId);
    const now = clock.now();
    const id = await db.transaction().execute(async (trx) => {
      const newId = await outbound.insertEndpoint(trx, {
        name: input.name,
        department_id: input.departmentId,
        base_url: input.baseUrl.replace(/\/+$/, ''),
        api_key: input.apiKey,
        jurisdiction_id: input.jurisdictionId,
        category_ids: [...new Set(input.categoryIds)],
        active: input.active,
        pulled_until: now,
        created_by: actor.id > 0 ? actor.id : null,
        created_at: now,
      });
      await audit.record(trx, {
        actor,
        action: 'open311.endpoint.create',
        entityType: 'open311Endpoint',
        entityId: newId,
        details: { name: input.name, departmentId: input.departmentId, baseUrl: input.baseUrl },
      });
      return newId;
    });
    return getEndpoint(actor, id);
  }

  async function updateEndpoint(
    actor: Actor,
    id: number,
    input: UpdateEndpointInput,
  ): Promise<Open311Endpoint> {
    const row = await getManaged(actor, id);
    if (input.baseUrl !== undefined) await guard.assertAllowedUrl(input.baseUrl, 'baseUrl');
    if (input.departmentId !== undefined) await people.getDepartment(actor, input.departmentId);
    const changes: outbound.EndpointChanges = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.departmentId !== undefined) changes.department_id = input.departmentId;
    if (input.baseUrl !== undefined) changes.base_url = input.baseUrl.replace(/\/+$/, '');
    if (input.apiKey !== undefined) changes.api_key = input.apiKey;
    if (input.jurisdictionId !== undefined) changes.jurisdiction_id = input.jurisdictionId;
    if (input.categoryIds !== undefined) changes.category_ids = [...new Set(input.categoryIds)];
    if (input.active !== undefined) changes.active = input.active;
    await db.transaction().execute(async (trx) => {
      if (!(await outbound.updateEndpointAtVersion(trx, id, input.version, changes)))
        throw conflict(ENTITY.open311Endpoint, row.version);
      const { api_key: _key, ...logged } = changes;
      await audit.record(trx, {
        actor,
        action: 'open311.endpoint.update',
        entityType: 'open311Endpoint',
        entityId: id,
        details: { ...logged, apiKeyReplaced: input.apiKey !== undefined },
      });
    });
    return getEndpoint(actor, id);
  }

  /** Removes an endpoint with its send log; deactivating keeps the log. */
  async function deleteEndpoint(actor: Actor, id: number): Promise<void> {
    const row = await getManaged(actor, id);
    await db.transaction().execute(async (trx) => {
      await outbound.deleteEndpoint(trx, id);
      await audit.record(trx, {
        actor,
        action: 'open311.endpoint.delete',
        entityType: 'open311Endpoint',
        entityId: id,
        details: { name: row.name, baseUrl: row.base_url },
      });
    });
  }

  async function listOutbound(actor: Actor, query: OutboundListQuery): Promise<Open311Outbound[]> {
    assertRole(actor, ['administrator'], MANAGE_ENDPOINTS);
    return (await outbound.listOutbound(db, { ...query, scope: regionScope(actor) })).map(presentOutbound);
  }

  /** Attempts a failed or dead send now, once more; if that fails too it waits or is dead again. */
  async function retryOutbound(actor: Actor, id: number): Promise<Open311Outbound> {
    assertRole(actor, ['administrator'], MANAGE_ENDPOINTS);
    const row = await outbound.findOutbound(db, id);
    if (!row) throw notFound(ENTITY.open311Outbound, id);
    assertInScope(actor, row.case_region_code, row.case_number);
    await db.transaction().execute(async (trx) => {
      if (!(await outbound.makeDueNow(trx, id, clock.now()))) {
        const status = STATUS_LABELS[row.status];
        throw new AppError('ILLEGAL_TRANSITION', {
          text: {
            zh: `该转送记录状态为「${status.zh}」，只有「重试中」或「已失败」的记录可以立即重试。`,
            en: `This send is ${status.en}; only retrying or failed sends can be retried now.`,
          },
        });
      }
      await audit.record(trx, {
        actor,
        action: 'open311.outbound.retry',
        entityType: 'open311Endpoint',
        entityId: row.endpoint_id,
        details: { outboundId: id, caseId: row.case_id, status: row.status, attempts: row.attempts },
      });
    });
    await claimAndSend({ limit: 1, id });
    const after = await outbound.findOutbound(db, id);
    if (!after) throw notFound(ENTITY.open311Outbound, id);
    return presentOutbound(after);
  }

  /** Sends every queued case that is due, in rounds; safe in several processes at once (rows are claimed). */
  async function sendDue(): Promise<{ sent: number; failed: number }> {
    const total = { sent: 0, failed: 0 };
    for (let round = 0; round < MAX_BATCHES; round++) {
      const outcomes = await claimAndSend({ limit: BATCH });
      for (const status of outcomes) total[status === 'sent' ? 'sent' : 'failed'] += 1;
      if (outcomes.length < BATCH) break;
    }
    return total;
  }

  async function claimAndSend(options: { limit: number; id?: number }): Promise<OutboundStatus[]> {
    const now = clock.now();
    const claimed = await outbound.claimDue(db, {
      now,
      leaseUntil: new Date(now.getTime() + leaseMs),
      limit: options.limit,
      ...(options.id === undefined ? {} : { id: options.id }),
    });
    return Promise.all(claimed.map(attempt));
  }

  async function attempt(row: outbound.ClaimedOutbound): Promise<OutboundStatus> {
    const result = row.active ? await postRequest(row) : { error: 'endpoint deactivated' };
    const now = clock.now();
    let outcome: outbound.OutboundOutcome;
    if ('error' in result) {
      const dead = !row.active || row.attempts >= maxAttempts;
      outcome = {
        status: dead ? 'dead' : 'failed',
        next_attempt_at: dead ? null : new Date(now.getTime() + retryDelayMs(row.attempts)),
        last_error: result.error,
        remote_request_id: null,
        remote_token: null,
        sent_at: null,
      };
    } else {
      outcome = {
        status: 'sent',
        next_attempt_at: null,
        last_error: null,
        remote_request_id: result.requestId,
        remote_token: result.token,
        sent_at: now,
      };
    }
    await outbound.recordOutcome(db, row.id, row.attempts, outcome);
    return outcome.status;
  }

  /** POST requests.json: the case as a new request; the answer names it, or gives a token to resolve later. */
  async function postRequest(
    row: outbound.ClaimedOutbound,
  ): Promise<{ requestId: string | null; token: string | null } | { error: string }> {
    const form = new URLSearchParams({
      api_key: row.api_key,
      service_code: row.service_code,
      description: row.description,
    });
    if (row.jurisdiction_id) form.set('jurisdiction_id', row.jurisdiction_id);
    if (row.lat !== null && row.lon !== null) {
      form.set('lat', String(row.lat));
      form.set('long', String(row.lon));
    }
    if (row.address) form.set('address_string', row.address);
    const answer = await call(`${row.base_url}/requests.json`, { method: 'POST', body: form });
    if (!answer.ok) return answer;
    const first = Array.isArray(answer.body)
      ? (answer.body[0] as Record<string, unknown> | undefined)
      : undefined;
    const requestId = textOf(first?.service_request_id);
    const token = textOf(first?.token);
    if (requestId === null && token === null) {
      return { error: 'answer without service_request_id or token' };
    }
    return { requestId, token };
  }

  /**
   * Pulls the updates of every active endpoint not pulled within the interval (or the one named, at once):
   * resolves tokens of queued requests, then records each update of a request we sent on its case, once.
   */
  async function pullUpdates(
    options: { endpointId?: number } = {},
  ): Promise<{ recorded: number; failed: number }> {
    const now = clock.now();
    const before = options.endpointId === undefined ? new Date(now.getTime() - pullIntervalMs) : now;
    const endpoints = await outbound.listEndpointsToPull(db, before, options.endpointId);
    const total = { recorded: 0, failed: 0 };
    for (const endpoint of endpoints) {
      try {
        total.recorded += await pullEndpoint(endpoint, now);
      } catch (error) {
        total.failed += 1;
        await outbound.recordPull(db, endpoint.id, {
          last_pull_at: now,
          last_pull_error: (error instanceof Error ? error.message : String(error)).slice(
            0,
            RESPONSE_EXCERPT * 2,
          ),
        });
      }
    }
    return total;
  }

  async function pullEndpoint(
    endpoint: Awaited<ReturnType<typeof outbound.listEndpointsToPull>>[number],
    now: Date,
  ): Promise<number> {
    for (const pending of await outbound.listUnresolvedTokens(db, endpoint.id)) {
      const answer = await call(
        `${endpoint.base_url}/tokens/${encodeURIComponent(pending.remote_token)}.json?${query(endpoint, {})}`,
      );
      if (!answer.ok) throw new Error(`tokens/${pending.remote_token}: ${answer.error}`);
      const first = Array.isArray(answer.body)
        ? (answer.body[0] as Record<string, unknown> | undefined)
        : undefined;
      const requestId = textOf(first?.service_request_id);
      if (requestId !== null) await outbound.setRemoteRequestId(db, pending.id, requestId);
    }

    const start = new Date(endpoint.pulled_until.getTime() - PULL_OVERLAP_MS);
    const end = new Date(Math.min(now.getTime(), start.getTime() + PULL_WINDOW_MS));
    const answer = await call(
      `${endpoint.base_url}/servicerequestupdates.json?${query(endpoint, {
        start_date: w3cDateTime(start),
        end_date: w3cDateTime(end),
      })}`,
    );
    if (!answer.ok) throw new Error(`servicerequestupdates: ${answer.error}`);
    const updates = (Array.isArray(answer.body) ? answer.body : []) as RemoteUpdate[];
    const caseOf = await outbound.casesOfRemoteIds(db, endpoint.id, [
      ...new Set(updates.map((u) => textOf(u.service_request_id)).filter((id) => id !== null)),
    ]);
    const actor = systemActor(endpoint.name);
    let recorded = 0;
    for (const update of updates) {
      const updateId = textOf(update.update_id);
      const caseId = caseOf.get(textOf(update.service_request_id) ?? '');
      if (updateId === null || caseId === undefined) continue;
      if (
        !(await outbound.claimUpdate(db, {
          endpoint_id: endpoint.id,
          update_id: updateId,
          case_id: caseId,
          created_at: now,
        }))
      )
        continue;
      const remoteStatus = textOf(update.status);
      try {
        const eventId = await cases.recordClientUpdate(actor, caseId, {
          note: textOf(update.description) ?? remoteStatus ?? updateId,
          data: {
            endpointId: endpoint.id,
            remoteStatus,
            updateId,
            updatedAt: textOf(update.updated_datetime),
            mediaUrl: textOf(update.media_url),
          },
        });
        await outbound.setUpdateEvent(db, endpoint.id, updateId, eventId);
        recorded += 1;
      } catch (error) {
        await outbound.forgetUpdate(db, endpoint.id, updateId);
        throw error;
      }
    }
    // A full page may have left later updates out: the next pull goes on from the last one answered.
    const last =
      updates.length >= PULL_PAGE ? Date.parse(String(updates.at(-1)?.updated_datetime)) : Number.NaN;
    await outbound.recordPull(db, endpoint.id, {
      last_pull_at: now,
      last_pull_error: null,
      pulled_until: Number.isNaN(last) ? end : new Date(last + PULL_OVERLAP_MS),
    });
    return recorded;
  }

  function query(
    endpoint: { api_key: string; jurisdiction_id: string | null },
    params: Record<string, string>,
  ): string {
    const search = new URLSearchParams({ ...params, api_key: endpoint.api_key });
    if (endpoint.jurisdiction_id) search.set('jurisdiction_id', endpoint.jurisdiction_id);
    return search.toString();
  }

  /** One request to a remote server: a 2xx JSON answer, or what went wrong as the send log shows it. */
  async function call(url: string, init: { method?: 'POST'; body?: URLSearchParams } = {}): Promise<Answer> {
    try {
      // The address is checked again as the connection is made: the URL's name may resolve elsewhere by now.
      const response = await guard.send(url, {
        method: init.method ?? 'GET',
        timeoutMs,
        maxBytes: MAX_ANSWER_BYTES,
        headers: {
          Accept: 'application/json',
          'User-Agent': 'gridgov-open311',
          ...(init.body ? { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' } : {}),
        },
        ...(init.body ? { body: init.body.toString() } : {}),
      });
      const text = response.body;
      if (response.status >= 200 && response.status < 300) {
        try {
          return { ok: true, body: JSON.parse(text) };
        } catch {
          return { ok: false, error: `HTTP ${response.status}: not JSON` };
        }
      }
      return { ok: false, error: `HTTP ${response.status}: ${errorText(text)}` };
    } catch (error) {
      return { ok: false, error: describeFailure(error, timeoutMs) };
    }
  }

  /** Work for the server's timer: send what is due, then pull the endpoints due a pull. */
  async function syncDue(): Promise<void> {
    await sendDue();
    await pullUpdates();
  }

  return {
    enqueueDispatched,
    listEndpoints,
    getEndpoint,
    createEndpoint,
    updateEndpoint,
    deleteEndpoint,
    listOutbound,
    retryOutbound,
    sendDue,
    pullUpdates,
    syncDue,
  };
}

/** A GeoReport error answer's descriptions (`[{code, description}]`), else an excerpt of the body. */
function errorText(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (Array.isArray(parsed)) {
      const descriptions = parsed
        .map((e) => textOf((e as { description?: unknown }).description))
        .filter(Boolean);
      if (descriptions.length > 0) return descriptions.join('; ').slice(0, RESPONSE_EXCERPT);
    }
  } catch {
    // not JSON: shown as it came
  }
  return body.trim().slice(0, RESPONSE_EXCERPT);
}

/** A JSON scalar as text; null when missing or empty. */
function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number') return String(value);
  return null;
}
