import rateLimit from '@fastify/rate-limit';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../db/database.ts';
import { createTestContext, type TestContext } from '../testing/test-database.ts';
import { deleteExpiredCounters } from './rate-limit.repository.ts';
import { databaseRateLimitStore } from './rate-limit-store.ts';

describe('rate limits shared through the database', () => {
  let ctx: TestContext;
  let other: DatabaseHandle | null = null;
  beforeAll(async () => {
    ctx = await createTestContext();
    // On the PostgreSQL server the second process has its own pool, as a second gridgov behind the proxy would.
    if (ctx.databaseUrl)
      other = await createDatabase({ databaseUrl: ctx.databaseUrl, dataDir: '', poolSize: 2 });
  });
  afterAll(async () => {
    await other?.close();
    await ctx.close();
  });

  async function gridgovProcess(db: DatabaseHandle['db']) {
    const app = Fastify();
    await app.register(rateLimit, { global: false, store: databaseRateLimitStore(db, ctx.clock) });
    app.post('/reports', { config: { rateLimit: { max: 3, timeWindow: 60_000 } } }, async () => ({
      ok: true,
    }));
    app.post('/other', { config: { rateLimit: { max: 3, timeWindow: 60_000 } } }, async () => ({ ok: true }));
    return app;
  }

  it('counts one limit across two processes, per route, and starts a new window when the last one ends', async () => {
    const first = await gridgovProcess(ctx.database.db);
    const second = await gridgovProcess(other?.db ?? ctx.database.db);
    const send = (app: typeof first, url = '/reports') =>
      app.inject({ method: 'POST', url, remoteAddress: '203.0.113.7' }).then((r) => r.statusCode);
    expect([await send(first), await send(second), await send(first)]).toEqual([200, 200, 200]);
    expect(await send(second)).toBe(429);
    expect(await send(first)).toBe(429);
    expect(await send(second, '/other')).toBe(200);
    ctx.clock.advance(61_000);
    expect(await send(second)).toBe(200);
    ctx.clock.advance(2 * 86_400_000);
    expect(
      await deleteExpiredCounters(ctx.database.db, new Date(ctx.clock.now().getTime() - 86_400_000)),
    ).toBe(2);
    await first.close();
    await second.close();
  });
});
