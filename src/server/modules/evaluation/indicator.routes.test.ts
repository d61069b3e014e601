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

describe('GET /api/v1/indicators/satisfaction', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let leader: HttpSession;
  let worker: HttpSession;

  beforeAll(async () => {
    ctx = await createTestContext({ now: new Date('2026-11-20T10:00:00+08:00') });
    await seedTerritory(ctx);
    app = await createApp(ctx);
    leader = await httpLogin(
      app,
      (await createUser(ctx, { role: 'leader', regionCode: TERRITORY.town })).username,
    );
    worker = await httpLogin(
      app,
      (await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.heqing })).username,
    );
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  const get = (query: string, session = leader, language = 'zh-CN') =>
    app.inject({
      method: 'GET',
      url: `/api/v1/indicators/satisfaction${query}`,
      headers: { cookie: session.cookie, 'accept-language': language },
    });

  it('answers this month so far by default, every village of the town listed', async () => {
    const response = await get('?groupBy=region');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      from: '2026-11-01',
      to: '2026-11-20',
      groupBy: 'region',
      scope: { code: TERRITORY.town },
      total: { closed: 0, satisfactionRate: null },
    });
    expect(response.json().rows.map((r: { code: string }) => r.code)).toEqual([
      TERRITORY.heqing,
      TERRITORY.yingming,
    ]);
  });

  it('names the field at fault, in the reader’s language', async () => {
    const issues = async (query: string, language?: string) => {
      const response = await get(query, leader, language);
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('VALIDATION_FAILED');
      return response.json().error.details.issues as { path: string; message: string }[];
    };
    expect(await issues('?from=2026-11-31')).toEqual([{ path: 'from', message: '开始日期应为 YYYY-MM-DD' }]);
    expect(await issues('?to=20261130', 'en-US')).toEqual([
      { path: 'to', message: 'to must be a date, YYYY-MM-DD' },
    ]);
    expect(await issues('?from=2026-11-20&to=2026-11-01')).toEqual([
      { path: 'to', message: '开始日期不能晚于结束日期' },
    ]);
    expect(await issues('?from=2025-01-01&to=2026-11-20', 'en-US')).toEqual([
      { path: 'to', message: 'a period covers at most 366 days: choose a shorter range' },
    ]);
    // With `to` left to its default (today), a start in the future is as wrong.
    expect(await issues('?from=2026-12-01')).toEqual([{ path: 'from', message: '开始日期不能晚于结束日期' }]);
    const [grouping] = await issues('?groupBy=category');
    expect(grouping?.path).toBe('groupBy');
  });

  it('is described in the OpenAPI document with its parameters', async () => {
    const doc = (await app.inject({ url: '/api/docs/json' })).json();
    const route = doc.paths['/api/v1/indicators/satisfaction'].get;
    expect(route.parameters.map((p: { name: string }) => p.name)).toEqual(['from', 'to', 'groupBy']);
  });

  it('refuses roles that do not read indicators', async () => {
    const response = await get('', worker);
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('FORBIDDEN_ROLE');
  });
});

describe('rankings and composite weights over HTTP', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let admin: HttpSession;
  let leader: HttpSession;

  beforeAll(async () => {
    ctx = await createTestContext({ now: new Date('2026-11-20T10:00:00+08:00') });
    await seedTerritory(ctx);
    app = await createApp(ctx);
    admin = await httpLogin(
      app,
      (await createUser(ctx, { role: 'administrator', regionCode: TERRITORY.town })).username,
    );
    leader = await httpLogin(
      app,
      (await createUser(ctx, { role: 'leader', regionCode: TERRITORY.town })).username,
    );
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  const send = (method: 'GET' | 'POST', url: string, session: HttpSession, body?: unknown) =>
    app.inject({
      method,
      url,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'accept-language': 'zh-CN' },
      ...(body === undefined ? {} : { payload: body as object }),
    });

  it('ranks last month by default, every village listed, with the scheme version it used', async () => {
    const response = await send('GET', '/api/v1/indicators/ranking?unit=village', leader);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      from: '2026-10-01',
      to: '2026-10-31',
      previous: { from: '2026-09-01', to: '2026-09-30' },
      scheme: { version: 1 },
      redList: [],
      blackList: [],
    });
    expect(response.json().rows.map((r: { key: string; rank: null }) => [r.key, r.rank])).toEqual([
      [TERRITORY.heqing, null],
      [TERRITORY.yingming, null],
    ]);
  });

  it('names the field at fault', async () => {
    const cases = [
      ['/api/v1/indicators/ranking?unit=street', 'unit'],
      ['/api/v1/indicators/ranking?from=2025-01-01&to=2026-06-30', 'to'],
      ['/api/v1/indicators/ranking?from=2026-11-01', 'to'],
      ['/api/v1/indicators/cases?from=2026-11-01&to=2026-11-30&unit=village&count=everything', 'count'],
      ['/api/v1/indicators/cases?from=2026-11-01&to=2026-11-30&unit=village&count=handled&key=abc', 'key'],
    ] as const;
    for (const [url, field] of cases) {
      const response = await send('GET', url, leader);
      expect({ url, status: response.statusCode }).toEqual({ url, status: 400 });
      expect(JSON.stringify(response.json().error.details)).toContain(field);
    }
  });

  it('keeps versions of the weights: only an administrator adds one, and the weights add up to 100', async () => {
    const components = [
      { indicator: 'handlingRate', weight: 50, direction: 'rate' },
      { indicator: 'overduePendingRate', weight: 50, direction: 'oneMinus' },
    ];
    expect((await send('POST', '/api/v1/indicators/schemes', leader, { components })).statusCode).toBe(403);
    const wrong = await send('POST', '/api/v1/indicators/schemes', admin, {
      components: [{ indicator: 'handlingRate', weight: 60, direction: 'rate' }],
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.message).toContain('权重之和应为 100');
    const created = await send('POST', '/api/v1/indicators/schemes', admin, { components, note: '试行' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ components, note: '试行' });
    const version = created.json().version;
    expect(version).toBeGreaterThan(1);
    const ranking = await send('GET', '/api/v1/indicators/ranking?unit=department', leader);
    expect(ranking.json().scheme.version).toBe(version);
    const versions = await send('GET', '/api/v1/indicators/schemes', leader);
    expect(versions.json().map((v: { version: number }) => v.version)).toEqual([version, 1]);
  });
});
