import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseSource } from '../../../shared/case-workflow.ts';
import {
  COUNT_KEYS,
  compositeOf,
  DEFAULT_SCHEME,
  EMPTY_COUNTS,
  figuresOf,
  type IndicatorCounts,
  type Ranking,
} from '../../../shared/indicators.ts';
import {
  createUser,
  samplePhoto,
  seedCaseReference,
  seedTerritory,
  TERRITORY,
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { systemActor } from '../people/actor.ts';

const HEQING = { lon: 112.945, lat: 22.85 };
const YINGMING = { lon: 112.965, lat: 22.85 };
const HOUR = 3_600_000;
const NOVEMBER = { from: '2026-11-01', to: '2026-11-30' };

/** What happens to a case after it is dispatched. */
type Outcome =
  | 'onTime'
  | 'late'
  | 'reworked'
  | 'extended'
  | 'pendingPast'
  | 'pendingPastReworked'
  | 'pendingWithin'
  | 'suspended'
  | 'returned'
  | 'onTheSpot';

describe('evaluation: a month of cases with known outcomes', () => {
  let ctx: TestContext;
  let departments: Record<string, number> = {};
  let rubbish = 0;
  let evidence: string[] = [];
  const system = systemActor();
  /** The expected counts per department id and per village code, from the plan alone. */
  const expected = new Map<string, IndicatorCounts>();

  const add = (unit: string, changes: Partial<IndicatorCounts>) => {
    const counts = expected.get(unit) ?? { ...EMPTY_COUNTS };
    for (const [k, v] of Object.entries(changes)) counts[k as keyof IndicatorCounts] += v as number;
    expected.set(unit, counts);
  };

  async function act(id: number, action: string, input: Record<string, unknown> = {}) {
    const current = await ctx.services.cases.getCase(system, id);
    await ctx.services.cases.actOnCase(system, {
      caseId: id,
      action: action as never,
      version: current.version,
      input: input as never,
    });
  }

  /** A case reported at `day` 09:00 (Shanghai), taken to `outcome`; the plan's counts noted per unit. */
  async function play(
    day: string,
    where: typeof HEQING,
    department: string,
    outcome: Outcome,
    source: CaseSource,
  ) {
    // A case pending within its deadline at the month's end is dispatched late on its last day: its four
    // working hours run into December.
    const shift = outcome === 'pendingWithin' ? 7 * HOUR : 0;
    const at = (hh: string) => new Date(new Date(`${day}T${hh}:00+08:00`).getTime() + shift);
    ctx.clock.set(at('09:00'));
    const c = await ctx.services.cases.reportCase(
      system,
      { categoryId: rubbish, description: '路边有暴露垃圾，无人清运', ...where },
      source,
    );
    const village = where === HEQING ? TERRITORY.heqing : TERRITORY.yingming;
    const dept = String(departments[department]);
    const both = (changes: Partial<IndicatorCounts>) => {
      add(dept, changes);
      add(village, changes);
    };
    if (outcome === 'onTheSpot') {
      await act(c.id, 'handleOnTheSpot', { beforePhotos: evidence, afterPhotos: evidence });
      add('0', {
        reported: 1,
        registered: 1,
        registeredOnTime: 1,
        handled: 1,
        handledOnTime: 1,
        closed: 1,
        closedOnTime: 1,
      });
      add(village, {
        reported: 1,
        registered: 1,
        registeredOnTime: 1,
        handled: 1,
        handledOnTime: 1,
        closed: 1,
        closedOnTime: 1,
      });
      return c.id;
    }
    ctx.clock.set(at('09:10'));
    await act(c.id, 'register');
    ctx.clock.set(at('09:20'));
    await act(c.id, 'dispatch', { leadDepartmentId: departments[department] });
    ctx.clock.set(at('09:30'));
    await act(c.id, 'accept');
    both({ reported: 1, registered: 1, registeredOnTime: 1, dispatched: 1 });
    const finishAndVerify = async (finish: string, verify: string, nextDay = false) => {
      const when = (hh: string) => (nextDay ? new Date(at(hh).getTime() + 24 * HOUR) : at(hh));
      ctx.clock.set(when(finish));
      await act(c.id, 'finish', { note: '已清运', evidence });
      ctx.clock.set(when(verify));
      await act(c.id, 'verifyPass');
    };
    switch (outcome) {
      case 'onTime':
        await finishAndVerify('10:00', '10:30');
        both({ handled: 1, handledOnTime: 1, closed: 1, closedOnTime: 1 });
        break;
      case 'late':
        // The handling limit is 4 working hours: the next afternoon is past it.
        await finishAndVerify('16:00', '16:30', true);
        both({ handled: 1, closed: 1 });
        break;
      case 'reworked':
        ctx.clock.set(at('10:00'));
        await act(c.id, 'finish', { note: '已清运', evidence });
        ctx.clock.set(at('10:20'));
        await act(c.id, 'verifyFail', { reason: '仍有垃圾' });
        await finishAndVerify('11:00', '11:20');
        both({ handled: 1, handledOnTime: 1, handledReworked: 1, closed: 1, closedOnTime: 1 });
        break;
      case 'extended':
        ctx.clock.set(at('10:00'));
        await act(c.id, 'requestExtension', {
          extension: { amount: 2, unit: 'workingDays' },
          reason: '需调车',
        });
        ctx.clock.set(at('10:10'));
        await act(c.id, 'approveExtension', { extension: { amount: 2, unit: 'workingDays' } });
        // Past the original 4 hours, within the extension: on time.
        await finishAndVerify('16:00', '16:30', true);
        both({ handled: 1, handledOnTime: 1, handledExtended: 1, closed: 1, closedOnTime: 1 });
        break;
      case 'pendingPast':
        both({ overduePending: 1 });
        break;
      case 'pendingPastReworked':
        ctx.clock.set(at('10:00'));
        await act(c.id, 'finish', { note: '已清运', evidence });
        ctx.clock.set(at('10:20'));
        await act(c.id, 'verifyFail', { reason: '仍有垃圾' });
        both({ overduePending: 1, overduePendingReworked: 1 });
        break;
      case 'pendingWithin':
        break;
      case 'suspended':
        ctx.clock.set(at('09:40'));
        await act(c.id, 'suspend', { reason: '待拆迁，暂无法处置' });
        break;
      case 'returned':
        ctx.clock.set(at('09:40'));
        await act(c.id, 'return', { reason: '非本部门职责' });
        add(dept, { dispatchReturned: 1 });
        add(village, { dispatchReturned: 1 });
        break;
    }
    if (source === 'resident' && (outcome === 'onTime' || outcome === 'late')) {
      await act(c.id, 'rate', { score: outcome === 'onTime' ? 5 : 2 });
      both({ rated: 1, satisfied: outcome === 'onTime' ? 1 : 0, scoreSum: outcome === 'onTime' ? 5 : 2 });
    }
    return c.id;
  }

  const ranking = (unit: 'village' | 'department', period = NOVEMBER): Promise<Ranking> =>
    ctx.services.rankings.getRanking(system, { ...period, unit, sortBy: 'composite' });

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    departments = await seedCaseReference(ctx);
    const tree = await ctx.services.categories.getCategoryTree();
    rubbish = tree.flatMap((m) => m.children).find((c) => c.code === '06010')?.id ?? 0;
    evidence = [(await ctx.services.evidence.uploadEvidence(system, await samplePhoto())).id];
    // Weekdays of November 2026; the sanitation station (JJ-HW) does better than the city management office.
    const plan: [string, typeof HEQING, string, Outcome, CaseSource][] = [
      ['2026-11-02', HEQING, 'JJ-HW', 'onTime', 'resident'],
      ['2026-11-03', HEQING, 'JJ-HW', 'onTime', 'gridWorker'],
      ['2026-11-04', HEQING, 'JJ-HW', 'reworked', 'gridWorker'],
      ['2026-11-05', YINGMING, 'JJ-HW', 'extended', 'hotline'],
      ['2026-11-09', YINGMING, 'JJ-HW', 'late', 'resident'],
      ['2026-11-10', HEQING, 'JJ-HW', 'onTime', 'gridWorker'],
      ['2026-11-11', YINGMING, 'JJ-CG', 'late', 'gridWorker'],
      ['2026-11-12', YINGMING, 'JJ-CG', 'pendingPast', 'gridWorker'],
      ['2026-11-13', HEQING, 'JJ-CG', 'pendingPastReworked', 'gridWorker'],
      ['2026-11-16', YINGMING, 'JJ-CG', 'onTime', 'resident'],
      ['2026-11-17', HEQING, 'JJ-CG', 'suspended', 'gridWorker'],
      ['2026-11-18', YINGMING, 'JJ-CG', 'returned', 'gridWorker'],
      ['2026-11-19', HEQING, 'JJ-HW', 'onTheSpot', 'gridWorker'],
      ['2026-11-30', HEQING, 'JJ-HW', 'pendingWithin', 'gridWorker'],
      ['2026-11-30', YINGMING, 'JJ-CG', 'pendingWithin', 'gridWorker'],
    ];
    for (const item of plan) await play(...item);
    ctx.clock.set(new Date('2026-12-03T10:00:00+08:00'));
    await ctx.services.caseFacts.refreshQueued();
  }, 120_000);

  afterAll(async () => {
    await ctx?.close();
  });

  it('counts every case as its timeline says, per department and per village', async () => {
    for (const unit of ['department', 'village'] as const) {
      const result = await ranking(unit);
      for (const row of result.rows) {
        const want = expected.get(row.key) ?? { ...EMPTY_COUNTS };
        // Returned cases leave the department's hands: the re-dispatch (none here) would count elsewhere.
        const { handlingMinutes: _m, ...counts } = row.counts;
        const { handlingMinutes: _w, ...wanted } = want;
        expect({ unit, key: row.key, ...counts }).toEqual({ unit, key: row.key, ...wanted });
        const composite = compositeOf(figuresOf(want), DEFAULT_SCHEME);
        if (composite === null) expect(row.composite).toBeNull();
        else expect(row.composite).toBeCloseTo(composite, 2);
      }
    }
  });

  it('ranks the better department first and names the lists', async () => {
    const result = await ranking('department');
    const hw = String(departments['JJ-HW']);
    const cg = String(departments['JJ-CG']);
    const rankOf = (key: string) => result.rows.find((r) => r.key === key)?.rank;
    expect(rankOf(hw)).toBe(1);
    expect(rankOf(cg)).toBe(2);
    expect(result.redList).toEqual([hw]);
    expect(result.blackList).toEqual([cg]);
    expect(result.scheme.version).toBe(1);
    expect(result.previous).toEqual({ from: '2026-10-01', to: '2026-10-31' });
    // A department with nothing due has no composite and no rank.
    const idle = result.rows.find((r) => r.counts.handled + r.counts.overduePending === 0);
    expect(idle?.rank ?? null).toBeNull();
  });

  it('opens every count onto exactly as many cases', async () => {
    const result = await ranking('department');
    for (const row of result.rows.filter((r) => r.counts.reported > 0)) {
      for (const count of COUNT_KEYS) {
        const list = await ctx.services.rankings.drill(system, {
          ...NOVEMBER,
          unit: 'department',
          key: row.key,
          count,
          page: 1,
          pageSize: 200,
        });
        expect({ key: row.key, count, n: list.total }).toEqual({ key: row.key, count, n: row.counts[count] });
        expect(list.rows).toHaveLength(row.counts[count]);
      }
    }
  });

  it("shows a village's leader their village only, and refuses those who are evaluated", async () => {
    const leader = await createUser(ctx, { role: 'leader', regionCode: TERRITORY.yingming });
    const villages = await ctx.services.rankings.getRanking(leader.actor, {
      ...NOVEMBER,
      unit: 'village',
      sortBy: 'composite',
    });
    expect(villages.rows.map((r) => r.key)).toEqual([TERRITORY.yingming]);
    const departments = await ctx.services.rankings.getRanking(leader.actor, {
      ...NOVEMBER,
      unit: 'department',
      sortBy: 'composite',
    });
    const reported = departments.rows.reduce((sum, r) => sum + r.counts.reported, 0);
    expect(reported).toBe(expected.get(TERRITORY.yingming)?.reported);
    const heqing = await ctx.services.rankings.drill(leader.actor, {
      ...NOVEMBER,
      unit: 'village',
      key: TERRITORY.heqing,
      count: 'reported',
      page: 1,
      pageSize: 50,
    });
    expect(heqing.total).toBe(0);
    const worker = await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.heqing });
    await expect(
      ctx.services.rankings.getRanking(worker.actor, { ...NOVEMBER, unit: 'village', sortBy: 'composite' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE' });
  });

  it('moves the on-time rate when a case closes late today, without a rebuild; a rebuild finds nothing to fix', async () => {
    const dept = String(departments['JJ-CG']);
    const today = { from: '2026-12-01', to: '2026-12-03' };
    const before = (await ranking('department', today)).rows.find((r) => r.key === dept);
    const pending = await ctx.services.rankings.drill(system, {
      ...today,
      unit: 'department',
      key: dept,
      count: 'overduePending',
      page: 1,
      pageSize: 50,
    });
    const late = pending.rows.find((r) => r.caseNumber);
    expect(late).toBeDefined();
    await act(late?.id ?? 0, 'finish', { note: '已清运', evidence });
    await ctx.services.caseFacts.refreshQueued();
    const after = (await ranking('department', today)).rows.find((r) => r.key === dept);
    expect(after?.counts.handled).toBe((before?.counts.handled ?? 0) + 1);
    expect(after?.counts.handledOnTime).toBe(before?.counts.handledOnTime);
    expect(after?.counts.overduePending).toBe((before?.counts.overduePending ?? 0) - 1);
    const rebuilt = await ctx.services.caseFacts.rebuild();
    expect(rebuilt.factsDiffering).toEqual([]);
    expect(rebuilt.differences).toEqual([]);
  });
});

describe('the worked example of the evaluation standard', () => {
  it('gives 92.78, 82.47, 5.15, 7.22, 3.09 and a composite of 91.55', () => {
    // One department: 100 registered, 90 handled (80 on time), 3 pending within the deadline (not due), 7
    // pending past it, 5 reworked, 3 extended.
    const counts: IndicatorCounts = {
      ...EMPTY_COUNTS,
      registered: 100,
      handled: 90,
      handledOnTime: 80,
      overduePending: 7,
      handledReworked: 5,
      handledExtended: 3,
    };
    const f = figuresOf(counts);
    const pct = (v: number | null) => Math.round((v ?? Number.NaN) * 10_000) / 100;
    expect(f.dueForHandling).toBe(97);
    expect(pct(f.handlingRate)).toBe(92.78);
    expect(pct(f.onTimeHandlingRate)).toBe(82.47);
    expect(pct(f.reworkRate)).toBe(5.15);
    expect(pct(f.overduePendingRate)).toBe(7.22);
    expect(pct(f.extensionRate)).toBe(3.09);
    expect(Math.round((compositeOf(f, DEFAULT_SCHEME) ?? 0) * 100) / 100).toBe(91.55);
  });
});
