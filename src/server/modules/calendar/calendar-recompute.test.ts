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
  type TestUser,
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { systemActor } from '../people/actor.ts';

/**
 * Issue 16, item 5: a change of the working calendar reaches the open cases. Loading the next year gives the
 * steps flagged beyond the calendar a due time; a holiday added inside a step's deadline moves its due time;
 * the PUT says how many moved, the audit log keeps the count, the case's timeline the new due time.
 */
describe('calendar changes reach open cases', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let admin: HttpSession;
  let adminName: string;
  let worker: TestUser;
  let manholeCover: number;

  beforeAll(async () => {
    // Monday 23 November 2026, 10:00 in Shanghai.
    ctx = await createTestContext({ now: new Date('2026-11-23T10:00:00+08:00') });
    await seedTerritory(ctx);
    await seedCaseReference(ctx);
    const tree = await ctx.services.categories.getCategoryTree();
    // 供水井盖: registration within 2 working hours.
    manholeCover = tree.flatMap((m) => m.children).find((c) => c.code === '01001')?.id ?? 0;
    worker = await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.heqing });
    const townAdmin = await createUser(ctx, { role: 'administrator', regionCode: TERRITORY.town });
    app = await createApp(ctx);
    adminName = townAdmin.username;
    admin = await httpLogin(app, adminName);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  const report = () =>
    ctx.services.cases.reportCase(worker.actor, {
      categoryId: manholeCover,
      description: '河清路口井盖缺失',
      lon: 112.945,
      lat: 22.85,
    });
  const put = (url: string, payload: object) =>
    app.inject({
      method: 'PUT',
      url: `/api/v1${url}`,
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken },
      payload,
    });
  const get = (url: string) =>
    app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { cookie: admin.cookie } });
  const lastAudit = async (action: string) =>
    ctx.database.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', action)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();

  it("moves the due time of a case whose deadline runs across a holiday added to this year's schedule", async () => {
    const opened = await report();
    expect(opened.stepDueAt).toBe(new Date('2026-11-23T12:00:00+08:00').toISOString());
    const { days } = await ctx.services.calendar.getYear(2026);

    // 23 November becomes a (local) holiday: registration runs from Tuesday's opening, 08:30 + 2 h.
    const edited = [...days, { date: '2026-11-23', workday: false, name: '测试假日' }];
    const response = await put('/calendar/2026', { days: edited });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ year: 2026, covered: true, moved: 1 });
    const moved = await ctx.services.cases.getCase(systemActor(), opened.id);
    expect(moved.stepDueAt).toBe(new Date('2026-11-24T10:30:00+08:00').toISOString());
    expect(moved.version).toBe(opened.version + 1);
    const entry = moved.events.find((e) => e.action === 'recomputeDue');
    expect(entry?.data).toMatchObject({
      step: 'register',
      dueAt: moved.stepDueAt,
      previousDueAt: opened.stepDueAt,
    });
    expect((await lastAudit('calendar.year.load')).details).toMatchObject({ moved: 1 });

    // The same schedule again changes no date: nothing moves.
    const again = await put('/calendar/2026', { days: edited });
    expect(again.json().moved).toBe(0);
    expect((await ctx.services.cases.getCase(systemActor(), opened.id)).version).toBe(moved.version);
  });

  it('gives a case flagged beyond the calendar a real due time once the next year is loaded', async () => {
    // Thursday 31 December 2026 after hours: registration would start on 1 January 2027, not yet loaded.
    ctx.clock.set(new Date('2026-12-31T17:45:00+08:00'));
    admin = await httpLogin(app, adminName);
    const opened = await report();
    expect(opened).toMatchObject({ stepDueAt: null, deadline: 'beyondCalendar' });

    const response = await put('/calendar/2027', {
      days: [{ date: '2027-01-01', workday: false, name: '元旦' }],
    });
    expect(response.statusCode).toBe(200);
    // The case of the first test is due in 2026: only the flagged one moves.
    expect(response.json()).toMatchObject({ year: 2027, covered: true, moved: 1 });
    const moved = await ctx.services.cases.getCase(systemActor(), opened.id);
    // 1 January is a holiday, 2–3 January a weekend: Monday 4 January, 08:30 + 2 h.
    expect(moved.stepDueAt).toBe(new Date('2027-01-04T10:30:00+08:00').toISOString());
    expect(moved.deadline).not.toBe('beyondCalendar');
    expect((await lastAudit('calendar.year.load')).details).toMatchObject({ moved: 1 });
  });

  it('moves every open due time with new working hours', async () => {
    const response = await put('/calendar/working-hours', {
      periods: [{ start: '09:00', end: '17:00' }],
      timeZone: 'Asia/Shanghai',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ moved: 2 });
    expect((await lastAudit('calendar.hours.set')).details).toMatchObject({ moved: 2 });
  });

  it('answers the deadline calculator with the due instant or "beyond the calendar"', async () => {
    const due = await get('/calendar/due?start=2026-09-30T16:00:00%2B08:00&amount=2&unit=workingDays');
    expect(due.statusCode).toBe(200);
    // 1–7 October are off: the second working day after 30 September is Friday 9 October.
    expect(due.json()).toEqual({ due: new Date('2026-10-09T16:00:00+08:00').toISOString() });

    const beyond = await get('/calendar/due?start=2027-12-31T16:00:00%2B08:00&amount=1&unit=workingDays');
    expect(beyond.json()).toEqual({ due: null, beyondCalendar: true, lastKnownDate: '2027-12-31' });

    for (const [query, field] of [
      ['start=2026-09-30&amount=2&unit=workingDays', 'start'],
      ['start=2026-09-30T16:00:00Z&amount=-1&unit=workingDays', 'amount'],
      ['start=2026-09-30T16:00:00Z&amount=2&unit=weeks', 'unit'],
    ] as const) {
      const bad = await get(`/calendar/due?${query}`);
      expect(bad.statusCode).toBe(400);
      expect(JSON.stringify(bad.json().error)).toContain(field);
    }
  });
});

