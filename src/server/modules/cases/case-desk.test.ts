import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, seedCaseReference, seedTerritory, TERRITORY } from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import type { Actor } from '../people/actor.ts';
import { renderCaseSheetPdf } from './case-sheet.ts';

const HAS_PDFTOTEXT = spawnSync('pdftotext', ['-v']).status === 0;

/** The report desk (受理登记): a dispatcher logs a call or a visit, naming its source. */
describe('the report desk', () => {
  let ctx: TestContext;
  let dispatcher: Actor;
  let worker: Actor;
  let leader: Actor;
  let categoryId: number;

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    await seedCaseReference(ctx);
    dispatcher = (await createUser(ctx, { role: 'dispatcher', regionCode: TERRITORY.town })).actor;
    worker = (await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.heqing })).actor;
    leader = (await createUser(ctx, { role: 'leader', regionCode: TERRITORY.town })).actor;
    const row = await ctx.database.db
      .selectFrom('categories')
      .select('id')
      .where('parent_id', 'is not', null)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    categoryId = row.id;
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('keeps the source a dispatcher names, and the grid of the point clicked', async () => {
    const reported = await ctx.services.cases.reportCase(dispatcher, {
      categoryId,
      description: '来电反映路边垃圾堆积',
      lon: 112.945,
      lat: 22.85,
      source: 'phone',
      reporterName: '李先生',
      reporterPhone: '13800138000',
    });
    expect(reported.source).toBe('phone');
    expect(reported.regionCode).toBe(TERRITORY.heqingGrids[0]);
  });

  it('takes the grid the dispatcher chose for a point no grid holds', async () => {
    const reported = await ctx.services.cases.reportCase(dispatcher, {
      categoryId,
      description: '来访反映村道坑洼',
      lon: 112.5,
      lat: 22.5,
      regionCode: TERRITORY.yingmingGrids[1],
      source: 'walkIn',
    });
    expect(reported).toMatchObject({ source: 'walkIn', regionCode: TERRITORY.yingmingGrids[1], lon: 112.5 });
  });

  it.skipIf(!HAS_PDFTOTEXT)(
    'prints the case sheet (案件处置单) as the reader sees the case: the phone masked for a leader',
    async () => {
      const reported = await ctx.services.cases.reportCase(dispatcher, {
        categoryId,
        description: '来电反映桥下垃圾成堆',
        lon: 112.945,
        lat: 22.85,
        source: 'phone',
        reporterName: '王女士',
        reporterPhone: '13912345678',
      });
      const text = async (actor: Actor) => {
        const pdf = await renderCaseSheetPdf(
          await ctx.services.cases.getCase(actor, reported.id),
          new Date(),
        );
        return execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8');
      };
      const forDispatcher = await text(dispatcher);
      for (const expected of [
        '案件处置单',
        reported.caseNumber,
        '来电反映桥下垃圾成堆',
        '电话',
        '13912345678',
        '处置经过',
      ])
        expect(forDispatcher).toContain(expected);
      const forLeader = await text(leader);
      expect(forLeader).toContain(reported.caseNumber);
      expect(forLeader).not.toContain('13912345678');
      expect(forLeader).toMatch(/139\*{4}5678|139\*+678/);
    },
  );

  it('lets only the desk say where a report came from', async () => {
    await expect(
      ctx.services.cases.reportCase(worker, {
        categoryId,
        description: '网格员冒充电话来源',
        lon: 112.945,
        lat: 22.85,
        source: 'phone',
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE' });
  });
});
