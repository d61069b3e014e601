import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCaseReference, seedTerritory } from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { systemActor } from '../people/actor.ts';

describe('case numbers', () => {
  let ctx: TestContext;
  let rubbish = 0;

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    await seedCaseReference(ctx);
    const tree = await ctx.services.categories.getCategoryTree();
    rubbish = tree.flatMap((m) => m.children).find((c) => c.code === '06010')?.id ?? 0;
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('are dated by the day the case was reported in Beijing time, whenever the row is written', async () => {
    const report = async (at: string) => {
      ctx.clock.set(new Date(at));
      return ctx.services.cases.reportCase(
        systemActor(),
        { categoryId: rubbish, description: '路边有暴露垃圾，无人清运', lon: 112.945, lat: 22.85 },
        'gridWorker',
      );
    };
    // 23:30 UTC on 2 November is 07:30 on 3 November in Beijing.
    const first = await report('2026-11-02T23:30:00Z');
    const second = await report('2026-11-03T10:00:00+08:00');
    const later = await report('2026-11-20T09:00:00+08:00');
    expect(first.caseNumber.slice(0, 8)).toBe('20261103');
    expect(second.caseNumber.slice(0, 8)).toBe('20261103');
    expect(later.caseNumber.slice(0, 8)).toBe('20261120');
    // One running number for all days: numbers never repeat.
    expect(Number(second.caseNumber.slice(8))).toBe(Number(first.caseNumber.slice(8)) + 1);
  });
});
