import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dashboard } from '../../../shared/dashboard.ts';
import { COUNT_KEYS, type Ranking } from '../../../shared/indicators.ts';
import {
  createApp,
  createUser,
  type HttpSession,
  httpLogin,
  samplePhoto,
  seedCaseReference,
  seedTerritory,
  TERRITORY,
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { systemActor } from '../people/actor.ts';
import { unscoped } from '../people/scope.ts';
import { openCaseClusters } from './dashboard.repository.ts';

const HEQING = { lon: 112.945, lat: 22.85 };
const YINGMING = { lon: 112.965, lat: 22.85 };
const NOW = new Date('2026-11-20T15:00:00+08:00');
const MONTH = { from: '2026-11-01', to: '2026-11-20' };

describe('GET /api/v1/dashboard', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let townLeader: HttpSession;
  let heqingLeader: HttpSession;
  let admin: HttpSession;
  let worker: HttpSession;
  const system = systemActor();
  let evidence: string[] = [];
  const act = async (id: number, action: string, input: Record<string, unknown> = {}) => {
    const current = await ctx.services.cases.getCase(system, id);
    await ctx.services.cases.actOnCase(system, {
      caseId: id,
      action: action as never,
      version: current.version,
      input: input as never,
    });
  };

  beforeAll(async () => {
    ctx = await createTestContext({ now: NOW });
    await seedTerritory(ctx);
    const departments = await seedCaseReference(ctx);
    const tree = await ctx.services.categories.getCategoryTree();
    const rubbish = tree.flatMap((m) => m.children).find((c) => c.code === '06010')?.id ?? 0;
    evidence = [(await ctx.services.evidence.uploadEvidence(system, await samplePhoto())).id];
    /** A case reported at `at`; dispatched to the sanitation station and, when `handled`, handled an hour later. */
    const report = async (at: string, where: typeof HEQING, outcome: 'open' | 'handled' | 'reported') => {
      const start = new Date(at).getTime();
      ctx.clock.set(new Date(start));
      const c = await ctx.services.cases.reportCase(
        system,
        { categoryId: rubbish, description: '路边有暴露垃圾', ...where },
        'gridWorker',
      );
      if (outcome === 'reported') return;
      ctx.clock.set(new Date(start + 600_000));
      await act(c.id, 'register');
      await act(c.id, 'dispatch', { leadDepartmentId: departments['JJ-HW'] });
      await act(c.id, 'accept');
      if (outcome === 'handled') {
        ctx.clock.set(new Date(start + 3_600_000));
        await act(c.id, 'finish', { note: '已清运', evidence });
      }
    };
    await report('2026-11-02T09:00:00+08:00', HEQING, 'handled');
    await report('2026-11-03T09:00:00+08:00', HEQING, 'open'); // long past its 4 working hours: overdue
    await report('2026-11-20T09:00:00+08:00', HEQING, 'handled');
    await report('2026-11-20T14:30:00+08:00', HEQING, 'reported');
    await report('2026-11-04T09:00:00+08:00', YINGMING, 'handled');
    await report('2026-11-05T09:00:00+08:00', YINGMING, 'open');
    await report('2026-10-20T09:00:00+08:00', YINGMING, 'handled');
    ctx.clock.set(NOW);
    await ctx.services.caseFacts.refreshQueued();

    app = await createApp(ctx);
    const login = async (role: 'leader' | 'administrator' | 'gridWorker', regionCode: string) =>
      httpLogin(app, (await createUser(ctx, { role, regionCode })).username);
    townLeader = await login('leader', TERRITORY.town);
    heqingLeader = await login('leader', TERRITORY.heqing);
    admin = await login('administrator', TERRITORY.town);
    worker = await login('gridWorker', TERRITORY.heqing);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  const get = (url: string, session: HttpSession, language = 'zh-CN') =>
    app.inject({ method: 'GET', url, headers: { cookie: session.cookie, 'accept-language': language } });
  const dashboard = async (session: HttpSession, query = ''): Promise<Dashboard> => {
    const response = await get(`/api/v1/dashboard${query}`, session);
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };
  const ranking = async (session: HttpSession): Promise<Ranking> =>
    (await get(`/api/v1/indicators/ranking?from=${MONTH.from}&to=${MONTH.to}&unit=village`, session)).json();

  it("shows a village leader only their village's figures, equal to the ranking's for the month", async () => {
    const mine = await dashboard(heqingLeader);
    expect(mine.scope).toEqual({ code: TERRITORY.heqing, name: '河清社区居委会' });
    expect(mine.month).toMatchObject({ ...MONTH, counts: { reported: 4, registered: 3, handled: 2 } });
    expect(mine.today).toMatchObject({ from: '2026-11-20', counts: { reported: 2, handled: 1 } });
    const row = (await ranking(townLeader)).rows.find((r) => r.key === TERRITORY.heqing);
    for (const key of COUNT_KEYS)
      expect({ key, n: mine.month.counts[key] }).toEqual({ key, n: row?.counts[key] });
    // The open cases on the map are 河清's alone; the one past its deadline is red.
    // Open: not closed, rejected or merged; two wait for verification, one is past its deadline, one is new.
    expect(mine.map.open).toBe(4);
    expect(mine.map.points.find((p) => p.state === 'accepted')?.tone).toBe('overdue');
    expect(mine.map.points.find((p) => p.state === 'reported')?.tone).toBe('normal');
    expect(mine.map.points.every((p) => p.lon < 112.96)).toBe(true);
    expect(mine.hotSpots).toEqual([expect.objectContaining({ name: '暴露垃圾', count: 4 })]);
    expect(mine.sources).toEqual([{ source: 'gridWorker', reported: 4 }]);
    expect(mine.drill).toEqual({ unit: 'village', key: null });
    // The trend ends today: 30 days, 2 reported and 1 handled on the 20th.
    expect(mine.trend).toHaveLength(30);
    expect(mine.trend.at(-1)).toEqual({ date: '2026-11-20', reported: 2, handled: 1, closed: 0 });
  });

  it('gives the town the sum of its villages, and a narrowed town view the village’s figures', async () => {
    const town = await dashboard(townLeader);
    expect(town.month.counts.reported).toBe(6);
    expect(town.map.open).toBe(7);
    expect(town.ranking.unit).toBe('village');
    expect(town.ranking.rows.map((r) => r.name)).toEqual(
      expect.arrayContaining(['河清社区居委会', '英明社区居委会']),
    );
    const narrowed = await dashboard(townLeader, `?scope=${TERRITORY.heqing}`);
    const mine = await dashboard(heqingLeader);
    expect(narrowed.month.counts).toEqual(mine.month.counts);
    expect(narrowed.drill).toEqual({ unit: 'village', key: TERRITORY.heqing });
    // The drill behind a figure lists as many cases as the figure says.
    const list = await get(
      `/api/v1/indicators/cases?from=${MONTH.from}&to=${MONTH.to}&unit=village&key=${TERRITORY.heqing}&count=reported`,
      townLeader,
    );
    expect(list.json().total).toBe(narrowed.month.counts.reported);
  });

  it('opens each hot spot and each source onto as many cases as it shows', async () => {
    const town = await dashboard(townLeader);
    const total = async (narrow: string) =>
      (
        await get(
          `/api/v1/indicators/cases?from=${MONTH.from}&to=${MONTH.to}&unit=village&count=reported${narrow}`,
          townLeader,
        )
      ).json().total;
    expect(town.hotSpots.length).toBeGreaterThan(0);
    for (const spot of town.hotSpots) expect(await total(`&categoryId=${spot.categoryId}`)).toBe(spot.count);
    for (const source of town.sources) expect(await total(`&source=${source.source}`)).toBe(source.reported);
    // A category with no cases opens onto none; a category id that is not a number is refused, naming it.
    const other = town.hotSpots[0] ? town.hotSpots[0].categoryId + 1 : 1;
    expect(await total(`&categoryId=${other}`)).toBe(0);
    const bad = await get(
      `/api/v1/indicators/cases?from=${MONTH.from}&to=${MONTH.to}&unit=village&count=reported&categoryId=x`,
      townLeader,
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('categoryId');
  });

  it('refuses another village, a scope that is not a village, and readers outside the roles', async () => {
    const other = await get(`/api/v1/dashboard?scope=${TERRITORY.yingming}`, heqingLeader);
    expect(other.statusCode).toBe(403);
    expect(other.body).not.toContain('英明');
    const grid = await get(`/api/v1/dashboard?scope=${TERRITORY.heqingGrids[0]}`, townLeader, 'en-US');
    expect(grid.statusCode).toBe(400);
    expect(grid.json().error.details.issues[0].path).toBe('scope');
    const bad = await get('/api/v1/dashboard?scope=abc', townLeader);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues[0]).toEqual({ path: 'scope', message: '范围应为区划代码' });
    expect((await get('/api/v1/dashboard', worker)).statusCode).toBe(403);
  });

  it('keeps the key figures an administrator pins, for their scope and the villages below', async () => {
    expect((await dashboard(heqingLeader)).keyFigures).toContain('closureRate');
    const put = (session: HttpSession, keyFigures: unknown) =>
      app.inject({
        method: 'PUT',
        url: '/api/v1/dashboard/settings',
        headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
        payload: { keyFigures },
      });
    expect((await put(heqingLeader, ['reworkRate'])).statusCode).toBe(403);
    const wrong = await put(admin, ['reworkRate', 'noSuchFigure']);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.details.issues[0].path).toBe('keyFigures.1');
    const saved = await put(admin, ['reworkRate', 'satisfactionRate']);
    expect(saved.statusCode).toBe(200);
    expect((await dashboard(heqingLeader)).keyFigures).toEqual(['reworkRate', 'satisfactionRate']);
    expect((await get('/api/v1/dashboard/settings', heqingLeader)).json()).toEqual({
      keyFigures: ['reworkRate', 'satisfactionRate'],
      scopeCode: TERRITORY.town,
    });
  });

  it('clusters open cases into cells, each with its count and its most urgent tone', async () => {
    const cells = await openCaseClusters(ctx.database.db, {
      scope: unscoped('dashboard test'),
      now: NOW,
      cell: 0.1,
      limit: 100,
    });
    expect(cells).toEqual([expect.objectContaining({ count: 7, tone: 'overdue' })]);
  });

  it('moves today’s figures when a case is handled late, without a rebuild', async () => {
    const before = await dashboard(heqingLeader);
    const late = before.map.points.find((p) => p.state === 'accepted');
    await act(late?.id ?? 0, 'finish', { note: '已清运', evidence });
    await ctx.services.caseFacts.refreshQueued();
    const after = await dashboard(heqingLeader);
    expect(after.today.counts.handled).toBe(before.today.counts.handled + 1);
    expect(after.today.counts.handledOnTime).toBe(before.today.counts.handledOnTime);
    expect(after.month.counts.overduePending).toBe(before.month.counts.overduePending - 1);
    // Handled, but late: the handling rate rises, the on-time count does not, nothing is overdue any more.
    expect(after.month.figures.handlingRate).toBeGreaterThan(before.month.figures.handlingRate ?? 1);
    expect(after.month.counts.handledOnTime).toBe(before.month.counts.handledOnTime);
    expect(after.month.figures.overduePendingRate).toBe(0);
  });

  it('says when the demo history is synthetic', async () => {
    expect((await dashboard(townLeader)).synthetic).toBe(false);
    await ctx.database.db
      .insertInto('settings')
      .values({ key: 'demo.history', value: JSON.stringify({ state: 'done' }) })
      .execute();
    expect((await dashboard(townLeader)).synthetic).toBe(true);
  });
});
