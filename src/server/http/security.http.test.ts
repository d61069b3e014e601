import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { createApp, createUser, httpLogin, seedTerritory, TERRITORY } from '../testing/factories.ts';
import { createTestContext, type TestContext } from '../testing/test-database.ts';
import { maskPersonalData } from './logging.ts';
import { contentSecurityPolicy, inlineScriptHashes, tileSource } from './security-headers.ts';
import { createWriteLimiter } from './write-limit.ts';

const HOST = 'gridgov.local';

describe('HTTP edge: CSRF by route, origins, headers, input, logs', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let admin: string;
  let departments = 0;

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    app = await createApp(ctx);
    admin = (await createUser(ctx, { role: 'administrator', regionCode: TERRITORY.town })).username;
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  const departmentCount = async () =>
    Number(
      (
        await ctx.database.db
          .selectFrom('departments')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirst()
      )?.n,
    );
  const newDepartment = () => {
    departments++;
    return { code: `SEC-${departments}`, name: `安全测试部门${departments}`, regionCode: TERRITORY.town };
  };

  it.each([
    '/%61pi/v1/departments',
    '/api/v1/%64epartments',
    '/%61%70%69/v1/departments',
    '//api/v1/departments',
    '/api//v1/departments',
    '/API/v1/departments',
    '/Api/V1/Departments',
    '/api/v1/departments/',
    '/api/v1/./departments',
  ])('refuses a write without the CSRF token however the path is spelled: %s', async (url) => {
    const session = await httpLogin(app, admin);
    const before = await departmentCount();
    const response = await app.inject({
      method: 'POST',
      url,
      headers: { cookie: session.cookie },
      payload: newDepartment(),
    });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(await departmentCount()).toBe(before);
    // Where the router reaches the handler, the answer is the CSRF refusal.
    if (response.statusCode !== 404) expect(response.json().error.code).toBe('CSRF_FAILED');
  });

  it('refuses a write from a foreign origin even with the right token, and takes it from our own', async () => {
    const session = await httpLogin(app, admin);
    const post = (headers: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/departments',
        headers: { host: HOST, cookie: session.cookie, 'x-csrf-token': session.csrfToken, ...headers },
        payload: newDepartment(),
      });
    const foreigners: Record<string, string>[] = [
      { origin: 'http://evil.example' },
      { origin: `http://${HOST}:8080` },
      { origin: 'null' },
      { referer: `http://${HOST}.evil.example/page` },
    ];
    for (const foreign of foreigners) {
      const response = await post(foreign);
      expect(response.statusCode, JSON.stringify(foreign)).toBe(403);
      expect(response.json().error.code).toBe('CSRF_FAILED');
    }
    expect((await post({ origin: `https://${HOST}` })).statusCode).toBe(200);
    expect((await post({ referer: `http://${HOST}/settings/departments` })).statusCode).toBe(200);
    expect((await post({})).statusCode).toBe(200);
  });

  it('refuses a foreign origin on the routes exempt from the token: portal and Open311', async () => {
    const foreign = { host: HOST, origin: 'http://evil.example' };
    const portal = await app.inject({
      method: 'POST',
      url: '/%61pi/v1/public/reports',
      headers: foreign,
      payload: {},
    });
    expect(portal.statusCode).toBe(403);
    const open311 = await app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      headers: foreign,
      payload: 'service_code=1',
    });
    // Open311 answers refusals in its own error format (403, or the spec's 400).
    expect([400, 403]).toContain(open311.statusCode);
    expect(open311.body).toContain('CSRF');
    // Without an Origin (another server), the portal still answers: here, that the report is incomplete.
    const server = await app.inject({ method: 'POST', url: '/api/v1/public/reports', payload: {} });
    expect(server.statusCode).toBe(400);
  });

  it('sends the security headers on pages and API answers', async () => {
    for (const url of ['/api/health', '/api/v1/nothing-here']) {
      const response = await app.inject({ url });
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(response.headers['content-security-policy']).toContain("script-src 'self'");
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    }
  });

  it('allows the configured basemap tile server in the policy, and nothing else foreign', () => {
    expect(tileSource('https://t0.tianditu.gov.cn/vec_w/wmts?TILECOL={x}&tk=abc')).toBe(
      'https://t0.tianditu.gov.cn',
    );
    expect(tileSource('https://t{s}.tiles.example.com/{z}/{x}/{y}.png')).toBe('https://*.tiles.example.com');
    expect(tileSource('/tiles/{z}/{x}/{y}.png')).toBeNull();
    const policy = contentSecurityPolicy('https://tiles.example.com:8443/{z}/{x}/{y}.png');
    expect(policy).toContain("img-src 'self' data: blob: https://tiles.example.com:8443");
    expect(policy).toContain("connect-src 'self' https://tiles.example.com:8443");
    expect(contentSecurityPolicy(null)).toContain("connect-src 'self';");
  });

  it("allows the page's own inline script by its hash, and no script files from elsewhere", () => {
    const html =
      '<head><script>globalThis.x = 1;</script></head><body><script type="module" src="./main.js"></script></body>';
    const hashes = inlineScriptHashes(html);
    // echo -n 'globalThis.x = 1;' | openssl dgst -sha256 -binary | base64
    expect(hashes).toEqual(["'sha256-1dTJFpRe5ehEWyaOLsyURnHf7iZ51gEd618goSGzqaY='"]);
    expect(contentSecurityPolicy(null, hashes)).toContain(`script-src 'self' ${hashes[0]};`);
  });

  it('marks the session cookie Secure over HTTPS through a trusted proxy, not when anyone says so', async () => {
    const login = (target: FastifyInstance) =>
      target.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'x-forwarded-proto': 'https' },
        payload: { username: admin, password: 'Test-pass-2026' },
      });
    const cookieOf = (response: Awaited<ReturnType<typeof login>>) =>
      response.cookies.find((c) => c.name === 'gridgov_session');
    expect(cookieOf(await login(app))?.secure).toBeFalsy();
    const proxied = await buildApp({
      services: ctx.services,
      config: { ...ctx.config, trustProxy: '127.0.0.1' },
      backend: ctx.database.backend,
      version: 'test',
    });
    try {
      expect(cookieOf(await login(proxied))?.secure).toBe(true);
    } finally {
      await proxied.close();
    }
  });

  it('refuses NUL bytes and lone surrogates in body, query and path with 400 naming the field', async () => {
    const session = await httpLogin(app, admin);
    const headers = { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'accept-language': 'en-US' };
    const nul = await app.inject({
      method: 'POST',
      url: '/api/v1/departments',
      headers,
      payload: { ...newDepartment(), name: 'bad\u0000name' },
    });
    expect(nul.statusCode).toBe(400);
    expect(nul.json().error.details.issues).toEqual([
      { path: 'name', message: 'must not contain NUL characters' },
    ]);
    const surrogate = await app.inject({
      method: 'POST',
      url: '/api/v1/departments',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: `{"code":"S-1","name":"half \\ud800 pair","regionCode":"${TERRITORY.town}"}`,
    });
    expect(surrogate.statusCode).toBe(400);
    expect(surrogate.json().error.details.issues[0].path).toBe('name');
    const query = await app.inject({ url: '/api/v1/users?q=a%00b', headers });
    expect(query.statusCode).toBe(400);
    expect(query.json().error.message).toContain('q:');
    const path = await app.inject({ url: '/api/v1/regions/4406%00', headers });
    expect(path.statusCode).toBe(400);
    expect(path.json().error.details.issues[0].path).toBe('code');
  });

  it('refuses integers beyond 32 bits with 400 naming the field, and unknown ids with 404', async () => {
    const session = await httpLogin(app, admin);
    const headers = { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'accept-language': 'en-US' };
    const huge = await app.inject({
      method: 'PATCH',
      url: `/api/v1/departments/${2 ** 40}`,
      headers,
      payload: { version: 1, name: '改名' },
    });
    expect(huge.statusCode).toBe(400);
    expect(huge.json().error.details.issues[0].path).toBe('id');
    const version = await app.inject({
      method: 'PATCH',
      url: '/api/v1/departments/1',
      headers,
      payload: { version: 2 ** 40, name: '改名' },
    });
    expect(version.statusCode).toBe(400);
    expect(version.json().error.details.issues[0].path).toBe('version');
    const missing = await app.inject({
      method: 'PATCH',
      url: '/api/v1/departments/2147483647',
      headers,
      payload: { version: 1, name: '改名' },
    });
    expect(missing.statusCode).toBe(404);
  });

  it('limits the writes of one user, per process', async () => {
    const limited = await buildApp({
      services: ctx.services,
      config: ctx.config,
      backend: ctx.database.backend,
      version: 'test',
      // One write a minute refills: on a loaded machine four writes can take longer than a second each.
      writeLimit: { perMinute: 1, burst: 3 },
    });
    try {
      const session = await httpLogin(limited, admin);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const response = await limited.inject({
          method: 'POST',
          url: '/api/v1/departments',
          headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
          payload: newDepartment(),
        });
        statuses.push(response.statusCode);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      // Another user is not held up by the first one's writes.
      const other = (await createUser(ctx, { role: 'administrator', regionCode: TERRITORY.town })).username;
      const theirs = await httpLogin(limited, other);
      const response = await limited.inject({
        method: 'POST',
        url: '/api/v1/departments',
        headers: { cookie: theirs.cookie, 'x-csrf-token': theirs.csrfToken },
        payload: newDepartment(),
      });
      expect(response.statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('write limiter', () => {
  it('refills at the sustained rate after a burst', () => {
    let now = 0;
    const limiter = createWriteLimiter({ perMinute: 60, burst: 2 }, () => now);
    expect([limiter.take(1), limiter.take(1), limiter.take(1)]).toEqual([true, true, false]);
    now += 1_000;
    expect([limiter.take(1), limiter.take(1)]).toEqual([true, false]);
  });
});

describe('logs without personal data', () => {
  const ID = '440605199001011234';
  const PHONE = '13812345678';

  it('masks ID numbers and mobile numbers but leaves grid codes readable', () => {
    expect(maskPersonalData(`id ${ID}, tel ${PHONE}`)).toBe('id 440605********1234, tel 138****5678');
    expect(maskPersonalData('grid 440605121015001001')).toBe('grid 440605121015001001');
  });

  it('logs a failed statement without its ID number and phone', async () => {
    const ctx = await createTestContext();
    const lines: string[] = [];
    const app = await buildApp({
      services: ctx.services,
      config: ctx.config,
      backend: ctx.database.backend,
      version: 'test',
      logger: { level: 'info', stream: { write: (line) => void lines.push(line) } },
    });
    // Stand-ins for a repository whose statement fails on what a resident's record holds.
    app.get('/test/failing-statement', async () => {
      await sql`select ${ID}::text as id_number, ${PHONE}::text as phone, 1 / 0 as boom`.execute(
        ctx.database.db,
      );
    });
    app.get('/test/bad-value', async () => {
      await sql`select ${ID}::int4 as id_number, ${PHONE}::text as phone`.execute(ctx.database.db);
    });
    try {
      const failing = await app.inject({ url: `/test/failing-statement?phone=${PHONE}&id=${ID}` });
      expect(failing.statusCode).toBe(500);
      const bad = await app.inject({ url: '/test/bad-value' });
      expect(bad.statusCode).toBe(400);
      const log = lines.join('');
      expect(log).toContain('unhandled error');
      expect(log).toContain('division by zero');
      expect(log).toContain('440605********1234');
      expect(log).toContain('138****5678');
      expect(log).not.toContain(ID);
      expect(log).not.toContain(PHONE);
    } finally {
      await app.close();
      await ctx.close();
    }
  });
});
