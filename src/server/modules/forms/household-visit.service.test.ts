import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignHousehold, VisitCampaign } from '../../../shared/household-visits.ts';
import {
  createApp,
  createUser,
  httpLogin,
  samplePhoto,
  seedCaseReference,
  seedTerritory,
  TERRITORY,
  type TestUser,
} from '../../testing/factories.ts';
import { insertPublishedForm, seedVisitRegistry } from '../../testing/household-visit-fixtures.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { systemActor } from '../people/actor.ts';

// 10:00 in Shanghai on 23 November 2026.
const NOW = new Date('2026-11-23T02:00:00Z');

describe('household-visit campaigns', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let departments: Record<string, number>;
  let worker: TestUser;
  let otherWorker: TestUser;
  let leader: TestUser;
  let campaign: VisitCampaign;
  const visits = () => ctx.services.householdVisits;

  const householdsOf = async (user: TestUser, query: Record<string, unknown> = {}) =>
    (
      await visits().listHouseholds(user.actor, campaign.id, {
        status: 'unvisited',
        page: 1,
        pageSize: 2000,
        ...query,
      })
    ).items;

  let sequence = 0;
  const visit = (user: TestUser, household: CampaignHousehold, answers: Record<string, unknown> = {}) =>
    visits().recordVisit(user.actor, campaign.id, {
      clientKey: `visit-key-${++sequence}`,
      household: household.key,
      visitedAt: new Date(NOW.getTime() - (sequence % 3) * 86_400_000).toISOString(),
      answers: { residents: household.residents, safe: 'yes', hardship: ['none'], ...answers },
    });

  beforeAll(async () => {
    ctx = await createTestContext({ now: NOW });
    await seedTerritory(ctx);
    departments = await seedCaseReference(ctx);
    await seedVisitRegistry(ctx, 10);
    worker = await createUser(ctx, {
      role: 'gridWorker',
      regionCode: TERRITORY.heqing,
      displayName: '河清网格员',
    });
    otherWorker = await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.yingming });
    leader = await createUser(ctx, { role: 'leader', regionCode: TERRITORY.town });
    const grid = await ctx.services.territory.getRegionDetail(systemActor(), TERRITORY.heqingGrids[0]);
    await ctx.services.territory.setGridPeople(systemActor(), {
      code: TERRITORY.heqingGrids[0],
      version: grid.version,
      people: [{ userId: worker.id, duty: 'gridWorker' }],
    });
    const formId = await insertPublishedForm(ctx, { code: 'sxyws-test', regionCode: TERRITORY.town });
    campaign = await visits().createCampaign(systemActor(), {
      name: '三询问一完善（两社区）',
      formId,
      regionCodes: [TERRITORY.heqing, TERRITORY.yingming],
      unit: 'household',
      startsOn: '2026-11-01',
      endsOn: '2026-11-30',
    });
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it("lists a grid worker's own grid's households to visit, and counts the registry's households", async () => {
    const mine = await householdsOf(worker);
    expect(mine.length).toBeGreaterThan(0);
    expect(new Set(mine.map((h) => h.gridCode))).toEqual(new Set([TERRITORY.heqingGrids[0]]));
    const all = await householdsOf(worker, { mine: false });
    expect(new Set(all.map((h) => h.gridCode))).toEqual(new Set(TERRITORY.heqingGrids));
    const { rows } = await sql<{ n: number }>`
      select count(distinct (house_id, coalesce(household_no, '')))::int as n from registry_residents
      where region_code like '440605121015%' or region_code like '440605121018%'`.execute(ctx.database.db);
    expect(campaign.households).toBe(rows[0]?.n);
    expect(campaign.visited).toBe(0);
  });

  it('counts coverage per grid exactly as an independent count from the database, and lists the unvisited', async () => {
    const heqing = await householdsOf(worker, { mine: false });
    const yingming = await householdsOf(otherWorker, { mine: false });
    for (const household of heqing.slice(0, 7)) await visit(worker, household);
    for (const household of yingming.slice(0, 4)) await visit(otherWorker, household);
    // A second visit of a household counts it once.
    await visit(worker, heqing[0] as CampaignHousehold);

    const town = await visits().coverage(leader.actor, campaign.id);
    expect(town.root).toMatchObject({ code: TERRITORY.town, visited: 11 });
    expect(town.rows.map((r) => [r.code, r.visited])).toEqual([
      [TERRITORY.heqing, 7],
      [TERRITORY.yingming, 4],
    ]);
    const perGrid = await visits().coverage(leader.actor, campaign.id, TERRITORY.heqing);
    const independent = await sql<{ code: string; households: number; visited: number; residents: number }>`
      select r.region_code as code,
             count(distinct (r.house_id, coalesce(r.household_no, '')))::int as households,
             count(distinct (r.house_id, coalesce(r.household_no, '')))
               filter (where exists (select 1 from household_visits v where v.campaign_id = ${campaign.id}
                 and v.unit_id = r.house_id and v.household_no = coalesce(r.household_no, '')))::int as visited,
             count(*)::int as residents
      from registry_residents r where r.region_code like '440605121015%'
      group by 1 order by 1`.execute(ctx.database.db);
    expect(
      perGrid.rows.map((r) => ({
        code: r.code,
        households: r.households,
        visited: r.visited,
        residents: r.residents,
      })),
    ).toEqual(independent.rows);
    for (const row of perGrid.rows) {
      const unvisited = await householdsOf(leader, { gridCode: row.code });
      expect(unvisited).toHaveLength(row.households - row.visited);
      expect(unvisited.every((h) => h.visits === 0 && h.gridCode === row.code)).toBe(true);
    }
    // The leader plans from figures: names are masked.
    const [first] = await householdsOf(leader, {});
    expect(first?.headName).toMatch(/^.\*+$/);

    const byDay = await visits().coverageByDay(leader.actor, campaign.id);
    expect(byDay.days.at(-1)?.cumulative).toBe(11);
    expect(byDay.days.map((d) => d.day)).toEqual([...byDay.days.map((d) => d.day)].sort());
  });

  it('answers a replayed client key with the visit already recorded', async () => {
    const [household] = await householdsOf(worker);
    const input = {
      clientKey: 'replayed-visit-0001',
      household: household?.key ?? '',
      visitedAt: NOW.toISOString(),
      answers: { residents: household?.residents ?? 1, safe: 'yes' },
    };
    const first = await visits().recordVisit(worker.actor, campaign.id, input);
    const again = await visits().recordVisit(worker.actor, campaign.id, input);
    expect(again.id).toBe(first.id);
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from household_visits where client_key = 'replayed-visit-0001'`.execute(
      ctx.database.db,
    );
    expect(rows[0]?.n).toBe(1);
  });

  it("refuses an answer against the form's rule with 400 naming the question, and another village's household", async () => {
    const [household] = await householdsOf(worker);
    app = await createApp(ctx);
    const session = await httpLogin(app, worker.username);
    const response = await app.inject({
      method: 'POST',
      url: `/api/v1/visit-campaigns/${campaign.id}/household-visits`,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
      payload: {
        clientKey: 'bad-answer-0001',
        household: household?.key,
        visitedAt: NOW.toISOString(),
        answers: { residents: 99, safe: 'yes' },
      },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.issues).toEqual([
      { path: 'answers.residents', message: '人数应在 0–50 之间' },
    ]);
    const error = await visits()
      .recordVisit(otherWorker.actor, campaign.id, {
        clientKey: 'other-village-0001',
        household: household?.key ?? '',
        visitedAt: NOW.toISOString(),
        answers: { residents: 1, safe: 'yes' },
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOT_FOUND' });
  });

  it("updates the head's phone through the registry, with the registry's history", async () => {
    const [household] = await householdsOf(worker);
    const recorded = await visit(worker, household as CampaignHousehold, { headPhone: '13700001234' });
    expect(recorded.registryChanges).toEqual([
      { field: 'household.residentCount', residentId: null, outcome: 'unchanged', message: null },
      { field: 'household.headPhone', residentId: expect.any(Number), outcome: 'updated', message: null },
    ]);
    const residentId = recorded.registryChanges[1]?.residentId as number;
    const { rows } = await sql<{ phone: string }>`
      select phone from registry_residents where id = ${residentId}`.execute(ctx.database.db);
    expect(rows[0]?.phone).toBe('13700001234');
    const history = await ctx.services.registry.getHistory(systemActor(), 'resident', residentId);
    expect(history.length).toBeGreaterThan(0);
  });

  it('raises a case for bulky rubbish in the community, and the visit shows the case closed', async () => {
    const [household] = await householdsOf(worker);
    const recorded = await visit(worker, household as CampaignHousehold, {
      hardship: ['bulkyRubbish'],
      note: '门口旧沙发',
    });
    expect(recorded.cases).toHaveLength(1);
    const raised = recorded.cases[0];
    expect(raised).toMatchObject({ question: 'hardship', choice: 'bulkyRubbish', state: 'reported' });
    const detail = await ctx.services.cases.getCase(systemActor(), raised?.caseId as number);
    expect(detail.regionCode).toBe(household?.gridCode);
    expect(detail.categoryCode).toBe('06011');
    expect(detail.description).toContain('【入户走访】');
    expect(detail.events[0]?.data).toMatchObject({ householdVisit: { visitId: recorded.id } });
    // In the community's queue: 河清's administrator sees it among its cases.
    const heqingAdmin = await createUser(ctx, { role: 'administrator', regionCode: TERRITORY.heqing });
    const queue = await ctx.services.cases.listCases(heqingAdmin.actor, { page: 1, pageSize: 200 });
    expect(queue.items.map((c) => c.id)).toContain(detail.id);

    const act = async (action: string, input: Record<string, unknown> = {}) => {
      const current = await ctx.services.cases.getCase(systemActor(), detail.id);
      await ctx.services.cases.actOnCase(systemActor(), {
        caseId: detail.id,
        action: action as never,
        version: current.version,
        input: input as never,
      });
    };
    await act('register');
    await act('dispatch', { leadDepartmentId: departments['JJ-HW'] });
    await act('accept');
    const photo = await ctx.services.evidence.uploadEvidence(systemActor(), await samplePhoto());
    await act('finish', { note: '已清运', evidence: [photo.id] });
    await act('verifyPass', { note: '已核查' });
    const after = await visits().getVisit(worker.actor, campaign.id, recorded.id);
    expect(after.cases[0]?.state).toBe('closed');
  });

  it('summarises the answers per choice and keeps other villages out of the figures', async () => {
    const summary = await visits().answerSummary(worker.actor, campaign.id);
    const hardship = summary.questions.find((q) => q.name === 'hardship');
    expect(hardship?.choices.find((c) => c.value === 'bulkyRubbish')?.count).toBe(1);
    const heqingOnly = await visits().coverage(worker.actor, campaign.id);
    expect(heqingOnly.root.code).toBe(TERRITORY.heqing);
    expect(heqingOnly.rows.every((r) => r.code.startsWith(TERRITORY.heqing))).toBe(true);
  });
});
