import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../modules/people/actor.ts';
import { unscoped } from '../../modules/people/scope.ts';
import { createUser, seedTerritory, TERRITORY } from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { loadDemoPatrols } from './demo-patrols.ts';

// 15:00 in Shanghai: this morning's patrols are over.
const NOW = new Date('2026-11-23T07:00:00Z');

describe('demo patrols', () => {
  let ctx: TestContext;
  let spared = 0;

  beforeAll(async () => {
    ctx = await createTestContext({ now: NOW });
    await seedTerritory(ctx);
    const grids = [...TERRITORY.heqingGrids, ...TERRITORY.yingmingGrids];
    for (const [i, code] of grids.entries()) {
      const worker = await createUser(ctx, {
        role: 'gridWorker',
        regionCode: code.slice(0, 12),
        displayName: `网格员${i}`,
      });
      if (i === 0) spared = worker.id;
      const detail = await ctx.services.territory.getRegionDetail(systemActor(), code);
      await ctx.services.territory.setGridPeople(systemActor(), {
        code,
        version: detail.version,
        people: [{ userId: worker.id, duty: 'gridWorker' }],
      });
    }
  });
  afterAll(() => ctx.close());

  it('writes four weeks of marked synthetic patrols, most grid-days patrolled, the same rows for the same seed', async () => {
    const count = await loadDemoPatrols(ctx.database.db, {
      townCode: TERRITORY.town,
      now: NOW,
      seed: 7,
      skipTodayFor: [spared],
    });
    // Four grids over 29 days, most of them patrolled.
    expect(count).toBeGreaterThan(4 * 29 * 0.5);
    expect(count).toBeLessThan(4 * 29);
    const coverage = await ctx.services.patrols.patrolCoverage(unscoped('test'), {
      from: '2026-10-26',
      to: '2026-11-22',
    });
    const leaves = coverage.filter((c) => c.daysPatrolled > 0);
    expect(leaves).toHaveLength(4);
    for (const grid of leaves) {
      expect(grid.daysInPeriod).toBe(28);
      // The test grids are large (1 km × 2.2 km): a route covers a few per cent of one.
      expect(grid.meanShare).toBeGreaterThan(0.03);
      expect(grid.meanShare).toBeLessThan(1);
    }
    const leader = await createUser(ctx, { role: 'leader', regionCode: TERRITORY.town });
    const page = await ctx.services.patrols.listPatrols(leader.actor, { limit: 200, offset: 0 });
    expect(page.items.every((p) => p.synthetic && p.endedAt !== null && p.grids.length > 0)).toBe(true);
    // The spared worker's grid is left for a visitor to patrol today.
    const unpatrolled = await ctx.services.patrols.unpatrolledToday(leader.actor, {});
    expect(unpatrolled.items.map((g) => g.gridCode)).toContain(TERRITORY.heqingGrids[0]);

    // Deterministic: loading again with the same seed and time writes the same rows.
    const rows = async () =>
      (
        await ctx.database.db
          .selectFrom('patrols')
          .select(['client_key', 'started_at', 'distance_m', 'duration_s'])
          .orderBy('client_key')
          .execute()
      ).map((r) => `${r.client_key} ${r.started_at.toISOString()} ${r.distance_m} ${r.duration_s}`);
    const first = await rows();
    await ctx.database.db.deleteFrom('patrols').execute();
    await loadDemoPatrols(ctx.database.db, {
      townCode: TERRITORY.town,
      now: NOW,
      seed: 7,
      skipTodayFor: [spared],
    });
    expect(await rows()).toEqual(first);
  });
});
