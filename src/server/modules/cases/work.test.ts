import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseListQuerySchema } from '../../../shared/cases.ts';
import type { WorkSummary } from '../../../shared/work.ts';
import {
  createUser,
  samplePhoto,
  seedCaseReference,
  seedTerritory,
  TERRITORY,
  type TestUser,
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { systemActor } from '../people/actor.ts';

/** My work (工作台) and an inbox that stays true (issue 15, items 1 and 2). */
describe('my work and the inbox', () => {
  let ctx: TestContext;
  const users: Record<string, TestUser> = {};
  const departments: Record<string, number> = {};
  let rubbish = 0;

  beforeAll(async () => {
    ctx = await createTestContext({ now: new Date('2026-09-30T10:00:00+08:00') });
    await seedTerritory(ctx);
    Object.assign(departments, await seedCaseReference(ctx));
    const minors = (await ctx.services.categories.getCategoryTree()).flatMap((m) => m.children);
    rubbish = minors.find((c) => c.kind === 'matter' && c.code === '06010')?.id ?? 0;
    users.worker = await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.heqing });
    users.dispatcher = await createUser(ctx, { role: 'dispatcher', regionCode: TERRITORY.town });
    users.sanitation = await createUser(ctx, {
      role: 'departmentHandler',
      regionCode: TERRITORY.town,
      departmentId: departments['JJ-HW'],
    });
    users.leader = await createUser(ctx, { role: 'leader', regionCode: TERRITORY.town });
    const grid = TERRITORY.heqingGrids[0];
    await ctx.services.territory.setGridPeople(systemActor(), {
      code: grid,
      version: (await ctx.services.territory.getRegionDetail(systemActor(), grid)).version,
      people: [{ userId: users.worker?.id ?? 0, duty: 'gridWorker' }],
    });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const actor = (name: string) => {
    const user = users[name];
    if (!user) throw new Error(name);
    return user.actor;
  };
  const work = (name: string) => ctx.services.cases.workSummary(actor(name));
  const countOf = (summary: WorkSummary, key: string) => summary.queues.find((q) => q.key === key)?.count;
  const act = async (name: string, caseId: number, action: string, input: Record<string, unknown> = {}) => {
    const current = await ctx.services.cases.getCase(systemActor(), caseId);
    await ctx.services.cases.actOnCase(actor(name), {
      caseId,
      action: action as never,
      version: current.version,
      input: input as never,
    });
  };
  const inboxOf = (name: string) => ctx.services.notifications.listInbox(actor(name), { limit: 50 });

  it('counts each queue as the case list counts the filter it links to, and the bell is the waiting sum', async () => {
    const reported = await ctx.services.cases.reportCase(actor('worker'), {
      categoryId: rubbish,
      description: '河清路口有一堆暴露垃圾',
      lon: 112.945,
      lat: 22.85,
    });
    const second = await ctx.services.cases.reportCase(actor('worker'), {
      categoryId: rubbish,
      description: '河清市场门口垃圾满溢',
      lon: 112.946,
      lat: 22.85,
    });
    await act('dispatcher', second.id, 'register');

    const desk = await work('dispatcher');
    expect(countOf(desk, 'toRegister')).toBe(1);
    expect(countOf(desk, 'toDispatch')).toBe(1);
    expect(countOf(desk, 'reportedToday')).toBe(2);
    expect(desk.waiting).toBe(2);
    for (const queue of desk.queues) {
      const list = await ctx.services.cases.listCases(
        actor('dispatcher'),
        caseListQuerySchema.parse({ ...queue.filter, pageSize: 50 }),
      );
      expect(list.total, queue.key).toBe(queue.count);
    }
    expect(countOf(await work('worker'), 'myReports')).toBe(2);
    expect(reported.state).toBe('reported');
  });

  it('marks a department’s new task done by itself once it is accepted, and tells the grid worker to verify', async () => {
    const { id } = await ctx.services.cases.reportCase(actor('worker'), {
      categoryId: rubbish,
      description: '河清大道垃圾桶破损',
      lon: 112.945,
      lat: 22.85,
    });
    await act('dispatcher', id, 'register');
    await act('dispatcher', id, 'dispatch', { leadDepartmentId: departments['JJ-HW'] });

    const before = await inboxOf('sanitation');
    const task = before.items.find((n) => n.caseId === id && n.kind === 'newTask');
    expect(task).toMatchObject({ read: false, done: false });
    expect(countOf(await work('sanitation'), 'newTasks')).toBe(1);

    await act('sanitation', id, 'accept');
    const after = await inboxOf('sanitation');
    expect(after.items.find((n) => n.id === task?.id)).toMatchObject({ read: true, done: true });
    expect(after.unread).toBe(before.unread - 1);
    const desk = await work('sanitation');
    expect(countOf(desk, 'newTasks')).toBe(0);
    expect(countOf(desk, 'inProgress')).toBe(1);

    const photo = await ctx.services.evidence.uploadEvidence(actor('sanitation'), await samplePhoto());
    await act('sanitation', id, 'finish', { note: '已更换垃圾桶', evidence: [photo.id] });
    const toVerify = (await inboxOf('worker')).items.find((n) => n.caseId === id && n.kind === 'toVerify');
    expect(toVerify).toMatchObject({ done: false });
    expect(countOf(await work('worker'), 'toVerify')).toBe(1);

    await act('worker', id, 'verifyPass');
    expect((await inboxOf('worker')).items.find((n) => n.id === toVerify?.id)).toMatchObject({ done: true });
    expect(countOf(await work('worker'), 'toVerify')).toBe(0);
  });

  it('tells the dispatchers of a new report once, within the minute, and marks it done once registered', async () => {
    const { id } = await ctx.services.cases.reportCase(actor('worker'), {
      categoryId: rubbish,
      description: '河清小区门口垃圾堆放',
      lon: 112.945,
      lat: 22.85,
    });
    expect((await inboxOf('dispatcher')).items.some((n) => n.caseId === id)).toBe(false);
    expect(await ctx.services.cases.tellNewReports()).toBeGreaterThan(0);
    await ctx.services.cases.tellNewReports();
    const told = (await inboxOf('dispatcher')).items.filter((n) => n.caseId === id);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ kind: 'newReport', read: false, done: false });
    expect(told[0]?.text).toContain('待立案');
    // Nobody else is told of it: the reporting grid worker and the department wait for later steps.
    expect((await inboxOf('worker')).items.some((n) => n.caseId === id)).toBe(false);
    expect((await inboxOf('sanitation')).items.some((n) => n.caseId === id)).toBe(false);

    await act('dispatcher', id, 'register');
    const after = (await inboxOf('dispatcher')).items.find((n) => n.id === told[0]?.id);
    expect(after).toMatchObject({ read: true, done: true });
    expect(await ctx.services.cases.tellNewReports()).toBe(0);
  });

  it('lets the dispatcher reassign a task (the new department is told, the old one’s message is done) and merge a duplicate by its case number', async () => {
    const report = (description: string) =>
      ctx.services.cases.reportCase(actor('worker'), {
        categoryId: rubbish,
        description,
        lon: 112.945,
        lat: 22.85,
      });
    const { id } = await report('河清桥下垃圾成堆');
    await act('dispatcher', id, 'register');
    const registered = await ctx.services.cases.getCase(actor('dispatcher'), id);
    expect(registered.suggestedDepartmentId).not.toBeNull();
    expect(['routingRule', 'categoryDefault']).toContain(registered.suggestedBecause);
    await act('dispatcher', id, 'dispatch', { leadDepartmentId: departments['JJ-HW'] });
    const other = Object.entries(departments).find(([code]) => code !== 'JJ-HW')?.[1] ?? 0;
    await act('dispatcher', id, 'reassign', { leadDepartmentId: other, reason: '应由其他部门处置' });
    const reassigned = await ctx.services.cases.getCase(actor('dispatcher'), id);
    expect(reassigned.state).toBe('dispatched');
    expect(reassigned.departments.find((d) => d.role === 'lead')?.id).toBe(other);
    expect(reassigned.returnCount).toBe(0);
    const oldTask = (await inboxOf('sanitation')).items.find((n) => n.caseId === id && n.kind === 'newTask');
    expect(oldTask).toMatchObject({ done: true });

    const duplicate = await report('河清桥下又有人倒垃圾');
    await act('dispatcher', duplicate.id, 'reject', {
      reason: 'duplicate',
      originalCaseNumber: reassigned.caseNumber,
    });
    const merged = await ctx.services.cases.getCase(actor('dispatcher'), duplicate.id);
    expect(merged).toMatchObject({ state: 'merged', mergedInto: id });
  });

  it('gives a leader the overdue cases to supervise, and no queues to a role without case work', async () => {
    const leader = await work('leader');
    expect(leader.queues.map((q) => q.key)).toEqual(['overdue', 'supervised', 'reportedToday']);
    expect(leader.today).toBe('2026-09-30');
  });
});
