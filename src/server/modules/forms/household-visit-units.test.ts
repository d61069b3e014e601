import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignHousehold, VisitCampaign, VisitUnit } from '../../../shared/household-visits.ts';
import {
  createApp,
  createUser,
  httpLogin,
  seedTerritory,
  TERRITORY,
  type TestUser,
} from '../../testing/factories.ts';
import { insertPublishedForm, seedVisitRegistry } from '../../testing/household-visit-fixtures.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';

// 10:00 in Shanghai on 23 November 2026.
const NOW = new Date('2026-11-23T02:00:00Z');

/*
 * Campaigns that count houses (实有房屋) or organisations (实有单位) instead of households, and campaigns closed
 * before their end date. Each figure is checked against an independent count of the registry's tables.
 */
describe('visit campaigns by unit, and closing a campaign', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let worker: TestUser;
  let townLeader: TestUser;
  let formId: number;
  const visits = () => ctx.services.householdVisits;
  let sequence = 0;

  const start = (unit: VisitUnit, name: string) =>
    visits().createCampaign(townLeader.actor, {
      name,
      formId,
      regionCodes: [TERRITORY.heqing, TERRITORY.yingming],
      unit,
      startsOn: '2026-11-01',
      endsOn: '2026-11-30',
    });
  const unitsOf = async (campaign: VisitCampaign, user: TestUser, query: Record<string, unknown> = {}) =>
    (
      await visits().listHouseholds(user.actor, campaign.id, {
        status: 'unvisited',
        page: 1,
        pageSize: 2000,
        mine: false,
        ...query,
      })
    ).items;
  const visit = (campaign: VisitCampaign, unit: CampaignHousehold, visitedAt = NOW) =>
    visits().recordVisit(worker.actor, campaign.id, {
      clientKey: `unit-visit-${++sequence}`,
      household: unit.key,
      visitedAt: visitedAt.toISOString(),
      answers: { residents: unit.residents, safe: 'yes', hardship: ['none'], note: '已走访' },
    });

  beforeAll(async () => {
    ctx = await createTestContext({ now: NOW });
    await seedTerritory(ctx);
    await seedVisitRegistry(ctx, 10);
    worker = await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.heqing });
    townLeader = await createUser(ctx, { role: 'leader', regionCode: TERRITORY.town });
    formId = await insertPublishedForm(ctx, { code: 'units-test', regionCode: TERRITORY.town });
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('counts every house of the registry, lived in or not, and its coverage per grid matches the database', async () => {
    const campaign = await start('house', '出租屋排查（两社区）');
    expect(campaign.unit).toBe('house');
    // A house nobody lives in is still a house to visit.
    await sql`
      delete from registry_residents where house_id = (
        select id from registry_houses where region_code like ${`${TERRITORY.heqing}%`} order by id limit 1)`.execute(
      ctx.database.db,
    );
    const houses = await unitsOf(campaign, worker);
    expect(houses.some((h) => h.residents === 0 && h.headName === '')).toBe(true);
    for (const house of houses.slice(0, 5)) await visit(campaign, house);

    const perGrid = await visits().coverage(townLeader.actor, campaign.id, TERRITORY.heqing);
    const independent = await sql<{ code: string; households: number; visited: number }>`
      select h.region_code as code, count(*)::int as households,
             count(*) filter (where exists (select 1 from household_visits v
               where v.campaign_id = ${campaign.id} and v.unit_id = h.id))::int as visited
      from registry_houses h where h.region_code like ${`${TERRITORY.heqing}%`}
      group by 1 order by 1`.execute(ctx.database.db);
    expect(perGrid.rows.map((r) => ({ code: r.code, households: r.households, visited: r.visited }))).toEqual(
      independent.rows,
    );
    expect(perGrid.root.visited).toBe(5);
    const left = await unitsOf(campaign, worker);
    expect(left).toHaveLength(houses.length - 5);
    // A household key (with a household number) names no house.
    const wrong = await visits()
      .recordVisit(worker.actor, campaign.id, {
        clientKey: 'house-with-household-no',
        household: `${houses[6]?.unitId}:H1`,
        visitedAt: NOW.toISOString(),
        answers: { residents: 1, safe: 'yes' },
      })
      .catch((e: unknown) => e);
    // Named as what the campaign counts: no such 房屋.
    expect(wrong).toMatchObject({ code: 'NOT_FOUND', params: { entity: { zh: '房屋' } } });
  });

  it("counts organisations, lists them by name, and exports their visits with the organisation's address", async () => {
    const campaign = await start('organisation', '消防安全进商铺（两社区）');
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from registry_organisations
      where region_code like ${`${TERRITORY.heqing}%`} or region_code like ${`${TERRITORY.yingming}%`}`.execute(
      ctx.database.db,
    );
    expect(rows[0]?.n).toBeGreaterThan(0);
    expect(campaign.households).toBe(rows[0]?.n);
    const shops = await unitsOf(campaign, worker);
    expect(shops.length).toBeGreaterThan(0);
    // An organisation's name is not personal data: shown as it is, with no residents.
    expect(shops[0]?.headName).toMatch(/商铺$/);
    expect(shops[0]?.residents).toBe(0);
    const recorded = await visit(campaign, shops[0] as CampaignHousehold);
    expect(recorded.address).toBe(shops[0]?.address);
    expect(recorded.registryChanges).toEqual([]);
    const coverage = await visits().coverage(worker.actor, campaign.id);
    expect(coverage.root).toMatchObject({ visited: 1, residents: 0, peopleCovered: 0 });

    app = await createApp(ctx);
    const session = await httpLogin(app, worker.username);
    const response = await app.inject({
      method: 'GET',
      url: `/api/v1/visit-campaigns/${campaign.id}/answers.xlsx`,
      headers: { cookie: session.cookie },
    });
    expect(response.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet?.getRow(1).getCell(4).value).toBe('单位名称');
    expect(sheet?.getRow(2).getCell(3).value).toBe(shops[0]?.address);
    expect(sheet?.getRow(2).getCell(4).value).toBe(shops[0]?.headName);
  });

  it('closes a campaign: later visits are refused naming visitedAt, earlier ones sent late still count', async () => {
    const campaign = await start('household', '三询问一完善（提前结束）');
    expect(campaign.status).toBe('active');
    const heqingLeader = await createUser(ctx, { role: 'leader', regionCode: TERRITORY.heqing });
    // A village's leader cannot end a campaign that covers another village too.
    const refused = await visits()
      .closeCampaign(heqingLeader.actor, campaign.id)
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'FORBIDDEN_SCOPE' });
    // A grid worker cannot end one at all.
    const notAllowed = await visits()
      .closeCampaign(worker.actor, campaign.id)
      .catch((e: unknown) => e);
    expect(notAllowed).toMatchObject({ code: expect.stringMatching(/^FORBIDDEN/) });

    const [first, second] = await unitsOf(campaign, worker);
    const closed = await visits().closeCampaign(townLeader.actor, campaign.id);
    expect(closed.status).toBe('ended');
    expect(closed.closedAt).toBe(NOW.toISOString());
    // Closing twice answers the same closed campaign.
    expect((await visits().closeCampaign(townLeader.actor, campaign.id)).closedAt).toBe(closed.closedAt);

    const late = await visit(campaign, first as CampaignHousehold, new Date(NOW.getTime() - 3_600_000));
    expect(late.household).toBe(first?.key);
    app ??= await createApp(ctx);
    const session = await httpLogin(app, worker.username);
    const response = await app.inject({
      method: 'POST',
      url: `/api/v1/visit-campaigns/${campaign.id}/household-visits`,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
      payload: {
        clientKey: 'after-close-0001',
        household: second?.key,
        visitedAt: new Date(NOW.getTime() + 60_000).toISOString(),
        answers: { residents: 1, safe: 'yes' },
      },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.issues).toEqual([{ path: 'visitedAt', message: '走访活动已结束' }]);
    const listed = await visits().listCampaigns(worker.actor);
    expect(listed.items.find((c) => c.id === campaign.id)?.status).toBe('ended');
  });
});
