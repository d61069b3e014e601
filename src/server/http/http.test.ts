import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createApp,
  createUser,
  httpLogin,
  PASSWORD,
  seedTerritory,
  TERRITORY,
} from '../testing/factories.ts';
import { createTestContext, type TestContext } from '../testing/test-database.ts';

describe('HTTP: sessions, CSRF, lockout, errors', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let heqingWorker: string;
  let townAdmin: string;

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    app = await createApp(ctx);
    heqingWorker = (await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.heqing })).username;
    townAdmin = (await createUser(ctx, { role: 'administrator', regionCode: TERRITORY.town })).username;
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('logs in with an HttpOnly, SameSite cookie and answers the session', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: heqingWorker, password: PASSWORD },
    });
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((c) => c.name === 'gridgov_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(response.json()).toMatchObject({
      user: { username: heqingWorker, role: 'gridWorker' },
      scope: { name: '河清社区居委会' },
    });
    const session = await app.inject({
      url: '/api/v1/auth/session',
      cookies: { gridgov_session: cookie?.value ?? '' },
    });
    expect(session.json().user.username).toBe(heqingWorker);
  });

  it('refuses a state-changing request without the CSRF token', async () => {
    const session = await httpLogin(app, townAdmin);
    const attempt = (headers: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/departments',
        headers: { cookie: session.cookie, ...headers },
        payload: { code: 'T-CG', name: '测试城管', regionCode: TERRITORY.town },
      });
    const without = await attempt({});
    expect(without.statusCode).toBe(403);
    expect(without.json().error.code).toBe('CSRF_FAILED');
    const wrong = await attempt({ 'x-csrf-token': 'forged' });
    expect(wrong.statusCode).toBe(403);
    const right = await attempt({ 'x-csrf-token': session.csrfToken });
    expect(right.statusCode).toBe(200);
    expect(right.json()).toMatchObject({ code: 'T-CG', regionName: '九江镇' });
  });

  it('refuses a login posted from another site', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { origin: 'https://evil.example', host: 'gridgov.local' },
      payload: { username: heqingWorker, password: PASSWORD },
    });
    expect(response.statusCode).toBe(403);
  });

  it('locks an account after failures from several addresses, answering as for a wrong password', async () => {
    // The throttling rules themselves are tested in people/login.test.ts.
    const victim = (await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.heqing })).username;
    const tryLogin = (password: string, remoteAddress: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress,
        payload: { username: victim, password },
      });
    const first = await tryLogin('wrong-1', '198.51.100.1');
    expect(first.statusCode).toBe(401);
    expect(first.json().error.message).toContain('15 分钟');
    await tryLogin('wrong-2', '198.51.100.2');
    const third = await tryLogin('wrong-3', '198.51.100.1');
    expect(third.statusCode).toBe(401);
    const right = await tryLogin(PASSWORD, '198.51.100.3');
    expect(right.statusCode).toBe(401);
    expect(right.body).toBe(third.body);
    ctx.clock.advance(16 * 60_000);
    expect((await tryLogin(PASSWORD, '198.51.100.3')).statusCode).toBe(200);
  });

  it('answers an unknown username exactly like a wrong password', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'nobody-here', password: 'whatever' },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('LOGIN_FAILED');
  });

  it('logs out everywhere: every session of the user ends', async () => {
    const phone = await httpLogin(app, heqingWorker);
    const laptop = await httpLogin(app, heqingWorker);
    const out = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout-all',
      headers: { cookie: laptop.cookie, 'x-csrf-token': laptop.csrfToken },
    });
    expect(out.statusCode).toBe(204);
    for (const session of [phone, laptop]) {
      const check = await app.inject({ url: '/api/v1/auth/session', headers: { cookie: session.cookie } });
      expect(check.statusCode).toBe(401);
    }
  });

  it('ends the open sessions of a user the moment an administrator narrows their rights', async () => {
    const worker = await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.heqing });
    const phone = await httpLogin(app, worker.username);
    const read = () => app.inject({ url: '/api/v1/auth/session', headers: { cookie: phone.cookie } });
    expect((await read()).statusCode).toBe(200);
    const admin = await httpLogin(app, townAdmin);
    const listed = await app.inject({
      url: `/api/v1/users?q=${worker.username}`,
      headers: { cookie: admin.cookie },
    });
    const { version } = listed.json().items.find((u: { id: number }) => u.id === worker.id);
    const change = await app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${worker.id}`,
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken },
      payload: { version, active: false },
    });
    expect(change.statusCode).toBe(200);
    // At once, although the session was read a moment ago (sessions are cached for a few seconds).
    expect((await read()).statusCode).toBe(401);
  });

  it('refuses a grid outside the scope with a message in the request language', async () => {
    const session = await httpLogin(app, heqingWorker);
    const url = `/api/v1/regions/${TERRITORY.yingmingGrids[0]}`;
    const zh = await app.inject({ url, headers: { cookie: session.cookie } });
    expect(zh.statusCode).toBe(403);
    expect(zh.json().error).toEqual({
      code: 'FORBIDDEN_SCOPE',
      message: `无权访问：第1网格（${TERRITORY.yingmingGrids[0]}） 不在您的数据范围（河清社区居委会）内。`,
    });
    const en = await app.inject({
      url,
      headers: { cookie: session.cookie, 'accept-language': 'en-US,en;q=0.9' },
    });
    expect(en.json().error.message).toBe(
      `Access denied: 第1网格 (${TERRITORY.yingmingGrids[0]}) is outside your data scope (河清社区居委会).`,
    );
    const own = await app.inject({
      url: `/api/v1/regions/${TERRITORY.heqingGrids[0]}`,
      headers: { cookie: session.cookie },
    });
    expect(own.statusCode).toBe(200);
  });

  it('explains invalid input field by field, in the request language', async () => {
    const session = await httpLogin(app, townAdmin);
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'accept-language': 'en-US' },
      payload: {
        username: 'bad name!',
        displayName: 'X',
        role: 'gridWorker',
        regionCode: TERRITORY.heqing,
        password: 'short',
      },
    });
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.issues).toEqual(
      expect.arrayContaining([
        { path: 'username', message: 'letters, digits, "_", "." and "-" only' },
        { path: 'password', message: 'at least 10 characters' },
      ]),
    );
    const zh = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
      payload: {
        username: 'ok-name',
        displayName: 'X',
        role: 'gridWorker',
        regionCode: TERRITORY.heqing,
        password: 'short',
      },
    });
    expect(zh.json().error.message).toBe('输入有误：password: 密码至少 10 个字符');
  });

  it('asks for a login before anything else', async () => {
    const response = await app.inject({ url: '/api/v1/regions/tree' });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.message).toBe('请先登录。');
  });

  it('serves the OpenAPI document with the territory and people routes', async () => {
    const response = await app.inject({ url: '/api/docs/json' });
    expect(response.statusCode).toBe(200);
    const paths = Object.keys(response.json().paths);
    expect(paths).toEqual(
      expect.arrayContaining(['/api/v1/locate', '/api/v1/regions/{code}', '/api/v1/users']),
    );
  });

  it('imports a divisions CSV over HTTP and reports a bad row with its line', async () => {
    const session = await httpLogin(app, townAdmin);
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/territory/divisions/import',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'content-type': 'text/csv' },
      payload:
        'code,name,level,parent_code\n440605121050,新社区,village,440605121\n440605121051,坏行,hamlet,440605121\n',
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().error.details.errors).toEqual([
      expect.objectContaining({ line: 3, code: '440605121051' }),
    ]);
  });
});