describe('a recomputed due time keeps what moved it since the step started', () => {
  let ctx: TestContext;
  let departmentId: number;
  let manholeCover: number;

  beforeAll(async () => {
    ctx = await createTestContext({ now: new Date('2026-11-23T10:00:00+08:00') });
    await seedTerritory(ctx);
    departmentId = (await seedCaseReference(ctx))['JJ-ZJ'] ?? 0;
    const tree = await ctx.services.categories.getCategoryTree();
    // 供水井盖: handling within 2 working days.
    manholeCover = tree.flatMap((m) => m.children).find((c) => c.code === '01001')?.id ?? 0;
  });
  afterAll(() => ctx.close());

  it('replays an approved extension and a suspension on the new calendar', async () => {
    const admin = systemActor();
    const opened = await ctx.services.cases.reportCase(admin, {
      categoryId: manholeCover,
      description: '河清路口井盖缺失',
      lon: 112.945,
      lat: 22.85,
    });
    const act = async (action: string, input: Record<string, unknown> = {}) => {
      const { version } = await ctx.services.cases.getCase(admin, opened.id);
      return ctx.services.cases.actOnCase(admin, {
        caseId: opened.id,
        action: action as never,
        version,
        input: input as never,
      });
    };
    await act('register');
    // Monday 23 November 10:00: handling due Wednesday 25 November 10:00.
    const dispatched = await act('dispatch', { leadDepartmentId: departmentId });
    expect(dispatched.stepDueAt).toBe(new Date('2026-11-25T10:00:00+08:00').toISOString());
    await act('accept');
    ctx.clock.set(new Date('2026-11-23T11:00:00+08:00'));
    const extension = { amount: 1, unit: 'workingDays' };
    await act('requestExtension', { extension, reason: '需要更换井座' });
    await act('approveExtension', { extension });
    await act('suspend', { reason: '等待供水公司停水' });
    // Resumed on Tuesday 11:00: 7 working hours stood still (Monday 11–12, 14–17:30, Tuesday 8:30–11).
    ctx.clock.set(new Date('2026-11-24T11:00:00+08:00'));
    const resumed = await act('resume');
    expect(resumed.stepDueAt).toBe(new Date('2026-11-27T10:00:00+08:00').toISOString());

    // Wednesday 25 November becomes a holiday: 2 working days from Monday 10:00 end on Thursday 10:00, the
    // extension makes it Friday 10:00, the 7 suspended hours Monday 30 November 10:00.
    const { days } = await ctx.services.calendar.getYear(2026);
    const loaded = await ctx.services.calendar.loadYear(admin, {
      year: 2026,
      days: [...days, { date: '2026-11-25', workday: false, name: '测试假日' }],
    });
    expect(loaded.moved).toBe(1);
    const moved = await ctx.services.cases.getCase(admin, opened.id);
    expect(moved.stepDueAt).toBe(new Date('2026-11-30T10:00:00+08:00').toISOString());
  });
});
