import type { z } from 'zod';
import { pickLanguage, say } from '../../../shared/errors.ts';
import { INDICATOR_READER_ROLES, periodProblem } from '../../../shared/evaluation.ts';
import {
  COUNT_KEYS,
  compositeOf,
  type Drill,
  type drillQuerySchema,
  EMPTY_COUNTS,
  figuresOf,
  INDICATORS,
  type IndicatorCounts,
  type IndicatorKey,
  type InspectionVisits,
  type PatrolGrids,
  type Ranking,
  type RankingRow,
  type rankingQuerySchema,
  type SchemeComponent,
  type SchemeInput,
  type UnitFigureQuery,
  type UnitKind,
} from '../../../shared/indicators.ts';
import type { RegionTreeNode } from '../../../shared/territory.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { CampaignResultsService } from '../inspections/campaign-results.ts';
import type { PatrolService } from '../patrols/patrol.service.ts';
import { assertRole } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';
import { regionScope, type Scope } from '../people/scope.ts';
import type { PeopleService } from '../people/user.service.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import { columnOf } from './counts.repository.ts';
import * as facts from './facts.repository.ts';
import { lastMonth, periodBuckets, periodInstants, previousPeriod } from './indicator-period.ts';
import * as schemes from './scheme.repository.ts';

export type RankingQueryInput = z.output<typeof rankingQuerySchema>;
export type DrillQueryInput = z.output<typeof drillQuerySchema>;

const READ_INDICATORS = { zh: '查看考核指标', en: 'read indicators' };
const MANAGE_SCHEMES = { zh: '设置考核权重', en: 'set the composite weights' };
const INDICATORS_TARGET = { zh: '考核指标', en: 'Indicators' };
const NO_SCOPE = { zh: '无', en: 'none' };
const NO_DEPARTMENT = { zh: '未派遣部门', en: 'No lead department' };
const UNKNOWN_USER = { zh: '（已删除的用户）', en: '(deleted user)' };
/** How many units a red or black list (红黑榜) names at most. */
const LIST_LENGTH = 3;

export type RankingService = ReturnType<typeof createRankingService>;

/** Counts of units keyed as `facts.sumCounts` keys them, from the kept counts and the overdue spans. */
type UnitCounts = Map<string, IndicatorCounts>;

/**
 * Rankings (排名) and the figures behind them: any period of whole days, any unit (village, grid, department,
 * worker), any source, within the reader's scope; each count opens onto its cases (`drill`). Villages and grids
 * also carry their patrol coverage and inspection score rate, which come from the patrols and inspections.
 */
