import type { z } from 'zod';
import { RESIDENT_SOURCES } from '../../../shared/case-workflow.ts';
import { pickLanguage, say } from '../../../shared/errors.ts';
import {
  INDICATOR_READER_ROLES,
  periodProblem,
  type SatisfactionIndicator,
  type SatisfactionRow,
  type satisfactionQuerySchema,
} from '../../../shared/evaluation.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { assertRole } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';
import { regionScope } from '../people/scope.ts';
import type { PeopleService } from '../people/user.service.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import { sumSatisfaction } from './facts.repository.ts';
import { presentFigures, presentRow } from './indicator.presenter.ts';
import type { SatisfactionCounts } from './indicator-formulas.ts';
import { periodBuckets, resolvePeriod } from './indicator-period.ts';

export type SatisfactionQueryInput = z.output<typeof satisfactionQuerySchema>;

const READ_INDICATORS = { zh: '查看考核指标', en: 'read indicators' };
const NO_DEPARTMENT = { zh: '未派遣部门', en: 'No lead department' };
const INDICATORS = { zh: '考核指标', en: 'Indicators' };
const NO_SCOPE = { zh: '无', en: 'none' };
const NONE: SatisfactionCounts = { closed: 0, rated: 0, satisfied: 0, scoreSum: 0 };

export type IndicatorService = ReturnType<typeof createIndicatorService>;

/** The satisfaction indicator (满意度评价), from the kept counts (the 满意率 of the rankings, grouped its own way). */
export function createIndicatorService(deps: {
  db: Db;
  clock: Clock;
  people: Pick<PeopleService, 'listDepartmentRefs'>;
  territory: Pick<TerritoryService, 'getRegionTree'>;
}) {
  const { db, clock, people, territory } = deps;

  /**
   * 满意度评价 (satisfaction) of the cases residents reported and saw closed in a period (by default this
   * month so far), per lead department or per region one level below the reader's scope, with the total, all
   * within the reader's scope. A case counts in the period it was closed in, whenever it was rated (a rating
   * is a timeline entry: the facts job moves the counts within seconds).
   */
  async function getSatisfaction(
    actor: Actor,
    query: SatisfactionQueryInput,
  ): Promise<SatisfactionIndicator> {
    assertRole(actor, INDICATOR_READER_ROLES, READ_INDICATORS);
    const period = resolvePeriod(query, clock.now());
    const problem = periodProblem(period.from, period.to);
    if (problem) {
      const message = pickLanguage(problem, actor.locale);
      // Only a default can make a valid request wrong here: a start date after today.
      throw new AppError('VALIDATION_FAILED', { summary: message }, { issues: [{ path: 'from', message }] });
    }
    const readable = regionScope(actor);
    // A reader without a scope reads nothing: refused plainly rather than shown a tree they have no part of.
    if (readable.kind === 'nothing')
      throw new AppError('FORBIDDEN_SCOPE', { target: INDICATORS, scope: NO_SCOPE });
    const scope = await territory.getRegionTree(actor, { depth: 1 });
    // A region with nothing below it (a leaf grid, a village without grids) is its own only group.
    const regions = scope.children.length ? scope.children : [scope];
    const counted = await sumSatisfaction(db, {
      ...periodBuckets(period),
      sources: RESIDENT_SOURCES,
      scope: readable,
      groupBy:
        query.groupBy === 'department'
          ? { kind: 'department' }
          : { kind: 'region', codeLength: regions[0]?.code.length ?? scope.code.length },
    });
    const groups = counted.filter((c) => !c.total);
    const rows: SatisfactionRow[] = [];
    if (query.groupBy === 'department') {
      const departments = new Map((await people.listDepartmentRefs()).map((d) => [String(d.id), d]));
      for (const group of groups) {
        const department = group.key === null ? undefined : departments.get(group.key);
        rows.push(
          presentRow(
            {
              key: group.key ?? 'none',
              code: department?.code ?? null,
              name: department?.name ?? say(NO_DEPARTMENT, actor.locale),
            },
            group,
          ),
        );
      }
      // By department code; cases without a lead department last.
      rows.sort((a, b) => (a.code === null ? 1 : b.code === null ? -1 : a.code.localeCompare(b.code)));
    } else {
      const byCode = new Map(groups.map((g) => [g.key, g]));
      for (const region of regions) {
        rows.push(
          presentRow(
            { key: region.code, code: region.code, name: region.name },
            byCode.get(region.code) ?? NONE,
          ),
        );
        byCode.delete(region.code);
      }
      // Cases placed on the scope itself rather than on a region below it (a report given a village code).
      for (const [code, group] of byCode) {
        const name = code === scope.code ? scope.name : (code ?? '');
        rows.push(presentRow({ key: code ?? '', code, name }, group));
      }
    }
    return {
      ...period,
      groupBy: query.groupBy,
      scope: { code: scope.code, name: scope.name },
      rows,
      total: presentFigures(counted.find((c) => c.total) ?? NONE),
    };
  }

  return { getSatisfaction };
}
