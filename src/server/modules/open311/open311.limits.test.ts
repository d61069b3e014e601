import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createApp,
  createUser,
  seedCaseReference,
  seedTerritory,
  TERRITORY,
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { all, field, parseXml } from '../../testing/xml.ts';
import { OPEN311_READS_PER_MINUTE } from './open311.routes.ts';
import { MAX_PARAMS, parseForm } from './open311-params.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** What one anonymous client can make the Open311 server do: little, quickly refused, never a 5xx. */
describe('Open311 server under hostile input', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let apiKey = '';

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    await seedCaseReference(ctx);
    app = await createApp(ctx);
    const admin = await createUser(ctx, { role: 'administrator', regionCode: TERRITORY.town });
    apiKey = (await ctx.services.apiKeys.createKey(admin.actor, { name: '探针', rateLimitPerMinute: 600 }))
      .key;
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  const errorOf = (response: { statusCode: number; body: string }) => {
    const root = parseXml(response.body);
    expect(root.name).toBe('errors');
    const [error] = all(root, 'error');
    return { code: error && field(error, 'code'), description: (error && field(error, 'description')) ?? '' };
  };

  it('refuses a body repeating one argument 40,000 times at once, while /api/health keeps answering', async () => {
    // The probe's body: ~600 KB of one repeated argument. Copying the value list on each repeat took 72 s.
    const body = `api_key=${apiKey}&${'service_code=x&'.repeat(40_000)}`;
    const started = performance.now();
    const [flood, health] = await Promise.all([
      app.inject({ method: 'POST', url: '/open311/v2/requests.xml', headers: FORM, payload: body }),
      app.inject({ method: 'GET', url: '/api/health' }),
    ]);
    const elapsed = performance.now() - started;
    expect(flood.statusCode).toBe(400);
    expect(errorOf(flood)).toMatchObject({
      code: '400',
      description: expect.stringContaining(`${MAX_PARAMS}`),
    });
    expect(health.statusCode).toBe(200);
    // A generous bound: the answer takes milliseconds; the quadratic parser took over a minute.
    expect(elapsed).toBeLessThan(2_000);
  });

  it('parses a form in one pass: ten times the arguments cost about ten times the work, not a hundred', () => {
    const pairs = (n: number) => Array.from({ length: n }, (_, i) => `attribute[F${i}]=v${i}`).join('&');
    expect(parseForm(pairs(MAX_PARAMS)).entries).toHaveLength(MAX_PARAMS);
    // Past the cap the parser stops at the first argument too many, whatever follows.
    expect(() => parseForm(pairs(MAX_PARAMS + 1))).toThrow(String(MAX_PARAMS));
    expect(() => parseForm(`${'a=1&'.repeat(400_000)}`)).toThrow(String(MAX_PARAMS));
  });

  it('refuses a body over 1 MB with 413 in the spec form, before the api_key is looked at', async () => {
    const body = `api_key=${apiKey}&description=${'x'.repeat(1_100_000)}`;
    const response = await app.inject({
      method: 'POST',
      url: '/open311/v2/requests.xml',
      headers: FORM,
      payload: body,
    });
    expect(response.statusCode).toBe(413);
    expect(errorOf(response).code).toBe('413');
  });

  it('checks the api_key before anything else of the body', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      headers: FORM,
      payload: 'api_key=not-a-key&service_code=nonsense&lat=1e400',
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()[0]).toMatchObject({ code: 403, description: 'api_key 无效或已吊销' });
  });

  it('answers malformed input with 4xx naming the argument, never 5xx', async () => {
    const post = (payload: string) =>
      app.inject({ method: 'POST', url: '/open311/v2/requests.xml', headers: FORM, payload });
    const cases: { response: Awaited<ReturnType<typeof post>>; names: string }[] = [
      { response: await post(`api_key=${apiKey}&description=a%00b`), names: 'description' },
      { response: await post(`api_key=${apiKey}&description=%ED%A0%80`), names: 'description' },
      { response: await post(`api_key=${apiKey}&description=%E4%B8`), names: 'description' },
      {
        response: await post(`api_key=${apiKey}&service_code=06010&address_id=99999999999999&description=x`),
        names: 'address_id',
      },
      {
        response: await app.inject({ method: 'GET', url: '/open311/v2/requests.xml?status=%00' }),
        names: 'status',
      },
      {
        response: await app.inject({ method: 'GET', url: '/open311/v2/requests/%EF%BF%BF%00.xml' }),
        names: 'id',
      },
      {
        response: await app.inject({ method: 'GET', url: '/open311/v2/tokens/%00.json' }),
        names: '',
      },
    ];
    for (const { response, names } of cases) {
      expect(response.statusCode, response.body).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, response.body).toBeLessThan(500);
      if (names && response.headers['content-type']?.toString().startsWith('text/xml')) {
        expect(errorOf(response).description).toContain(names);
      }
    }
    const missing = await app.inject({
      method: 'GET',
      url: '/open311/v2/requests/99999999999999999999.json',
    });
    expect(missing.statusCode).toBe(404);
  });

  it('limits reads per client address, answering 429 in the spec form', async () => {
    const limited = await createApp(ctx);
    try {
      // A resource of an unknown format is refused without the database, and counts like any read.
      for (let i = 0; i < OPEN311_READS_PER_MINUTE; i++) {
        const response = await limited.inject({ method: 'GET', url: '/open311/v2/services.txt' });
        expect(response.statusCode).toBe(404);
      }
      const over = await limited.inject({ method: 'GET', url: '/open311/v2/services.xml' });
      expect(over.statusCode).toBe(429);
      expect(errorOf(over).code).toBe('429');
      // Another address is not held back by the first one's reads.
      const other = await limited.inject({
        method: 'GET',
        url: '/open311/v2/services.xml',
        remoteAddress: '192.0.2.7',
      });
      expect(other.statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
