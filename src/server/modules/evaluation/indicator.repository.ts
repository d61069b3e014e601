import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { SATISFIED_MIN_SCORE, type SatisfactionCounts } from './indicator-formulas.ts';

export interface SatisfactionFilter {
  /** Closed at or after this instant … */
  start: Date;
  /** … and before this one. */
  end: Date;
  /** Case sources whose reporter is a resident. */
  sources: readonly string[];
  /** LIKE pattern of the reader's regions. */
  scopePattern: string;
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
      ? sql`c.lead_department_id::text`
      : sql`left(c.region_code, ${filter.groupBy.codeLength})`;
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
    from (
      select ${key} as key, c.satisfaction as score
      from cases c
      where c.state = 'closed'
        and c.closed_at >= ${filter.start} and c.closed_at < ${filter.end}
        and c.region_code like ${filter.scopePattern}
        ${filter.countyCode === null ? sql`` : sql`and c.county_code = ${filter.countyCode}`}
        and c.source in (${sql.join(filter.sources)})
    ) as closed_cases
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
