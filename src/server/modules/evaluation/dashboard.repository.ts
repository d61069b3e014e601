import { type RawBuilder, sql } from 'kysely';
import type { DeadlineTone } from '../../../shared/dashboard.ts';
import type { Db } from '../../db/database.ts';
import type { Scope } from '../people/scope.ts';
import { bucketsCondition, scopeCondition } from './facts.repository.ts';

/** The dashboard's reads (数读): the kept day counts, the open cases, the month's categories, its settings. */

/** Reported, handled and closed per day (Asia/Shanghai days) from the kept day buckets. */
export async function dailyCounts(
  db: Db,
  filter: { scope: Scope; from: string; to: string },
): Promise<{ date: string; reported: number; handled: number; closed: number }[]> {
  const { rows } = await sql<{ date: string; reported: string; handled: string; closed: string }>`
    select bucket::text as date, sum(reported) as reported, sum(handled) as handled, sum(closed) as closed
    from evaluation_counts
    where granularity = 'day' and bucket between ${filter.from}::date and ${filter.to}::date
      and ${scopeCondition(filter.scope)}
    group by bucket order by bucket`.execute(db);
  return rows.map((r) => ({
    date: r.date,
    reported: Number(r.reported),
    handled: Number(r.handled),
    closed: Number(r.closed),
  }));
}

/** Cases reported per source over whole days and whole months, from the kept counts. */
export async function reportedBySource(
  db: Db,
  filter: { scope: Scope; days: string[]; months: string[] },
): Promise<{ source: string; reported: number }[]> {
  const { rows } = await sql<{ source: string; reported: string }>`
    select source, sum(reported) as reported
    from evaluation_counts
    where ${bucketsCondition(filter)}
      and ${scopeCondition(filter.scope)}
    group by source having sum(reported) > 0 order by 2 desc, 1`.execute(db);
  return rows.map((r) => ({ source: r.source, reported: Number(r.reported) }));
}

/**
 * The categories most reported in a span, most first: counted as 上报数 is (the cases' facts by the instant they
 * were reported), so that a category's bar opens onto as many cases as it shows (`drill` with `categoryId`).
 */
export async function topCategories(
  db: Db,
  filter: { scope: Scope; start: Date; end: Date; limit: number },
): Promise<{ categoryId: number; name: string; count: number }[]> {
  const { rows } = await sql<{ id: number; name: string; n: string }>`
    select k.id, k.name, c.n
    from (select cs.category_id, count(*) as n
          from case_facts f join cases cs on cs.id = f.case_id
          where f.reported_at >= ${filter.start} and f.reported_at < ${filter.end}
            and ${scopeCondition(filter.scope, 'f.region_code')}
          group by cs.category_id order by 2 desc, 1 limit ${filter.limit}) c
    join categories k on k.id = c.category_id
    order by c.n desc, k.id`.execute(db);
  return rows.map((r) => ({ categoryId: Number(r.id), name: r.name, count: Number(r.n) }));
}

/** The tone of an open case at `now`, in SQL: suspended, past its step's due time, past its warning time. */
function toneOf(now: Date): RawBuilder<DeadlineTone> {
  return sql<DeadlineTone>`case
    when state = 'suspended' or suspended_at is not null then 'suspended'
    when step_due_at < ${now} then 'overdue'
    when step_warn_at <= ${now} then 'dueSoon'
    else 'normal' end`;
}

const OPEN = sql<boolean>`state not in ('closed', 'rejected', 'merged')`;

export async function countOpenCases(db: Db, scope: Scope): Promise<{ open: number; located: number }> {
  const { rows } = await sql<{ open: string; located: string }>`
    select count(*) as open, count(*) filter (where lon is not null and lat is not null) as located
    from cases where ${OPEN} and ${scopeCondition(scope)}`.execute(db);
  return { open: Number(rows[0]?.open ?? 0), located: Number(rows[0]?.located ?? 0) };
}

/** Every located open case (the caller checked there are at most `limit`). */
export async function openCasePoints(db: Db, filter: { scope: Scope; now: Date; limit: number }) {
  const { rows } = await sql<{
    id: string;
    case_number: string;
    state: string;
    category_name: string;
    lon: number;
    lat: number;
    tone: DeadlineTone;
  }>`
    select c.id, c.case_number, c.state, k.name as category_name, c.lon, c.lat, c.tone
    from (select id, case_number, state, category_id, lon, lat, ${toneOf(filter.now)} as tone from cases
          where ${OPEN} and lon is not null and lat is not null and ${scopeCondition(filter.scope)}
          order by id limit ${filter.limit}) c
    join categories k on k.id = c.category_id
    order by c.id`.execute(db);
  return rows.map((r) => ({
    id: Number(r.id),
    caseNumber: r.case_number,
    state: r.state,
    categoryName: r.category_name,
    lon: Number(r.lon),
    lat: Number(r.lat),
    tone: r.tone,
  }));
}

/**
 * Open cases grouped into square cells of `cell` degrees: the cell's mean position, its count and its most urgent
 * tone (overdue, due soon, within the deadline, suspended), at most `limit` cells, the fullest first.
 */
export async function openCaseClusters(
  db: Db,
  filter: { scope: Scope; now: Date; cell: number; limit: number },
) {
  const { rows } = await sql<{ lon: number; lat: number; n: string; urgency: number }>`
    select avg(lon) as lon, avg(lat) as lat, count(*) as n,
      max(case tone when 'overdue' then 3 when 'dueSoon' then 2 when 'normal' then 1 else 0 end) as urgency
    from (select lon, lat, ${toneOf(filter.now)} as tone from cases
          where ${OPEN} and lon is not null and lat is not null and ${scopeCondition(filter.scope)}) c
    group by floor(lon / ${filter.cell}), floor(lat / ${filter.cell})
    order by 3 desc limit ${filter.limit}`.execute(db);
  const tones: DeadlineTone[] = ['suspended', 'normal', 'dueSoon', 'overdue'];
  return rows.map((r) => ({
    lon: Number(r.lon),
    lat: Number(r.lat),
    count: Number(r.n),
    tone: tones[Number(r.urgency)] ?? 'normal',
  }));
}

/** Whether the demo town's synthetic history (settings `demo.history`) is there. */
export async function hasSetting(db: Db, key: string): Promise<boolean> {
  const row = await db.selectFrom('settings').select('key').where('key', '=', key).executeTakeFirst();
  return row !== undefined;
}

/** The stored values of these setting keys. */
export async function findSettings(db: Db, keys: readonly string[]): Promise<Map<string, unknown>> {
  if (keys.length === 0) return new Map();
  const rows = await db
    .selectFrom('settings')
    .select(['key', 'value'])
    .where('key', 'in', [...keys])
    .execute();
  return new Map(rows.map((r) => [r.key, r.value]));
}

export async function saveSetting(db: Db, key: string, value: unknown): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value: JSON.stringify(value) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: sql`excluded.value` }))
    .execute();
}
