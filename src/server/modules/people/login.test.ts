import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../deps.ts';
import {
  createApp,
  createUser,
  httpLogin,
  PASSWORD,
  seedTerritory,
  TERRITORY,
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { systemActor } from './actor.ts';

// The test configuration: 3 failures, 15 minutes. An address may fail 3 × 4 = 12 times in 15 minutes.
const ADDRESS_LIMIT = 12;

describe('login throttling and lockout', () => {
  let ctx: TestContext;
  let app: FastifyInstance;

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    app = await createApp(ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  const login = (username: string, password: string, remoteAddress: string) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress,
      payload: { username, password },
    });
  const admin = () => createUser(ctx, { role: 'administrator', regionCode: TERRITORY.town });

  it('answers a locked account exactly like a wrong password or an unknown user', async () => {
    const victim = await admin();
    // Failures from two addresses lock the account.
    await login(victim.username, 'wrong-guess-1', '198.51.100.1');
    await login(victim.username, 'wrong-guess-2', '198.51.100.2');
    await login(victim.username, 'wrong-guess-3', '198.51.100.1');
    const stored = await ctx.services.people.getUser(systemActor(), victim.id);
    expect(stored.lockedUntil).not.toBeNull();

    const rightWhileLocked = await login(victim.username, PASSWORD, '203.0.113.9');
    const wrong = await login(victim.username, 'wrong-guess-4', '203.0.113.9');
    const unknown = await login('nobody-at-all', 'wrong-guess-5', '203.0.113.9');
    for (const response of [rightWhileLocked, wrong, unknown]) {
      expect(response.statusCode).toBe(401);
      expect(response.cookies.find((c) => c.name === 'gridgov_session')).toBeUndefined();
    }
    expect(rightWhileLocked.body).toBe(unknown.body);
    expect(wrong.body).toBe(unknown.body);
    expect(unknown.json().error).toEqual({
      code: 'LOGIN_FAILED',
      message:
        '用户名或密码错误。多次失败后账号会被暂时锁定 15 分钟（锁定期间同样如此提示），管理员可随时解锁。',
    });

    // The lock is brief: once it has passed, the right password works.
    ctx.clock.advance(16 * 60_000);
    expect((await login(victim.username, PASSWORD, '203.0.113.9')).statusCode).toBe(200);
  });

  it('never locks an account from one address: that address is slowed down instead', async () => {
    const victim = await admin();
    const guesser = '192.0.2.66';
    for (let i = 0; i < ADDRESS_LIMIT; i++) {
      const response = await login(victim.username, `guess-number-${i}`, guesser);
      expect(response.statusCode).toBe(401);
    }
    // The guesser is refused before any password is checked, even the right one …
    const refused = await login(victim.username, PASSWORD, guesser);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error).toEqual({
      code: 'LOGIN_THROTTLED',
      message: '来自您所在网络地址的登录失败次数过多，请 15 分钟后再试。',
    });
    // … while the administrator, from their own address, is not locked out.
    expect((await login(victim.username, PASSWORD, '192.0.2.10')).statusCode).toBe(200);
    // Their successful login does not reset the guesser's count.
    expect((await login(victim.username, PASSWORD, guesser)).statusCode).toBe(429);

    // The refusal holds in every process serving the same database.
    const otherProcess = createServices({
      db: ctx.database.db,
      backend: ctx.database.backend,
      clock: ctx.clock,
      config: ctx.config,
    });
    const elsewhere = await otherProcess.auth
      .login({ username: victim.username, password: PASSWORD, ip: guesser, userAgent: null, locale: 'zh-CN' })
      .catch((e: unknown) => e);
    expect(elsewhere).toMatchObject({ code: 'LOGIN_THROTTLED' });

    // Once the failures have left the window, the address may try again.
    ctx.clock.advance(16 * 60_000);
    expect((await login(victim.username, PASSWORD, guesser)).statusCode).toBe(200);
  });

  it('forgets failures after a successful login, so typos days apart never add up to a lock', async () => {
    const user = await admin();
    await login(user.username, 'typo-number-1', '198.51.100.7');
    await login(user.username, 'typo-number-2', '198.51.100.8');
    expect((await login(user.username, PASSWORD, '198.51.100.7')).statusCode).toBe(200);
    await login(user.username, 'typo-number-3', '198.51.100.8');
    expect((await login(user.username, PASSWORD, '198.51.100.8')).statusCode).toBe(200);
  });

  it('lets an administrator unlock an account at once', async () => {
    const victim = await admin();
    for (const ip of ['198.51.100.21', '198.51.100.22', '198.51.100.23']) {
      await login(victim.username, 'wrong-guess', ip);
    }
    expect((await login(victim.username, PASSWORD, '198.51.100.24')).statusCode).toBe(401);
    const townAdmin = await admin();
    const session = await httpLogin(app, townAdmin.username);
    const unlock = await app.inject({
      method: 'POST',
      url: `/api/v1/users/${victim.id}/unlock`,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
    });
    expect(unlock.statusCode).toBe(200);
    expect(unlock.json().lockedUntil).toBeNull();
    expect((await login(victim.username, PASSWORD, '198.51.100.24')).statusCode).toBe(200);
    // The failures before the unlock are forgotten: one more typo does not lock it again.
    await login(victim.username, 'one-more-typo', '198.51.100.25');
    expect((await login(victim.username, PASSWORD, '198.51.100.24')).statusCode).toBe(200);
  });
});
