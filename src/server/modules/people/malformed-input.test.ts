import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createApp,
  createUser,
  type HttpSession,
  httpLogin,
  seedCaseReference,
  seedTerritory,
  TERRITORY,
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
interface Probe {
  method: Method;
  url: string;
  payload?: unknown;
  /**
   * The status a user should see: 400 for malformed input naming a field, 404 for an id that does not exist,
   * 422 for a file that cannot be imported.
   */
  status: number;
}

const NUL = 'a\u0000b';
const SURROGATE = 'a\uD800b';
const HUGE = 99_999_999_999;

/**
 * The people, territory, calendar, category and routing routes answer malformed input and ids that do not
 * exist with 4xx, never 5xx (issue 11, item 6): as an administrator of the whole town, who passes every role
 * and scope check, so the input itself is what is judged.
 */
describe('people, territory, calendar, category and routing routes: malformed input', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let session: HttpSession;
  let departmentId: number;

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    departmentId = Object.values(await seedCaseReference(ctx))[0] ?? 0;
    const admin = await createUser(ctx, { role: 'administrator', regionCode: TERRITORY.town });
    app = await createApp(ctx);
    session = await httpLogin(app, admin.username);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  const user = (overrides: object) => ({
    username: 'probe-user',
    displayName: '探针',
    role: 'gridWorker',
    regionCode: TERRITORY.heqing,
    password: 'Probe-pass-2026',
    ...overrides,
  });
  const rule = (overrides: object) => ({
    categoryId: null,
    regionCode: TERRITORY.heqing,
    departmentId,
    ...overrides,
  });

  const probes = (): Probe[] => [
    // Text that PostgreSQL cannot store or UTF-8 cannot encode.
    { method: 'POST', url: '/auth/login', payload: { username: NUL, password: 'x' }, status: 400 },
    { method: 'POST', url: '/auth/login', payload: { username: SURROGATE, password: 'x' }, status: 400 },
    { method: 'POST', url: '/auth/login', payload: { username: 'someone', password: NUL }, status: 400 },
    { method: 'GET', url: `/users?q=${encodeURIComponent(NUL)}`, status: 400 },
    { method: 'GET', url: `/departments?q=${encodeURIComponent(NUL)}`, status: 400 },
    { method: 'POST', url: '/users', payload: user({ displayName: NUL }), status: 400 },
    { method: 'POST', url: '/users', payload: user({ displayName: SURROGATE }), status: 400 },
    {
      method: 'POST',
      url: '/departments',
      payload: { code: 'PR-1', name: NUL, regionCode: TERRITORY.town },
      status: 400,
    },
    {
      method: 'PATCH',
      url: `/regions/${TERRITORY.heqing}`,
      payload: { name: SURROGATE, version: 1 },
      status: 400,
    },
    {
      method: 'POST',
      url: '/categories',
      payload: { kind: 'matter', code: '06098', name: NUL },
      status: 400,
    },
    {
      method: 'PUT',
      url: '/calendar/2030',
      payload: { days: [{ date: '2030-01-01', workday: false, name: NUL }] },
      status: 400,
    },
    {
      method: 'PUT',
      url: '/calendar/working-hours',
      payload: { periods: [{ start: NUL, end: '17:00' }], timeZone: 'Asia/Shanghai' },
      status: 400,
    },
    {
      method: 'PUT',
      url: '/calendar/working-hours',
      payload: { periods: [{ start: '09:00', end: '17:00' }], timeZone: 'Mars/Olympus' },
      status: 400,
    },
    // Integers beyond their columns.
    { method: 'PATCH', url: `/users/${HUGE}`, payload: { version: 1 }, status: 400 },
    { method: 'POST', url: `/users/${HUGE}/unlock`, status: 400 },
    { method: 'POST', url: '/users', payload: user({ departmentId: HUGE }), status: 400 },
    { method: 'PATCH', url: `/departments/${HUGE}`, payload: { version: 1 }, status: 400 },
    { method: 'PATCH', url: `/categories/${HUGE}`, payload: { version: 1 }, status: 400 },
    { method: 'GET', url: `/categories/${HUGE}/attributes`, status: 400 },
    { method: 'POST', url: '/routing-rules', payload: rule({ categoryId: HUGE }), status: 400 },
    { method: 'POST', url: '/routing-rules', payload: rule({ departmentId: HUGE }), status: 400 },
    { method: 'DELETE', url: `/routing-rules/${HUGE}`, status: 400 },
    {
      method: 'PUT',
      url: `/regions/${TERRITORY.heqingGrids[0]}/people`,
      payload: { version: 1, people: [{ userId: HUGE, duty: 'gridWorker' }] },
      status: 400,
    },
    // Ids and codes that do not exist.
    { method: 'PATCH', url: '/users/999999', payload: { version: 1 }, status: 404 },
    { method: 'POST', url: '/users/999999/password', payload: { password: 'Probe-pass-2026' }, status: 404 },
    { method: 'POST', url: '/users/999999/unlock', status: 404 },
    { method: 'POST', url: '/users', payload: user({ departmentId: 999_999 }), status: 404 },
    { method: 'POST', url: '/users', payload: user({ regionCode: '440605121099' }), status: 404 },
    { method: 'PATCH', url: '/departments/999999', payload: { version: 1 }, status: 404 },
    {
      method: 'POST',
      url: '/departments',
      payload: { code: 'PR-2', name: '探针部门', regionCode: '440605121099' },
      status: 404,
    },
    { method: 'PATCH', url: '/categories/999999', payload: { version: 1, name: '探针' }, status: 404 },
    {
      method: 'PUT',
      url: '/categories/999999/attributes',
      payload: { version: 1, attributes: [] },
      status: 404,
    },
    { method: 'PUT', url: '/routing-rules/999999', payload: rule({}), status: 404 },
    { method: 'DELETE', url: '/routing-rules/999999', status: 404 },
    { method: 'POST', url: '/routing-rules', payload: rule({ regionCode: '440605121099' }), status: 400 },
    { method: 'GET', url: '/regions/440605121099', status: 404 },
    { method: 'PATCH', url: '/regions/440605121099', payload: { name: '探针', version: 1 }, status: 404 },
    {
      method: 'PUT',
      url: '/regions/440605121015009/people',
      payload: { version: 1, people: [] },
      status: 404,
    },
    {
      method: 'PUT',
      url: `/regions/${TERRITORY.heqingGrids[0]}/people`,
      payload: { version: 1, people: [{ userId: 999_999, duty: 'gridWorker' }] },
      status: 400,
    },
    { method: 'GET', url: '/regions/tree?root=440605121099', status: 404 },
    { method: 'GET', url: '/grids/geojson?root=440605121099', status: 404 },
    { method: 'GET', url: '/territory/divisions/export?root=440605121099', status: 404 },
    { method: 'GET', url: '/calendar/99999', status: 400 },
    // Files and queries that make no sense.
    { method: 'POST', url: '/territory/boundaries/import', payload: ['not', 'a', 'collection'], status: 422 },
    {
      method: 'POST',
      url: '/territory/boundaries/import',
      payload: { type: 'FeatureCollection', features: [null, 1, { properties: { code: { $gt: '' } } }] },
      status: 422,
    },
    {
      method: 'POST',
      url: '/territory/divisions/import',
      payload: 'code,name\n"4406,unterminated',
      status: 422,
    },
    {
      method: 'POST',
      url: '/territory/divisions/import',
      payload: `code,name,level,parent_code\n44${NUL},x,city,44\n`,
      status: 400,
    },
    { method: 'POST', url: '/categories/import', payload: `kind,code\n${'x,'.repeat(5000)}`, status: 422 },
    { method: 'GET', url: '/regions/tree?depth=999', status: 400 },
    { method: 'GET', url: `/users?page=${HUGE}`, status: 400 },
    { method: 'GET', url: '/locate?lon=1e309&lat=22.85', status: 400 },
  ];

  it('answers each with the 4xx a user can act on, never a 5xx', async () => {
    const answers: string[] = [];
    for (const probe of probes()) {
      const response = await app.inject({
        method: probe.method,
        url: `/api/v1${probe.url}`,
        headers: {
          cookie: session.cookie,
          'x-csrf-token': session.csrfToken,
          ...(typeof probe.payload === 'string' ? { 'content-type': 'text/csv' } : {}),
        },
        ...(probe.payload === undefined ? {} : { payload: probe.payload as object }),
      });
      answers.push(
        `${probe.method} ${probe.url} ${JSON.stringify(probe.payload ?? '')} → ${response.statusCode}`,
      );
      if (response.statusCode !== probe.status) {
        answers[answers.length - 1] += ` (wanted ${probe.status}) ${response.body.slice(0, 200)}`;
      }
    }
    expect(answers.filter((a) => a.includes('wanted'))).toEqual([]);
  });
});
