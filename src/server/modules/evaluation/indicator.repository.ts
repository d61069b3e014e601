import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { regionCondition, type Scope } from '../people/scope.ts';
import { SATISFIED_MIN_SCORE, type SatisfactionCounts } from './indicator-formulas.ts';

export interface SatisfactionFilter {
  /** Closed at or after this instant … */
  start: Date;
  /** … and before this one. */
  end: Date;
  /** Case sources whose reporter is a resident. */
  sources: readonly string[];
  /** The reader's regions: an empty scope counts nothing. */
  scope: Scope;
  /**
   * The county every case in scope lies in, when the scope is a county or below: the distribution key at
   * province scale, so the query stays on one county's shard.
   */
  countyCode: string | null;
  /** Group by the lead department, or by the first `codeLength` digits of the region code (a child region). */
  groupBy: { kind: 'department' } | { kind: 'region'; codeLength: number };
}

export interface SatisfactionGroupCounts extends SatisfactionCounts {
  /** The lead department's id as text (null: none), or the child region's code; null too on the total row. */
  key: string | null;
  /** The row of every case in scope together. */
  total: boolean;
}

/**
 * Counts the resident-reported cases closed in a period per group, and for all groups together (one pass,
 * grouping sets). Rates and averages are derived from these counts in `satisfactionFigures`.
 */
export async function countSatisfaction(
  db: Db,
  filter: SatisfactionFilter,
): Promise<SatisfactionGroupCounts[]> {
  const key =
    filter.groupBy.kind === 'department'
      ? sql<string | null>`c.lead_department_id::text`
      : sql<string | null>`left(c.region_code, ${filter.groupBy.codeLength})`;
  const closedCases = db
    .selectFrom('cases as c')
    .select([key.as('key'), 'c.satisfaction as score'])
    .where('c.state', '=', 'closed')
    .where('c.closed_at', '>=', filter.start)
    .where('c.closed_at', '<', filter.end)
    .where((eb) => regionCondition(eb, 'c.region_code', filter.scope))
    .$if(filter.countyCode !== null, (q) => q.where('c.county_code', '=', filter.countyCode as string))
    .where(sql<boolean>`c.source in (${sql.join(filter.sources)})`);
  const { rows } = await sql<{
    key: string | null;
    total: boolean;
    closed: number | string;
    rated: number | string;
    satisfied: number | string;
    score_sum: number | string;
  }>`
    select key, grouping(key) = 1 as total,
      count(*) as closed,
      count(score) as rated,
      count(*) filter (where score >= ${SATISFIED_MIN_SCORE}) as satisfied,
      coalesce(sum(score), 0) as score_sum
    from (${closedCases}) as closed_cases
    group by grouping sets ((key), ())`.execute(db);
  return rows.map((r) => ({
    key: r.key,
    total: r.total,
    closed: Number(r.closed),
    rated: Number(r.rated),
    satisfied: Number(r.satisfied),
    scoreSum: Number(r.score_sum),
  }));
}
