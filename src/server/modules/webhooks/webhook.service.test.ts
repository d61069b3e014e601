import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookEvent } from '../../../shared/webhooks.ts';
import type { AppError } from '../../errors.ts';
import {
  createUser,
  seedCaseReference,
  seedTerritory,
  TERRITORY,
  type TestUser,
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../testing/webhook-receiver.ts';
import { createCaseService } from '../cases/case.service.ts';
import { systemActor } from '../people/actor.ts';

const SECRET = 'test-secret-of-the-receiver-0001';
const MINUTE = 60_000;

describe('outgoing webhooks and SMS', () => {
  let ctx: TestContext;
  let categoryId: number;
  let sanitationId: number;
  const users: Record<string, TestUser> = {};
  const receivers: WebhookReceiver[] = [];
  const system = systemActor();

  beforeAll(async () => {
    // The test receivers listen on loopback, which only an administrator's allow list opens.
    ctx = await createTestContext({
      config: { sms: 'log', outboundAllow: ['127.0.0.1'] },
      now: new Date('2026-11-23T09:00:00+08:00'),
    });
    await seedTerritory(ctx);
    sanitationId = (await seedCaseReference(ctx))['JJ-HW'] ?? 0;
    const minors = (await ctx.services.categories.getCategoryTree()).flatMap((m) => m.children);
    categoryId = minors.find((c) => c.kind === 'matter' && c.code === '06010')?.id ?? 0;
    users.worker = await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.heqing });
    users.dispatcher = await createUser(ctx, { role: 'dispatcher', regionCode: TERRITORY.town });
    users.sanitation = await createUser(ctx, {
      role: 'departmentHandler',
      regionCode: TERRITORY.town,
      departmentId: sanitationId,
    });
    users.leader = await createUser(ctx, { role: 'leader', regionCode: TERRITORY.town });
    await givePhone(users.sanitation, '13800138000');
    await givePhone(users.leader, '13900139000');
  });
  afterAll(async () => {
    for (const receiver of receivers) await receiver.close();
    await ctx.close();
  });

  async function givePhone(user: TestUser | undefined, phone: string) {
    const current = await ctx.services.people.getUser(system, user?.id ?? 0);
    await ctx.services.people.updateUser(system, current.id, { version: current.version, phone });
  }

  async function receiverWithWebhook(events: WebhookEvent[], actor = system) {
    const receiver = await startWebhookReceiver(SECRET);
    receivers.push(receiver);
    const webhook = await ctx.services.webhooks.createWebhook(actor, {
      name: `接收端 ${receivers.length}`,
      url: receiver.url,
      events,
      secret: SECRET,
    });
    return { receiver, webhook };
  }

  const deliveries = async (webhookId: number) =>
    (await ctx.services.webhooks.listDeliveries(system, webhookId, { page: 1, pageSize: 200 })).items;

  const report = () =>
    ctx.services.cases.reportCase(users.worker?.actor ?? system, {
      categoryId,
      description: '河清路口有一堆暴露垃圾',
      lon: 112.945,
      lat: 22.85,
    });

  const act = async (user: TestUser | undefined, caseId: number, action: string, input = {}) => {
    const current = await ctx.services.cases.getCase(system, caseId);
    return ctx.services.cases.actOnCase(user?.actor ?? system, {
      caseId,
      action: action as never,
      version: current.version,
      input: input as never,
    });
  };

  it('queues each step’s delivery with the step and sends it signed', async () => {
    const { receiver, webhook } = await receiverWithWebhook(['case.reported', 'case.dispatched']);
    expect(webhook.secret).toBe(SECRET);
    const reported = await report();
    await act(users.dispatcher, reported.id, 'register');
    await act(users.dispatcher, reported.id, 'dispatch', { leadDepartmentId: sanitationId });

    // Queued by the steps themselves, before any worker ran; register is not subscribed to.
    const queued = await deliveries(webhook.id);
    // Both steps happened at the same instant of the test clock, so the log may list them either way.
    expect(queued.map((d) => [d.event, d.status, d.caseNumber]).sort()).toEqual([
      ['case.dispatched', 'pending', reported.caseNumber],
      ['case.reported', 'pending', reported.caseNumber],
    ]);
    expect(receiver.received).toHaveLength(0);

    expect(await ctx.services.webhooks.deliverDueWebhooks()).toEqual({ delivered: 2, failed: 0 });
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
    const dispatched = receiver.received.find((r) => r.body.event === 'case.dispatched');
    expect(dispatched?.headers).toMatchObject({
      'content-type': 'application/json',
      'x-gridgov-event': 'case.dispatched',
      'x-gridgov-delivery': dispatched?.body.deliveryId,
      'x-gridgov-timestamp': String(Math.floor(ctx.clock.now().getTime() / 1000)),
    });
    expect(dispatched?.body).toMatchObject({
      occurredAt: new Date('2026-11-23T09:00:00+08:00').toISOString(),
      case: {
        id: reported.id,
        caseNumber: reported.caseNumber,
        state: 'dispatched',
        categoryCode: '06010',
        regionCode: TERRITORY.heqingGrids[0],
        leadDepartmentCode: 'JJ-HW',
        stepDueAt: expect.stringMatching(/^2026-11-23T\d\d:\d\d:\d\d\.000Z$/),
      },
    });
    expect(receiver.received.find((r) => r.body.event === 'case.reported')?.body.case).toMatchObject({
      state: 'reported',
      leadDepartmentCode: null,
    });
    expect((await deliveries(webhook.id)).map((d) => [d.status, d.attempts, d.lastStatusCode])).toEqual([
      ['delivered', 1, 200],
      ['delivered', 1, 200],
    ]);
    // Nothing is sent twice.
    expect(await ctx.services.webhooks.deliverDueWebhooks()).toEqual({ delivered: 0, failed: 0 });
    await ctx.services.webhooks.updateWebhook(system, webhook.id, {
      version: webhook.version,
      active: false,
    });
  });

  it('sends only subscribed events of cases inside the webhook’s scope', async () => {
    const yingmingAdmin = await createUser(ctx, { role: 'administrator', regionCode: TERRITORY.yingming });
    const elsewhere = await receiverWithWebhook(['case.reported'], yingmingAdmin.actor);
    const closedOnly = await receiverWithWebhook(['case.closed']);
    await report();
    expect(await deliveries(closedOnly.webhook.id)).toEqual([]);
    expect(await deliveries(elsewhere.webhook.id)).toEqual([]);
    // The 英明 administrator neither sees nor changes webhooks beyond 英明.
    expect((await ctx.services.webhooks.listWebhooks(yingmingAdmin.actor)).map((w) => w.id)).toEqual([
      elsewhere.webhook.id,
    ]);
    const denied = await ctx.services.webhooks
      .getWebhook(yingmingAdmin.actor, closedOnly.webhook.id)
      .catch((e: unknown) => e);
    expect((denied as AppError).code).toBe('FORBIDDEN_SCOPE');
    for (const { webhook } of [elsewhere, closedOnly])
      await ctx.services.webhooks.updateWebhook(system, webhook.id, {
        version: webhook.version,
        active: false,
      });
  });

  it('retries a failing receiver with growing waits, gives up after 8 attempts, and retries by hand', async () => {
    const { receiver, webhook } = await receiverWithWebhook(['case.reported']);
    receiver.answer(500);
    const reported = await report();
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 8; attempt++) {
      await ctx.services.webhooks.deliverDueWebhooks();
      const [delivery] = await deliveries(webhook.id);
      expect(delivery).toMatchObject({
        attempts: attempt,
        lastStatusCode: 500,
        lastError: 'HTTP 500: receiver broke',
      });
      if (attempt === 8) {
        expect(delivery).toMatchObject({ status: 'dead', nextAttemptAt: null });
        break;
      }
      expect(delivery?.status).toBe('failed');
      const next = new Date(delivery?.nextAttemptAt ?? 0).getTime();
      waits.push((next - ctx.clock.now().getTime()) / MINUTE);
      // Not due before its time: a worker round now sends nothing.
      await ctx.services.webhooks.deliverDueWebhooks();
      expect(receiver.received).toHaveLength(attempt);
      ctx.clock.set(new Date(next));
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 60]);
    expect(receiver.received).toHaveLength(8);
    // The same delivery every time: same id, same body.
    expect(new Set(receiver.received.map((r) => r.headers['x-gridgov-delivery'])).size).toBe(1);
    expect(
      receiver.received.every((r) => r.body.case && (r.body.case as { id: number }).id === reported.id),
    ).toBe(true);
    ctx.clock.advance(24 * 60 * MINUTE);
    expect(await ctx.services.webhooks.deliverDueWebhooks()).toEqual({ delivered: 0, failed: 0 });

    receiver.answer(204);
    const [dead] = await deliveries(webhook.id);
    const retried = await ctx.services.webhooks.retryDelivery(system, webhook.id, dead?.id ?? '');
    expect(retried).toMatchObject({ status: 'delivered', attempts: 9, lastStatusCode: 204, lastError: null });
    const again = await ctx.services.webhooks
      .retryDelivery(system, webhook.id, dead?.id ?? '')
      .catch((e: unknown) => e);
    expect((again as AppError).code).toBe('ILLEGAL_TRANSITION');
    await ctx.services.webhooks.updateWebhook(system, webhook.id, {
      version: webhook.version,
      active: false,
    });
  });

  it('queues nothing for a step whose transaction is rolled back', async () => {
    const { webhook } = await receiverWithWebhook(['case.registered']);
    const reported = await report();
    // The same service whose last write in the step's transaction, the audit entry, fails.
    const failing = createCaseService({
      db: ctx.database.db,
      clock: ctx.clock,
      ...ctx.services,
      audit: {
        ...ctx.services.audit,
        record: async () => {
          throw new Error('disk full');
        },
      },
    });
    const error = await failing
      .actOnCase(users.dispatcher?.actor ?? system, {
        caseId: reported.id,
        action: 'register',
        version: reported.version,
        input: {},
      })
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe('disk full');
    expect((await ctx.services.cases.getCase(system, reported.id)).state).toBe('reported');
    expect(await deliveries(webhook.id)).toEqual([]);

    await act(users.dispatcher, reported.id, 'register');
    expect((await deliveries(webhook.id)).map((d) => d.event)).toEqual(['case.registered']);
    await ctx.services.webhooks.updateWebhook(system, webhook.id, {
      version: webhook.version,
      active: false,
    });
  });

  it('texts a new task to the department and an overdue case to the leader, and sends case.overdue', async () => {
    const { receiver } = await receiverWithWebhook(['case.overdue']);
    const sms = ctx.services.sms;
    if (!sms) throw new Error('SMS is on in this test context');
    await ctx.services.notifications.sendDueSms(); // what earlier tests queued
    const before = sms.sent.length;
    const reported = await report();
    await act(users.dispatcher, reported.id, 'register');
    await act(users.dispatcher, reported.id, 'dispatch', { leadDepartmentId: sanitationId });
    // Texted only once sent: the inbox row is written with the step, the SMS after the commit.
    expect(sms.sent.length).toBe(before);
    await ctx.services.notifications.sendDueSms();
    expect(sms.sent.slice(before)).toEqual([
      { phone: '13800138000', text: expect.stringContaining(`新任务：案件 ${reported.caseNumber}`) },
    ]);

    // The handling step (4 working hours) runs out.
    ctx.clock.advance(3 * 24 * 60 * MINUTE);
    await ctx.services.cases.sweepOverdue();
    expect(await ctx.services.notifications.sendDueSms()).toBeGreaterThan(0);
    const texts = sms.sent.slice(before + 1);
    expect(texts).toContainEqual({
      phone: '13900139000',
      text: expect.stringContaining(`红灯：案件 ${reported.caseNumber}`),
    });
    expect(texts).toContainEqual({
      phone: '13800138000',
      text: expect.stringContaining(`红灯：案件 ${reported.caseNumber}`),
    });
    // Users without a phone (the dispatcher) get the inbox message only; nothing is texted twice.
    expect(texts.every((t) => ['13800138000', '13900139000'].includes(t.phone))).toBe(true);
    expect(await ctx.services.notifications.sendDueSms()).toBe(0);

    await ctx.services.webhooks.deliverDueWebhooks();
    const overdue = receiver.received.find(
      (r) => (r.body.case as { id: number } | undefined)?.id === reported.id,
    );
    expect(overdue?.body).toMatchObject({
      event: 'case.overdue',
      case: { overdue: true, state: 'dispatched' },
    });
  });

  it('deletes settled deliveries after the kept days, and keeps those still to be sent', async () => {
    const delivered = await receiverWithWebhook(['case.reported']);
    const failing = await receiverWithWebhook(['case.reported']);
    failing.receiver.answer(503);
    await report();
    await ctx.services.webhooks.deliverDueWebhooks();
    expect((await deliveries(delivered.webhook.id)).map((d) => d.status)).toEqual(['delivered']);
    expect((await deliveries(failing.webhook.id)).map((d) => d.status)).toEqual(['failed']);

    ctx.clock.advance(29 * 24 * 60 * MINUTE);
    await ctx.services.webhooks.pruneDeliveries();
    expect(await deliveries(delivered.webhook.id)).toHaveLength(1);

    ctx.clock.advance(2 * 24 * 60 * MINUTE);
    // A delivery settled today stays while the month-old one goes.
    await report();
    failing.receiver.answer(204);
    await ctx.services.webhooks.deliverDueWebhooks();
    expect(await ctx.services.webhooks.pruneDeliveries()).toBeGreaterThanOrEqual(1);
    expect((await deliveries(delivered.webhook.id)).map((d) => d.status)).toEqual(['delivered']);
    // The failing one was retried and delivered only now: its month-old creation does not settle it earlier.
    expect((await deliveries(failing.webhook.id)).map((d) => d.status)).toEqual(['delivered', 'delivered']);
    for (const { webhook } of [delivered, failing]) {
      await ctx.services.webhooks.updateWebhook(system, webhook.id, {
        version: webhook.version,
        active: false,
      });
    }
  });
});
