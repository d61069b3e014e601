import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskInput } from '../../../shared/task-books.ts';
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

/** A task book of the town office, due Friday 27 November 2026; the tests start on Monday the 23rd. */
const DEADLINE = '2026-11-27';

describe('task books (任务书) and accountability (问责)', () => {
  let ctx: TestContext;
  let departments: Record<string, number>;
  let categoryId: number;
  let evidence: string[];
  const users: Record<string, TestUser> = {};

  beforeAll(async () => {
    ctx = await createTestContext({ now: new Date('2026-11-23T09:00:00+08:00') });
    await seedTerritory(ctx);
    departments = await seedCaseReference(ctx);
    const tree = await ctx.services.categories.getCategoryTree();
    categoryId =
      tree.flatMap((m) => m.children).find((c) => c.kind === 'matter' && c.code === '06011')?.id ?? 0;
    users.inspector = await createUser(ctx, {
      role: 'inspector',
      regionCode: TERRITORY.town,
      displayName: '镇督查员',
    });
    users.sanitation = await createUser(ctx, {
      role: 'departmentHandler',
      regionCode: TERRITORY.town,
      departmentId: departments['JJ-HW'],
    });
    users.enforcement = await createUser(ctx, {
      role: 'departmentHandler',
      regionCode: TERRITORY.town,
      departmentId: departments['JJ-CG'],
    });
    users.police = await createUser(ctx, {
      role: 'departmentHandler',
      regionCode: TERRITORY.town,
      departmentId: departments['JJ-PCS'],
    });
    users.heqingDispatcher = await createUser(ctx, { role: 'dispatcher', regionCode: TERRITORY.heqing });
    users.dongbiDispatcher = await createUser(ctx, { role: 'dispatcher', regionCode: TERRITORY.dongbi });
    users.gridWorker = await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.town });
    evidence = [(await ctx.services.evidence.uploadEvidence(users.sanitation.actor, await samplePhoto())).id];
  });
  afterAll(() => ctx?.close());

  const taskBooks = () => ctx.services.inspections.taskBooks;
  const unit = (i: number) => (i % 2 === 0 ? 'JJ-HW' : 'JJ-CG');
  const tasksOf = (count: number): TaskInput[] =>
    Array.from({ length: count }, (_, i) => ({
      description: `第${i + 1}项：清理${i % 2 === 0 ? '河清' : '英明'}积存垃圾`,
      departmentId: departments[unit(i)] ?? 0,
      regionCode: i % 2 === 0 ? TERRITORY.heqing : TERRITORY.yingming,
      responsibleName: `责任人${i + 1}`,
    }));
  const act = async (user: TestUser | undefined, caseId: number, action: string, input: object = {}) => {
    const current = await ctx.services.cases.getCase(systemActor(), caseId);
    return ctx.services.cases.actOnCase(user?.actor ?? systemActor(), {
      caseId,
      action: action as never,
      version: current.version,
      input: input as never,
    });
  };

  it('the day after the deadline, the 15 unfinished of 40 tasks are red, escalated and on the accountability list', async () => {
    ctx.clock.set(new Date('2026-11-23T09:00:00+08:00'));
    const book = await taskBooks().createTaskBook(users.inspector?.actor ?? systemActor(), {
      title: '九江镇市容环境整改任务书',
      regionCode: TERRITORY.town,
      categoryId,
      deadline: DEADLINE,
      tasks: tasksOf(40),
    });
    expect(book.number).toMatch(/^RWS-2026-\d{4}$/);
    expect(book.tasks).toHaveLength(40);
    expect(book.counts).toMatchObject({ total: 40, open: 40, pending: 0 });
    // Each task is a case dispatched to its unit, its handling due at the close of working hours on the deadline day (17:30 Shanghai).
    const first = await ctx.services.cases.getCase(systemActor(), book.tasks[0]?.caseId ?? 0);
    expect(first).toMatchObject({
      state: 'dispatched',
      leadDepartmentId: departments['JJ-HW'],
      stepDueAt: '2026-11-27T09:30:00.000Z',
      regionCode: TERRITORY.heqing,
    });

    // The units finish and the checkers verify 25 of them on Thursday.
    ctx.clock.set(new Date('2026-11-26T10:00:00+08:00'));
    const finished = book.tasks.slice(0, 25);
    for (const task of finished) {
      const handler = task.departmentId === departments['JJ-HW'] ? users.sanitation : users.enforcement;
      await act(handler, task.caseId ?? 0, 'accept');
      await act(handler, task.caseId ?? 0, 'finish', { note: '已清理完毕', evidence });
      await act(users.gridWorker, task.caseId ?? 0, 'verifyPass', { note: '现场已整改' });
    }

    // The day after the deadline: the minute sweep runs.
    ctx.clock.set(new Date('2026-11-28T09:00:00+08:00'));
    await ctx.services.cases.sweepOverdue();
    const after = await taskBooks().getTaskBook(users.inspector?.actor ?? systemActor(), book.id);
    expect(after.deadlinePassed).toBe(true);
    expect(after.counts).toMatchObject({ total: 40, done: 25, overdue: 15, open: 0, escalated: 15 });
    const unfinished = after.tasks.filter((t) => t.state === 'overdue');
    expect(unfinished.map((t) => t.position)).toEqual(Array.from({ length: 15 }, (_, i) => 26 + i));
    for (const task of unfinished) {
      expect(task).toMatchObject({ escalated: true, daysOverdue: 1, verified: false });
      const detail = await ctx.services.cases.getCase(systemActor(), task.caseId ?? 0);
      expect(detail.deadline).toBe('overdue');
      expect(detail.events.at(-1)).toMatchObject({ action: 'escalate' });
    }
    expect(after.tasks.filter((t) => t.state === 'done').every((t) => t.verified && !t.escalated)).toBe(true);

    // Each unit is told of its own red tasks (督办), and of no one else's.
    const overdueNotices = async (user: TestUser | undefined) =>
      (await ctx.services.notifications.listInbox(user?.actor ?? systemActor(), { limit: 200 })).items
        .filter((n) => n.kind === 'overdue')
        .map((n) => n.caseId)
        .sort((a, b) => (a ?? 0) - (b ?? 0));
    const caseIdsOf = (code: string) =>
      unfinished
        .filter((t) => t.departmentId === departments[code])
        .map((t) => t.caseId)
        .sort((a, b) => (a ?? 0) - (b ?? 0));
    expect(await overdueNotices(users.sanitation)).toEqual(caseIdsOf('JJ-HW'));
    expect(await overdueNotices(users.enforcement)).toEqual(caseIdsOf('JJ-CG'));

    // Exactly those 15 are on the accountability list, with unit, person and case.
    const list = await taskBooks().listAccountability(users.inspector?.actor ?? systemActor(), {
      bookId: book.id,
    });
    expect(list.total).toBe(15);
    expect(list.items.map((e) => e.taskId)).toEqual(unfinished.map((t) => t.id));
    expect(list.items[0]).toMatchObject({
      taskBookNumber: book.number,
      position: 26,
      departmentName: '九江镇城管执法办',
      responsibleName: '责任人26',
      caseNumber: unfinished[0]?.caseNumber,
      state: 'overdue',
      escalated: true,
      daysOverdue: 1,
    });
    // The list across books holds them too; a late finish stays on it, as done late.
    const late = unfinished[0];
    const handler = late?.departmentId === departments['JJ-HW'] ? users.sanitation : users.enforcement;
    ctx.clock.set(new Date('2026-11-30T10:00:00+08:00'));
    await act(handler, late?.caseId ?? 0, 'accept');
    await act(handler, late?.caseId ?? 0, 'finish', { note: '逾期完成整改', evidence });
    const across = await taskBooks().listAccountability(users.inspector?.actor ?? systemActor(), {
      region: TERRITORY.town,
    });
    expect(across.items.filter((e) => e.taskBookId === book.id)).toHaveLength(15);
    expect(across.items.find((e) => e.taskId === late?.id)).toMatchObject({
      state: 'doneLate',
      daysOverdue: 3,
    });

    const xlsx = await taskBooks().exportAccountability(users.inspector?.actor ?? systemActor(), {
      bookId: book.id,
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.bytes as never);
    const sheet = workbook.worksheets[0];
    expect(sheet?.rowCount).toBe(16);
    expect(sheet?.getRow(2).values).toContain('责任人26');
    expect((await verifyAuditChain(ctx.database.db)).ok).toBe(true);
  });

  it('shows a book only within scope: a village its tasks, a department its own, another town nothing', async () => {
    ctx.clock.set(new Date('2026-11-23T09:00:00+08:00'));
    const book = await taskBooks().createTaskBook(users.inspector?.actor ?? systemActor(), {
      title: '九江镇第二批整改任务',
      regionCode: TERRITORY.town,
      categoryId,
      deadline: DEADLINE,
      tasks: [...tasksOf(4), { ...tasksOf(1)[0], departmentId: departments['JJ-PCS'] ?? 0 } as TaskInput],
    });
    const dongbi = users.dongbiDispatcher?.actor ?? systemActor();
    const listed = await taskBooks().listTaskBooks(dongbi, { page: 1, pageSize: 50 });
    expect(listed.items.map((b) => b.id)).not.toContain(book.id);
    await expect(taskBooks().getTaskBook(dongbi, book.id)).rejects.toMatchObject({ code: 'FORBIDDEN_SCOPE' });
    await expect(taskBooks().listAccountability(dongbi, { bookId: book.id })).rejects.toBeInstanceOf(
      AppError,
    );

    const heqing = await taskBooks().getTaskBook(users.heqingDispatcher?.actor ?? systemActor(), book.id);
    expect(heqing.tasks.map((t) => t.regionCode)).toEqual([
      TERRITORY.heqing,
      TERRITORY.heqing,
      TERRITORY.heqing,
    ]);
    const police = await taskBooks().getTaskBook(users.police?.actor ?? systemActor(), book.id);
    expect(police.tasks.map((t) => t.position)).toEqual([5]);
    const policeList = await taskBooks().listTaskBooks(users.police?.actor ?? systemActor(), {
      page: 1,
      pageSize: 50,
    });
    expect(policeList.items.map((b) => b.id)).toEqual([book.id]);

    // Finishing the issue again changes nothing: each task keeps its one case.
    const again = await taskBooks().issueTaskBook(users.inspector?.actor ?? systemActor(), book.id);
    expect(again.tasks.map((t) => t.caseId)).toEqual(
      (await taskBooks().getTaskBook(users.inspector?.actor ?? systemActor(), book.id)).tasks.map(
        (t) => t.caseId,
      ),
    );
    // Only the offices above issue books, within their scope.
    await expect(
      taskBooks().createTaskBook(users.heqingDispatcher?.actor ?? systemActor(), {
        title: '越权',
        regionCode: TERRITORY.heqing,
        categoryId,
        deadline: DEADLINE,
        tasks: tasksOf(1),
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE' });
  });

  it('refuses a past deadline and a unit that does not serve the area, naming the task', async () => {
    ctx.clock.set(new Date('2026-11-23T09:00:00+08:00'));
    const base = { title: '检查', regionCode: TERRITORY.heqing, categoryId, tasks: tasksOf(1) };
    await expect(
      taskBooks().createTaskBook(users.inspector?.actor ?? systemActor(), {
        ...base,
        deadline: '2026-11-22',
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const wrong = await taskBooks()
      .createTaskBook(users.inspector?.actor ?? systemActor(), {
        ...base,
        deadline: DEADLINE,
        tasks: [{ ...(tasksOf(1)[0] as TaskInput), regionCode: TERRITORY.dongbi }],
      })
      .catch((error: AppError) => error);
    expect(wrong).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((wrong as AppError).details).toMatchObject({ issues: [{ path: 'tasks.0.regionCode' }] });
  });
});
