import { type RawBuilder, sql } from 'kysely';
import type { CountKey, UnitKind } from '../../../shared/indicators.ts';
import type { Db } from '../../db/database.ts';
import { likePrefix } from '../../db/like.ts';
import type { Scope } from '../people/scope.ts';
import type { CaseFacts, FactCase, FactEvent } from './case-facts.ts';
import {
  COUNT_COLUMNS,
  COUNT_RULES,
  COUNT_TABLE_NAMES,
  COUNT_TABLES,
  type CountTable,
  columnOf,
  contributionRows,
  type DatedCount,
} from './counts.repository.ts';

/** Claims up to `limit` queued cases (rows another process holds are skipped); they leave the queue on commit. */
export async function claimQueued(db: Db, limit: number): Promise<number[]> {
  const { rows } = await sql<{ case_id: string | number }>`
    delete from case_fact_queue where case_id in (
      select case_id from case_fact_queue order by case_id limit ${limit} for update skip locked)
    returning case_id`.execute(db);
  return rows.map((r) => Number(r.case_id));
}

/** Queues every case (a rebuild, or the first start of an existing town). */
export async function queueAll(db: Db): Promise<void> {
  await sql`insert into case_fact_queue (case_id) select id from cases on conflict do nothing`.execute(db);
}

export async function queuedCount(db: Db): Promise<number> {
  const row = await db
    .selectFrom('case_fact_queue')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The cases and their timelines (oldest entry first) that facts are derived from. */
export async function loadTimelines(
  db: Db,
  ids: readonly number[],
): Promise<{ cases: FactCase[]; events: Map<number, FactEvent[]> }> {
  if (ids.length === 0) return { cases: [], events: new Map() };
  const list = [...ids];
  const [cases, rows] = await Promise.all([
    db
      .selectFrom('cases as c')
      .select([
        'c.id',
        'c.region_code',
        'c.lead_department_id',
        'c.source',
        'c.reporter_id',
        'c.created_at',
        'c.satisfaction',
        // As the patrols module counts "problems found during a patrol": reported by its worker between its
        // start and its end (or since its start, while it runs). A patrol written later queues these cases.
        sql<boolean>`exists (select 1 from patrols p where p.user_id = c.reporter_id
          and p.started_at <= c.created_at and (p.ended_at is null or c.created_at <= p.ended_at))`.as(
          'in_patrol',
        ),
      ])
      .where(sql<boolean>`c.id = any(${list}::bigint[])`)
      .execute(),
    db
      .selectFrom('case_events')
      .select(['case_id', 'action', 'at', 'data'])
      .where(sql<boolean>`case_id = any(${list}::bigint[])`)
      .orderBy('case_id')
      .orderBy('at')
      .orderBy('id')
      .execute(),
  ]);
  const events = new Map<number, FactEvent[]>();
  for (const e of rows) {
    const id = Number(e.case_id);
    const timeline = events.get(id) ?? [];
    events.set(id, timeline);
    timeline.push({ action: e.action, at: e.at, data: e.data ?? {} });
  }
  return { cases: cases.map((c) => ({ ...c, id: Number(c.id) })), events };
}

/**
 * The statement that sums contribution rows into day and month buckets and adds them to a count table (`into`:
 * that table, or a scratch copy of it).
 */
function upsertCounts(rows: string, table: CountTable, into: string = table): string {
  const columns = COUNT_COLUMNS.join(', ');
  const dimensions = COUNT_TABLES[table].dimensions.join(', ');
  const sums = COUNT_COLUMNS.map((c) => `sum(${c}) as ${c}`).join(', ');
  const adds = COUNT_COLUMNS.map((c) => `${c} = ${into}.${c} + excluded.${c}`).join(', ');
  // Days first; the months are summed from the days, not from the cases again.
  return `
    with d as (
      select day, ${dimensions}, ${sums}
      from (${rows}) c where ${COUNT_TABLES[table].only} group by day, ${dimensions})
    insert into ${into} (granularity, bucket, ${dimensions}, ${columns})
    select 'day', day, ${dimensions}, ${columns} from d
    union all
    select 'month', date_trunc('month', day)::date, ${dimensions}, ${sums}
    from d group by 2, ${dimensions}
    on conflict (granularity, bucket, ${dimensions}) do update set ${adds}`;
}

/** The text form of a `tstzmultirange`. */
function multirange(spans: CaseFacts['overdue']): string {
  const bound = (d: Date | null) => (d ? `"${d.toISOString()}"` : '');
  return `{${spans.map((s) => `[${bound(s.from)},${bound(s.to)})`).join(',')}}`;
}

/**
 * Replaces the facts of these cases with `facts` and moves the day and month counts with them (old
 * contribution out, new one in), in the caller's transaction.
 */
export async function replaceFacts(
  db: Db,
  ids: readonly number[],
  facts: readonly CaseFacts[],
): Promise<void> {
  if (ids.length === 0) return;
  const list = [...ids];
  for (const table of COUNT_TABLE_NAMES)
    await sql`${sql.raw(upsertCounts(contributionRows(factsOf(list), -1), table))}`.execute(db);
  await sql`delete from case_facts where case_id = any(${list}::bigint[])`.execute(db);
  if (facts.length) {
    const col = <K extends keyof CaseFacts>(k: K) => facts.map((f) => f[k]);
    await sql`
      insert into case_facts (case_id, region_code, department_id, source, reporter_id, worker_id, reported_at,
        registered_at,
        registered_on_time, dispatched_at, returned, handled_at, handled_on_time, handling_minutes, reworked_at,
        extended_at, closed_at, closed_on_time, score, overdue)
      select case_id, region_code, department_id, source, reporter_id, worker_id, reported_at, registered_at,
        registered_on_time, dispatched_at, returned, handled_at, handled_on_time, handling_minutes, reworked_at,
        extended_at, closed_at, closed_on_time, score, overdue::tstzmultirange
      from unnest(${col('case_id')}::bigint[], ${col('region_code')}::text[], ${col('department_id')}::int[],
        ${col('source')}::text[], ${col('reporter_id')}::int[], ${col('worker_id')}::int[],
        ${col('reported_at')}::timestamptz[],
        ${col('registered_at')}::timestamptz[], ${col('registered_on_time')}::boolean[],
        ${col('dispatched_at')}::timestamptz[], ${col('returned')}::boolean[], ${col('handled_at')}::timestamptz[],
        ${col('handled_on_time')}::boolean[], ${col('handling_minutes')}::int[], ${col('reworked_at')}::timestamptz[],
        ${col('extended_at')}::timestamptz[], ${col('closed_at')}::timestamptz[], ${col('closed_on_time')}::boolean[],
        ${col('score')}::smallint[], ${facts.map((f) => multirange(f.overdue))}::text[])
        as t(case_id, region_code, department_id, source, reporter_id, worker_id, reported_at, registered_at,
          registered_on_time, dispatched_at, returned, handled_at, handled_on_time, handling_minutes, reworked_at,
          extended_at, closed_at, closed_on_time, score, overdue)`.execute(db);
  }
  for (const table of COUNT_TABLE_NAMES)
    await sql`${sql.raw(upsertCounts(contributionRows(factsOf(list), 1), table))}`.execute(db);
}

/**
 * The FROM clause over the facts of these cases. The ids are inlined: they are integers this module read from
 * the database, and the generated statement carries no parameter.
 */
function factsOf(ids: readonly number[]): string {
  if (!ids.every(Number.isSafeInteger)) throw new Error('case ids must be integers');
  return `from case_facts f where f.case_id = any('{${ids.join(',')}}'::bigint[])`;
}

/** Where a unit's key comes from, in the count tables and in `case_facts` alike. */
function unitKey(unit: UnitKind): RawBuilder<string> {
  switch (unit) {
    case 'village':
      return sql<string>`left(region_code, 12)`;
    case 'grid':
      return sql<string>`region_code`;
    case 'department':
      return sql<string>`coalesce(department_id, 0)::text`;
    case 'worker':
      return sql<string>`worker_id::text`;
  }
}

/** The rows a unit kind reads: grids only the cases placed in a leaf grid, workers only the cases staff found. */
function unitCondition(unit: UnitKind): RawBuilder<boolean> {
  if (unit === 'grid') return sql<boolean>`length(region_code) > 12`;
  if (unit === 'worker') return sql<boolean>`coalesce(worker_id, 0) <> 0`;
  return sql<boolean>`true`;
}

/** The reader's regions over a table's `column` (region code): an empty scope matches nothing. */
export function scopeCondition(scope: Scope, column = 'region_code'): RawBuilder<boolean> {
  if (scope.kind === 'everything') return sql<boolean>`true`;
  if (scope.kind === 'regions') return sql<boolean>`${sql.ref(column)} like ${likePrefix(scope.prefix)}`;
  return sql<boolean>`false`;
}

/** The kept counts of a period: its whole months from the month buckets, the other days from the day buckets. */
export function bucketsCondition(period: { days: string[]; months: string[] }): RawBuilder<boolean> {
  return sql<boolean>`((granularity = 'day' and bucket = any(${period.days}::date[]))
    or (granularity = 'month' and bucket = any(${period.months}::date[])))`;
}

export interface CountFilter {
  scope: Scope;
  unit: UnitKind;
  source: string | null;
}

/** Only the cases of one category (a hot spot on the dashboard), or all. */
function categoryCondition(categoryId: number | null): RawBuilder<boolean> {
  if (categoryId === null) return sql<boolean>`true`;
  return sql<boolean>`case_id in (select id from cases where category_id = ${categoryId})`;
}

/** The dated counts and sums per unit over whole days and whole months (Asia/Shanghai), from the kept counts. */
export async function sumCounts(
  db: Db,
  filter: CountFilter & { days: string[]; months: string[] },
): Promise<{ key: string; values: Record<string, number> }[]> {
  const sums = COUNT_COLUMNS.map((c) => sql`sum(${sql.ref(c)})`.as(c));
  const { rows } = await sql<Record<string, string | number>>`
    select ${unitKey(filter.unit)} as key, ${sql.join(sums.map((s) => sql`${s}`))}
    from ${sql.table(filter.unit === 'worker' ? 'evaluation_worker_counts' : 'evaluation_counts')}
    where ${bucketsCondition(filter)}
      and ${scopeCondition(filter.scope)}
      ${filter.source ? sql`and source = ${filter.source}` : sql``}
      and ${unitCondition(filter.unit)}
    group by 1`.execute(db);
  return rows.map((r) => ({
    key: String(r.key),
    values: Object.fromEntries(COUNT_COLUMNS.map((c) => [c, Number(r[c] ?? 0)])),
  }));
}

/**
 * 满意度评价 counts of the cases of `sources` closed in a period (whole days and months, from the kept counts),
 * per lead department (key null: none) or per region of `codeLength` digits, and for all together (`total`).
 */
export async function sumSatisfaction(
  db: Db,
  filter: {
    scope: Scope;
    days: string[];
    months: string[];
    sources: readonly string[];
    groupBy: { kind: 'department' } | { kind: 'region'; codeLength: number };
  },
): Promise<
  { key: string | null; total: boolean; closed: number; rated: number; satisfied: number; scoreSum: number }[]
> {
  const key =
    filter.groupBy.kind === 'department'
      ? sql<string | null>`nullif(department_id, 0)::text`
      : sql<string | null>`left(region_code, ${filter.groupBy.codeLength})`;
  const { rows } = await sql<
    Record<'closed' | 'rated' | 'satisfied' | 'score_sum', string | null> & {
      key: string | null;
      total: boolean;
    }
  >`
    select key, grouping(key) = 1 as total, sum(closed) as closed, sum(rated) as rated,
      sum(satisfied) as satisfied, sum(score_sum) as score_sum
    from (select ${key} as key, closed, rated, satisfied, score_sum from evaluation_counts
          where ${bucketsCondition(filter)} and ${scopeCondition(filter.scope)}
            and source = any(${[...filter.sources]}::text[])) c
    group by grouping sets ((key), ())
    -- Only groups with closed cases, as a count of the closed cases would give (rows of a bucket may hold
    -- cases only reported or handled in it).
    having sum(closed) > 0`.execute(db);
  return rows.map((r) => ({
    key: r.key,
    total: r.total,
    closed: Number(r.closed ?? 0),
    rated: Number(r.rated ?? 0),
    satisfied: Number(r.satisfied ?? 0),
    scoreSum: Number(r.score_sum ?? 0),
  }));
}

/** Cases pending past their handling deadline at `at`, per unit, with how many of them were reworked or extended. */
export async function overdueAt(
  db: Db,
  filter: CountFilter & { at: Date },
): Promise<{ key: string; pending: number; reworked: number; extended: number }[]> {
  const { rows } = await sql<{ key: string; pending: string; reworked: string; extended: string }>`
    select ${unitKey(filter.unit)} as key, count(*) as pending,
      count(*) filter (where reworked_at < ${filter.at}) as reworked,
      count(*) filter (where extended_at < ${filter.at}) as extended
    from case_facts
    where overdue @> ${filter.at}::timestamptz and not isempty(overdue)
      and ${scopeCondition(filter.scope)}
      ${filter.source ? sql`and source = ${filter.source}` : sql``}
      and ${unitCondition(filter.unit)}
    group by 1`.execute(db);
  return rows.map((r) => ({
    key: r.key,
    pending: Number(r.pending),
    reworked: Number(r.reworked),
    extended: Number(r.extended),
  }));
}

/**
 * The cases behind one count of one unit (or the whole scope): by the same rule the kept counts were summed
 * with, so the list's length is the count shown.
 */
export async function drill(
  db: Db,
  filter: CountFilter & {
    count: CountKey;
    key: string | null;
    categoryId: number | null;
    start: Date;
    end: Date;
    /** The instant pending-past-deadline counts are taken at. */
    at: Date;
    offset: number;
    limit: number;
  },
) {
  const rule = COUNT_RULES[filter.count as DatedCount] as (typeof COUNT_RULES)[DatedCount] | undefined;
  let condition: RawBuilder<boolean>;
  if (rule) {
    const at = sql.ref(`f.${rule.at}`);
    condition = sql<boolean>`${at} >= ${filter.start} and ${at} < ${filter.end}
      ${rule.when ? sql`and ${sql.raw(rule.when)}` : sql``}`;
  } else {
    const extra =
      filter.count === 'overduePendingReworked'
        ? sql`and reworked_at < ${filter.at}`
        : filter.count === 'overduePendingExtended'
          ? sql`and extended_at < ${filter.at}`
          : sql``;
    condition = sql<boolean>`overdue @> ${filter.at}::timestamptz and not isempty(overdue) ${extra}`;
  }
  const where = sql<boolean>`${condition} and ${scopeCondition(filter.scope)}
    ${filter.source ? sql`and source = ${filter.source}` : sql``}
    ${filter.key !== null ? sql`and ${unitKey(filter.unit)} = ${filter.key}` : sql``}
    and ${categoryCondition(filter.categoryId)}
    and ${unitCondition(filter.unit)}`;
  const [total, rows] = await Promise.all([
    sql<{ n: string }>`select count(*) as n from case_facts f where ${where}`.execute(db),
    sql<{
      id: string;
      case_number: string;
      category_name: string;
      region_code: string;
      state: string;
      reported_at: Date;
      handled_at: Date | null;
      closed_at: Date | null;
    }>`
      select c.id, c.case_number, k.name as category_name, f.region_code, c.state, f.reported_at, f.handled_at,
        f.closed_at
      from (select * from case_facts f where ${where} order by case_id limit ${filter.limit} offset ${filter.offset}) f
      join cases c on c.id = f.case_id
      join categories k on k.id = c.category_id
      order by f.case_id`.execute(db),
  ]);
  return { total: Number(total.rows[0]?.n ?? 0), rows: rows.rows };
}

/**
 * Recomputes the day and month counts from the facts into scratch tables, lists the buckets where they differ
 * from the kept ones, and replaces the kept ones. In the caller's transaction.
 */
export async function rebuildCounts(db: Db): Promise<{
  buckets: number;
  differences: { granularity: string; bucket: string; column: string; kept: number; rebuilt: number }[];
}> {
  // One grouping over every case's contributions: room to hash it in memory rather than spill to disk.
  await sql`select set_config('work_mem', '256MB', true)`.execute(db);
  let buckets = 0;
  const differences: Awaited<ReturnType<typeof rebuildCounts>>['differences'] = [];
  for (const table of COUNT_TABLE_NAMES) {
    const scratch = `rebuilt_${table}`;
    await sql`create temporary table ${sql.table(scratch)} (like ${sql.table(table)} including all)
      on commit drop`.execute(db);
    await sql`${sql.raw(upsertCounts(contributionRows('from case_facts f where true', 1), table, scratch))}`.execute(
      db,
    );
    // Rows whose counts differ (a row of zeros left by subtractions equals a missing one).
    const values = (alias: string) => COUNT_COLUMNS.map((c) => `coalesce(${alias}.${c}, 0)`).join(', ');
    const { rows } = await sql<Record<string, string | number>>`
      select granularity, bucket::text as bucket,
        ${sql.raw(COUNT_COLUMNS.map((c) => `coalesce(k.${c}, 0) as "k_${c}", coalesce(r.${c}, 0) as "r_${c}"`).join(', '))}
      from ${sql.table(table)} k full join ${sql.table(scratch)} r
        using (granularity, bucket, ${sql.raw(COUNT_TABLES[table].dimensions.join(', '))})
      where (${sql.raw(values('k'))}) is distinct from (${sql.raw(values('r'))})
      order by 2, 1 limit 200`.execute(db);
    // A worker count that differs is named as such (worker:reported).
    const prefix = table === 'evaluation_counts' ? '' : 'worker:';
    for (const row of rows)
      for (const column of COUNT_COLUMNS.filter((c) => Number(row[`k_${c}`]) !== Number(row[`r_${c}`])))
        differences.push({
          granularity: String(row.granularity),
          bucket: String(row.bucket),
          column: `${prefix}${column}`,
          kept: Number(row[`k_${column}`]),
          rebuilt: Number(row[`r_${column}`]),
        });
    await sql`delete from ${sql.table(table)}`.execute(db);
    await sql`insert into ${sql.table(table)} select * from ${sql.table(scratch)}`.execute(db);
    const count = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(db);
    buckets += Number(count.rows[0]?.n ?? 0);
  }
  return { buckets, differences };
}

/** Stored facts of some cases, for comparing with a recomputation. */
export async function findFacts(db: Db, ids: readonly number[]) {
  return db
    .selectFrom('case_facts')
    .selectAll()
    .where(sql<boolean>`case_id = any(${[...ids]}::bigint[])`)
    .execute();
}

/** Case ids after `after`, in order: a rebuild walks every case in batches. */
export async function caseIdsAfter(db: Db, after: number, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('cases')
    .select('id')
    .where('id', '>', after)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => Number(r.id));
}

export { columnOf };
