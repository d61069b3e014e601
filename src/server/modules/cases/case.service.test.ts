import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors.ts';
import {
  createUser,
  samplePhoto,
  seedCaseReference,
  seedTerritory,
  TERRITORY,
  type TestUser,
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { verifyAuditChain } from '../audit/audit.service.ts';
import { systemActor } from '../people/actor.ts';

let PHOTO: Buffer;
let EVIDENCE: string[] = [];

describe('the closed loop of a case', () => {
  let ctx: TestContext;
  const users: Record<string, TestUser> = {};
  const departments: Record<string, number> = {};
  let exposedRubbish: number;
  let spoilHeap: number;

  beforeAll(async () => {
    ctx = await createTestContext({ now: new Date('2026-09-30T16:00:00+08:00') });
    await seedTerritory(ctx);
    Object.assign(departments, await seedCaseReference(ctx));
    const tree = await ctx.services.categories.getCategoryTree();
    const minor = (code: string) =>
      tree.flatMap((m) => m.children).find((c) => c.kind === 'matter' && c.code === code);
    exposedRubbish = minor('06010')?.id ?? 0;
    spoilHeap = minor('06011')?.id ?? 0;
    users.worker = await createUser(ctx, {
      role: 'gridWorker',
      regionCode: TERRITORY.heqing,
      displayName: '河清网格员',
    });
    users.dispatcher = await createUser(ctx, { role: 'dispatcher', regionCode: TERRITORY.town });
    users.dispatcher2 = await createUser(ctx, { role: 'dispatcher', regionCode: TERRITORY.town });
    users.sanitation = await createUser(ctx, {
      role: 'departmentHandler',
      regionCode: TERRITORY.town,
      departmentId: departments['JJ-HW'],
    });
    users.police = await createUser(ctx, {
      role: 'departmentHandler',
      regionCode: TERRITORY.town,
      departmentId: departments['JJ-PCS'],
    });
    users.inspector = await createUser(ctx, { role: 'inspector', regionCode: TERRITORY.town });
    PHOTO = await samplePhoto();
    EVIDENCE = [(await ctx.services.evidence.uploadEvidence(users.sanitation.actor, PHOTO)).id];
  });
  afterAll(() => ctx.close());

  const report = (clientKey?: string, categoryId = exposedRubbish) =>
    ctx.services.cases.reportCase(users.worker?.actor ?? systemActor(), {
      clientKey,
      categoryId,
      description: '河清路口有一堆暴露垃圾',
      lon: 112.945,
      lat: 22.85,
    });
  const act = async (
    user: TestUser | undefined,
    caseId: number,
    action: string,
    input: Record<string, unknown> = {},
  ) => {
    const current = await ctx.services.cases.getCase(systemActor(), caseId);
    return ctx.services.cases.actOnCase(user?.actor ?? systemActor(), {
      caseId,
      action: action as never,
      version: current.version,
      input: input as never,
    });
  };

  it('goes round the whole loop with a return and a rework, each step in the timeline', async () => {
    const reported = await report('loop-0001');
    expect(reported).toMatchObject({
      state: 'reported',
      regionCode: TERRITORY.heqingGrids[0],
      source: 'gridWorker',
    });
    expect((await ctx.services.cases.getCase(systemActor(), reported.id)).suggestedDepartmentId).toBe(
      departments['JJ-HW'],
    );
    const id = reported.id;
    await act(users.dispatcher, id, 'register');
    await act(users.dispatcher, id, 'dispatch', { leadDepartmentId: departments['JJ-HW'] });
    await act(users.sanitation, id, 'accept');
    const returned = await act(users.sanitation, id, 'return', {
      reason: '位置在河道管理范围，非本部门职责',
    });
    expect(returned).toMatchObject({ state: 'registered', returnCount: 1, leadDepartmentId: null });
    await act(users.dispatcher, id, 'dispatch', { leadDepartmentId: departments['JJ-HW'] });
    await act(users.sanitation, id, 'accept');
    await act(users.sanitation, id, 'finish', { note: '已清运', evidence: EVIDENCE });
    const rework = await act(users.inspector, id, 'verifyFail', { reason: '现场仍有残留' });
    expect(rework).toMatchObject({ state: 'accepted', reworkCount: 1 });
    await act(users.sanitation, id, 'finish', { note: '已彻底清理', evidence: EVIDENCE });
    const closed = await act(users.worker, id, 'verifyPass', { note: '现场核查已清理' });
    expect(closed).toMatchObject({ state: 'closed', step: null, allowedActions: [] });
    expect(closed.closedAt).not.toBeNull();
    expect(closed.events.map((e) => e.action)).toEqual([
      'report',
      'register',
      'dispatch',
      'accept',
      'return',
      'dispatch',
      'accept',
      'finish',
      'verifyFail',
      'finish',
      'verifyPass',
    ]);
  });

  it('tells the next person in line: department, dispatcher, grid worker, and leaders when overdue', async () => {
    const system = systemActor();
    const leader = await createUser(ctx, { role: 'leader', regionCode: TERRITORY.town });
    const grid = await ctx.services.territory.getRegionDetail(system, TERRITORY.heqingGrids[0]);
    await ctx.services.territory.setGridPeople(system, {
      code: grid.code,
      version: grid.version,
      people: [{ userId: users.worker?.id ?? 0, duty: 'gridWorker' }],
    });
    const inbox = async (user: TestUser | undefined) =>
      (await ctx.services.notifications.listInbox(user?.actor ?? system, { limit: 50 })).items;
    ctx.clock.set(new Date('2026-11-23T09:00:00+08:00'));
    const reported = await report();
    await act(users.dispatcher, reported.id, 'register');
    await act(users.dispatcher, reported.id, 'dispatch', { leadDepartmentId: departments['JJ-HW'] });
    expect((await inbox(users.sanitation))[0]).toMatchObject({ kind: 'newTask', caseId: reported.id });
    expect((await inbox(users.sanitation))[0]?.text).toContain(reported.caseNumber);
    await act(users.sanitation, reported.id, 'return', { reason: '不属于本部门' });
    expect((await inbox(users.dispatcher2))[0]).toMatchObject({ kind: 'returned', caseId: reported.id });
    await act(users.dispatcher, reported.id, 'dispatch', { leadDepartmentId: departments['JJ-HW'] });
    await act(users.sanitation, reported.id, 'accept');
    await act(users.sanitation, reported.id, 'finish', { note: '已清运', evidence: EVIDENCE });
    expect((await inbox(users.worker))[0]).toMatchObject({ kind: 'toVerify', caseId: reported.id });

    // The verification step (4 working hours) runs out: the sweep escalates, telling the lead department and
    // the leaders over the case's village, not those of another village.
    const otherLeader = await createUser(ctx, { role: 'leader', regionCode: TERRITORY.yingming });
    ctx.clock.set(new Date('2026-11-24T17:00:00+08:00'));
    await ctx.services.cases.sweepOverdue();
    const overdueNotice = (await inbox(leader)).find((n) => n.caseId === reported.id);
    expect(overdueNotice).toMatchObject({ kind: 'overdue' });
    expect(overdueNotice?.text).toBe(`红灯：案件 ${reported.caseNumber}（暴露垃圾）已超期，已自动督办`);
    expect((await inbox(users.sanitation)).find((n) => n.caseId === reported.id)).toMatchObject({
      kind: 'overdue',
    });
    expect((await inbox(otherLeader)).filter((n) => n.caseId === reported.id)).toEqual([]);
    const detail = await ctx.services.cases.getCase(system, reported.id);
    expect(detail.events.at(-1)).toMatchObject({ action: 'escalate', actorName: 'system' });
    await ctx.services.notifications.markRead(leader.actor, 'all');
    expect((await ctx.services.notifications.listInbox(leader.actor, { limit: 5 })).unread).toBe(0);
  });

  it('warns the department once when its handling step turns yellow', async () => {
    const dueSoonFor = async (user: TestUser | undefined, caseId: number) =>
      (await ctx.services.notifications.listInbox(user?.actor ?? systemActor(), { limit: 100 })).items.filter(
        (n) => n.kind === 'dueSoon' && n.caseId === caseId,
      );
    // Monday 09:00; 暴露垃圾 is handled within 4 working hours (08:30–12:00, 14:00–17:30): due 15:00, and
    // yellow after 80 % of them, 3 h 12 min of working time, at 14:12.
    ctx.clock.set(new Date('2026-11-23T09:00:00+08:00'));
    const reported = await report();
    await act(users.dispatcher, reported.id, 'register');
    await act(users.dispatcher, reported.id, 'dispatch', { leadDepartmentId: departments['JJ-HW'] });
    await act(users.sanitation, reported.id, 'accept');
    const accepted = await ctx.services.cases.getCase(systemActor(), reported.id);
    expect(accepted.stepDueAt).toBe('2026-11-23T07:00:00.000Z');

    ctx.clock.set(new Date('2026-11-23T14:05:00+08:00'));
    await ctx.services.cases.sweepOverdue();
    expect(await dueSoonFor(users.sanitation, reported.id)).toHaveLength(0);
    ctx.clock.set(new Date('2026-11-23T14:15:00+08:00'));
    await ctx.services.cases.sweepOverdue();
    await ctx.services.cases.sweepOverdue();
    const warned = await dueSoonFor(users.sanitation, reported.id);
    expect(warned).toHaveLength(1);
    // Worded in the database, with its due time written as the steps' own messages write theirs.
    expect(warned[0]?.text).toBe(
      `黄灯：案件 ${reported.caseNumber}（暴露垃圾）即将超期，时限 2026-11-23 15:00`,
    );
    // The police department does not hold the case and hears nothing.
    expect(await dueSoonFor(users.police, reported.id)).toHaveLength(0);
    expect((await ctx.services.cases.getCase(systemActor(), reported.id)).deadline).toBe('dueSoon');
  });

  it('keeps the reporter of a merged duplicate informed until the original is closed', async () => {
    const kinds = async (user: TestUser | undefined, caseId: number) =>
      (await ctx.services.notifications.listInbox(user?.actor ?? systemActor(), { limit: 100 })).items
        .filter((n) => n.caseId === caseId)
        .map((n) => n.kind);
    const original = await report();
    const duplicate = await ctx.services.cases.reportCase(users.inspector?.actor ?? systemActor(), {
      categoryId: exposedRubbish,
      description: '河清路口又看到那堆暴露垃圾',
      lon: 112.9451,
      lat: 22.8501,
    });
    await act(users.dispatcher, duplicate.id, 'reject', { reason: 'duplicate', originalCaseId: original.id });
    expect(await kinds(users.inspector, duplicate.id)).toEqual(['merged']);

    await act(users.dispatcher, original.id, 'register');
    await act(users.dispatcher, original.id, 'dispatch', { leadDepartmentId: departments['JJ-HW'] });
    await act(users.sanitation, original.id, 'accept');
    await act(users.sanitation, original.id, 'finish', { note: '已清运', evidence: EVIDENCE });
    await act(users.worker, original.id, 'verifyPass');
    expect(await kinds(users.inspector, original.id)).toEqual(['closed']);
  });

  it('refuses to close an undispatched case, naming its state, and writes nothing', async () => {
    const reported = await report();
    const error = await act(users.worker, reported.id, 'verifyPass').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('ILLEGAL_TRANSITION');
    expect((error as AppError).params.text).toMatchObject({
      zh: expect.stringContaining('当前状态为「已上报」'),
    });
    const after = await ctx.services.cases.getCase(systemActor(), reported.id);
    expect(after.version).toBe(reported.version);
    expect(after.events).toHaveLength(1);
  });

  it('lets one of two dispatchers win and tells the other about the conflict', async () => {
    const reported = await report();
    const attempt = (user: TestUser | undefined) =>
      ctx.services.cases.actOnCase(user?.actor ?? systemActor(), {
        caseId: reported.id,
        action: 'register',
        version: reported.version,
        input: {},
      });
    const results = await Promise.allSettled([attempt(users.dispatcher), attempt(users.dispatcher2)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((loser.reason as AppError).code).toBe('CONFLICT');
  });

  it('creates exactly one case from 200 parallel reports with the same client key', async () => {
    const results = await Promise.all(Array.from({ length: 200 }, () => report('replayed-outbox-key-1')));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    const listed = await ctx.services.cases.listCases(systemActor(), {
      q: results[0]?.caseNumber,
      page: 1,
      pageSize: 20,
    });
    expect(listed.total).toBe(1);
  });

  it('gives each of 40 reports arriving together its own case, first timeline entry and audit entry', async () => {
    const keys = Array.from({ length: 40 }, (_, i) => `together-${i}`);
    const results = await Promise.all(keys.map((key) => report(key)));
    expect(new Set(results.map((r) => r.id)).size).toBe(40);
    for (const result of results.slice(0, 3)) {
      const detail = await ctx.services.cases.getCase(systemActor(), result.id);
      expect(detail.events.map((e) => e.action)).toEqual(['report']);
      expect(detail.caseNumber).toBe(result.caseNumber);
    }
    const audited = await ctx.database.db
      .selectFrom('audit_log')
      .select('entity_id')
      .where('action', '=', 'case.report')
      .where(
        'entity_id',
        'in',
        results.map((r) => String(r.id)),
      )
      .execute();
    expect(audited).toHaveLength(40);
    expect(await verifyAuditChain(ctx.database.db)).toMatchObject({ ok: true });
  });

  it("writes what a source keeps of each report arriving together, in the report's transaction, once", async () => {
    const kept: { caseId: number; seen: boolean }[] = [];
    const reportKeeping = (clientKey: string) =>
      ctx.services.cases.reportCase(
        users.worker?.actor ?? systemActor(),
        { clientKey, categoryId: exposedRubbish, description: '河清路口有垃圾', lon: 112.945, lat: 22.85 },
        'api',
        {
          alongside: async (trx, caseId) => {
            const row = await trx
              .selectFrom('cases')
              .select('id')
              .where('id', '=', caseId)
              .executeTakeFirst();
            kept.push({ caseId, seen: row !== undefined });
          },
        },
      );
    const keys = Array.from({ length: 12 }, (_, i) => `kept-${i}`);
    const results = await Promise.all([...keys, keys[0] ?? ''].map(reportKeeping));
    expect(new Set(results.map((r) => r.id)).size).toBe(12);
    expect(kept.map((k) => k.caseId).sort((a, b) => a - b)).toEqual(
      [...new Set(results.map((r) => r.id))].sort((a, b) => a - b),
    );
    expect(kept.every((k) => k.seen)).toBe(true);
  });

  it('shows a department only what is dispatched to it, and only the lead department acts', async () => {
    const reported = await report();
    await act(users.dispatcher, reported.id, 'register');
    await act(users.dispatcher, reported.id, 'dispatch', {
      leadDepartmentId: departments['JJ-HW'],
      assistingDepartmentIds: [departments['JJ-PCS']],
    });
    const seen = await ctx.services.cases.getCase(users.police?.actor ?? systemActor(), reported.id);
    expect(seen.allowedActions).toEqual([]);
    const error = await act(users.police, reported.id, 'accept').catch((e: unknown) => e);
    expect((error as AppError).code).toBe('FORBIDDEN_ROLE');
    const other = await report();
    const hidden = await ctx.services.cases
      .getCase(users.police?.actor ?? systemActor(), other.id)
      .catch((e: unknown) => e);
    expect((hidden as AppError).code).toBe('FORBIDDEN_SCOPE');
    const queue = await ctx.services.cases.listCases(users.sanitation?.actor ?? systemActor(), {
      page: 1,
      pageSize: 200,
    });
    expect(queue.items.every((c) => c.leadDepartmentId === departments['JJ-HW'])).toBe(true);
  });

  it('sets a 2-working-day handling deadline after the National Day holiday, then turns it red', async () => {
    ctx.clock.set(new Date('2026-09-30T16:00:00+08:00'));
    const reported = await report(undefined, spoilHeap);
    await act(users.dispatcher, reported.id, 'register');
    const dispatched = await act(users.dispatcher, reported.id, 'dispatch', {
      leadDepartmentId: departments['JJ-HW'],
    });
    expect(dispatched.stepDueAt).toBe(new Date('2026-10-09T16:00:00+08:00').toISOString());
    expect(dispatched.deadline).toBe('onTime');

    ctx.clock.set(new Date('2026-10-09T16:01:00+08:00'));
    const swept = await ctx.services.cases.sweepOverdue();
    expect(swept.map((c) => c.id)).toContain(reported.id);
    const overdue = await ctx.services.cases.listCases(systemActor(), {
      deadline: 'overdue',
      page: 1,
      pageSize: 200,
    });
    expect(overdue.items.find((c) => c.id === reported.id)?.deadline).toBe('overdue');
  });

  it('holds the handling step to a rectification deadline set at report, and escalates the case after it', async () => {
    // Monday 09:00. 暴露垃圾 is handled within 4 working hours; the rectification is due Wednesday 18:00.
    ctx.clock.set(new Date('2026-11-23T09:00:00+08:00'));
    const deadline = new Date('2026-11-25T18:00:00+08:00');
    const reported = await ctx.services.cases.reportCase(
      users.inspector?.actor ?? systemActor(),
      { categoryId: exposedRubbish, description: '整改：河清路口垃圾堆放', lon: 112.945, lat: 22.85 },
      'inspector',
      { deadline },
    );
    // The steps before handling keep their category's limits.
    expect(reported.stepDueAt).not.toBe(deadline.toISOString());
    await act(users.dispatcher, reported.id, 'register');
    const dispatched = await act(users.dispatcher, reported.id, 'dispatch', {
      leadDepartmentId: departments['JJ-HW'],
    });
    expect(dispatched).toMatchObject({ step: 'handle', stepDueAt: deadline.toISOString() });

    ctx.clock.set(new Date('2026-11-24T17:00:00+08:00'));
    expect((await ctx.services.cases.sweepOverdue()).map((c) => c.id)).not.toContain(reported.id);
    ctx.clock.set(new Date('2026-11-25T18:01:00+08:00'));
    expect((await ctx.services.cases.sweepOverdue()).map((c) => c.id)).toContain(reported.id);
    const detail = await ctx.services.cases.getCase(systemActor(), reported.id);
    expect(detail.deadline).toBe('overdue');
    expect(detail.events.at(-1)).toMatchObject({ action: 'escalate', data: { step: 'handle' } });
  });

  it('turns no case red while suspended past its due time, and turns it red once its moved due time passes', async () => {
    // Monday 09:00; handling due 15:00 (4 working hours).
    ctx.clock.set(new Date('2026-11-23T09:00:00+08:00'));
    const reported = await report();
    await act(users.dispatcher, reported.id, 'register');
    await act(users.dispatcher, reported.id, 'dispatch', { leadDepartmentId: departments['JJ-HW'] });
    await act(users.sanitation, reported.id, 'accept');
    ctx.clock.set(new Date('2026-11-23T10:00:00+08:00'));
    await act(users.sanitation, reported.id, 'suspend', { reason: '等待供水公司停水' });
    const swept = async (at: string) => {
      ctx.clock.set(new Date(at));
      return (await ctx.services.cases.sweepOverdue()).map((c) => c.id);
    };
    expect(await swept('2026-11-24T10:00:00+08:00')).not.toContain(reported.id);
    // Resumed Tuesday 10:00, 7 working hours later: the 3 hours left of the step run to Tuesday 15:00.
    const resumed = await act(users.sanitation, reported.id, 'resume');
    const due = new Date(resumed.stepDueAt ?? '');
    expect(due.toISOString()).toBe(new Date('2026-11-24T15:00:00+08:00').toISOString());
    expect(await swept(new Date(due.getTime() - 60_000).toISOString())).not.toContain(reported.id);
    expect(await swept(new Date(due.getTime() + 60_000).toISOString())).toContain(reported.id);
    expect(await swept(new Date(due.getTime() + 120_000).toISOString())).not.toContain(reported.id);
    const escalations = (await ctx.services.cases.getCase(systemActor(), reported.id)).events.filter(
      (e) => e.action === 'escalate',
    );
    expect(escalations).toHaveLength(1);
  });

  it('accepts photos by their content, not their name, and refuses a finish naming a photo never uploaded', async () => {
    const text = await ctx.services.evidence
      .uploadEvidence(systemActor(), Buffer.from('not really a picture.jpg'))
      .catch((e: unknown) => e);
    expect((text as AppError).code).toBe('VALIDATION_FAILED');
    const again = await ctx.services.evidence.uploadEvidence(systemActor(), PHOTO);
    expect(again.id).toBe(EVIDENCE[0]);
    const reported = await report();
    await act(users.dispatcher, reported.id, 'register');
    await act(users.dispatcher, reported.id, 'dispatch', { leadDepartmentId: departments['JJ-HW'] });
    await act(users.sanitation, reported.id, 'accept');
    const error = await act(users.sanitation, reported.id, 'finish', {
      note: '已处理',
      evidence: ['b'.repeat(64)],
    }).catch((e: unknown) => e);
    expect((error as AppError).code).toBe('NOT_FOUND');
  });

  it('keeps the photos a grid worker reported with, and refuses a report naming a photo never uploaded', async () => {
    const worker = users.worker?.actor ?? systemActor();
    const input = { categoryId: exposedRubbish, description: '拍到的暴露垃圾', lon: 112.945, lat: 22.85 };
    const reported = await ctx.services.cases.reportCase(worker, { ...input, evidence: EVIDENCE });
    const detail = await ctx.services.cases.getCase(worker, reported.id);
    expect(detail.events[0]).toMatchObject({ action: 'report', data: { evidence: EVIDENCE } });
    expect(detail.photos).toEqual([expect.objectContaining({ id: EVIDENCE[0], width: 64, height: 48 })]);
    const error = await ctx.services.cases
      .reportCase(worker, { ...input, clientKey: 'photo-never-uploaded', evidence: ['c'.repeat(64)] })
      .catch((e: unknown) => e);
    expect((error as AppError).code).toBe('NOT_FOUND');
    const listed = await ctx.services.cases.listCases(worker, { q: '拍到的暴露垃圾', page: 1, pageSize: 20 });
    expect(listed.total).toBe(1);
  });

  it('dispatches many cases at once by the routing rules, reporting the one that moved on', async () => {
    const reported = [await report(), await report(), await report()];
    for (const c of reported) await act(users.dispatcher, c.id, 'register');
    const [first, second, third] = await Promise.all(
      reported.map((c) => ctx.services.cases.getCase(systemActor(), c.id)),
    );
    if (!first || !second || !third) throw new Error('three cases expected');
    // Someone dispatches the third by hand after the list was read: its version in the list is stale.
    await act(users.dispatcher2, third.id, 'dispatch', { leadDepartmentId: departments['JJ-PCS'] });
    const outcomes = await ctx.services.cases.actOnCases(users.dispatcher?.actor ?? systemActor(), {
      action: 'dispatch',
      items: [first, second, third].map((c) => ({ id: c.id, version: c.version })),
      input: {},
    });
    expect(outcomes.map((o) => [o.state, o.error?.code ?? null])).toEqual([
      ['dispatched', null],
      ['dispatched', null],
      [null, 'CONFLICT'],
    ]);
    // 暴露垃圾 goes to its default department, 环卫站; the third stays with the police as dispatched by hand.
    for (const c of [first, second]) {
      const after = await ctx.services.cases.getCase(systemActor(), c.id);
      expect(after.departments).toEqual([
        expect.objectContaining({ id: departments['JJ-HW'], role: 'lead' }),
      ]);
    }
    const kept = await ctx.services.cases.getCase(systemActor(), third.id);
    expect(kept.departments).toEqual([expect.objectContaining({ id: departments['JJ-PCS'], role: 'lead' })]);
  });

  it('refuses a report outside every grid, and one outside the reporter’s village', async () => {
    const outside = await ctx.services.cases
      .reportCase(users.worker?.actor ?? systemActor(), {
        categoryId: exposedRubbish,
        description: '测试',
        lon: 113.5,
        lat: 22.85,
      })
      .catch((e: unknown) => e);
    expect((outside as AppError).code).toBe('VALIDATION_FAILED');
    const elsewhere = await ctx.services.cases
      .reportCase(users.worker?.actor ?? systemActor(), {
        categoryId: exposedRubbish,
        description: '测试',
        lon: 112.965,
        lat: 22.85,
      })
      .catch((e: unknown) => e);
    expect((elsewhere as AppError).code).toBe('FORBIDDEN_SCOPE');
  });
});

describe('possible duplicates', () => {
  let ctx: TestContext;
  let worker: TestUser;
  let dispatcher: TestUser;
  let categoryId: number;
  let otherCategoryId: number;

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    await seedCaseReference(ctx);
    const minors = (await ctx.services.categories.getCategoryTree()).flatMap((m) => m.children);
    categoryId = minors.find((c) => c.kind === 'matter' && c.code === '06010')?.id ?? 0;
    otherCategoryId = minors.find((c) => c.kind === 'matter' && c.code === '07001')?.id ?? 0;
    worker = await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.heqing });
    dispatcher = await createUser(ctx, { role: 'dispatcher', regionCode: TERRITORY.town });
  });
  afterAll(() => ctx.close());

  const reportAt = (lon: number, lat: number, category = categoryId) =>
    ctx.services.cases.reportCase(worker.actor, { categoryId: category, description: '垃圾堆放', lon, lat });

  it('offers an open case of the same category 50 m away, not one 300 m away or of another category', async () => {
    const first = await reportAt(112.945, 22.85);
    await reportAt(112.945, 22.8527); // about 300 m north
    await reportAt(112.9451, 22.8501, otherCategoryId);
    const near = await ctx.services.cases.findPossibleDuplicates(worker.actor, {
      categoryId,
      lon: 112.9454,
      lat: 22.8502,
    });
    expect(near.map((c) => c.id)).toEqual([first.id]);

    const second = await reportAt(112.9454, 22.8502);
    const seen = await ctx.services.cases.getCase(dispatcher.actor, second.id);
    expect(seen.possibleDuplicates.map((c) => c.id)).toContain(first.id);
  });

  it('merges a duplicate into the original, whose timeline names it and its reporter', async () => {
    const original = await reportAt(112.947, 22.845);
    const duplicate = await reportAt(112.9471, 22.8451);
    const merged = await ctx.services.cases.actOnCase(dispatcher.actor, {
      caseId: duplicate.id,
      action: 'reject',
      version: duplicate.version,
      input: { reason: 'duplicate', originalCaseId: original.id },
    });
    expect(merged).toMatchObject({ state: 'merged', mergedInto: original.id });
    const after = await ctx.services.cases.getCase(dispatcher.actor, original.id);
    expect(after.events.at(-1)).toMatchObject({ action: 'mergeDuplicate', note: duplicate.caseNumber });
    expect(after.events.at(-1)?.data).toMatchObject({ reporterName: worker.actor.name });
  });
});
