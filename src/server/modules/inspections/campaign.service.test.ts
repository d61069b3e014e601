import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreVisit } from '../../../shared/inspection-scoring.ts';
import type { ItemAnswerInput, ItemOutcome } from '../../../shared/inspections.ts';
import { AppError } from '../../errors.ts';
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
import { drawSample, planRounds } from './campaign-targets.ts';

const HEQING_1 = { lon: 112.945, lat: 22.85 };
const HEQING_2 = { lon: 112.955, lat: 22.85 };
const YINGMING_1 = { lon: 112.965, lat: 22.85 };
/** 100 points in all; k6 a veto item. */
const ITEMS = [
  { key: 'k1', points: 10 },
  { key: 'k2', points: 10 },
  { key: 'k3', points: 5 },
  { key: 'k4', points: 10 },
  { key: 'k5', points: 55 },
  { key: 'k6', points: 10, veto: true },
];

describe('inspection campaigns', () => {
  let ctx: TestContext;
  let template: { id: number; itemIds: Record<string, number> };
  let organiser: TestUser; // the town's inspector
  let heqingInspector: TestUser;
  let townLeader: TestUser;
  let villageLeader: TestUser; // 河清's
  let gridWorker: TestUser; // 河清 grid 1's
  const campaigns = () => ctx.services.inspections.campaigns;
  const results = () => ctx.services.inspections.campaignResults;

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    await seedCaseReference(ctx);
    organiser = await createUser(ctx, { role: 'inspector', regionCode: TERRITORY.town });
    heqingInspector = await createUser(ctx, { role: 'inspector', regionCode: TERRITORY.heqing });
    townLeader = await createUser(ctx, { role: 'leader', regionCode: TERRITORY.town });
    villageLeader = await createUser(ctx, { role: 'leader', regionCode: TERRITORY.heqing });
    gridWorker = await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.heqing });
    const grid = await ctx.services.territory.getRegionDetail(systemActor(), TERRITORY.heqingGrids[0]);
    await ctx.services.territory.setGridPeople(systemActor(), {
      code: grid.code,
      version: grid.version,
      people: [{ userId: gridWorker.id, duty: 'gridWorker' }],
    });
    template = await createActiveChecklist(ctx, ITEMS);
  });
  afterAll(async () => ctx?.close());

  const market = { name: '九江农贸市场', siteType: 'market' as const, ...HEQING_1 };
  const bank = { name: '农商银行英明支行', siteType: 'bank' as const, ...YINGMING_1 };

  async function refusal(work: Promise<unknown>): Promise<string> {
    const error = await work.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).code;
  }

  it('hides a covert campaign from the market’s grid worker and village leader until it is published', async () => {
    const covert = await seedCampaign(ctx, organiser.actor, {
      templateId: template.id,
      regionCode: TERRITORY.town,
      name: '文明城市暗访',
      covert: true,
      inspectorIds: [heqingInspector.id],
      targets: [market, bank],
    });
    for (const inspected of [gridWorker, villageLeader]) {
      const page = await campaigns().listCampaigns(inspected.actor, { page: 1, pageSize: 20, covert: true });
      expect(page).toMatchObject({ total: 0, items: [] });
      expect(await refusal(campaigns().getCampaign(inspected.actor, covert.id))).toBe('NOT_FOUND');
      expect(await refusal(results().getResults(inspected.actor, covert.id))).toBe('NOT_FOUND');
      // The same answer as for a campaign that does not exist.
      expect(await refusal(campaigns().getCampaign(inspected.actor, 999_999))).toBe('NOT_FOUND');
    }
    for (const office of [organiser, heqingInspector, townLeader]) {
      const page = await campaigns().listCampaigns(office.actor, { page: 1, pageSize: 20, covert: true });
      expect(page.items.map((c) => c.id)).toContain(covert.id);
      expect((await campaigns().getCampaign(office.actor, covert.id)).targets).toHaveLength(2);
    }

    const started = await campaigns().startCampaign(organiser.actor, covert.id, covert.rowVersion);
    expect((await ctx.services.notifications.listInbox(gridWorker.actor, { limit: 10 })).items).toEqual([]);
    expect(await refusal(campaigns().getCampaign(gridWorker.actor, covert.id))).toBe('NOT_FOUND');
    const published = await campaigns().publishCampaign(organiser.actor, covert.id, started.rowVersion);
    expect(published.publishedAt).not.toBeNull();

    const seen = await campaigns().getCampaign(gridWorker.actor, covert.id);
    // The village sees its own targets, not the other village's bank.
    expect(seen.targets.map((t) => t.name)).toEqual([market.name]);
    expect(seen.rights).toEqual({ manage: false, visit: false });
  });

  it('shows an open campaign to the village in advance and tells the targets’ grid worker when it starts', async () => {
    const open = await seedCampaign(ctx, organiser.actor, {
      templateId: template.id,
      regionCode: TERRITORY.town,
      name: '农贸市场专项检查',
      targets: [market, bank],
    });
    const page = await campaigns().listCampaigns(villageLeader.actor, {
      page: 1,
      pageSize: 20,
      covert: false,
    });
    expect(page.items.find((c) => c.id === open.id)).toMatchObject({ targetCount: 1 });
    expect((await campaigns().getCampaign(villageLeader.actor, open.id)).targets).toHaveLength(1);

    await campaigns().startCampaign(organiser.actor, open.id, open.rowVersion);
    const inbox = await ctx.services.notifications.listInbox(gridWorker.actor, { limit: 10 });
    expect(inbox.items.map((m) => m.text).join()).toContain('农贸市场专项检查');
    // A department handler never sees campaigns through the list.
    const handler = await createUser(ctx, { role: 'departmentHandler', regionCode: TERRITORY.town });
    expect(
      (await campaigns().listCampaigns(handler.actor, { page: 1, pageSize: 20, covert: undefined })).total,
    ).toBe(0);
  });

  it('takes every pharmacy and clinic of a village from the registry, each in its leaf grid', async () => {
    const registry = ctx.services.registry;
    const system = systemActor();
    const org = (name: string, type: string, point: { lon: number; lat: number }) =>
      registry.createRecord(system, 'organisation', { name, type, ...point } as never);
    await org('河清大药房', 'pharmacy', HEQING_1);
    await org('河清社区诊所', 'clinic', HEQING_2);
    await org('英明药店', 'pharmacy', YINGMING_1);
    await org('河清农商银行', 'bank', HEQING_1);
    const draft = await seedCampaign(ctx, organiser.actor, {
      templateId: template.id,
      regionCode: TERRITORY.town,
    });

    const added = await campaigns().addTargets(organiser.actor, draft.id, {
      source: 'organisationTypes',
      types: ['pharmacy', 'clinic'],
      regionCode: TERRITORY.heqing,
    });
    expect(added.added).toBe(2);
    expect(added.campaign.targets.map((t) => [t.name, t.kind, t.siteType, t.regionCode]).sort()).toEqual([
      ['河清大药房', 'organisation', 'pharmacy', TERRITORY.heqingGrids[0]],
      ['河清社区诊所', 'organisation', 'clinic', TERRITORY.heqingGrids[1]],
    ]);
    const again = await campaigns().addTargets(organiser.actor, draft.id, {
      source: 'organisationTypes',
      types: ['pharmacy', 'clinic'],
      regionCode: TERRITORY.heqing,
    });
    expect(again).toMatchObject({ added: 0, alreadyThere: 2 });
    // A village worker's campaign cannot reach outside its area.
    const villageDraft = await seedCampaign(ctx, heqingInspector.actor, {
      templateId: template.id,
      regionCode: TERRITORY.heqing,
    });
    expect(await refusal(campaigns().addManualTarget(heqingInspector.actor, villageDraft.id, bank))).toBe(
      'VALIDATION_FAILED',
    );
  });

  it('draws the same sample again from the recorded seed', async () => {
    const targets = Array.from({ length: 10 }, (_, i) => ({
      name: `背街小巷 ${i + 1}`,
      siteType: 'backStreet' as const,
      lon: 112.941 + i * 0.0015,
      lat: 22.85,
    }));
    const draft = await seedCampaign(ctx, organiser.actor, {
      templateId: template.id,
      regionCode: TERRITORY.town,
      targets,
    });
    const sampledIds = (d: { targets: { id: number; sampled: boolean }[] }) =>
      d.targets.filter((t) => t.sampled).map((t) => t.id);
    const first = await campaigns().sample(organiser.actor, draft.id, { size: 4, seed: 'jiujiang-2026' });
    expect(first.sampleSeed).toBe('jiujiang-2026');
    expect(sampledIds(first)).toHaveLength(4);
    const other = await campaigns().sample(organiser.actor, draft.id, { size: 4, seed: 'another-seed' });
    const again = await campaigns().sample(organiser.actor, draft.id, { size: 4, seed: 'jiujiang-2026' });
    expect(sampledIds(again)).toEqual(sampledIds(first));
    expect(sampledIds(other)).not.toEqual(sampledIds(first));
    expect(drawSample([5, 3, 9, 1], 2, 'x')).toEqual(drawSample([1, 3, 5, 9], 2, 'x'));
  });

  it('makes one round per month of a monthly campaign, each due at its month’s end', async () => {
    expect(planRounds('2026-11-10', '2027-01-20', 'monthly')).toEqual([
      { opens_on: '2026-11-10', due_on: '2026-11-30' },
      { opens_on: '2026-12-01', due_on: '2026-12-31' },
      { opens_on: '2027-01-01', due_on: '2027-01-20' },
    ]);
    // 2026-11-23 is a Monday.
    expect(planRounds('2026-11-25', '2026-12-08', 'weekly')).toEqual([
      { opens_on: '2026-11-25', due_on: '2026-11-29' },
      { opens_on: '2026-11-30', due_on: '2026-12-06' },
      { opens_on: '2026-12-07', due_on: '2026-12-08' },
    ]);
    const monthly = await seedCampaign(ctx, organiser.actor, {
      templateId: template.id,
      regionCode: TERRITORY.town,
      recurrence: 'monthly',
      startsOn: '2026-11-10',
      endsOn: '2027-01-20',
      targets: [market],
    });
    await campaigns().startCampaign(organiser.actor, monthly.id, monthly.rowVersion);
    const rounds = await campaigns().listRounds(organiser.actor, monthly.id);
    expect(rounds.map((r) => [r.number, r.kind, r.opensOn, r.dueOn, r.targets])).toEqual([
      [1, 'regular', '2026-11-10', '2026-11-30', 1],
      [2, 'regular', '2026-12-01', '2026-12-31', 1],
      [3, 'regular', '2027-01-01', '2027-01-20', 1],
    ]);
  });

  describe('results', () => {
    let campaignId: number;
    let roundId: number;
    const visitIds: Record<string, number> = {};
    const targetIds: Record<string, number> = {};

    /** Records a visit as the visits part stores one, scored by the shared scoring. */
    async function insertVisit(target: string, outcomes: Record<string, ItemOutcome>, visitedAt: string) {
      const items = ITEMS.map((i) => ({
        key: i.key,
        points: i.points,
        rule: 'passFail' as const,
        comparator: null,
        threshold: null,
        photo: 'never' as const,
        siteTypes: [],
        veto: i.veto ?? false,
      }));
      const answers: ItemAnswerInput[] = ITEMS.map((i) => ({
        itemKey: i.key,
        outcome: outcomes[i.key] ?? 'pass',
        value: null,
        note: '',
        evidence: [],
      }));
      const score = scoreVisit(items, answers, null);
      const db = ctx.database.db;
      const visit = await db
        .insertInto('inspection_visits')
        .values({
          campaign_id: campaignId,
          round_id: roundId,
          target_id: targetIds[target] as number,
          template_id: template.id,
          inspector_id: organiser.id,
          inspector_name: organiser.username,
          visited_at: new Date(visitedAt),
          earned: score.earned,
          applicable: score.applicable,
          vetoed_by: score.vetoedBy ? (template.itemIds[score.vetoedBy] as number) : null,
          notice_number: `JC-TEST-${target}`,
          created_at: new Date(visitedAt),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('inspection_answers')
        .values(
          score.answers.map((a) => ({
            visit_id: visit.id,
            item_id: template.itemIds[a.itemKey] as number,
            outcome: a.outcome,
            value: null,
            earned: a.earned,
            applicable: a.applicable,
            evidence: [],
            case_id: null,
          })),
        )
        .execute();
      visitIds[target] = visit.id;
    }

    beforeAll(async () => {
      const campaign = await seedCampaign(ctx, organiser.actor, {
        templateId: template.id,
        regionCode: TERRITORY.town,
        name: '结果测试',
        startsOn: '2026-11-16',
        endsOn: '2026-11-20',
        targets: [
          { name: '甲市场', siteType: 'market', ...HEQING_1 },
          { name: '乙银行', siteType: 'bank', ...YINGMING_1 },
          { name: '丙医院', siteType: 'hospital', ...HEQING_2 },
        ],
      });
      campaignId = campaign.id;
      for (const t of campaign.targets) targetIds[t.name] = t.id;
      await campaigns().startCampaign(organiser.actor, campaignId, campaign.rowVersion);
      roundId = (await campaigns().listRounds(organiser.actor, campaignId))[0]?.id as number;
      // 甲: three items fail (10 + 10 + 5) and one (10) is not applicable: 65 / 90.
      await insertVisit('甲市场', { k1: 'fail', k2: 'fail', k3: 'fail', k4: 'na' }, '2026-11-18T02:00:00Z');
      // 乙: the veto item fails, visited the day after the round was due.
      await insertVisit('乙银行', { k6: 'fail' }, '2026-11-21T03:00:00Z');
    });

    it('scores 65 / 90 as 72.22 % and a vetoed target 0 with its raw score and the item beside it', async () => {
      const r = await results().getResults(townLeader.actor, campaignId);
      const byName = Object.fromEntries(r.targets.map((t) => [t.name, t]));
      expect(byName.甲市场).toMatchObject({
        earned: 65,
        applicable: 90,
        rate: 72.22,
        rawRate: 72.22,
        failed: 3,
      });
      expect(byName.乙银行).toMatchObject({ rate: 0, rawRate: 90, vetoedBy: { key: 'k6' } });
      expect(byName.丙医院).toMatchObject({ visitId: null, rate: null });
      expect(r.overall).toEqual({ targets: 3, visited: 2, averageRate: 36.11, vetoed: 1 });
      expect(r.vetoed.map((v) => v.name)).toEqual(['乙银行']);
      const items = Object.fromEntries(r.items.map((i) => [i.key, i]));
      expect(items.k1).toMatchObject({ applicable: 2, failed: 1, failureRate: 50 });
      expect(items.k4).toMatchObject({ applicable: 1, failed: 0, failureRate: 0 });
      expect(r.villages.map((v) => [v.code, v.targets, v.visited, v.averageRate])).toEqual([
        [TERRITORY.heqing, 2, 1, 72.22],
        [TERRITORY.yingming, 1, 1, 0],
      ]);
      const rounds = await campaigns().listRounds(organiser.actor, campaignId);
      expect(rounds[0]).toMatchObject({ targets: 3, visited: 2, late: 1, missed: 1 });
    });

    it('drills from a figure to exactly the visits behind it', async () => {
      const drill = (figure: string, key?: string) =>
        results().drill(townLeader.actor, campaignId, { figure: figure as never, key });
      const visitsOf = async (figure: string, key?: string) =>
        (await drill(figure, key)).visits.map((v) => v.id);
      expect(await visitsOf('item', String(template.itemIds.k1))).toEqual([visitIds.甲市场]);
      expect(await visitsOf('item', String(template.itemIds.k5))).toEqual([]);
      expect(await visitsOf('vetoed')).toEqual([visitIds.乙银行]);
      expect(await visitsOf('target', String(targetIds.乙银行))).toEqual([visitIds.乙银行]);
      expect(await visitsOf('village', TERRITORY.heqing)).toEqual([visitIds.甲市场]);
      expect(await visitsOf('roundLate', String(roundId))).toEqual([visitIds.乙银行]);
      expect((await drill('roundMissed', String(roundId))).targets.map((t) => t.name)).toEqual(['丙医院']);
      expect(await refusal(drill('item'))).toBe('VALIDATION_FAILED');
    });

    it('counts the rectification cases the visits raised, open or done on time or late', async () => {
      const categoryId = (
        await ctx.database.db
          .selectFrom('categories')
          .select('id')
          .where('parent_id', 'is not', null)
          .orderBy('id')
          .executeTakeFirstOrThrow()
      ).id;
      const report = (description: string, deadline: Date) =>
        ctx.services.cases.reportCase(
          organiser.actor,
          { categoryId, description, ...HEQING_1 } as never,
          'inspector',
          { deadline },
        );
      const overdue = await report('甲市场 k1 整改', new Date('2026-11-20T09:30:00Z'));
      const open = await report('甲市场 k2 整改', new Date('2026-11-30T09:30:00Z'));
      const db = ctx.database.db;
      for (const [caseId, key] of [
        [overdue.id, 'k1'],
        [open.id, 'k2'],
      ] as const) {
        await db
          .updateTable('inspection_answers')
          .set({ case_id: caseId })
          .where('visit_id', '=', visitIds.甲市场 as number)
          .where('item_id', '=', template.itemIds[key] as number)
          .execute();
      }
      const r = await results().getResults(organiser.actor, campaignId);
      expect(r.rectification.openOverdue.count).toBe(1);
      expect(r.rectification.open.count).toBe(1);
      expect(r.rectification.doneOnTime.count + r.rectification.doneLate.count).toBe(0);
      expect(r.departments.reduce((sum, d) => sum + d.cases, 0)).toBe(2);
      const drilled = await results().drill(organiser.actor, campaignId, {
        figure: 'rectification',
        key: 'openOverdue',
      });
      expect(drilled.cases.map((c) => c.id)).toEqual([overdue.id]);
    });

    it('shows a village leader only the village’s targets, and writes the results as XLSX', async () => {
      await campaigns().publishCampaign(
        organiser.actor,
        campaignId,
        (await campaigns().getCampaign(organiser.actor, campaignId)).rowVersion,
      );
      const village = await results().getResults(villageLeader.actor, campaignId);
      expect(village.scope).toBe('yourScope');
      expect(village.targets.map((t) => t.name).sort()).toEqual(['丙医院', '甲市场']);

      const file = await results().resultsWorkbook(organiser.actor, campaignId);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(file.bytes as never);
      const rows = workbook.worksheets[0]?.getSheetValues() ?? [];
      const market = rows.find((row) => Array.isArray(row) && row.includes('甲市场')) as unknown[];
      expect(market).toContain(72.22);
    });
  });
});
