import type { z } from 'zod';
import {
  DASHBOARD_ROLES,
  type Dashboard,
  type DashboardSettings,
  DEFAULT_KEY_FIGURES,
  type dashboardQuerySchema,
  dashboardSettingsSchema,
  HOT_SPOT_COUNT,
  MAP_POINT_CAP,
  TREND_DAYS,
} from '../../../shared/dashboard.ts';
import {
  compositeOf,
  EMPTY_COUNTS,
  type EvaluationSource,
  figuresOf,
  type IndicatorCounts,
  type IndicatorKey,
  type UnitKind,
} from '../../../shared/indicators.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { assertRole } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';
import { narrowScope, regionScope, type Scope } from '../people/scope.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import * as repo from './dashboard.repository.ts';
import { periodBuckets, periodInstants, shanghaiDate } from './indicator-period.ts';
import type { RankingService } from './ranking.service.ts';

export type DashboardQueryInput = z.output<typeof dashboardQuerySchema>;

const READ_DASHBOARD = { zh: '查看数读大屏', en: 'read the dashboard' };
const SET_KEY_FIGURES = { zh: '设置数读关键指标', en: 'choose the dashboard key figures' };
const DASHBOARD_TARGET = { zh: '数读', en: 'Dashboard' };
const NO_SCOPE = { zh: '无', en: 'none' };
const DEMO_HISTORY_KEY = 'demo.history';
const KEY_FIGURES_SETTING = 'dashboard.keyFigures:';
/** Rows of the month's ranking shown: the best and the worst this many each. */
const RANKING_ENDS = 5;
/** Cluster cells: about 500 m; a town of many thousand open cases stays a few hundred cells. */
const CLUSTER_DEGREES = 0.005;
const DAY_MS = 86_400_000;

export type DashboardService = ReturnType<typeof createDashboardService>;

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/**
 * The leader's dashboard (数读 / 大屏): every figure in one answer, from the kept counts (the same counts the
 * rankings read, so the month's figures equal the ranking's), scoped like the rankings.
 */
