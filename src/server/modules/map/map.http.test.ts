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

const KEY = '0123456789abcdef0123456789abcdef';

describe('HTTP: the maps’ basemap, places and search', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let townAdmin: HttpSession;
  let heqingAdmin: HttpSession;
  let yingmingWorker: HttpSession;

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    app = await createApp(ctx);
    const login = async (role: 'administrator' | 'gridWorker', regionCode: string) =>
      httpLogin(app, (await createUser(ctx, { role, regionCode })).username);
    townAdmin = await login('administrator', TERRITORY.town);
    heqingAdmin = await login('administrator', TERRITORY.heqing);
    yingmingWorker = await login('gridWorker', TERRITORY.yingming);
    const created = await send('POST', '/api/v1/registry/addresses', heqingAdmin, {
      road: '河清大道',
      number: '3',
      lon: 112.945,
      lat: 22.85,
    });
    expect(created.statusCode, created.body).toBeLessThan(300);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  const send = (
    method: 'GET' | 'PUT' | 'POST' | 'DELETE',
    url: string,
    session: HttpSession,
    body?: object,
  ) =>
    app.inject({
      method,
      url,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
      ...(body ? { payload: body } : {}),
    });

  it('draws the 天地图 basemap an administrator sets on every map at once, and lets its hosts into the CSP', async () => {
    const before = await app.inject({ url: '/api/v1/config' });
    expect(before.json().basemapUrl).toBeNull();
    expect(before.headers['content-security-policy']).toContain("connect-src 'self';");

    const set = await send('PUT', '/api/v1/map/basemap', townAdmin, {
      preset: 'tiandituVector',
      tiandituKey: KEY,
    });
    expect(set.statusCode, set.body).toBe(200);

    const after = await app.inject({ url: '/api/v1/config' });
    const config = after.json();
    expect(config.basemapUrl).toContain('tianditu.gov.cn/vec_w/wmts');
    expect(config.basemapUrl).toContain(`tk=${KEY}`);
    expect(config.basemapLabelUrl).toContain('/cva_w/');
    expect(config.basemapAttribution).toContain('天地图');
    expect(after.headers['content-security-policy']).toContain(
      "img-src 'self' data: blob: https://*.tianditu.gov.cn",
    );

    // The audit log records the change, and not the key.
    const audited = await ctx.database.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('action', '=', 'basemap.set')
      .execute();
    expect(audited).toHaveLength(1);
    expect(JSON.stringify(audited[0]?.details)).not.toContain(KEY);

    const reset = await send('DELETE', '/api/v1/map/basemap', townAdmin);
    expect(reset.json().effective).toBeNull();
    expect((await app.inject({ url: '/api/v1/config' })).json().basemapUrl).toBeNull();
  });

  it('takes a custom tile server, and says which field is wrong', async () => {
    const custom = await send('PUT', '/api/v1/map/basemap', townAdmin, {
      preset: 'xyz',
      url: 'http://127.0.0.1:8090/{z}/{x}/{y}.png',
      attribution: '本地瓦片',
    });
    expect(custom.json().effective).toEqual({
      url: 'http://127.0.0.1:8090/{z}/{x}/{y}.png',
      labelUrl: null,
      attribution: '本地瓦片',
    });
    expect((await app.inject({ url: '/api/health' })).headers['content-security-policy']).toContain(
      'http://127.0.0.1:8090',
    );
    const noPlaceholders = await send('PUT', '/api/v1/map/basemap', townAdmin, {
      preset: 'wmts',
      url: 'https://tiles.example.com/wmts?layer=a',
    });
    expect(noPlaceholders.statusCode).toBe(400);
    expect(noPlaceholders.json().error.details.issues[0].path).toBe('url');
    const noKey = await send('PUT', '/api/v1/map/basemap', townAdmin, { preset: 'tiandituImagery' });
    expect(noKey.statusCode).toBe(400);
    expect(noKey.json().error.details.issues[0].path).toBe('tiandituKey');
    await send('DELETE', '/api/v1/map/basemap', townAdmin);
  });

  it('leaves the basemap to an administrator of the whole town, not of one village', async () => {
    const refused = await send('PUT', '/api/v1/map/basemap', heqingAdmin, { preset: 'none' });
    expect(refused.statusCode).toBe(403);
    expect((await send('GET', '/api/v1/map/basemap', yingmingWorker)).statusCode).toBe(403);
  });

  it('shows the addresses on screen only to users of their village', async () => {
    const box = '/api/v1/map/places?bbox=112.94,22.845,112.95,22.855';
    const mine = await send('GET', box, heqingAdmin);
    expect(mine.json().items.map((p: { label: string }) => p.label)).toEqual([
      expect.stringContaining('河清大道'),
    ]);
    expect((await send('GET', box, yingmingWorker)).json().items).toEqual([]);
    const wide = await send('GET', '/api/v1/map/places?bbox=112,22,113,23', heqingAdmin);
    expect(wide.statusCode).toBe(400);
    expect(wide.json().error.details.issues[0].path).toBe('bbox');
  });

  it('finds an address, then villages and grids by name, in the scope', async () => {
    const address = (
      await send('GET', `/api/v1/map/search?q=${encodeURIComponent('河清大道 3')}`, heqingAdmin)
    ).json();
    expect(address.items[0]).toMatchObject({ kind: 'address', lon: 112.945, lat: 22.85 });
    const village = (
      await send('GET', `/api/v1/map/search?q=${encodeURIComponent('河清')}`, heqingAdmin)
    ).json();
    expect(village.items.map((hit: { kind: string }) => hit.kind)).toEqual(
      expect.arrayContaining(['address', 'village']),
    );
    const other = (
      await send('GET', `/api/v1/map/search?q=${encodeURIComponent('河清')}`, yingmingWorker)
    ).json();
    expect(other.items).toEqual([]);
  });
});
