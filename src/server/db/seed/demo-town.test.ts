import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../modules/people/actor.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { DEMO_LOGINS, DEMO_TOWN_CODE, type DemoSeedReport, loadDemoTown } from './demo-town.ts';

describe('the demo town', () => {
  let ctx: TestContext;
  let report: DemoSeedReport;
  const system = systemActor();

  beforeAll(async () => {
    ctx = await createTestContext();
    report = await loadDemoTown(ctx.database.db, ctx.services);
  }, 180_000);
  afterAll(() => ctx.close());

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

  it('has a login for every role, and does nothing when loaded again', async () => {
    const roles = new Set(DEMO_LOGINS.map((l) => l.role));
    expect(roles.size).toBe(6);
    const again = await loadDemoTown(ctx.database.db, ctx.services);
    expect(again.loaded).toBe(false);
  });
});