export function createRankingService(deps: {
  db: Db;
  clock: Clock;
  audit: Pick<AuditService, 'record'>;
  people: Pick<PeopleService, 'listDepartmentRefs' | 'getUserNames'>;
  territory: Pick<TerritoryService, 'getRegionTree' | 'getRegionNames'>;
  patrols: Pick<PatrolService, 'patrolCoverage'>;
  inspections: Pick<CampaignResultsService, 'periodScoreRates' | 'periodVisits'>;
}) {
  const { db, clock, people, territory, audit, patrols, inspections } = deps;

  function readableScope(actor: Actor): Scope {
    assertRole(actor, INDICATOR_READER_ROLES, READ_INDICATORS);
    const scope = regionScope(actor);
    if (scope.kind === 'nothing')
      throw new AppError('FORBIDDEN_SCOPE', { target: INDICATORS_TARGET, scope: NO_SCOPE });
    return scope;
  }

  function checkPeriod(actor: Actor, period: { from: string; to: string }) {
    const problem = periodProblem(period.from, period.to);
    if (!problem) return;
    const message = pickLanguage(problem, actor.locale);
    throw new AppError('VALIDATION_FAILED', { summary: message }, { issues: [{ path: 'to', message }] });
  }

  /** The instant "pending past the deadline at the period's end" is taken at: its end, or now if sooner. */
  function endOf(period: { from: string; to: string }): Date {
    const { end } = periodInstants(period);
    const now = clock.now();
    return end < now ? end : now;
  }

  /** The counts of every unit over a period (and of the whole scope under the key ''). */
  async function countUnits(
    scope: Scope,
    unit: UnitKind,
    source: string | null,
    period: { from: string; to: string },
  ): Promise<UnitCounts> {
    const filter = { scope, unit, source };
    const [dated, overdue] = await Promise.all([
      facts.sumCounts(db, { ...filter, ...periodBuckets(period) }),
      facts.overdueAt(db, { ...filter, at: endOf(period) }),
    ]);
    const units: UnitCounts = new Map();
    const of = (key: string) => {
      const counts = units.get(key) ?? { ...EMPTY_COUNTS };
      units.set(key, counts);
      return counts;
    };
    for (const row of dated) {
      const counts = of(row.key);
      for (const key of [...COUNT_KEYS, 'handlingMinutes', 'scoreSum'] as const) {
        const value = row.values[columnOf(key)];
        if (value !== undefined) counts[key] += value;
      }
    }
    for (const row of overdue) {
      const counts = of(row.key);
      counts.overduePending += row.pending;
      counts.overduePendingReworked += row.reworked;
      counts.overduePendingExtended += row.extended;
    }
    return units;
  }

  /**
   * The units a ranking lists, with their names: every village or department in scope, the grids with cases,
   * the workers who found cases.
   */
  async function unitsOf(actor: Actor, unit: UnitKind, keys: Iterable<string>, tree: RegionTreeNode) {
    if (unit === 'worker') {
      // A worker by name and village (两个"陈华" in a town are told apart by where they work).
      const ids = [...keys].map(Number);
      const users = await people.getUserNames(ids);
      const villages = await territory.getRegionNames([
        ...new Set([...users.values()].map((u) => u.regionCode.slice(0, 12))),
      ]);
      return ids.map((id) => {
        const user = users.get(id);
        const village = user ? villages.get(user.regionCode.slice(0, 12)) : undefined;
        const name = user?.name ?? say(UNKNOWN_USER, actor.locale);
        return { key: String(id), code: String(id), name: village ? `${name}（${village}）` : name };
      });
    }
    if (unit === 'department') {
      const list: { key: string; code: string | null; name: string }[] = (
        await people.listDepartmentRefs()
      ).map((d) => ({ key: String(d.id), code: d.code, name: d.name }));
      if ([...keys].includes('0'))
        list.push({ key: '0', code: null, name: say(NO_DEPARTMENT, actor.locale) });
      return list;
    }
    const codes = new Set(keys);
    if (unit === 'village') {
      const villages = tree.code.length >= 12 ? [tree] : tree.children.filter((c) => c.code.length === 12);
      for (const v of villages) codes.add(v.code.slice(0, 12));
    }
    const names = await territory.getRegionNames([...codes]);
    return [...codes].sort().map((code) => ({ key: code, code, name: names.get(code) ?? code }));
  }

  async function currentScheme(): Promise<{ version: number; components: SchemeComponent[] }> {
    const row = await schemes.findScheme(db);
    if (!row) throw new Error('the indicator scheme is missing: migration 0022 inserts version 1');
    return { version: row.version, components: row.components };
  }

  /** Ranks rows by a figure (ties share a rank: 1, 2, 2, 4); units without the figure get no rank. */
  function rankBy(
    rows: { key: string; value: number | null }[],
    higherIsBetter: boolean,
  ): Map<string, number | null> {
    const rounded = (v: number) => Math.round(v * 10_000) / 10_000;
    const ranked = rows
      .filter((r) => r.value !== null)
      .sort(
        (a, b) =>
          (higherIsBetter ? -1 : 1) * ((a.value as number) - (b.value as number)) ||
          a.key.localeCompare(b.key),
      );
    const ranks = new Map<string, number | null>(rows.map((r) => [r.key, null]));
    let previous: number | null = null;
    let rank = 0;
    for (const [i, row] of ranked.entries()) {
      const value = rounded(row.value as number);
      if (value !== previous) rank = i + 1;
      previous = value;
      ranks.set(row.key, rank);
    }
    return ranks;
  }

  /** A ranking of units for a period, with the previous period's composite and rank beside each. */
  async function getRanking(actor: Actor, query: RankingQueryInput): Promise<Ranking> {
    const scope = readableScope(actor);
    const period = query.from && query.to ? { from: query.from, to: query.to } : lastMonth(clock.now());
    checkPeriod(actor, period);
    const previous = previousPeriod(period);
    const source = query.source ?? null;
    const regional = query.unit === 'village' || query.unit === 'grid';
    const { start, end } = periodInstants(period);
    const [now, before, scheme, tree, patrolled, inspected] = await Promise.all([
      countUnits(scope, query.unit, source, period),
      countUnits(scope, query.unit, source, previous),
      currentScheme(),
      // The scope and the regions one level below it: the villages a town ranks.
      territory.getRegionTree(actor, { depth: 1 }),
      regional ? patrols.patrolCoverage(scope, period) : [],
      regional ? inspections.periodScoreRates(scope, start, end) : [],
    ]);
    /** 巡查覆盖率 of a region: grid-days patrolled over grid-days, summed over its leaf grids. */
    const coverageOf = (code: string | null): number | null => {
      if (!regional || code === null) return null;
      const grids = patrolled.filter((g) => g.gridCode.startsWith(code));
      const days = grids.reduce((sum, g) => sum + g.daysInPeriod, 0);
      return days === 0 ? null : grids.reduce((sum, g) => sum + g.daysPatrolled, 0) / days;
    };
    /** 检查得分率 of a region: the mean score rate of the inspection visits to targets in it. */
    const inspectionOf = (code: string | null) => {
      const grids = regional && code !== null ? inspected.filter((g) => g.gridCode.startsWith(code)) : [];
      const visits = grids.reduce((sum, g) => sum + g.visits, 0);
      const rate = visits === 0 ? null : grids.reduce((sum, g) => sum + g.rateSum, 0) / visits;
      return { inspectionScoreRate: rate, inspectionVisits: visits };
    };
    const units = await unitsOf(actor, query.unit, now.keys(), tree);
    const composite = (counts: IndicatorCounts | undefined) =>
      compositeOf(figuresOf(counts ?? EMPTY_COUNTS), scheme.components);
    const sortKey = query.sortBy as 'composite' | IndicatorKey;
    const figureOf = (counts: IndicatorCounts | undefined) =>
      sortKey === 'composite' ? composite(counts) : figuresOf(counts ?? EMPTY_COUNTS)[sortKey];
    const higher = sortKey === 'composite' ? true : INDICATORS[sortKey].higherIsBetter;
    // Cases no department holds (即办, never dispatched) are listed but not ranked among the departments.
    const ranked = (counts: UnitCounts) =>
      units.map((u) => ({ key: u.key, value: u.code === null ? null : figureOf(counts.get(u.key)) }));
    const ranks = rankBy(ranked(now), higher);
    const previousRanks = rankBy(ranked(before), higher);
    const rows: RankingRow[] = units.map((u) => {
      const counts = now.get(u.key) ?? { ...EMPTY_COUNTS };
      return {
        ...u,
        rank: ranks.get(u.key) ?? null,
        composite: composite(counts),
        previousComposite: composite(before.get(u.key)),
        previousRank: previousRanks.get(u.key) ?? null,
        counts,
        figures: figuresOf(counts),
        patrolCoverage: coverageOf(u.code),
        ...inspectionOf(u.code),
      };
    });
    rows.sort(
      (a, b) =>
        (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER) ||
        a.key.localeCompare(b.key),
    );
    const total = { ...EMPTY_COUNTS };
    for (const counts of now.values())
      for (const key of Object.keys(total) as (keyof IndicatorCounts)[]) total[key] += counts[key];
    const listed = rows.filter((r) => r.rank !== null);
    // 红黑榜: the best and the worst, at most LIST_LENGTH each and at most half the ranked units each, so no unit
    // is on both; a unit tied with the best is never on the black list.
    const length = Math.min(LIST_LENGTH, Math.floor(listed.length / 2));
    const redList = listed.slice(0, length).map((r) => r.key);
    const blackList = listed
      .slice(listed.length - length)
      .filter((r) => (r.rank ?? 0) > (listed[0]?.rank ?? 0))
      .map((r) => r.key)
      .reverse();
    return {
      ...period,
      previous,
      unit: query.unit,
      scope: { code: tree.code, name: tree.name },
      scheme,
      rows,
      total: {
        counts: total,
        figures: figuresOf(total),
        composite: compositeOf(figuresOf(total), scheme.components),
      },
      redList,
      blackList,
    };
  }

  /** The cases behind one count: the list's total is the count the ranking shows. */
  async function drill(actor: Actor, query: DrillQueryInput): Promise<Drill> {
    const scope = readableScope(actor);
    checkPeriod(actor, query);
    const { start, end } = periodInstants(query);
    const result = await facts.drill(db, {
      scope,
      unit: query.unit,
      source: query.source ?? null,
      count: query.count,
      key: query.key ?? null,
      categoryId: query.categoryId ?? null,
      start,
      end,
      at: endOf(query),
      offset: (query.page - 1) * query.pageSize,
      limit: query.pageSize,
    });
    return {
      total: result.total,
      rows: result.rows.map((r) => ({
        id: Number(r.id),
        caseNumber: r.case_number,
        categoryName: r.category_name,
        regionCode: r.region_code,
        state: r.state,
        reportedAt: r.reported_at.toISOString(),
        handledAt: r.handled_at?.toISOString() ?? null,
        closedAt: r.closed_at?.toISOString() ?? null,
      })),
    };
  }

  /** The grid-days behind a village's or grid's 巡查覆盖率: per leaf grid, days patrolled of days. */
  async function patrolGrids(actor: Actor, query: UnitFigureQuery): Promise<PatrolGrids> {
    const scope = readableScope(actor);
    checkPeriod(actor, query);
    const grids = (await patrols.patrolCoverage(scope, query)).filter((g) =>
      g.gridCode.startsWith(query.key),
    );
    const names = await territory.getRegionNames(grids.map((g) => g.gridCode));
    return {
      rows: grids.map((g) => ({
        gridCode: g.gridCode,
        gridName: names.get(g.gridCode) ?? g.gridCode,
        daysInPeriod: g.daysInPeriod,
        daysPatrolled: g.daysPatrolled,
      })),
    };
  }

  /** The inspection visits behind a village's or grid's 检查得分率 (their mean score rate). */
  async function inspectionVisits(actor: Actor, query: UnitFigureQuery): Promise<InspectionVisits> {
    const scope = readableScope(actor);
    checkPeriod(actor, query);
    const { start, end } = periodInstants(query);
    const visits = await inspections.periodVisits(scope, query.key, start, end);
    return {
      rows: visits.map((v) => ({
        visitId: v.id,
        campaignId: v.campaign_id,
        campaignName: v.campaign_name,
        targetName: v.target_name,
        regionCode: v.region_code,
        visitedAt: v.visited_at.toISOString(),
        rate: v.rate,
        vetoed: v.vetoed,
      })),
    };
  }

  async function listSchemes(actor: Actor) {
    readableScope(actor);
    return (await schemes.listSchemes(db)).map(presentScheme);
  }

  /** A new version of the composite's weights; rankings from now on use it, published bulletins keep theirs. */
  async function createScheme(actor: Actor, input: SchemeInput) {
    assertRole(actor, ['administrator'], MANAGE_SCHEMES);
    return db.transaction().execute(async (trx) => {
      const row = await schemes.insertScheme(trx, {
        components: input.components,
        note: input.note ?? null,
        createdByName: actor.name,
      });
      await audit.record(trx, {
        actor,
        action: 'indicatorScheme.create',
        entityType: 'indicatorScheme',
        entityId: row.version,
        countyCode: null,
        details: { components: input.components },
      });
      return presentScheme(row);
    });
  }

  return {
    getRanking,
    drill,
    patrolGrids,
    inspectionVisits,
    listSchemes,
    createScheme,
    currentScheme,
    countUnits,
  };
}

function presentScheme(row: schemes.SchemeRow) {
  return {
    version: row.version,
    components: row.components,
    note: row.note,
    createdBy: row.created_by_name,
    createdAt: row.created_at.toISOString(),
  };
}
