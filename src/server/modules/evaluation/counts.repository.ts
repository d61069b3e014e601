import type { CountKey } from '../../../shared/indicators.ts';
import { SATISFIED_MIN_SCORE } from './indicator-formulas.ts';

/**
 * How each count is taken from `case_facts`, in one table that writes both the SQL that keeps the per-day and
 * per-month counts (`evaluation_counts`) and the SQL that lists the cases behind a count (drill-down): the
 * two cannot disagree. A count is "the cases whose `at` falls in the period, and that pass `when`". The three
 * counts of cases pending past their deadline at a period's end are not dated and are read from `overdue`.
 */
export type TimeColumn = 'reported_at' | 'registered_at' | 'dispatched_at' | 'handled_at' | 'closed_at';

export interface CountRule {
  at: TimeColumn;
  /** A condition on the facts row (trusted SQL over its columns), or none. */
  when?: string;
}

export type DatedCount = Exclude<
  CountKey,
  'overduePending' | 'overduePendingReworked' | 'overduePendingExtended'
>;

export const COUNT_RULES: Record<DatedCount, CountRule> = {
  reported: { at: 'reported_at' },
  registered: { at: 'registered_at' },
  registeredOnTime: { at: 'registered_at', when: 'registered_on_time' },
  dispatched: { at: 'dispatched_at' },
  dispatchReturned: { at: 'dispatched_at', when: 'returned' },
  handled: { at: 'handled_at' },
  handledOnTime: { at: 'handled_at', when: 'handled_on_time' },
  handledReworked: { at: 'handled_at', when: 'reworked_at is not null' },
  handledExtended: { at: 'handled_at', when: 'extended_at is not null' },
  closed: { at: 'closed_at' },
  closedOnTime: { at: 'closed_at', when: 'closed_on_time' },
  rated: { at: 'closed_at', when: 'score is not null' },
  satisfied: { at: 'closed_at', when: `score >= ${SATISFIED_MIN_SCORE}` },
};

/** Sums kept beside the counts, dated like the count named. */
export const SUM_RULES = {
  handlingMinutes: { at: 'handled_at', value: 'coalesce(handling_minutes, 0)' },
  scoreSum: { at: 'closed_at', value: 'coalesce(score, 0)' },
} as const satisfies Record<string, { at: TimeColumn; value: string }>;

export const DATED_COUNTS = Object.keys(COUNT_RULES) as DatedCount[];
export const SUMS = Object.keys(SUM_RULES) as (keyof typeof SUM_RULES)[];

/** The `evaluation_counts` column of a count or sum: snake case. */
export const columnOf = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const TIME_COLUMNS: readonly TimeColumn[] = [
  'reported_at',
  'registered_at',
  'dispatched_at',
  'handled_at',
  'closed_at',
];

/**
 * SQL (trusted text) selecting the contribution rows of the facts rows that `from` names (a FROM clause over
 * `case_facts` aliased `f`, with its WHERE), one row per dated column per row: (day, the dimensions, one column
 * per count and sum). Multiplied by `sign` (1 or −1).
 */
export function contributionRows(from: string, sign: 1 | -1): string {
  const columns = [...DATED_COUNTS, ...SUMS];
  const parts = TIME_COLUMNS.map((time) => {
    const values = columns.map((key) => {
      const count = COUNT_RULES[key as DatedCount];
      const sum = SUM_RULES[key as keyof typeof SUM_RULES];
      let value = '0';
      if (count?.at === time) value = count.when ? `coalesce(${count.when}, false)::int` : '1';
      if (sum?.at === time) value = sum.value;
      return `${sign} * ${value} as ${columnOf(key)}`;
    });
    return `select (f.${time} at time zone 'Asia/Shanghai')::date as day, f.region_code,
        coalesce(f.department_id, 0) as department_id, f.source, coalesce(f.worker_id, 0) as worker_id,
        ${values.join(', ')}
      ${from} and f.${time} is not null`;
  });
  return parts.join('\nunion all\n');
}

/**
 * The tables the counts are kept in, each with the columns a row is kept per besides its bucket: every case by
 * region, lead department and source; the cases staff found by region, worker and source (`worker_id` 0 in the
 * contribution rows: found by nobody on the staff, not kept there).
 */
export const COUNT_TABLES = {
  evaluation_counts: { dimensions: ['region_code', 'department_id', 'source'], only: 'true' },
  evaluation_worker_counts: { dimensions: ['region_code', 'worker_id', 'source'], only: 'worker_id <> 0' },
} as const;
export type CountTable = keyof typeof COUNT_TABLES;
export const COUNT_TABLE_NAMES = Object.keys(COUNT_TABLES) as CountTable[];

/** The counts and sums as the columns of `evaluation_counts`, in the order `contributionRows` gives them. */
export const COUNT_COLUMNS = [...DATED_COUNTS, ...SUMS].map(columnOf);