export function createDashboardService(deps: {
  db: Db;
  clock: Clock;
  audit: Pick<AuditService, 'record'>;
  rankings: Pick<RankingService, 'countUnits' | 'getRanking'>;
  territory: Pick<TerritoryService, 'getRegionNames'>;
}) {
  const { db, clock, rankings, territory, audit } = deps;

  /** The scope the dashboard shows: the reader's own, or a village inside it. */
  function scopeOf(
    actor: Actor,
    code: string | undefined,
  ): { scope: Scope; code: string; narrowed: boolean } {
    assertRole(actor, DASHBOARD_ROLES, READ_DASHBOARD);
    const own = regionScope(actor);
    if (own.kind === 'nothing')
      throw new AppError('FORBIDDEN_SCOPE', { target: DASHBOARD_TARGET, scope: NO_SCOPE });
    if (code === undefined || code === actor.scopeCode)
      return { scope: own, code: actor.scopeCode, narrowed: false };
    const scope = narrowScope(own, code);
    if (scope.kind === 'nothing')
      throw new AppError('FORBIDDEN_SCOPE', { target: DASHBOARD_TARGET, scope: { zh: code, en: code } });
    if (code.length !== 12) {
      throw new AppError(
        'VALIDATION_FAILED',
        { summary: actor.locale === 'en-US' ? 'scope: choose a village' : '范围须为村（社区）' },
        {
          issues: [
            { path: 'scope', message: actor.locale === 'en-US' ? 'choose a village' : '范围须为村（社区）' },
          ],
        },
      );
    }
    return { scope, code, narrowed: true };
  }

  async function sumCounts(scope: Scope, period: { from: string; to: string }): Promise<IndicatorCounts> {
    // Every case lies in one village, so the villages' counts add up to the scope's.
    const units = await rankings.countUnits(scope, 'village', null, period);
    const total = { ...EMPTY_COUNTS };
    for (const counts of units.values())
      for (const key of Object.keys(total) as (keyof IndicatorCounts)[]) total[key] += counts[key];
    return total;
  }

  async function openCases(scope: Scope, now: Date): Promise<Dashboard['map']> {
    const { open, located } = await repo.countOpenCases(db, scope);
    const withoutLocation = open - located;
    if (located <= MAP_POINT_CAP) {
      const points = await repo.openCasePoints(db, { scope, now, limit: MAP_POINT_CAP });
      return { open, withoutLocation, clustered: false, points: points.map((p) => ({ ...p, count: 1 })) };
    }
    const cells = await repo.openCaseClusters(db, {
      scope,
      now,
      cell: CLUSTER_DEGREES,
      limit: MAP_POINT_CAP,
    });
    return {
      open,
      withoutLocation,
      clustered: true,
      points: cells.map((c) => ({ ...c, id: null, caseNumber: null, state: null, categoryName: null })),
    };
  }

  /** The key figures chosen for this region: its own choice or its nearest ancestor's; the default otherwise. */
  async function keyFiguresFor(
    code: string,
  ): Promise<{ keyFigures: IndicatorKey[]; scopeCode: string | null }> {
    const prefixes = [''];
    for (let length = 2; length <= code.length; length += length < 6 ? 2 : 3)
      prefixes.push(code.slice(0, length));
    if (!prefixes.includes(code)) prefixes.push(code);
    const stored = await repo.findSettings(
      db,
      prefixes.map((p) => KEY_FIGURES_SETTING + p),
    );
    for (const prefix of prefixes.reverse()) {
      const parsed = dashboardSettingsSchema.safeParse(stored.get(KEY_FIGURES_SETTING + prefix));
      if (parsed.success) return { keyFigures: parsed.data.keyFigures, scopeCode: prefix };
    }
    return { keyFigures: [...DEFAULT_KEY_FIGURES], scopeCode: null };
  }

  async function getDashboard(actor: Actor, query: DashboardQueryInput): Promise<Dashboard> {
    const { scope, code, narrowed } = scopeOf(actor, query.scope);
    const now = clock.now();
    const today = shanghaiDate(now);
    const todayPeriod = { from: today, to: today };
    const month = { from: `${today.slice(0, 8)}01`, to: today };
    const trendFrom = addDays(today, -(TREND_DAYS - 1));
    // The ranking reads the reader's scope; a narrowed dashboard reads it as if the reader's scope were the village.
    const reader: Actor = narrowed ? { ...actor, scopeCode: code } : actor;
    const rankingUnit: UnitKind = code.length >= 12 ? 'grid' : 'village';
    const [todayCounts, monthCounts, daily, bySource, hotSpots, map, ranking, keyFigures, synthetic, names] =
      await Promise.all([
        sumCounts(scope, todayPeriod),
        sumCounts(scope, month),
        repo.dailyCounts(db, { scope, from: trendFrom, to: today }),
        repo.reportedBySource(db, { scope, ...periodBuckets(month) }),
        repo.topCategories(db, { scope, ...periodInstants(month), limit: HOT_SPOT_COUNT }),
        openCases(scope, now),
        rankings.getRanking(reader, { ...month, unit: rankingUnit, sortBy: 'composite' }),
        keyFiguresFor(code),
        repo.hasSetting(db, DEMO_HISTORY_KEY),
        territory.getRegionNames(code ? [code] : []),
      ]);
    const byDay = new Map(daily.map((d) => [d.date, d]));
    const trend = Array.from({ length: TREND_DAYS }, (_, i) => {
      const date = addDays(trendFrom, i);
      return byDay.get(date) ?? { date, reported: 0, handled: 0, closed: 0 };
    });
    const ranked = ranking.rows.filter((r) => r.rank !== null);
    const ends =
      ranked.length <= RANKING_ENDS * 2
        ? ranked
        : [...ranked.slice(0, RANKING_ENDS), ...ranked.slice(-RANKING_ENDS)];
    const monthFigures = figuresOf(monthCounts);
    return {
      scope: { code, name: names.get(code) ?? ranking.scope.name },
      drill: narrowed ? { unit: 'village', key: code } : { unit: 'village', key: null },
      today: { ...todayPeriod, counts: todayCounts, figures: figuresOf(todayCounts) },
      month: {
        ...month,
        counts: monthCounts,
        figures: monthFigures,
        composite: compositeOf(monthFigures, ranking.scheme.components),
      },
      trend,
      map,
      hotSpots,
      sources: bySource.map((s) => ({ source: s.source as EvaluationSource, reported: s.reported })),
      ranking: {
        unit: rankingUnit,
        schemeVersion: ranking.scheme.version,
        ranked: ranked.length,
        rows: ends.map((r) => ({
          key: r.key,
          name: r.name,
          rank: r.rank,
          composite: r.composite,
          previousRank: r.previousRank,
        })),
        redList: ranking.redList,
        blackList: ranking.blackList,
      },
      keyFigures: keyFigures.keyFigures,
      synthetic,
      generatedAt: now.toISOString(),
    };
  }

  async function getSettings(actor: Actor) {
    assertRole(actor, DASHBOARD_ROLES, READ_DASHBOARD);
    if (regionScope(actor).kind === 'nothing')
      throw new AppError('FORBIDDEN_SCOPE', { target: DASHBOARD_TARGET, scope: NO_SCOPE });
    return keyFiguresFor(actor.scopeCode);
  }

  /** An administrator's choice of key figures, for their own scope (and the regions below, unless they choose). */
  async function saveSettings(actor: Actor, input: DashboardSettings) {
    assertRole(actor, ['administrator'], SET_KEY_FIGURES);
    if (regionScope(actor).kind === 'nothing')
      throw new AppError('FORBIDDEN_SCOPE', { target: DASHBOARD_TARGET, scope: NO_SCOPE });
    await db.transaction().execute(async (trx) => {
      await repo.saveSetting(trx, KEY_FIGURES_SETTING + actor.scopeCode, { keyFigures: input.keyFigures });
      await audit.record(trx, {
        actor,
        action: 'dashboard.keyFigures',
        entityType: 'setting',
        entityId: 0,
        countyCode: actor.scopeCode.length >= 6 ? actor.scopeCode.slice(0, 6) : null,
        details: { keyFigures: input.keyFigures, scope: actor.scopeCode },
      });
    });
    return { keyFigures: input.keyFigures, scopeCode: actor.scopeCode };
  }

  return { getDashboard, getSettings, saveSettings };
}
