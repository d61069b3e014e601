import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { type NotificationKind, STEP_KINDS } from './notification.table.ts';

/** Who should hear about a case: resolved to users inside the caller's transaction. */
export type Audience =
  | { department: number }
  | { role: 'dispatcher' | 'leader' | 'mediator'; coveringRegion: string }
  | { gridWorkersOf: string }
  /** The users who reported a case, or a duplicate merged into it: each reporter hears how it ends. */
  | { reportersOf: number };

/** A message, written once per user its audiences name (but not `except`). */
export interface NewMessage {
  kind: NotificationKind;
  caseId: number | null;
  text: { zh: string; en: string };
  /** Whether the message is also texted, to recipients who have a phone. */
  texted: boolean;
  except: number | null;
  /** The positions of its audiences in the list passed beside it. */
  audiences: readonly number[];
}

/**
 * Writes messages, one inbox row per user their audiences name, in one statement: each message (and its text)
 * travels once however many are told of it, and each audience is resolved to its users once however many
 * messages name it. A user named twice by one message is told once. Rows are written in the order of the
 * messages, so an inbox lists them as they were told.
 *
 * The messages travel as one JSON text, each as an array of its fields (the order of the columns of `m` below):
 * serialised natively and without the fields' names, where the driver's array parameters escape each text
 * element by element.
 */
export async function insertNotifications(
  db: Db,
  messages: readonly NewMessage[],
  audiences: readonly Audience[],
  now: Date,
): Promise<void> {
  if (messages.length === 0 || audiences.length === 0) return;
  const json = JSON.stringify(
    messages.map((m) => [m.kind, m.caseId, m.text.zh, m.text.en, m.texted, m.except, m.audiences]),
  );
  // The audiences as the rows of `audiences` (MEMBERS): a column per kind, in parallel arrays.
  const columns = {
    department: audiences.map((a) => ('department' in a ? a.department : null)),
    role: audiences.map((a) => ('role' in a ? a.role : null)),
    region: audiences.map((a) => ('role' in a ? a.coveringRegion : null)),
    grid: audiences.map((a) => ('gridWorkersOf' in a ? a.gridWorkersOf : null)),
    reportersOf: audiences.map((a) => ('reportersOf' in a ? a.reportersOf : null)),
  };
  await sql`
    with m as materialized (
      select e.at, e.m->>0 as kind, (e.m->>1)::bigint as case_id,
        jsonb_build_object('zh', e.m->>2, 'en', e.m->>3) as text, (e.m->>4)::boolean as texted,
        (e.m->>5)::int as except_id, e.m->6 as audiences
      from json_array_elements(${json}::json) with ordinality as e(m, at)),
    audiences as materialized (
      select at - 1 as at, department_id, role, region, grid, reporters_of
      from unnest(${columns.department}::int[], ${columns.role}::text[], ${columns.region}::text[],
        ${columns.grid}::text[], ${columns.reportersOf}::bigint[]) with ordinality as t(department_id, role, region, grid, reporters_of, at)),
    members as materialized (${MEMBERS}),
    told as (
      select distinct m.at, u.id as user_id, u.phone
      from m cross join json_array_elements_text(m.audiences) as a(audience)
      join members u on u.at = a.audience::int)
    insert into notifications (user_id, kind, case_id, text, created_at, sms_phone)
    select t.user_id, m.kind, m.case_id, m.text, ${now}, case when m.texted then nullif(t.phone, '') end
    from told t
    join m on m.at = t.at
    where t.user_id is distinct from m.except_id
    order by t.at, t.user_id`.execute(db);
}

/** Who hears of a case, relative to it (`CaseNotice`). */
export type CaseParty =
  /** The users of its lead department. */
  | 'lead'
  /** Whoever holds its step: the lead department, or before dispatch the dispatchers over its region. */
  | 'holder'
  | 'leaders'
  | 'dispatchers';

/**
 * One message about each of many cases, worded and addressed in the database: its text a template in which
 * `{caseNumber}`, `{category}` and `{due}` stand for the case's number, its class's name and its step's due
 * time, and its audience the case's parties.
 */
export interface CaseNotice {
  kind: NotificationKind;
  text: { zh: string; en: string };
  parties: readonly CaseParty[];
  texted: boolean;
}

/**
 * Writes `notice` about each of these cases, in one statement: what the minute's jobs tell of thousands of cases
 * at once (a first sweep after downtime may flag hundreds of thousands), without reading the cases out and
 * wording each message in the server. Rows are written in the order of the cases' ids.
 */
