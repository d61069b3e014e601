import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../modules/people/actor.ts';
import { actorOf } from '../../modules/people/auth.service.ts';
import { findUserByUsername } from '../../modules/people/user.repository.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { HISTORY_KEY } from './demo-history.ts';
import { DEMO_PARTY, DEMO_PARTY_LOGIN } from './demo-party.ts';
import { loadDemoPartyHistory } from './demo-party-history.ts';
import { DEMO_TOWN_CODE, loadDemoTown } from './demo-town.ts';

describe('the demo town’s party layer and party members', () => {
  let ctx: TestContext;
  const system = systemActor();

  beforeAll(async () => {
    ctx = await createTestContext();
    await loadDemoTown(ctx.database.db, ctx.services, undefined, ctx.clock.now());
  }, 600_000);
  afterAll(() => ctx.close());

  const userActor = async (username: string) => {
    const row = await findUserByUsername(ctx.database.db, username);
    if (!row) throw new Error(`no user ${username}`);
    return actorOf(row, 'zh-CN');
  };

  it('counts 27 / 181 / 426 party grids by level beside the 31 comprehensive first-level grids', async () => {
    const list = await ctx.services.territory.listLayerGrids(system, { kind: 'party' });
    expect(list.counts).toEqual([
      { gridLevel: 1, count: 27 },
      { gridLevel: 2, count: 181 },
      { gridLevel: 3, count: 426 },
    ]);
    // What counts grids today still counts comprehensive grids only.
    const level1 = await ctx.services.territory.listGridFeatures(system, { root: DEMO_TOWN_CODE, level: 1 });
    expect(level1.features).toHaveLength(31);
    const leaves = await ctx.services.territory.listGridFeatures(system, {
      root: DEMO_TOWN_CODE,
      level: 'leaf',
    });
    expect(leaves.features.every((f) => /^\d+$/.test(f.properties.code))).toBe(true);
    const partyLeaves = await ctx.services.territory.listLayerFeatures(system, {
      kind: 'party',
      level: 'leaf',
    });
    expect(partyLeaves.features).toHaveLength(426);
  });

  it('locates a point to one grid of each kind, the comprehensive one where it always was', async () => {
    const located = await ctx.services.territory.locate(system, 112.988, 22.834);
    if (!located.found) throw new Error('not found');
    expect(located.grid.code).toMatch(/^440605121\d{12}$/);
    expect(located.layers.map((l) => l.kind)).toEqual(['party']);
    const party = located.layers[0];
    expect(party?.grid.gridLevel).toBe(3);
    expect(party?.ancestors.map((a) => a.gridLevel)).toEqual([1, 2]);
    expect(await ctx.services.territory.locateLayerCode('party', 112.988, 22.834)).toBe(party?.grid.code);
  });

  it('shows a village’s grid worker only the party grids of their village', async () => {
    const heqing = await userActor('heqing');
    const list = await ctx.services.territory.listLayerGrids(heqing, { kind: 'party' });
    expect(list.grids.length).toBeGreaterThan(2);
    expect(list.grids.every((g) => g.regionCode === '440605121015')).toBe(true);
  });

  it('holds 562 members in 239 posts, every post filled', async () => {
    const leader = await userActor('leader');
    const figures = await ctx.services.party.getFigures(leader, { by: 'post' });
    expect(figures.total).toMatchObject({
      members: DEMO_PARTY.members,
      posts: DEMO_PARTY.posts,
      postsFilled: DEMO_PARTY.posts,
    });
    expect(figures.rows).toHaveLength(DEMO_PARTY.posts);
    const byBranch = await ctx.services.party.getFigures(leader, { by: 'branch' });
    expect(byBranch.rows).toHaveLength(181);
    const members = await ctx.services.party.listMembers(leader, { limit: 5, offset: 0 });
    expect(members.total).toBe(562);
    expect(members.items[0]?.idNumber).toMatch(/\*/);
  });

  it('counts a party member’s report under source partyMember with their post', async () => {
    const member = await userActor(DEMO_PARTY_LOGIN.username);
    const tree = await ctx.services.categories.getCategoryTree();
    const category = tree.flatMap((major) => major.children).find((c) => c.active);
    const before = await ctx.services.party.getFigures(member, { by: 'post' });
    const reported = await ctx.services.cases.reportCase(member, {
      categoryId: category?.id ?? 0,
      description: '河清社区村口垃圾堆放（测试）',
      regionCode: (await ctx.services.territory.listGridFeatures(member, { level: 'leaf' })).features[0]
        ?.properties.code,
    });
    expect(reported.source).toBe('partyMember');
    const after = await ctx.services.party.getFigures(member, { by: 'post' });
    expect(after.total.issues).toBe(before.total.issues + 1);
    const reports = await ctx.services.party.listReports(member, { limit: 10, offset: 0 });
    expect(reports.items[0]).toMatchObject({ caseId: reported.id, outcome: 'open' });
    expect(reports.items[0]?.post?.name).toMatch(/岗/);
  });

  it('takes the party members’ issues through the case loop after the case history, counted in the figures', async () => {
    const db = ctx.database.db;
    const deps = { db, backend: ctx.database.backend, config: ctx.config };
    const now = ctx.clock.now();
    const from = new Date(now.getTime() - 20 * 86_400_000).toISOString().slice(0, 10);
    // Before the case history is done there is nothing to do.
    expect((await loadDemoPartyHistory(deps, { total: 40 })).loaded).toBe(false);
    await db
      .insertInto('settings')
      .values({ key: HISTORY_KEY, value: JSON.stringify({ state: 'done', now: now.toISOString(), from }) })
      .execute();
    const leader = await userActor('leader');
    const before = await ctx.services.party.getFigures(leader, { by: 'branch' });
    const report = await loadDemoPartyHistory(deps, { total: 40 });
    expect(report).toMatchObject({ loaded: true, cases: 40 });
    const after = await ctx.services.party.getFigures(leader, { by: 'branch' });
    expect(after.total.issues - before.total.issues).toBe(40);
    expect(after.total.closed).toBeGreaterThan(20);
    expect(after.total.closed + after.total.open + after.total.rejected).toBe(after.total.issues);
    // Loading again adds nothing.
    expect((await loadDemoPartyHistory(deps, { total: 40 })).loaded).toBe(false);
    const sources = await db
      .selectFrom('cases')
      .select('source')
      .where('client_key', 'like', 'demo-party:%')
      .groupBy('source')
      .execute();
    expect(sources).toEqual([{ source: 'partyMember' }]);
  }, 120_000);
});
