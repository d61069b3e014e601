import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseSource } from '../../../shared/case-workflow.ts';
import type { SatisfactionIndicator } from '../../../shared/evaluation.ts';
import { AppError } from '../../errors.ts';
import {
  createUser,
  samplePhoto,
  seedCaseReference,
  seedTerritory,
  TERRITORY,
  type TestUser,
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { systemActor } from '../people/actor.ts';
import { regionScope } from '../people/scope.ts';
import { sumSatisfaction } from './facts.repository.ts';

const HEQING = { lon: 112.945, lat: 22.85 };
const YINGMING = { lon: 112.965, lat: 22.85 };
const DAY = 86_400_000;

/** The figures of a row, without its name. */
const figures = (row: object | undefined) => {
  const { key: _key, code: _code, name: _name, ...rest } = (row ?? {}) as Record<string, unknown>;
  return rest;
};

describe('satisfaction indicator', () => {
  let ctx: TestContext;
  const departments: Record<string, number> = {};
  const readers: Record<string, TestUser> = {};
  let rubbish = 0;
  let evidence: string[] = [];
  let unratedId = 0;

  /**
   * A case reported a day before `closedAt`, dispatched to `department`, handled and closed at `closedAt`
   * (Asia/Shanghai wall time), then rated `score` if given.
   */
  async function closedCase(options: {
    source: CaseSource;
    at: { lon: number; lat: number };
    department: string;
    closedAt: string;
    score?: number;
  }): Promise<number> {
    const system = systemActor();
    const closedAt = new Date(options.closedAt);
    ctx.clock.set(new Date(closedAt.getTime() - DAY));
    const reported = await ctx.services.cases.reportCase(
      system,
      { categoryId: rubbish, description: '路边有暴露垃圾，无人清运', ...options.at },
      options.source,
    );
    const act = async (action: string, input: Record<string, unknown> = {}) => {
      const current = await ctx.services.cases.getCase(system, reported.id);
      await ctx.services.cases.actOnCase(system, {
        caseId: reported.id,
        action: action as never,
        version: current.version,
        input: input as never,
      });
    };
    await act('register');
    await act('dispatch', { leadDepartmentId: departments[options.department] });
    await act('accept');
    await act('finish', { note: '已清运', evidence });
    ctx.clock.set(closedAt);
    await act('verifyPass');
    if (options.score !== undefined) await act('rate', { score: options.score });
    return reported.id;
  }

  /** The indicator once the facts job has taken in what was written (it runs every 2 s in the server). */
  const satisfaction = async (
    reader: TestUser | undefined,
    query: { from?: string; to?: string; groupBy?: 'department' | 'region' } = {},
  ): Promise<SatisfactionIndicator> => {
    await ctx.services.caseFacts.refreshQueued();
    return ctx.services.indicators.getSatisfaction(reader?.actor ?? systemActor(), {
      groupBy: 'department',
      ...query,
    });
  };

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    const system = systemActor();
    Object.assign(departments, await seedCaseReference(ctx));
    const tree = await ctx.services.categories.getCategoryTree();
    rubbish = tree.flatMap((m) => m.children).find((c) => c.kind === 'matter' && c.code === '06010')?.id ?? 0;
    evidence = [(await ctx.services.evidence.uploadEvidence(system, await samplePhoto())).id];

    // November in 河清, handled by the sanitation station: 5, 4 (hotline), 2, one unrated, and 4 at 00:30 on
    // the 1st (still 31 October in UTC).
    await closedCase({
      source: 'resident',
      at: HEQING,
      department: 'JJ-HW',
      closedAt: '2026-11-03T10:00:00+08:00',
      score: 5,
    });
    await closedCase({
      source: 'hotline',
      at: HEQING,
      department: 'JJ-HW',
      closedAt: '2026-11-10T10:00:00+08:00',
      score: 4,
    });
    await closedCase({
      source: 'resident',
      at: HEQING,
      department: 'JJ-HW',
      closedAt: '2026-11-12T10:00:00+08:00',
      score: 2,
    });
    unratedId = await closedCase({
      source: 'resident',
      at: HEQING,
      department: 'JJ-HW',
      closedAt: '2026-11-15T10:00:00+08:00',
    });
    await closedCase({
      source: 'resident',
      at: HEQING,
      department: 'JJ-HW',
      closedAt: '2026-11-01T00:30:00+08:00',
      score: 4,
    });
    // November in 英明, handled by the city management office: 3 and 5.
    await closedCase({
      source: 'resident',
      at: YINGMING,
      department: 'JJ-CG',
      closedAt: '2026-11-05T10:00:00+08:00',
      score: 3,
    });
    await closedCase({
      source: 'resident',
      at: YINGMING,
      department: 'JJ-CG',
      closedAt: '2026-11-06T10:00:00+08:00',
      score: 5,
    });
    // Not counted in November: a grid worker's own report, and a case closed late on 31 October.
    await closedCase({
      source: 'gridWorker',
      at: HEQING,
      department: 'JJ-HW',
      closedAt: '2026-11-08T10:00:00+08:00',
    });
    await closedCase({
      source: 'resident',
      at: HEQING,
      department: 'JJ-HW',
      closedAt: '2026-10-31T23:30:00+08:00',
      score: 1,
    });
    // Reported by a resident but still open.
    ctx.clock.set(new Date('2026-11-18T10:00:00+08:00'));
    await ctx.services.cases.reportCase(
      system,
      { categoryId: rubbish, description: '路灯不亮已经一周', ...HEQING },
      'resident',
    );

    ctx.clock.set(new Date('2026-11-20T10:00:00+08:00'));
    readers.town = await createUser(ctx, { role: 'leader', regionCode: TERRITORY.town });
    readers.heqing = await createUser(ctx, { role: 'leader', regionCode: TERRITORY.heqing });
    readers.yingming = await createUser(ctx, { role: 'dispatcher', regionCode: TERRITORY.yingming });
    readers.worker = await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.heqing });
  });
  afterAll(() => ctx?.close());

  it('counts this month by lead department: rate of the rated, average score, unrated apart', async () => {
    const answer = await satisfaction(readers.town);
    expect(answer).toMatchObject({
      from: '2026-11-01',
      to: '2026-11-20',
      groupBy: 'department',
      scope: { code: TERRITORY.town, name: '九江镇' },
    });
    expect(answer.rows.map((r) => r.name)).toEqual(['九江镇城管执法办', '九江镇环卫站']);
    const [cityManagement, sanitation] = answer.rows;
    expect(figures(sanitation)).toEqual({
      closed: 5,
      rated: 4,
      satisfied: 3,
      unrated: 1,
      satisfactionRate: 0.75,
      averageScore: 3.75,
    });
    expect(figures(cityManagement)).toEqual({
      closed: 2,
      rated: 2,
      satisfied: 1,
      unrated: 0,
      satisfactionRate: 0.5,
      averageScore: 4,
    });
    expect(answer.total).toEqual({
      closed: 7,
      rated: 6,
      satisfied: 4,
      unrated: 1,
      satisfactionRate: 0.6667,
      averageScore: 3.83,
    });
  });

  it('groups by the villages below a town, and by the grids below a village', async () => {
    const town = await satisfaction(readers.town, { groupBy: 'region' });
    expect(town.rows.map((r) => [r.name, r.closed, r.rated, r.satisfied])).toEqual([
      ['河清社区居委会', 5, 4, 3],
      ['英明社区居委会', 2, 2, 1],
    ]);
    const village = await satisfaction(readers.heqing, { groupBy: 'region' });
    expect(village.scope.name).toBe('河清社区居委会');
    expect(village.rows.map((r) => [r.code, r.closed])).toEqual([[`${TERRITORY.heqing}001`, 5]]);
  });

  it('keeps each reader to their scope: a village does not see the other village', async () => {
    const heqing = await satisfaction(readers.heqing);
    expect(heqing.rows.map((r) => r.name)).toEqual(['九江镇环卫站']);
    expect(heqing.total).toMatchObject({ closed: 5, rated: 4 });
    const yingming = await satisfaction(readers.yingming);
    expect(yingming.rows.map((r) => r.name)).toEqual(['九江镇城管执法办']);
    expect(yingming.total).toMatchObject({ closed: 2, rated: 2, satisfactionRate: 0.5 });

    const error = await satisfaction(readers.worker).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('FORBIDDEN_ROLE');
  });

  it('counts nothing for a reader whose scope is empty: no scope is not every scope', async () => {
    const town = readers.town?.actor ?? systemActor();
    const emptied = { ...town, scopeCode: '', scopeName: '' };
    const error = await ctx.services.indicators
      .getSatisfaction(emptied, { groupBy: 'department' })
      .catch((e: unknown) => e);
    expect((error as AppError).code).toBe('FORBIDDEN_SCOPE');
    // The count itself holds nothing for an empty scope (a '' prefix used to match every case).
    const months = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}-01`);
    const year = { days: [], months };
    const counted = await sumSatisfaction(ctx.database.db, {
      ...year,
      sources: ['resident', 'hotline'],
      scope: regionScope(emptied),
      groupBy: { kind: 'department' },
    });
    expect(counted.find((c) => c.total)?.closed ?? 0).toBe(0);
    const everything = await sumSatisfaction(ctx.database.db, {
      ...year,
      sources: ['resident', 'hotline'],
      scope: regionScope(town),
      groupBy: { kind: 'department' },
    });
    expect(everything.find((c) => c.total)?.closed).toBeGreaterThan(0);
  });

  it('counts Asia/Shanghai days, and gives no rate where nothing was rated', async () => {
    const october = await satisfaction(readers.town, { from: '2026-10-01', to: '2026-10-31' });
    expect(october.total).toMatchObject({ closed: 1, rated: 1, satisfied: 0, satisfactionRate: 0 });
    const firstOfNovember = await satisfaction(readers.town, { from: '2026-11-01', to: '2026-11-01' });
    expect(firstOfNovember.total).toMatchObject({ closed: 1, rated: 1, satisfied: 1 });

    const unratedOnly = await satisfaction(readers.town, { from: '2026-11-15', to: '2026-11-15' });
    expect(unratedOnly.total).toEqual({
      closed: 1,
      rated: 0,
      satisfied: 0,
      unrated: 1,
      satisfactionRate: null,
      averageScore: null,
    });
    const empty = await satisfaction(readers.town, {
      from: '2026-09-01',
      to: '2026-09-30',
      groupBy: 'region',
    });
    expect(empty.rows.map((r) => [r.name, r.closed, r.satisfactionRate])).toEqual([
      ['河清社区居委会', 0, null],
      ['英明社区居委会', 0, null],
    ]);
    expect(empty.total).toMatchObject({ closed: 0, satisfactionRate: null });
  });

  it('counts a rating given later in the period the case was closed in', async () => {
    // The unrated case of 15 November is rated now, on the 20th: November's figures take it in.
    const [unrated] = (
      await ctx.services.cases.listCases(systemActor(), { page: 1, pageSize: 50, state: 'closed' })
    ).items.filter((c) => c.closedAt?.startsWith('2026-11-15') && c.source === 'resident');
    expect(unrated).toBeDefined();
    const current = await ctx.services.cases.getCase(systemActor(), unratedId);
    await ctx.services.cases.actOnCase(systemActor(), {
      caseId: current.id,
      action: 'rate',
      version: current.version,
      input: { score: 5 },
    });
    const answer = await satisfaction(readers.town, { from: '2026-11-15', to: '2026-11-15' });
    expect(answer.total).toMatchObject({ closed: 1, rated: 1, unrated: 0, satisfactionRate: 1 });
  });
});