export async function insertCaseNotices(
  db: Db,
  caseIds: readonly number[],
  notice: CaseNotice,
  now: Date,
): Promise<void> {
  if (caseIds.length === 0) return;
  const has = (party: CaseParty) => notice.parties.includes(party);
  // The due time as the messages of the steps word it (`formatShanghai` in case-notices.ts).
  const fill = (template: string) => sql`replace(replace(replace(${template}::text,
    '{caseNumber}', c.case_number), '{category}', k.name),
    '{due}', coalesce(to_char(c.step_due_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'), '—'))`;
  // `audiences` is not materialized so that the planner sees the constants in its branches: it drops the
  // kinds of audience this notice has none of (grids, reporters) from MEMBERS, and sizes the rest from `c`.
  // Materialized, it sized a reporters' lookup for every audience row, and the estimate passed the cost at
  // which PostgreSQL compiles a statement (JIT): about 40 ms for a sweep of 7,000 cases.
  await sql`
    with c as materialized (
      select c.id, c.region_code, c.lead_department_id,
        jsonb_build_object('zh', ${fill(notice.text.zh)}, 'en', ${fill(notice.text.en)}) as text
      from cases c join categories k on k.id = c.category_id
      where c.id = any(${[...caseIds]}::bigint[])),
    audiences as not materialized (
      select c.id as at, c.lead_department_id as department_id, null::text as role, null::text as region,
        null::text as grid, null::bigint as reporters_of
      from c where c.lead_department_id is not null and ${has('lead') || has('holder')}::boolean
      union all
      select c.id, null, 'dispatcher', c.region_code, null, null
      from c where ${has('dispatchers')}::boolean or (${has('holder')}::boolean and c.lead_department_id is null)
      union all
      select c.id, null, 'leader', c.region_code, null, null from c where ${has('leaders')}::boolean),
    told as (select distinct at, id, phone from (${MEMBERS}) m)
    insert into notifications (user_id, kind, case_id, text, created_at, sms_phone)
    select t.id, ${notice.kind}, c.id, c.text, ${now},
      case when ${notice.texted}::boolean then nullif(t.phone, '') end
    from told t
    join c on c.id = t.at
    order by t.at, t.id`.execute(db);
}

/**
 * The active users each row of the statement's `audiences` names, as (at, id, phone): the one definition of
 * who an audience is. Each row of `audiences` is one audience, in the column of its kind (the others null):
 * `department_id`; `role` with `region`; `grid`; `reporters_of`.
 */
const MEMBERS = sql`
    select a.at, u.id, u.phone
    from audiences a
    join users u on u.department_id = a.department_id and u.active
    union all
    -- Users whose scope covers the region: their region code is a prefix of it.
    select a.at, u.id, u.phone
    from audiences a
    join users u on u.role = a.role and u.active and a.region like u.region_code || '%'
    union all
    select a.at, u.id, u.phone
    from audiences a
    join grid_people g on g.grid_code = a.grid and g.duty = 'gridWorker'
    join users u on u.id = g.user_id and u.active
    union all
    -- The case's reporter, and those of the duplicates merged into it.
    select a.at, u.id, u.phone
    from audiences a
    join cases c on c.id = a.reporters_of or c.merged_into = a.reporters_of
    join users u on u.id = c.reporter_id and u.active
    where a.reporters_of is not null`;

/**
 * Claims up to `limit` messages still to be texted, marking them sent: rows another process has locked are
 * skipped, so several processes share the queue without texting one twice.
 */
export async function claimDueSms(db: Db, options: { now: Date; limit: number }) {
  return db
    .updateTable('notifications')
    .set({ sms_sent_at: options.now })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('notifications')
        .select('id')
        .where('sms_phone', 'is not', null)
        .where('sms_sent_at', 'is', null)
        .orderBy('id')
        .limit(options.limit)
        .forUpdate()
        .skipLocked(),
    )
    .returning(['sms_phone', 'text'])
    .execute();
}

/** A user's newest messages (or unread ones), and how many are unread. */
export async function listInbox(db: Db, options: { userId: number; unreadOnly: boolean; limit: number }) {
  let query = db.selectFrom('notifications').selectAll().where('user_id', '=', options.userId);
  if (options.unreadOnly) query = query.where('read_at', 'is', null);
  const [rows, unread] = await Promise.all([
    query.orderBy('id', 'desc').limit(options.limit).execute(),
    db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', options.userId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, unread: unread.n };
}

/**
 * Marks done (and read) the unread messages about a case's step, for everyone: the step moved on. Through the
 * index on case_id, so a step costs one short statement.
 */
export async function settleCase(db: Db, options: { caseId: number; now: Date }): Promise<void> {
  await db
    .updateTable('notifications')
    .set({ read_at: options.now, done_at: options.now })
    .where('case_id', '=', options.caseId)
    .where('read_at', 'is', null)
    .where('kind', 'in', [...STEP_KINDS])
    .execute();
}

/** Marks the user's given messages (or all of them) read. */
export async function markRead(
  db: Db,
  options: { userId: number; ids: number[] | 'all'; now: Date },
): Promise<void> {
  let query = db
    .updateTable('notifications')
    .set({ read_at: options.now })
    .where('user_id', '=', options.userId)
    .where('read_at', 'is', null);
  if (options.ids !== 'all') query = query.where('id', 'in', options.ids.length ? options.ids : [-1]);
  await query.execute();
}
