import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createApp,
  createUser,
  type HttpSession,
  httpLogin,
  seedCaseReference,
  seedTerritory,
  TERRITORY,
  type TestUser,
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { systemActor } from '../people/actor.ts';
import { unscoped } from '../people/scope.ts';

// 09:00 in Shanghai on 23 November 2026.
const NOW = new Date('2026-11-23T01:00:00Z');
const MINUTE = 60_000;
const iso = (ms: number) => new Date(NOW.getTime() + ms).toISOString();
/** 河清 grid 1 spans lon 112.94–112.95, lat 22.84–22.86: a walk north along its middle. */
const walk = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => ({
    seq: from + i,
    lon: 112.945,
    lat: 22.842 + 0.0005 * (from + i),
    at: iso(-30 * MINUTE + (from + i) * 10_000),
  }));

describe('HTTP: patrols', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let worker: TestUser;
  let workerSession: HttpSession;
  let otherWorker: HttpSession;
  let leader: HttpSession;
  let otherLeader: HttpSession;
  let handler: HttpSession;
  let patrolId = 0;

  beforeAll(async () => {
    ctx = await createTestContext({ now: NOW });
    await seedTerritory(ctx);
    const departments = await seedCaseReference(ctx);
    app = await createApp(ctx);
    worker = await createUser(ctx, {
      role: 'gridWorker',
      regionCode: TERRITORY.heqing,
      displayName: '李网格',
    });
    const other = await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.yingming });
    for (const [code, user] of [
      [TERRITORY.heqingGrids[0], worker],
      [TERRITORY.heqingGrids[1], worker],
      [TERRITORY.yingmingGrids[0], other],
    ] as const) {
      const detail = await ctx.services.territory.getRegionDetail(systemActor(), code);
      await ctx.services.territory.setGridPeople(systemActor(), {
        code,
        version: detail.version,
        people: [{ userId: user.id, duty: 'gridWorker' }],
      });
    }
    workerSession = await httpLogin(app, worker.username);
    otherWorker = await httpLogin(app, other.username);
    leader = await httpLogin(
      app,
      (await createUser(ctx, { role: 'leader', regionCode: TERRITORY.heqing })).username,
    );
    otherLeader = await httpLogin(
      app,
      (await createUser(ctx, { role: 'leader', regionCode: TERRITORY.yingming })).username,
    );
    handler = await httpLogin(
      app,
      (
        await createUser(ctx, {
          role: 'departmentHandler',
          regionCode: TERRITORY.town,
          departmentId: departments['JJ-CG'] as number,
        })
      ).username,
    );
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  const send = (method: 'GET' | 'POST', url: string, session: HttpSession, payload?: object) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'accept-language': 'en-US' },
      ...(payload ? { payload } : {}),
    });

  it('starts a patrol once per client key, stores each point once, and ends it', async () => {
    const start = { clientKey: 'patrol-key-0001', startedAt: iso(-30 * MINUTE) };
    const first = await send('POST', '/patrols', workerSession, start);
    expect(first.statusCode).toBe(201);
    const again = await send('POST', '/patrols', workerSession, start);
    expect(again.json().id).toBe(first.json().id);
    patrolId = first.json().id;

    // A problem reported during the patrol belongs to it.
    const tree = await ctx.services.categories.getCategoryTree();
    const category = tree.flatMap((m) => m.children).find((c) => c.kind === 'matter')?.id ?? 0;
    ctx.clock.set(new Date(NOW.getTime() - 20 * MINUTE));
    await ctx.services.cases.reportCase(
      worker.actor,
      {
        categoryId: category,
        description: '路灯不亮，需要维修',
        lon: 112.945,
        lat: 22.845,
      },
      'gridWorker',
    );
    ctx.clock.set(NOW);

    const batch = await send('POST', '/patrols/patrol-key-0001/points', workerSession, { points: walk(30) });
    expect(batch.statusCode).toBe(200);
    expect(batch.json()).toMatchObject({ stored: 30, duplicates: 0 });
    // The phone lost the answer and sends the same batch with the next points: only the new ones are stored.
    const resent = await send('POST', '/patrols/patrol-key-0001/points', workerSession, {
      points: [...walk(30), ...walk(10, 30)],
    });
    expect(resent.json()).toMatchObject({ stored: 10, duplicates: 30 });
    const patrol = resent.json().patrol;
    expect(patrol.pointCount).toBe(40);
    // 39 legs of 0.0005° latitude ≈ 55.6 m each.
    expect(patrol.distanceM).toBeGreaterThan(2100);
    expect(patrol.distanceM).toBeLessThan(2230);
    expect(patrol.problems).toBe(1);
    expect(patrol.grids.map((g: { code: string }) => g.code)).toEqual([TERRITORY.heqingGrids[0]]);

    const ended = await send('POST', '/patrols/patrol-key-0001/end', workerSession, {
      endedAt: iso(-20 * MINUTE + 30_000),
    });
    expect(ended.statusCode).toBe(200);
    expect(ended.json().endedAt).not.toBeNull();
    expect(ended.json().durationS).toBe(630);

    const detail = await send('GET', `/patrols/${patrolId}`, leader);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().problemList[0].description).toBe('路灯不亮，需要维修');
    expect(detail.json().track.length).toBeLessThan(40);
    // A line up the middle of a 1,026 m × 2,224 m grid from 222 m inside its south edge to beyond its north
    // edge, within 50 m: a band 100 m wide and 2,051 m long, (100 × 2,051) / (1,026 × 2,224) = 8.99 %.
    const share = detail.json().grids[0].coverage;
    expect(Math.abs(share - 0.0899)).toBeLessThan(0.005);
  });

  it('refuses points from the future, before the start, too many, or out of range, naming the field', async () => {
    const refuse = async (points: object[], field: string) => {
      const response = await send('POST', '/patrols/patrol-key-0001/points', workerSession, { points });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.details.issues.map((i: { path: string }) => i.path)).toContain(field);
    };
    const point = walk(1, 100)[0] as { seq: number; lon: number; lat: number; at: string };
    await refuse([{ ...point, at: iso(10 * MINUTE) }], 'points.0.at');
    await refuse([point, { ...point, seq: 101, at: iso(-40 * MINUTE) }], 'points.1.at');
    await refuse([{ ...point, lat: 95 }], 'points.0.lat');
    await refuse(
      Array.from({ length: 501 }, (_, i) => ({ ...point, seq: i })),
      'points',
    );
    const bad = await send('POST', '/patrols', workerSession, { clientKey: 'x', startedAt: iso(0) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues[0].path).toBe('clientKey');
  });

  it('keeps patrols to their scope: another village reads nothing, a department nothing at all', async () => {
    expect((await send('GET', `/patrols/${patrolId}`, otherLeader)).statusCode).toBe(404);
    expect((await send('GET', `/patrols/${patrolId}`, otherWorker)).statusCode).toBe(404);
    expect((await send('GET', '/patrols', otherLeader)).json().total).toBe(0);
    expect((await send('GET', '/patrols', handler)).statusCode).toBe(403);
    // Another worker cannot add to this patrol by knowing its key.
    const foreign = await send('POST', '/patrols/patrol-key-0001/points', otherWorker, {
      points: walk(1, 200),
    });
    expect(foreign.statusCode).toBe(404);
    // Nor take its key for their own patrol.
    const taken = await send('POST', '/patrols', otherWorker, {
      clientKey: 'patrol-key-0001',
      startedAt: iso(0),
    });
    expect(taken.statusCode).toBe(400);
    // A region outside the reader's scope is refused.
    const outside = await send(
      'GET',
      `/patrols/grid-days?from=2026-11-23&to=2026-11-23&region=${TERRITORY.yingming}`,
      leader,
    );
    expect(outside.statusCode).toBe(403);
    expect((await send('GET', '/patrols', leader)).json().items[0].userName).toBe('李网格');
  });

  it('tables grid-days and lists the grids not patrolled today', async () => {
    const table = await send('GET', '/patrols/grid-days?from=2026-11-22&to=2026-11-23', leader);
    expect(table.statusCode).toBe(200);
    const rows = table.json().items as {
      gridCode: string;
      day: string;
      patrolled: boolean;
      problems: number;
      coverage: number;
    }[];
    // Two 河清 grids with a worker × two days.
    expect(rows).toHaveLength(4);
    const today = rows.find((r) => r.day === '2026-11-23' && r.gridCode === TERRITORY.heqingGrids[0]);
    expect(today).toMatchObject({ patrolled: true, problems: 1 });
    expect(rows.filter((r) => r.patrolled)).toHaveLength(1);

    const unpatrolled = await send('GET', '/patrols/unpatrolled', leader);
    expect(unpatrolled.json()).toMatchObject({ day: '2026-11-23' });
    expect(unpatrolled.json().items.map((g: { gridCode: string }) => g.gridCode)).toEqual([
      TERRITORY.heqingGrids[1],
    ]);
    const town = await send('GET', '/patrols/unpatrolled', otherLeader);
    expect(town.json().items.map((g: { gridCode: string }) => g.gridCode)).toEqual([
      TERRITORY.yingmingGrids[0],
    ]);

    const tracks = await send('GET', '/patrols/today-tracks', leader);
    expect(tracks.json().features).toHaveLength(1);
    expect((await send('GET', '/patrols/today-tracks', otherLeader)).json().features).toHaveLength(0);
  });

  it('gives the patrol-coverage indicator per leaf grid: grid-days patrolled / grid-days in the period', async () => {
    const coverage = await ctx.services.patrols.patrolCoverage(unscoped('test'), {
      from: '2026-11-22',
      to: '2026-11-23',
    });
    const grid = coverage.find((c) => c.gridCode === TERRITORY.heqingGrids[0]);
    expect(grid).toMatchObject({ daysInPeriod: 2, daysPatrolled: 1, rate: 0.5 });
    expect(grid?.meanShare).toBeGreaterThan(0.04);
    expect(coverage.find((c) => c.gridCode === TERRITORY.yingmingGrids[1])).toMatchObject({
      daysPatrolled: 0,
      rate: 0,
    });
  });
});
