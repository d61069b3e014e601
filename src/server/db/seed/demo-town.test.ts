import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../modules/people/actor.ts';
import { actorOf } from '../../modules/people/auth.service.ts';
import { findUserByUsername } from '../../modules/people/user.repository.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { DEMO_LOGINS, DEMO_TOWN_CODE, type DemoSeedReport, loadDemoTown } from './demo-town.ts';

describe('the demo town', () => {
  let ctx: TestContext;
  let report: DemoSeedReport;
  const system = systemActor();

  beforeAll(async () => {
    ctx = await createTestContext();
    report = await loadDemoTown(ctx.database.db, ctx.services, undefined, ctx.clock.now());
  }, 240_000);
  afterAll(() => ctx.close());

  const userActor = async (username: string) => {
    const row = await findUserByUsername(ctx.database.db, username);
    if (!row) throw new Error(`no user ${username}`);
    return actorOf(row, 'zh-CN');
  };

  it('has 九江镇 with its 31 real villages and three levels of grids near the seeds’ counts', async () => {
    expect(report).toMatchObject({ loaded: true, regions: 866, grids: { level1: 31 } });
    expect(report.grids.level2).toBeGreaterThanOrEqual(170);
    expect(report.grids.level2).toBeLessThanOrEqual(190);
    expect(report.grids.level3).toBeGreaterThanOrEqual(400);
    expect(report.grids.level3).toBeLessThanOrEqual(450);
    const town = await ctx.services.territory.getRegionDetail(system, DEMO_TOWN_CODE);
    expect(town.name).toBe('九江镇');
    expect(town.children).toHaveLength(31);
    expect(town.children.map((c) => c.name)).toContain('河清社区居委会');
    expect(town.synthetic).toBe(true);
  });

  it('draws grids that tile every village with no overlap or gap', async () => {
    const issues = await ctx.services.territory.validateTerritory(system, { root: DEMO_TOWN_CODE });
    expect(issues).toEqual([]);
  });

  it('names a grid worker for every leaf grid, and the demo grid worker of 河清 on its first grid', async () => {
    const leaves = await ctx.services.territory.listGridFeatures(system, {
      root: DEMO_TOWN_CODE,
      level: 'leaf',
    });
    expect(leaves.features).toHaveLength(report.grids.level3);
    expect(leaves.features.every((f) => f.properties.gridWorkers.length === 1)).toBe(true);
    const heqing = leaves.features.find((f) => f.properties.code.startsWith('440605121015'));
    expect(heqing?.properties.gridWorkers).toEqual(['河清社区网格员']);
  });

  it('locates the town centre into a grid of the town', async () => {
    const located = await ctx.services.territory.locate(system, 112.988, 22.834);
    expect(located.found && located.grid.code.startsWith(DEMO_TOWN_CODE)).toBe(true);
  });

  it('shows a finished covert campaign with results and a running open one on the first start', async () => {
    const leader = await userActor('leader');
    const page = await ctx.services.inspections.campaigns.listCampaigns(leader, {
      covert: undefined,
      page: 1,
      pageSize: 20,
    });
    const covert = page.items.find((c) => c.covert);
    const open = page.items.find((c) => !c.covert);
    expect(covert).toMatchObject({ name: '文明城市实地测评（暗访）', status: 'finished' });
    expect(covert?.publishedAt).not.toBeNull();
    expect(open).toMatchObject({ name: '药店诊所专项检查', status: 'running', targetCount: 12 });

    const results = ctx.services.inspections.campaignResults;
    const covertResults = await results.getResults(leader, covert?.id ?? 0);
    expect(covertResults.overall.visited).toBe(covertResults.overall.targets);
    expect(covertResults.vetoed.map((v) => v.name)).toEqual(['沙口综合市场']);
    expect(covertResults.targets.find((t) => t.name === '沙口综合市场')).toMatchObject({ rate: 0 });
    expect(covertResults.targets.find((t) => t.name === '九江农贸市场')?.rate).toBeLessThan(100);
    expect(covertResults.items.find((i) => i.key === '3.2')?.failed).toBe(1);
    const progress = covertResults.rectification;
    // Three re-inspections passed (one of them the 立行立改 stall, closed after its same-day deadline).
    expect(progress.doneOnTime.count + progress.doneLate.count).toBe(3);
    expect(progress.doneLate.count).toBeGreaterThanOrEqual(1);
    expect(progress.open.count + progress.openOverdue.count).toBe(4);
    const bankCase = await ctx.database.db
      .selectFrom('cases')
      .select('rework_count')
      .where('description', 'like', '%农商银行九江支行%')
      .executeTakeFirstOrThrow();
    expect(bankCase.rework_count).toBe(1);

    const openResults = await results.getResults(leader, open?.id ?? 0);
    expect(openResults.overall).toMatchObject({ targets: 12, visited: 5 });
    expect(openResults.rectification.open.count + openResults.rectification.openOverdue.count).toBe(4);
    const documents = ctx.services.inspections.documents;
    const report = await documents.reportData(leader, covert?.id ?? 0);
    expect(report.number).toMatch(/^BG-\d{4}-\d{4}$/);
    expect(report.targets.find((t) => t.name === '沙口综合市场')?.village).toMatch(/沙口/);
    const [visit] = await ctx.database.db
      .selectFrom('inspection_visits')
      .select('id')
      .where('campaign_id', '=', open?.id ?? 0)
      .execute();
    const opinion = await documents.opinion(leader, visit?.id ?? 0, 'pdf');
    expect(opinion.bytes.subarray(0, 4).toString()).toBe('%PDF');
    // The market's grid worker sees the covert campaign now that it is published.
    const heqing = await userActor('heqing');
    const seen = await ctx.services.inspections.campaigns.listCampaigns(heqing, {
      covert: undefined,
      page: 1,
      pageSize: 20,
    });
    expect(seen.items.map((c) => c.name)).toContain('文明城市实地测评（暗访）');
  });

  it("asks the checks of a published form at 河清's north checkpoint, and its demo entries answer them", async () => {
    const heqing = await userActor('heqing');
    const { checkpoints } = await ctx.services.checkpoints.listCheckpoints(heqing, {});
    const north = checkpoints.find((c) => c.name === '河清社区北入口卡点');
    expect(north).toMatchObject({ synthetic: true, formVersionId: expect.any(Number) });
    // The version the phone renders: the form's checks, as the grid worker may read them.
    const version = await ctx.services.forms.getVersion(heqing, north?.formVersionId ?? 0);
    expect(version.definition.questions.map((q) => q.name)).toEqual([
      'risk_area',
      'risk_place',
      'companions',
    ]);
    const entries = await ctx.services.checkpoints.listEntries(heqing, {
      checkpointId: north?.id,
      page: 1,
      pageSize: 200,
    });
    expect(entries.total).toBeGreaterThan(0);
    expect(
      entries.entries.every(
        (e) => e.synthetic && e.formVersion === version.version && typeof e.checks.risk_area === 'string',
      ),
    ).toBe(true);
  });

  it('gives the demo volunteer today’s 三询问一完善 visit and a checkpoint shift, each naming its tool', async () => {
    const tasks = await ctx.services.volunteers.myTasks(await userActor('volunteer'));
    const today = tasks.filter((t) => t.request.day === tasks.at(-1)?.request.day);
    const visit = today.find((t) => t.request.kind === 'doorToDoor')?.request;
    const shift = today.find((t) => t.request.kind === 'checkpoint')?.request;
    const campaigns = await ctx.services.householdVisits.listCampaigns(system);
    expect(campaigns.items.find((c) => c.id === visit?.visitCampaignId)?.name).toContain('三询问一完善');
    const checkpoints = await ctx.services.checkpoints.listCheckpoints(system, {});
    expect(checkpoints.checkpoints.find((c) => c.id === shift?.checkpointId)?.name).toBe(
      '河清社区北入口卡点',
    );
    expect(visit?.regionCode).toBe('440605121015');
  });

  it('has a login for every role, and does nothing when loaded again', async () => {
    const roles = new Set(DEMO_LOGINS.map((l) => l.role));
    expect(roles.size).toBe(6);
    const again = await loadDemoTown(ctx.database.db, ctx.services);
    expect(again.loaded).toBe(false);
  });
});
