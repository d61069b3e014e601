import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvaluationSource, Ranking, UnitKind } from '../../../shared/indicators.ts';
import {
  createActiveChecklist,
  createUser,
  seedCampaign,
  seedCaseReference,
  seedTerritory,
  TERRITORY,
  type TestUser,
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { systemActor } from '../people/actor.ts';

/**
 * The evaluation's units and sources beyond regions and departments: workers (the staff who found the cases),
 * the `patrol` source (reports made while the reporter's patrol ran, known only once the phone sent the
 * patrol), and the inspection score rate of villages and grids.
 */
const HEQING = { lon: 112.945, lat: 22.85 };
const YINGMING = { lon: 112.965, lat: 22.85 };
const MONDAY = { from: '2026-11-23', to: '2026-11-23' };
const TUESDAY = { from: '2026-11-24', to: '2026-11-24' };
const at = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`);

describe('evaluation by worker, by patrol, and with inspection scores', () => {
  let ctx: TestContext;
  let rubbish = 0;
  let workerA: TestUser;
  let workerB: TestUser;
  let heqingLeader: TestUser;
  const system = systemActor();

  const ranking = (
    unit: UnitKind,
    period: { from: string; to: string },
    source?: EvaluationSource,
    actor = system,
  ): Promise<Ranking> =>
    ctx.services.rankings.getRanking(actor, { ...period, unit, sortBy: 'composite', source });

  async function report(by: TestUser | null, when: Date, where = HEQING) {
    ctx.clock.set(when);
    return ctx.services.cases.reportCase(
      by?.actor ?? system,
      { categoryId: rubbish, description: '路边有暴露垃圾，无人清运', ...where },
      by ? 'gridWorker' : 'resident',
    );
  }

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    await seedCaseReference(ctx);
    const tree = await ctx.services.categories.getCategoryTree();
    rubbish = tree.flatMap((m) => m.children).find((c) => c.code === '06010')?.id ?? 0;
    workerA = await createUser(ctx, {
      role: 'gridWorker',
      regionCode: TERRITORY.heqing,
      displayName: '河清网格员甲',
    });
    workerB = await createUser(ctx, {
      role: 'gridWorker',
      regionCode: TERRITORY.heqing,
      displayName: '河清网格员乙',
    });
    heqingLeader = await createUser(ctx, { role: 'leader', regionCode: TERRITORY.heqing });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('ranks the workers who found cases, by name, each count opening onto their cases', async () => {
    await report(workerA, at('2026-11-23', '09:00'));
    await report(workerA, at('2026-11-23', '09:30'));
    await report(workerB, at('2026-11-23', '10:00'));
    await report(null, at('2026-11-23', '10:30'));
    await ctx.services.caseFacts.refreshQueued();

    const result = await ranking('worker', MONDAY);
    const rows = Object.fromEntries(result.rows.map((r) => [r.name, r.counts.reported]));
    // The resident's case was found by nobody on the staff: no worker row holds it.
    expect(rows).toEqual({ '河清网格员甲（河清社区居委会）': 2, '河清网格员乙（河清社区居委会）': 1 });
    expect(result.total.counts.reported).toBe(3);
    const drill = await ctx.services.rankings.drill(system, {
      ...MONDAY,
      unit: 'worker',
      key: String(workerA.id),
      count: 'reported',
      page: 1,
      pageSize: 50,
    });
    expect(drill.total).toBe(2);
    expect(drill.rows).toHaveLength(2);
    // A village leader ranks the workers of their village too.
    const seen = await ranking('worker', MONDAY, undefined, heqingLeader.actor);
    expect(seen.rows.map((r) => r.key).sort()).toEqual([String(workerA.id), String(workerB.id)].sort());
  });

  it('counts a report made while its reporter patrolled under 巡查发现, also when the patrol is sent later', async () => {
    const patrols = ctx.services.patrols;
    ctx.clock.set(at('2026-11-24', '09:00'));
    await patrols.startPatrol(workerA.actor, {
      clientKey: 'patrol-a-1124',
      startedAt: at('2026-11-24', '09:00').toISOString(),
    });
    await report(workerA, at('2026-11-24', '09:20'));
    ctx.clock.set(at('2026-11-24', '09:40'));
    await patrols.endPatrol(workerA.actor, 'patrol-a-1124', {
      endedAt: at('2026-11-24', '09:40').toISOString(),
    });
    // Worker B reports at 10:10 from a patrol their phone has not sent yet.
    await report(workerB, at('2026-11-24', '10:10'));
    await ctx.services.caseFacts.refreshQueued();

    const reported = async (source: EvaluationSource) =>
      (await ranking('village', TUESDAY, source)).rows.find((r) => r.key === TERRITORY.heqing)?.counts
        .reported;
    expect(await reported('patrol')).toBe(1);
    expect(await reported('gridWorker')).toBe(1);

    // The phone comes back into signal at 11:00 and sends the patrol it started at 10:00.
    ctx.clock.set(at('2026-11-24', '11:00'));
    await patrols.startPatrol(workerB.actor, {
      clientKey: 'patrol-b-1124',
      startedAt: at('2026-11-24', '10:00').toISOString(),
    });
    await patrols.endPatrol(workerB.actor, 'patrol-b-1124', {
      endedAt: at('2026-11-24', '10:30').toISOString(),
    });
    await ctx.services.caseFacts.refreshQueued();
    expect(await reported('patrol')).toBe(2);
    expect(await reported('gridWorker')).toBe(0);
    // The patrol's cases are still the workers' own.
    const workers = await ranking('worker', TUESDAY, 'patrol');
    expect(workers.rows.map((r) => [r.key, r.counts.reported]).sort()).toEqual(
      [
        [String(workerA.id), 1],
        [String(workerB.id), 1],
      ].sort(),
    );
    const rebuilt = await ctx.services.caseFacts.rebuild();
    expect(rebuilt.factsDiffering).toEqual([]);
    expect(rebuilt.differences).toEqual([]);

    // The village's patrol coverage opens onto its grids' days: patrolled days over days, as the ranking says.
    const row = (await ranking('village', TUESDAY)).rows.find((r) => r.key === TERRITORY.heqing);
    const grids = await ctx.services.rankings.patrolGrids(system, { ...TUESDAY, key: TERRITORY.heqing });
    expect(grids.rows.length).toBeGreaterThan(0);
    expect(
      grids.rows.every((g) => g.gridCode.startsWith(TERRITORY.heqing) && g.gridName !== g.gridCode),
    ).toBe(true);
    const days = grids.rows.reduce((sum, g) => sum + g.daysInPeriod, 0);
    const patrolled = grids.rows.reduce((sum, g) => sum + g.daysPatrolled, 0);
    expect(row?.patrolCoverage).toBeCloseTo(patrolled / days, 6);
  });

  it('gives villages the mean score rate of their inspection visits; a covert campaign counts once published', async () => {
    const organiser = await createUser(ctx, { role: 'inspector', regionCode: TERRITORY.town });
    const townLeader = await createUser(ctx, { role: 'leader', regionCode: TERRITORY.town });
    const { id: templateId } = await createActiveChecklist(ctx, [
      { key: 'k1', points: 60 },
      { key: 'k2', points: 40 },
    ]);
    const campaigns = ctx.services.inspections.campaigns;
    const visitAll = async (
      covert: boolean,
      outcomes: Record<string, ['pass' | 'fail', 'pass' | 'fail']>,
    ) => {
      ctx.clock.set(at('2026-11-23', '10:00'));
      const draft = await seedCampaign(ctx, organiser.actor, {
        templateId,
        regionCode: TERRITORY.town,
        covert,
        inspectorIds: [organiser.id],
        targets: Object.keys(outcomes).map((name) => ({
          name,
          siteType: 'shop' as const,
          ...(name.startsWith('河清') ? HEQING : YINGMING),
        })),
      });
      const started = await campaigns.startCampaign(organiser.actor, draft.id, draft.rowVersion);
      const [round] = await campaigns.listRounds(organiser.actor, draft.id);
      for (const target of started.targets) {
        const [k1, k2] = outcomes[target.name] ?? ['pass', 'pass'];
        await ctx.services.inspections.visits.recordVisit(organiser.actor, draft.id, {
          roundId: round?.id ?? 0,
          targetId: target.id,
          visitedAt: at('2026-11-23', '09:30').toISOString(),
          note: '',
          answers: [
            { itemKey: 'k1', outcome: k1, note: '', evidence: [] },
            { itemKey: 'k2', outcome: k2, note: '', evidence: [] },
          ],
        });
      }
      return started;
    };
    await visitAll(false, { 河清商店: ['pass', 'fail'], 英明商店: ['pass', 'pass'] });
    const covert = await visitAll(true, { 河清暗访商店: ['fail', 'fail'] });

    const scores = async (actor = townLeader.actor) =>
      Object.fromEntries(
        (await ranking('village', MONDAY, undefined, actor)).rows.map((r) => [
          r.key,
          [r.inspectionScoreRate, r.inspectionVisits],
        ]),
      );
    // The covert visit (0 %) is not counted yet, for the town nor for the inspected village.
    expect((await scores())[TERRITORY.heqing]).toEqual([0.6, 1]);
    expect((await scores(heqingLeader.actor))[TERRITORY.heqing]).toEqual([0.6, 1]);
    expect((await scores())[TERRITORY.yingming]).toEqual([1, 1]);
    const detail = await campaigns.getCampaign(organiser.actor, covert.id);
    await campaigns.publishCampaign(organiser.actor, covert.id, detail.rowVersion);
    expect((await scores())[TERRITORY.heqing]).toEqual([0.3, 2]);
    // Each rate opens onto the visits it is the mean of; a village leader opens none of another village's.
    const listed = await ctx.services.rankings.inspectionVisits(townLeader.actor, {
      ...MONDAY,
      key: TERRITORY.heqing,
    });
    expect(listed.rows).toHaveLength(2);
    expect(listed.rows.reduce((sum, v) => sum + v.rate, 0) / listed.rows.length).toBeCloseTo(0.3, 6);
    expect(listed.rows.map((v) => v.targetName).sort()).toEqual(['河清商店', '河清暗访商店']);
    const other = await ctx.services.rankings.inspectionVisits(heqingLeader.actor, {
      ...MONDAY,
      key: TERRITORY.yingming,
    });
    expect(other.rows).toEqual([]);
    // Departments and workers are not inspected.
    expect((await ranking('department', MONDAY)).rows.every((r) => r.inspectionScoreRate === null)).toBe(
      true,
    );
  });
});
