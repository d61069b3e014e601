import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createApp,
  createUser,
  type HttpSession,
  httpLogin,
  seedTerritory,
  TERRITORY,
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../testing/webhook-receiver.ts';

describe('HTTP: webhooks (administrator only)', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let admin: HttpSession;
  let dispatcher: HttpSession;
  let receiver: WebhookReceiver;
  let secret = '';

  beforeAll(async () => {
    // The test receiver listens on loopback, which only an administrator's allow list opens.
    ctx = await createTestContext({ config: { outboundAllow: ['127.0.0.1'] } });
    await seedTerritory(ctx);
    app = await createApp(ctx);
    const adminUser = await createUser(ctx, { role: 'administrator', regionCode: TERRITORY.town });
    const dispatcherUser = await createUser(ctx, { role: 'dispatcher', regionCode: TERRITORY.town });
    admin = await httpLogin(app, adminUser.username);
    dispatcher = await httpLogin(app, dispatcherUser.username);
  });
  afterAll(async () => {
    await receiver?.close();
    await app.close();
    await ctx.close();
  });

  const call = (
    session: HttpSession,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
    locale = 'zh-CN',
  ) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'accept-language': locale },
      ...(payload ? { payload } : {}),
    });

  it('shows the generated secret once, and sends a signed test event on request', async () => {
    const created = await call(admin, 'POST', '/webhooks', {
      name: '区指挥中心',
      url: 'http://127.0.0.1:9/placeholder',
      events: ['case.dispatched', 'case.overdue', 'case.dispatched'],
    });
    expect(created.statusCode).toBe(200);
    const webhook = created.json();
    expect(webhook).toMatchObject({
      name: '区指挥中心',
      events: ['case.dispatched', 'case.overdue'],
      active: true,
      regionCode: TERRITORY.town,
      regionName: '九江镇',
    });
    secret = webhook.secret;
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const listed = await call(admin, 'GET', '/webhooks');
    expect(listed.json()).toHaveLength(1);
    expect(listed.json()[0]).not.toHaveProperty('secret');

    receiver = await startWebhookReceiver(secret);
    const moved = await call(admin, 'PATCH', `/webhooks/${webhook.id}`, {
      version: webhook.version,
      url: receiver.url,
    });
    expect(moved.json()).toMatchObject({ url: receiver.url, version: webhook.version + 1 });

    const test = await call(admin, 'POST', `/webhooks/${webhook.id}/test`);
    expect(test.statusCode).toBe(200);
    expect(test.json()).toMatchObject({
      event: 'webhook.test',
      status: 'delivered',
      attempts: 1,
      lastStatusCode: 200,
    });
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]).toMatchObject({
      signatureValid: true,
      body: { event: 'webhook.test', deliveryId: test.json().id, case: null },
    });

    const log = await call(admin, 'GET', `/webhooks/${webhook.id}/deliveries?status=delivered`);
    expect(log.json()).toMatchObject({ items: [{ id: test.json().id, status: 'delivered' }], more: false });
    const retried = await call(admin, 'POST', `/webhooks/${webhook.id}/deliveries/${test.json().id}/retry`);
    expect(retried.statusCode).toBe(409);
    expect(retried.json().error).toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    expect(retried.json().error.message).toContain('已送达');

    const audit = await ctx.database.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('entity_type', '=', 'webhook')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['webhook.create', 'webhook.update', 'webhook.test']);
    expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it('refuses everyone but administrators', async () => {
    for (const [method, url] of [
      ['GET', '/webhooks'],
      ['POST', '/webhooks'],
      ['GET', '/webhooks/1/deliveries'],
      ['POST', '/webhooks/1/test'],
    ] as const) {
      const response = await call(dispatcher, method, url, {
        name: '外部系统',
        url: 'https://example.org/hook',
        events: ['case.closed'],
      });
      expect(response.statusCode, `${method} ${url}`).toBe(403);
      expect(response.json().error.code).toBe('FORBIDDEN_ROLE');
    }
    const anonymous = await app.inject({ method: 'GET', url: '/api/v1/webhooks' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('says what is wrong with a webhook that cannot be sent to, in the user’s language', async () => {
    const response = await call(
      admin,
      'POST',
      '/webhooks',
      { name: '坏地址', url: 'ftp://example.org/hook', events: [] },
      'en-US',
    );
    expect(response.statusCode).toBe(400);
    const messages = response.json().error.details.issues.map((i: { message: string }) => i.message);
    expect(messages).toContain('a full address starting with http:// or https://');
    expect(messages).toContain('choose at least one event');
  });

  it('deactivates and deletes, each step audited', async () => {
    const created = (
      await call(admin, 'POST', '/webhooks', {
        name: '临时',
        url: 'https://example.org/hook',
        events: ['case.closed'],
        secret: 'a-secret-chosen-by-the-receiver',
      })
    ).json();
    expect(created.secret).toBe('a-secret-chosen-by-the-receiver');
    const off = await call(admin, 'PATCH', `/webhooks/${created.id}`, {
      version: created.version,
      active: false,
    });
    expect(off.json()).toMatchObject({ active: false });
    const stale = await call(admin, 'PATCH', `/webhooks/${created.id}`, {
      version: created.version,
      active: true,
    });
    expect(stale.statusCode).toBe(409);
    expect((await call(admin, 'DELETE', `/webhooks/${created.id}`)).statusCode).toBe(204);
    expect((await call(admin, 'GET', `/webhooks/${created.id}`)).statusCode).toBe(404);
    const actions = await ctx.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_type', '=', 'webhook')
      .where('entity_id', '=', String(created.id))
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual(['webhook.create', 'webhook.update', 'webhook.delete']);
  });
});
