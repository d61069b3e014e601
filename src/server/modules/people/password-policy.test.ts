import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../db/seed/demo-town.ts';
import {
  createApp,
  createUser,
  type HttpSession,
  httpLogin,
  PASSWORD,
  seedTerritory,
  TERRITORY,
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { systemActor } from './actor.ts';
import { passwordWeakness } from './password-policy.ts';

describe('password strength', () => {
  it.each([
    ['123456789', 'heqing-worker'],
    ['a123456', 'heqing-worker'],
    ['woaini1314', 'heqing-worker'],
    ['qwertyuiop', 'heqing-worker'],
    ['password1', 'heqing-worker'],
    ['1qaz2wsx3edc', 'heqing-worker'],
    ['a123456789', 'heqing-worker'],
    ['Password2026!', 'heqing-worker'],
    ['woaini13145200', 'heqing-worker'],
    ['13800138000', 'heqing-worker'],
    ['0987654321', 'heqing-worker'],
    ['aaaaaaaaaaaa', 'heqing-worker'],
    ['abcabcabcabc', 'heqing-worker'],
    ['heqing-worker-2026', 'heqing-worker'],
    ['Admin@2026!!', 'zhang'],
  ])('refuses %s (user %s)', (password, username) => {
    expect(passwordWeakness(password, username)).not.toBeNull();
  });

  it.each([
    [DEMO_PASSWORD, 'admin'],
    [PASSWORD, 'administrator-1'],
    ['Bench-pass-2026', 'bench-worker'],
    ['Crash-test-2026', 'crashadmin'],
    ['九江镇河清社区网格2026', 'heqing'],
    ['correct horse battery', 'heqing'],
  ])('accepts %s (user %s)', (password, username) => {
    expect(passwordWeakness(password, username)).toBeNull();
  });

  it('explains a short password with the minimum length in both languages', () => {
    expect(passwordWeakness('Ab3$xy', 'someone')).toEqual({
      zh: '密码至少 10 个字符',
      en: 'at least 10 characters',
    });
  });
});

describe('passwords set by administrators and the command line', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let session: HttpSession;
  let workerId: number;

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    app = await createApp(ctx);
    const admin = await createUser(ctx, { role: 'administrator', regionCode: TERRITORY.town });
    workerId = (await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.heqing })).id;
    session = await httpLogin(app, admin.username);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  const post = (url: string, payload: object, locale = 'zh-CN') =>
    app.inject({
      method: 'POST',
      url: `/api/v1${url}`,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'accept-language': locale },
      payload,
    });
  const newUser = (password: string) => ({
    username: 'liwei-heqing',
    displayName: '李伟',
    role: 'gridWorker',
    regionCode: TERRITORY.heqing,
    password,
  });

  it('refuses a common password for a new user, under the password field, in the request language', async () => {
    const zh = await post('/users', newUser('woaini1314'));
    expect(zh.statusCode).toBe(400);
    expect(zh.json().error.details.issues).toEqual([
      { path: 'password', message: '该密码过于常见，容易被猜中，请换一个' },
    ]);
    const en = await post('/users', newUser('1qaz2wsx3edc'), 'en-US');
    expect(en.json().error.message).toBe(
      'Invalid input: password: this password is among the most common ones and easily guessed; choose another',
    );
    const short = await post('/users', newUser('Ab3$xyz!'));
    expect(short.json().error.details.issues).toEqual([{ path: 'password', message: '密码至少 10 个字符' }]);
    const ownName = await post('/users', newUser('liwei-heqing-2026'));
    expect(ownName.json().error.details.issues).toEqual([
      { path: 'password', message: '密码不能包含用户名' },
    ]);
    // Nothing was created by the refused attempts; a strong password is taken.
    const created = await post('/users', newUser('Heqing#Grid-7731'));
    expect(created.statusCode).toBe(200);
  });

  it('refuses a weak password on reset, keeping the old one', async () => {
    const weak = await post(`/users/${workerId}/password`, { password: 'qwertyuiop' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.code).toBe('VALIDATION_FAILED');
    const worker = await ctx.services.people.getUser(systemActor(), workerId);
    expect(
      (await httpLogin(app, worker.username).then(
        () => 'old password still works',
        () => 'changed',
      )) as string,
    ).toBe('old password still works');
    expect((await post(`/users/${workerId}/password`, { password: 'Jiujiang-river-88' })).statusCode).toBe(
      204,
    );
  });

  it('applies to the command line too, which calls the same service', async () => {
    const error = await ctx.services.people
      .createUser(systemActor(), { ...newUser('a123456789'), username: 'cli-made', role: 'gridWorker' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
