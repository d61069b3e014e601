import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { type DemoHistoryReport, loadDemoHistory, readHistoryState } from './demo-history.ts';
import { SYNTHETIC_MARK } from './demo-history-plan.ts';
import { loadDemoTown } from './demo-town.ts';

// Saturday 2026-12-05, 12:00 in Jiujiang: the history runs from 2026-09-01 to here.
const NOW = new Date('2026-12-05T04:00:00Z');

describe('the demo town’s synthetic case history', () => {
  let ctx: TestContext;
  let report: DemoHistoryReport;

  beforeAll(async () => {
    ctx = await createTestContext({ now: NOW });
    await loadDemoTown(ctx.database.db, ctx.services, undefined, NOW);
    const deps = { db: ctx.database.db, backend: ctx.database.backend, config: ctx.config };
    // A first start stopped after 400 steps (the server shut down); the next start, a day later, resumes the
    // same plan up to the first start's `now` without doing any step twice.
    let calls = 0;
    // A fifth of a day's usual reports keeps every outcome and the test quick.
    const perWorkingDay: [number, number] = [3, 5];
    const cut = await loadDemoHistory(deps, { now: NOW, perWorkingDay, shouldStop: () => ++calls > 400 });
    expect(cut.loaded).toBe(false);
    expect(await readHistoryState(ctx.database.db)).toMatchObject({ state: 'loading' });
    report = await loadDemoHistory(deps, {
      now: new Date(NOW.getTime() + 86_400_000),
      perWorkingDay,
      onProgress: (done, total) => console.log(`demo history: ${done}/${total} steps`),
    });
    expect(report.to).toBe(NOW.toISOString());
    console.log(
      `demo history: ${report.cases} cases, ${report.steps} steps in ${(report.ms / 1000).toFixed(1)} s ` +
        `(sweeps ${((report.sweepMs ?? 0) / 1000).toFixed(1)} s)`,
    );
  }, 900_000);
  afterAll(() => ctx.close());

  const db = () => ctx.database.db;
  const historyCases = () =>
    db()
      .selectFrom('cases')
      .selectAll()
      .where('client_key', 'like', 'demo-history:%')
      .orderBy('id')
      .execute();
  const eventsByCase = async () => {
    const events = await db()
      .selectFrom('case_events')
      .innerJoin('cases', 'cases.id', 'case_events.case_id')
      .select(['case_events.case_id', 'case_events.action', 'case_events.at', 'case_events.data'])
      .where('cases.client_key', 'like', 'demo-history:%')
      .orderBy('case_events.id')
      .execute();
    const map = new Map<number, typeof events>();
    for (const e of events) map.set(e.case_id, [...(map.get(e.case_id) ?? []), e]);
    return map;
  };

  it('has cases in each of the four months, every one marked synthetic, and says so in settings', async () => {
    const rows = await historyCases();
    expect(rows.length).toBe(report.cases);
    const months = new Set(
      rows.map((r) => new Date(r.created_at.getTime() + 8 * 3_600_000).toISOString().slice(0, 7)),
    );
    expect([...months].sort()).toEqual(['2026-09', '2026-10', '2026-11', '2026-12']);
    expect(rows.every((r) => r.description.startsWith(SYNTHETIC_MARK))).toBe(true);
    expect(await readHistoryState(db())).toMatchObject({
      state: 'done',
      from: '2026-09-01',
      cases: report.cases,
    });
    const sources = new Set(rows.map((r) => r.source));
    expect([...sources].sort()).toEqual(['gridWorker', 'hotline', 'inspector', 'resident']);
  });

  it('shows every outcome: on time, late, returned, reworked, extended, suspended, pending', async () => {
    const rows = await historyCases();
    const events = await eventsByCase();
    const actions = (id: number) => (events.get(id) ?? []).map((e) => e.action);
    expect(rows.some((r) => r.return_count > 0 && r.state === 'closed')).toBe(true);
    expect(rows.some((r) => r.rework_count > 0 && r.state === 'closed')).toBe(true);
    expect(rows.some((r) => r.extension_count > 0)).toBe(true);
    expect(rows.filter((r) => r.state === 'suspended').length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.state === 'rejected').length).toBeGreaterThan(0);
    expect(rows.some((r) => actions(r.id).includes('handleOnTheSpot'))).toBe(true);
    // Handled late and on time: the first finish after / before the handling due time set at dispatch.
    let late = 0;
    let onTime = 0;
    for (const r of rows) {
      const list = events.get(r.id) ?? [];
      const dispatch = list.filter((e) => e.action === 'dispatch').at(-1);
      const finish = list.find((e) => e.action === 'finish');
      const due = (dispatch?.data as { dueAt?: string } | undefined)?.dueAt;
      if (!dispatch || !finish || !due || r.extension_count > 0) continue;
      if (finish.at.getTime() > Date.parse(due)) late++;
      else onTime++;
    }
    expect(onTime).toBeGreaterThan(late * 3);
    expect(late).toBeGreaterThan(10);
    // Pending at `now`: some within their deadline, some past it.
    const open = rows.filter((r) => ['dispatched', 'accepted'].includes(r.state) && r.step_due_at);
    expect(open.some((r) => (r.step_due_at as Date) > NOW)).toBe(true);
    expect(open.some((r) => (r.step_due_at as Date) < NOW && r.overdue)).toBe(true);
  });

  it('keeps consistent timelines: every closed case was registered, dispatched, handled and verified in order', async () => {
    const rows = await historyCases();
    const events = await eventsByCase();
    // Resumed after the cut without taking a step twice.
    for (const list of events.values()) {
      for (const once of ['report', 'register', 'verifyPass', 'rate']) {
        expect(list.filter((e) => e.action === once).length).toBeLessThanOrEqual(1);
      }
    }
    const closed = rows.filter((r) => r.state === 'closed');
    expect(closed.length).toBeGreaterThan(rows.length / 2);
    for (const r of closed) {
      const list = events.get(r.id) ?? [];
      const times = list.map((e) => e.at.getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
      const actions = list.map((e) => e.action);
      if (actions.includes('handleOnTheSpot')) continue;
      const order = ['report', 'register', 'dispatch', 'finish', 'verifyPass'].map((a) => actions.indexOf(a));
      expect(order.every((i) => i >= 0)).toBe(true);
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(r.closed_at?.getTime()).toBe(list.find((e) => e.action === 'verifyPass')?.at.getTime());
    }
  });

  it('pairs photos as the case page shows them: the problem with the report, a different result after', async () => {
    const rows = await historyCases();
    const events = await eventsByCase();
    const photosOf = (id: number, action: string) =>
      (events.get(id) ?? [])
        .filter((e) => e.action === action)
        .flatMap((e) => ((e.data as { evidence?: string[] }).evidence ?? []) as string[]);
    const closed = rows.filter((r) => r.state === 'closed' && photosOf(r.id, 'finish').length > 0);
    expect(closed.length).toBeGreaterThan(0);
    for (const r of closed) {
      const reported = photosOf(r.id, 'report');
      // A hotline call brings no photo; a report from a phone or the portal brings one of the problem.
      expect(reported.length).toBe(r.source === 'hotline' ? 0 : 1);
      for (const before of reported) expect(photosOf(r.id, 'finish')).not.toContain(before);
    }
    const onTheSpot = [...events.values()].flat().find((e) => e.action === 'handleOnTheSpot');
    const spot = onTheSpot?.data as { beforePhotos: string[]; afterPhotos: string[] };
    expect(spot.beforePhotos).toHaveLength(1);
    expect(spot.afterPhotos).not.toEqual(spot.beforePhotos);
  });

  it('has ratings, mostly 4–5, on resident and hotline cases', async () => {
    const rated = (await historyCases()).filter((r) => r.satisfaction !== null);
    expect(rated.length).toBeGreaterThan(20);
    expect(rated.every((r) => r.source === 'resident' || r.source === 'hotline')).toBe(true);
    expect(rated.filter((r) => (r.satisfaction ?? 0) >= 4).length / rated.length).toBeGreaterThan(0.7);
  });

  it('does not load twice', async () => {
    const again = await loadDemoHistory(
      { db: db(), backend: ctx.database.backend, config: ctx.config },
      { now: NOW },
    );
    expect(again.loaded).toBe(false);
    expect((await historyCases()).length).toBe(report.cases);
  });
});
