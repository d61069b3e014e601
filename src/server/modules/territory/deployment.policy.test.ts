import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createApp,
  createUser,
  feature,
  type HttpSession,
  httpLogin,
  rectangle,
  seedCaseReference,
  seedTerritory,
  TERRITORY,
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { systemActor } from '../people/actor.ts';

/**
 * Settings every village shares (categories, the calendar, working hours, relocating every record) are for an
 * administrator of the whole deployment; a village administrator keeps what lies inside their village.
 */
describe('administrators by scope', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let town: HttpSession;
  let village: HttpSession;
  const departments: Record<string, number> = {};
  let rubbish: { id: number; version: number };

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    Object.assign(departments, await seedCaseReference(ctx));
    const townAdmin = await createUser(ctx, { role: 'administrator', regionCode: TERRITORY.town });
    const heqingAdmin = await createUser(ctx, { role: 'administrator', regionCode: TERRITORY.heqing });
    app = await createApp(ctx);
    town = await httpLogin(app, townAdmin.username);
    village = await httpLogin(app, heqingAdmin.username);
    const tree = await ctx.services.categories.getCategoryTree();
    const minor = tree.flatMap((m) => m.children).find((c) => c.code === '06010');
    rubbish = { id: minor?.id ?? 0, version: minor?.version ?? 0 };
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  function call(
    session: HttpSession,
    method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
  ) {
    const isText = typeof payload === 'string';
    return app.inject({
      method,
      url: `/api/v1${url}`,
      headers: {
        cookie: session.cookie,
        'x-csrf-token': session.csrfToken,
        ...(isText ? { 'content-type': 'text/csv' } : {}),
      },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  }

  const nextYear = {
    days: [
      { date: '2027-10-01', workday: false, name: '国庆节' },
      { date: '2027-10-09', workday: true, name: '国庆节调休上班' },
    ],
  };
  const hours = {
    periods: [
      { start: '08:30', end: '12:00' },
      { start: '14:00', end: '17:30' },
    ],
    timeZone: 'Asia/Shanghai',
  };

  it('refuses a village administrator every setting of the whole town, and changes nothing', async () => {
    const before = await ctx.services.calendar.getYear(2027);
    const attempts = [
      await call(village, 'PUT', '/calendar/2027', nextYear),
      await call(village, 'PUT', '/calendar/working-hours', hours),
      await call(village, 'POST', '/categories', { kind: 'matter', code: '06099', name: '河清自设分类' }),
      await call(village, 'PATCH', `/categories/${rubbish.id}`, {
        version: rubbish.version,
        limits: { handle: { amount: 30, unit: 'workingDays' } },
      }),
      await call(village, 'PUT', `/categories/${rubbish.id}/attributes`, {
        version: rubbish.version,
        attributes: [],
      }),
      await call(village, 'POST', '/categories/import', 'kind,major_code,major_name,code,name\n'),
      await call(village, 'POST', '/registry/relocate'),
    ];
    expect(attempts.map((r) => r.statusCode)).toEqual(attempts.map(() => 403));
    for (const response of attempts) expect(response.json().error.code).toBe('FORBIDDEN_SCOPE');
    expect(attempts[0]?.json().error.message).toBe(
      '无权访问：全辖区的设置（维护工作日历） 不在您的数据范围（河清社区居委会）内。',
    );

    const after = await ctx.services.calendar.getYear(2027);
    expect(after).toEqual(before);
    const tree = await ctx.services.categories.getCategoryTree();
    const minor = tree.flatMap((m) => m.children).find((c) => c.id === rubbish.id);
    expect(minor?.version).toBe(rubbish.version);
    expect(tree.flatMap((m) => m.children).some((c) => c.code === '06099')).toBe(false);
  });

  it('refuses a village administrator a routing rule for the town, or changing one', async () => {
    const townRule = await ctx.services.routing.createRoutingRule(systemActor(), {
      categoryId: null,
      regionCode: TERRITORY.town,
      departmentId: departments['JJ-ZZB'] ?? 0,
    });
    const input = { categoryId: null, regionCode: TERRITORY.town, departmentId: departments['JJ-CG'] ?? 0 };
    const attempts = [
      await call(village, 'POST', '/routing-rules', { ...input, categoryId: rubbish.id }),
      await call(village, 'PUT', `/routing-rules/${townRule.id}`, input),
      await call(village, 'DELETE', `/routing-rules/${townRule.id}`),
    ];
    expect(attempts.map((r) => r.statusCode)).toEqual([403, 403, 403]);
    // Inside their own village the rule is theirs to make.
    const own = await call(village, 'POST', '/routing-rules', { ...input, regionCode: TERRITORY.heqing });
    expect(own.statusCode).toBe(200);
  });

  it('lets the town administrator change them all', async () => {
    const responses = [
      await call(town, 'PUT', '/calendar/2027', nextYear),
      await call(town, 'PUT', '/calendar/working-hours', hours),
      await call(town, 'POST', '/categories', { kind: 'matter', code: '06099', name: '镇自设分类' }),
      await call(town, 'PATCH', `/categories/${rubbish.id}`, {
        version: rubbish.version,
        limits: { handle: { amount: 3, unit: 'workingDays' } },
      }),
      await call(town, 'POST', '/registry/relocate'),
    ];
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200]);
    expect((await ctx.services.calendar.getYear(2027)).covered).toBe(true);
    expect(responses[3]?.json().limits.handle).toEqual({ amount: 3, unit: 'workingDays' });
  });

  it("still re-places records after a village administrator's boundary import inside their village", async () => {
    const response = await call(village, 'POST', '/territory/boundaries/import', {
      type: 'FeatureCollection',
      features: [
        feature(TERRITORY.heqingGrids[0], rectangle(112.95, 22.84, 112.96, 22.86)),
        feature(TERRITORY.heqingGrids[1], rectangle(112.94, 22.84, 112.95, 22.86)),
      ],
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ applied: true, relocated: expect.any(Object) });
  });
});
