import { sql } from 'kysely';
import {
  type FigureRow,
  type FiguresQuery,
  type MediationFigures,
  percent,
} from '../../../shared/mediation.ts';
import type { Db } from '../../db/database.ts';
import { likePrefix } from '../../db/like.ts';
import type { Actor } from '../people/actor.ts';
import { narrowScope, regionCondition, regionScope, type Scope } from '../people/scope.ts';
import { civilDay } from './mediation.repository.ts';

interface Counts {
  key: string | null;
  handled: string;
  settled: string;
  on_time: string;
  follow_ups_due: string;
  follow_ups_done: string;
  performed: string;
}

const SHANGHAI = 'Asia/Shanghai';

/**
 * The counts behind the mediation figures, grouped by `group` (a SQL expression over `m`): every mediation closed
 * in the period is handled; settled, on time (closed by its limit, extensions included), follow-ups due (by
 * today) and done, and agreements found performed at the follow-up.
 */
async function countBy(db: Db, scope: Scope, from: string, to: string, today: string, group: string) {
  const groupSql = sql.raw(group);
  const { rows } = await sql<Counts>`
    select ${groupSql} as key,
      count(*) as handled,
      count(*) filter (where m.state = 'settled') as settled,
      count(*) filter (where m.closed_at <= m.due_at) as on_time,
      count(*) filter (where m.follow_up_due_on <= ${today}::date) as follow_ups_due,
      count(*) filter (where m.follow_up_done_at is not null) as follow_ups_done,
      count(*) filter (where m.follow_up_performed) as performed
    from mediations m
    where m.state in ('settled', 'unsettled')
      and (m.closed_at at time zone ${SHANGHAI})::date between ${from}::date and ${to}::date
      and ${regionFilter(scope)}
    group by 1
    order by 1`.execute(db);
  return rows;
}

function regionFilter(scope: Scope) {
  switch (scope.kind) {
    case 'everything':
      return sql`true`;
    case 'regions':
      return sql`m.region_code like ${likePrefix(scope.prefix)}`;
    default:
      return sql`false`;
  }
}

function rowOf(counts: Counts | undefined, key: string, label: string): FigureRow {
  const n = (v: string | undefined) => Number(v ?? 0);
  const handled = n(counts?.handled);
  const settled = n(counts?.settled);
  const onTime = n(counts?.on_time);
  const due = n(counts?.follow_ups_due);
  const done = n(counts?.follow_ups_done);
  const performed = n(counts?.performed);
  return {
    key,
    label,
    handled,
    settled,
    settlementRate: percent(settled, handled),
    onTime,
    onTimeRate: percent(onTime, handled),
    followUpsDue: due,
    followUpsDone: done,
    followUpRate: percent(done, due),
    performed,
    performanceRate: percent(performed, done),
  };
}

/** A year back from `to` by default: the "数读" figures are yearly (全年共调处民间纠纷 456 件). */
export function figuresPeriod(query: FiguresQuery, now: Date): { from: string; to: string } {
  const to = query.to ?? civilDay(now);
  const from =
    query.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 364 * 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}

/** The mediation figures of the actor's scope (narrowed to a region when asked), by village, mediator and month. */
export async function mediationFigures(
  db: Db,
  actor: Actor,
  query: FiguresQuery,
  now: Date,
  regionNames: (codes: string[]) => Promise<Map<string, string>>,
): Promise<MediationFigures> {
  let scope = regionScope(actor);
  if (query.regionCode) scope = narrowScope(scope, query.regionCode);
  const { from, to } = figuresPeriod(query, now);
  const today = civilDay(now);
  const [total, villages, mediators, months, open] = await Promise.all([
    countBy(db, scope, from, to, today, `'total'`),
    countBy(db, scope, from, to, today, 'left(m.region_code, 12)'),
    countBy(db, scope, from, to, today, `coalesce(m.mediator_id::text, '')`),
    countBy(db, scope, from, to, today, `to_char(m.closed_at at time zone '${SHANGHAI}', 'YYYY-MM')`),
    db
      .selectFrom('mediations as m')
      .where('m.state', '=', 'open')
      .where((eb) => regionCondition(eb, 'm.region_code', scope))
      .select((eb) => [
        eb.fn.countAll<string>().as('open'),
        eb.fn.count<string>(sql`case when m.due_at < ${now} then 1 end`).as('overdue'),
      ])
      .executeTakeFirstOrThrow(),
  ]);
  const names = await regionNames(villages.map((v) => v.key ?? ''));
  const mediatorIds = mediators.map((m) => Number(m.key)).filter((id) => id > 0);
  const mediatorNames = new Map(
    mediatorIds.length
      ? (
          await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', mediatorIds).execute()
        ).map((u) => [String(u.id), u.display_name])
      : [],
  );
  return {
    from,
    to,
    open: Number(open.open),
    overdue: Number(open.overdue),
    total: rowOf(total[0], 'total', '合计'),
    byVillage: villages.map((v) => rowOf(v, v.key ?? '', names.get(v.key ?? '') ?? v.key ?? '')),
    byMediator: mediators.map((m) =>
      rowOf(m, m.key ?? '', mediatorNames.get(m.key ?? '') ?? (m.key ? m.key : '未指派')),
    ),
    byMonth: months.map((m) => rowOf(m, m.key ?? '', m.key ?? '')),
  };
}
