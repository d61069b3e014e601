import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createActiveChecklist,
  createApp,
  createUser,
  type HttpSession,
  httpLogin,
  samplePhoto,
  seedCampaign,
  seedCaseReference,
  seedTerritory,
  TERRITORY,
  type TestUser,
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';

/**
 * What the console needs of campaigns beyond their plan: each list row's progress in its current round, the
 * names of the targets' grids, whom a planner may name as inspectors, and a visit's photos for whoever may see
 * the visit (and no one else).
 */

// Monday 2026-11-23, 10:00 Beijing time: the seeded campaigns' first day.
const MONDAY_10 = new Date('2026-11-23T02:00:00Z');
const HEQING_1 = { lon: 112.945, lat: 22.85 };
const HEQING_2 = { lon: 112.955, lat: 22.85 };
const YINGMING_1 = { lon: 112.965, lat: 22.85 };

describe('HTTP: campaign progress, target names, inspector candidates, visit photos', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let organiser: TestUser; // the town's inspector
  let heqingInspector: TestUser;
  let townLeader: TestUser;
  let heqingLeader: TestUser;
  let heqingWorker: TestUser;
  let yingmingWorker: TestUser;
  let templateId: number;
  const sessions: Record<string, HttpSession> = {};

  const get = (who: string, url: string) =>
    app.inject({
      method: 'GET',
      url: `/api/v1${url}`,
      headers: { cookie: sessions[who]?.cookie ?? '', 'accept-language': 'en-US' },
    });

  beforeAll(async () => {
    ctx = await createTestContext({ now: MONDAY_10 });
    await seedTerritory(ctx);
    await seedCaseReference(ctx);
    app = await createApp(ctx);
    organiser = await createUser(ctx, {
      role: 'inspector',
      regionCode: TERRITORY.town,
      displayName: '镇督查员',
    });
    heqingInspector = await createUser(ctx, {
      role: 'inspector',
      regionCode: TERRITORY.heqing,
      displayName: '河清督查员',
    });
    await createUser(ctx, {
      role: 'inspector',
      regionCode: TERRITORY.yingming,
      displayName: '英明督查员',
    });
    townLeader = await createUser(ctx, { role: 'leader', regionCode: TERRITORY.town, displayName: '镇领导' });
    heqingLeader = await createUser(ctx, {
      role: 'leader',
      regionCode: TERRITORY.heqing,
      displayName: '河清领导',
    });
    heqingWorker = await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.heqing });
    yingmingWorker = await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.yingming });
    for (const [name, user] of Object.entries({
      organiser,
      heqingInspector,
      townLeader,
      heqingLeader,
      heqingWorker,
      yingmingWorker,
    }))
      sessions[name] = await httpLogin(app, user.username);
    templateId = (
      await createActiveChecklist(ctx, [
        { key: 'k1', points: 60 },
        { key: 'k2', points: 40 },
      ])
    ).id;
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  const visit = async (campaignId: number, targetId: number, evidence: string[] = [], signature?: string) => {
    const [round] = await ctx.services.inspections.campaigns.listRounds(heqingInspector.actor, campaignId);
    return ctx.services.inspections.visits.recordVisit(heqingInspector.actor, campaignId, {
      roundId: round?.id ?? 0,
      targetId,
      visitedAt: MONDAY_10.toISOString(),
      note: '',
      ...(signature ? { signature, personInCharge: '负责人' } : {}),
      answers: [
        { itemKey: 'k1', outcome: 'pass', note: '', evidence },
        { itemKey: 'k2', outcome: 'pass', note: '', evidence: [] },
      ],
    });
  };

  it('shows each campaign’s progress in its current round, counted over the targets the reader sees', async () => {
    const draft = await seedCampaign(ctx, organiser.actor, {
      templateId,
      regionCode: TERRITORY.town,
      name: '进度专项检查',
      inspectorIds: [heqingInspector.id],
      targets: [
        { name: '河清市场', siteType: 'market', ...HEQING_1 },
        { name: '河清商店', siteType: 'shop', ...HEQING_2 },
        { name: '英明银行', siteType: 'bank', ...YINGMING_1 },
      ],
    });
    const rowOf = async (who: string) => {
      const response = await get(who, '/campaigns?pageSize=200');
      expect(response.statusCode).toBe(200);
      const items: { id: number; visited: number; targets: number; progressRound: number | null }[] =
        response.json().items;
      return items.find((c) => c.id === draft.id);
    };
    expect(await rowOf('organiser')).toMatchObject({ progressRound: null, visited: 0, targets: 3 });

    const started = await ctx.services.inspections.campaigns.startCampaign(
      organiser.actor,
      draft.id,
      draft.rowVersion,
    );
    const market = started.targets.find((t) => t.name === '河清市场');
    await visit(draft.id, market?.id ?? 0);

    expect(await rowOf('organiser')).toMatchObject({ progressRound: 1, visited: 1, targets: 3 });
    // 河清's leader sees the two 河清 targets only, one of them visited.
    expect(await rowOf('heqingLeader')).toMatchObject({ progressRound: 1, visited: 1, targets: 2 });
  });

  it('names each target’s grid and village in the campaign', async () => {
    const campaign = await seedCampaign(ctx, organiser.actor, {
      templateId,
      regionCode: TERRITORY.town,
      targets: [{ name: '英明银行', siteType: 'bank', ...YINGMING_1 }],
    });
    const response = await get('organiser', `/campaigns/${campaign.id}`);
    const [target] = response.json().targets;
    expect(target.regionCode.startsWith(TERRITORY.yingming)).toBe(true);
    expect(target.regionName).not.toBe(target.regionCode);
    expect(target.villageName).toBe('英明社区居委会');
  });

  it('offers as inspectors only those whose scope meets the area and lies within the planner’s', async () => {
    const names = async (who: string, regionCode: string) => {
      const response = await get(who, `/campaigns/inspector-candidates?regionCode=${regionCode}`);
      expect(response.statusCode).toBe(200);
      expect(response.body).not.toMatch(/phone|1[3-9]\d{9}/);
      return (response.json() as { name: string }[]).map((c) => c.name);
    };
    const town = await names('townLeader', TERRITORY.heqing);
    expect(town).toEqual(expect.arrayContaining(['镇督查员', '河清督查员', '镇领导', '河清领导']));
    expect(town).not.toContain('英明督查员');
    // The village's leader learns no one above the village, though the town's inspector could inspect it.
    expect((await names('heqingLeader', TERRITORY.heqing)).sort()).toEqual(['河清领导', '河清督查员'].sort());
    const first = await get('townLeader', `/campaigns/inspector-candidates?regionCode=${TERRITORY.heqing}`);
    expect(first.json()[0]).toEqual({
      id: expect.any(Number),
      name: expect.any(String),
      role: expect.any(String),
      scopeName: expect.any(String),
    });

    expect(
      (await get('heqingLeader', `/campaigns/inspector-candidates?regionCode=${TERRITORY.yingming}`))
        .statusCode,
    ).toBe(403);
    expect(
      (await get('heqingWorker', `/campaigns/inspector-candidates?regionCode=${TERRITORY.heqing}`))
        .statusCode,
    ).toBe(403);
  });

  it('serves a visit’s photos to whoever may see the visit, and to no one else', async () => {
    const draft = await seedCampaign(ctx, organiser.actor, {
      templateId,
      regionCode: TERRITORY.town,
      name: '暗访照片',
      covert: true,
      inspectorIds: [heqingInspector.id],
      targets: [{ name: '河清暗访市场', siteType: 'market', ...HEQING_1 }],
    });
    const started = await ctx.services.inspections.campaigns.startCampaign(
      organiser.actor,
      draft.id,
      draft.rowVersion,
    );
    const upload = async (colour: string) =>
      (await ctx.services.evidence.uploadEvidence(heqingInspector.actor, await samplePhoto({ colour }))).id;
    const photo = await upload('#2a6');
    const signature = await upload('#62a');
    const recorded = await visit(draft.id, started.targets[0]?.id ?? 0, [photo], signature);
    const status = async (who: string, id: string, visitId = recorded.id) =>
      (await get(who, `/evidence/${id}?visitId=${visitId}&variant=thumbnail`)).statusCode;

    // The organiser did not upload them, and no case names them: the visit does.
    expect(await status('organiser', photo)).toBe(200);
    expect(await status('organiser', signature)).toBe(200);
    expect((await get('organiser', `/evidence/${photo}`)).statusCode).toBe(404);
    // The covert visit does not exist for the inspected until the results are published.
    expect(await status('heqingWorker', photo)).toBe(404);

    await ctx.services.inspections.campaigns.publishCampaign(organiser.actor, draft.id, started.rowVersion);
    expect(await status('heqingWorker', photo)).toBe(200);
    // Another village's grid worker may see the campaign, not this visit of 河清.
    expect(await status('yingmingWorker', photo)).toBe(404);
    // A visit that does not name the photo lends no right to it.
    const other = await upload('#aa2');
    expect(await status('heqingWorker', other)).toBe(404);
  });
});
