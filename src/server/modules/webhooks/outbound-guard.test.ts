import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import type { AppError } from '../../errors.ts';
import { createUser, seedTerritory, TERRITORY, type TestUser } from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { createOutboundGuard } from './outbound-guard.ts';
import * as repository from './webhook.repository.ts';
import { createWebhookService } from './webhook.service.ts';

/** A local server counting requests, answering `status` with `body`. */
async function startServer(status: number, body: string) {
  let requests = 0;
  const server: Server = createServer((_request, response) => {
    requests += 1;
    response.statusCode = status;
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Outgoing URLs (webhooks, Open311 outbound) never reach the server's own network unless allowed. */
describe('outgoing requests to private addresses', () => {
  let ctx: TestContext;
  let admin: TestUser;
  let server: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    // No allow list: the configuration a town gets by default.
    ctx = await createTestContext();
    await seedTerritory(ctx);
    admin = await createUser(ctx, { role: 'administrator', regionCode: TERRITORY.town });
    server = await startServer(500, `<html>${'internal page '.repeat(5_000)}</html>`);
  });
  afterAll(async () => {
    await server.close();
    await ctx.close();
  });

  const refusal = async (promise: Promise<unknown>) => {
    const error = (await promise.then(
      () => null,
      (e: unknown) => e,
    )) as AppError | null;
    expect(error?.code).toBe('VALIDATION_FAILED');
    return error?.details as { issues: { path: string; message: string }[] };
  };

  it('refuses a webhook URL on loopback, link-local, private or CGNAT addresses, naming the field url', async () => {
    const urls = [
      `http://127.0.0.1:${server.port}/hook`,
      `http://localhost:${server.port}/hook`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.1.2.3/hook',
      'http://172.20.0.1/hook',
      'http://192.168.1.1/hook',
      'http://100.64.0.1/hook',
      'http://0.0.0.0/hook',
      'http://2130706433/hook',
      'http://[::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://[fd00::1]/hook',
      'http://[fe80::1]/hook',
    ];
    for (const url of urls) {
      const details = await refusal(
        ctx.services.webhooks.createWebhook(admin.actor, { name: '内网', url, events: ['case.reported'] }),
      );
      expect(details.issues[0]?.path, url).toBe('url');
      expect(details.issues[0]?.message, url).toContain('GRIDGOV_OUTBOUND_ALLOW');
    }
    // A public address is fine; so is a name that does not resolve yet (it is checked again on sending).
    for (const url of ['http://93.184.216.34/hook', 'https://hooks.example.invalid/hook']) {
      await expect(
        ctx.services.webhooks.createWebhook(admin.actor, { name: url, url, events: ['case.reported'] }),
      ).resolves.toMatchObject({ url });
    }
  });

  it('refuses the same on update, and for an Open311 endpoint’s base URL', async () => {
    const created = await ctx.services.webhooks.createWebhook(admin.actor, {
      name: '公网',
      url: 'http://93.184.216.35/hook',
      events: ['case.reported'],
    });
    const details = await refusal(
      ctx.services.webhooks.updateWebhook(admin.actor, created.id, {
        version: created.version,
        url: 'http://192.168.0.10/hook',
      }),
    );
    expect(details.issues[0]?.path).toBe('url');
    const endpoint = await refusal(
      ctx.services.open311Outbound.createEndpoint(admin.actor, {
        name: '内网系统',
        departmentId: 1,
        baseUrl: 'http://10.0.0.8/open311/v2',
        apiKey: 'k',
        jurisdictionId: null,
        categoryIds: [],
        active: true,
      }),
    );
    expect(endpoint.issues[0]?.path).toBe('baseUrl');
  });

  it('checks the address again when sending: a name that now resolves to loopback is not connected to', async () => {
    // As if the URL had been saved while its name pointed elsewhere.
    const id = await repository.insertWebhook(ctx.database.db, {
      name: '改了解析',
      url: `http://localhost:${server.port}/hook`,
      secret: 's'.repeat(32),
      events: ['case.reported'],
      region_code: TERRITORY.town,
      created_by: null,
      created_at: ctx.clock.now(),
    });
    const delivery = await ctx.services.webhooks.sendTestEvent(admin.actor, id);
    expect(delivery.status).toBe('failed');
    expect(delivery.lastError).toContain('GRIDGOV_OUTBOUND_ALLOW');
    expect(server.requests()).toBe(0);
  });

  it('keeps only a short excerpt of what an allowed receiver answered', async () => {
    const allowed = createWebhookService({
      db: ctx.database.db,
      clock: ctx.clock,
      audit: ctx.services.audit,
      outbound: createOutboundGuard(['127.0.0.1']),
    });
    const webhook = await allowed.createWebhook(admin.actor, {
      name: '本机接收端',
      url: `http://127.0.0.1:${server.port}/hook`,
      events: ['case.reported'],
    });
    const delivery = await allowed.sendTestEvent(admin.actor, webhook.id);
    expect(server.requests()).toBe(1);
    expect(delivery).toMatchObject({ status: 'failed', lastStatusCode: 500 });
    expect(delivery.lastError?.startsWith('HTTP 500: <html>internal page')).toBe(true);
    expect(delivery.lastError?.length).toBeLessThanOrEqual('HTTP 500: '.length + 200);
  });

  it('reads GRIDGOV_OUTBOUND_ALLOW as hosts, addresses and ranges, and refuses what is none of them', () => {
    expect(
      loadConfig({ GRIDGOV_OUTBOUND_ALLOW: ' hooks.intranet, 10.20.0.0/16 ,::1' }).outboundAllow,
    ).toEqual(['hooks.intranet', '10.20.0.0/16', '::1']);
    expect(() => createOutboundGuard(['10.0.0.0/33'])).toThrow('GRIDGOV_OUTBOUND_ALLOW');
    expect(() => createOutboundGuard(['http://x/'])).toThrow('GRIDGOV_OUTBOUND_ALLOW');
  });

  it('lets an allowed range through and nothing beside it', async () => {
    const guard = createOutboundGuard(['10.20.0.0/16', 'hooks.intranet']);
    await expect(guard.assertAllowedUrl('http://10.20.3.4/x', 'url')).resolves.toBeUndefined();
    await expect(guard.assertAllowedUrl('http://hooks.intranet/x', 'url')).resolves.toBeUndefined();
    await expect(guard.assertAllowedUrl('http://10.21.0.1/x', 'url')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(guard.assertAllowedUrl('ftp://93.184.216.34/x', 'url')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});
