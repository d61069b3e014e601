import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkIdNumber, checkUscc } from '../../../shared/registry-validation.ts';
import { systemActor } from '../../modules/people/actor.ts';
import { seedTerritory, TERRITORY } from '../../testing/factories.ts';
import { memberResidentLinks, seedSyntheticMembers } from '../../testing/party-fixtures.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { type DemoGrid, generateDemoRegistry, loadDemoRegistry } from './demo-registry.ts';

const SMALL = {
  houses: 400,
  residents: 1_300,
  organisations: 300,
  camerasClass1: 10,
  camerasClass2: 30,
  hydrants: 20,
  gates: 10,
  wasteBins: 10,
};

// The test territory's four leaf grids (factories.ts): rectangles, so "inside" is a box test.
const GRIDS: DemoGrid[] = [
  { code: TERRITORY.heqingGrids[0], villageName: '河清社区', bbox: [112.94, 22.84, 112.95, 22.86] },
  { code: TERRITORY.heqingGrids[1], villageName: '河清社区', bbox: [112.95, 22.84, 112.96, 22.86] },
  { code: TERRITORY.yingmingGrids[0], villageName: '英明社区', bbox: [112.96, 22.84, 112.97, 22.86] },
  { code: TERRITORY.yingmingGrids[1], villageName: '英明社区', bbox: [112.97, 22.84, 112.98, 22.86] },
];
const inBox = async (code: string, lon: number, lat: number) => {
  const [w, s, e, n] = GRIDS.find((g) => g.code === code)?.bbox ?? [0, 0, 0, 0];
  return lon > w && lon < e && lat > s && lat < n;
};

describe('the demo registry', () => {
  it('is the same every time it is generated, with valid ID numbers and credit codes', async () => {
    const first = await generateDemoRegistry({ grids: GRIDS, contains: inBox, counts: SMALL });
    const second = await generateDemoRegistry({ grids: GRIDS, contains: inBox, counts: SMALL });
    expect(second).toEqual(first);
    expect(first.houses.length).toBeGreaterThanOrEqual(SMALL.houses);
    expect(first.residents.length).toBeGreaterThanOrEqual(SMALL.residents);
    expect(first.residents.every((r) => checkIdNumber(r.idNumber).ok)).toBe(true);
    expect(new Set(first.residents.map((r) => r.idNumber)).size).toBe(first.residents.length);
    expect(
      first.residents.filter((r) => r.kind === 'registered').every((r) => r.idNumber.startsWith('440605')),
    ).toBe(true);
    expect(first.organisations.every((o) => checkUscc(o.uscc).ok)).toBe(true);
    const types = new Set(first.organisations.map((o) => o.type));
    for (const type of ['market', 'pharmacy', 'clinic', 'bank', 'shop']) expect(types).toContain(type);
    expect(first.facilities.filter((f) => f.type === 'fireHydrant')).toHaveLength(SMALL.hydrants);
  });

  describe('loaded into the town', () => {
    let ctx: TestContext;
    beforeAll(async () => {
      ctx = await createTestContext();
      await seedTerritory(ctx);
    });
    afterAll(() => ctx.close());

    it('is redone whole when a load was stopped, and loaded only once', async () => {
      let batches = 0;
      const stopped = await loadDemoRegistry(ctx.database.db, ctx.services, {
        counts: SMALL,
        onStep: () => batches++,
        shouldStop: () => batches >= 3,
      });
      expect(stopped.loaded).toBe(false);
      const report = await loadDemoRegistry(ctx.database.db, ctx.services, { counts: SMALL });
      expect(report).toMatchObject({ loaded: true, organisations: SMALL.organisations });
      const coverage = await ctx.services.registry.coverage(systemActor(), TERRITORY.town);
      expect(coverage.figures.residents).toBe(report.residents);
      expect(coverage.figures.houses).toBe(report.houses);
      expect(coverage.figures.facilitiesByType.fireHydrant).toBe(SMALL.hydrants);
      expect((await loadDemoRegistry(ctx.database.db, ctx.services, { counts: SMALL })).loaded).toBe(false);
      // Analysed as loaded: a planner left without statistics turned a leader's search into minutes of work.
      const { rows } = await sql<{ relname: string }>`
        select relname from pg_class where relname like 'registry\_%' and relkind = 'r' and reltuples < 0`.execute(
        ctx.database.db,
      );
      expect(rows).toEqual([]);
    });

    it('lets the demo’s party members become residents of their village, once', async () => {
      const ids = await seedSyntheticMembers(ctx, TERRITORY.heqing, 5);
      const system = systemActor('demo-seed');
      expect(await ctx.services.party.linkMembersToResidents(system)).toEqual({ byIdNumber: 0, picked: 5 });
      const links = await memberResidentLinks(ctx, ids);
      const adultBy = `${ctx.clock.now().getUTCFullYear() - 18}-12-31`;
      for (const link of links) {
        // The member is that resident: same name and ID number, living in the member's village, an adult.
        expect(link.resident_region?.startsWith(TERRITORY.heqing)).toBe(true);
        expect(link.name).toBe(link.resident_name);
        expect(link.id_number).toBe(link.resident_id_number);
        expect((link.birth_date ?? '9999') <= adultBy).toBe(true);
      }
      expect(new Set(links.map((l) => l.id_number)).size).toBe(5);
      // Run again (the registry job runs at every start): nothing moves.
      expect(await ctx.services.party.linkMembersToResidents(system)).toEqual({ byIdNumber: 0, picked: 0 });
      expect(await memberResidentLinks(ctx, ids)).toEqual(links);
    });
  });
});
