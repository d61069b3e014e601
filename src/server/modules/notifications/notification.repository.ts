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
 * messages name it (a sweep escalating thousands of cases names a few dozen: its departments, and the leaders
 * and dispatchers over its grids). A user named twice by one message is told once. Rows are written in the
 * order of the messages, so an inbox lists them as they were told.
 *
 * The messages travel as one JSON text, each as an array of its fields (the order of the columns of `m` below):
 * serialised natively and without the fields' names, where the driver's array parameters escape each text
 * element by element (a fifth of a large sweep's time).
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
  await sql`
    with m as materialized (
      select e.at, e.m->>0 as kind, (e.m->>1)::bigint as case_id,
        jsonb_build_object('zh', e.m->>2, 'en', e.m->>3) as text, (e.m->>4)::boolean as texted,
        (e.m->>5)::int as except_id, e.m->6 as audiences
      from json_array_elements(${json}::json) with ordinality as e(m, at)),
    members as materialized (${membersOf(audiences)}),
    told as (
      select distinct m.at, u.id as user_id, u.phone
      from m cross join json_array_elements_text(m.audiences) as a(audience)
      join members u on u.audience = a.audience::int)
    insert into notifications (user_id, kind, case_id, text, created_at, sms_phone)
    select t.user_id, m.kind, m.case_id, m.text, ${now}, case when m.texted then nullif(t.phone, '') end
    from told t
    join m on m.at = t.at
    where t.user_id is distinct from m.except_id
    order by t.at, t.user_id`.execute(db);
}

/**
 * The active users each audience names, as (position of the audience in the list, id, phone): a query to
 * join, for any number of audiences.
 */
function membersOf(audiences: readonly Audience[]) {
  // The audiences, in parallel arrays by kind, each entry naming its audience by position.
  const departments = { at: [] as number[], id: [] as number[] };
  const roles = { at: [] as number[], role: [] as string[], region: [] as string[] };
  const grids = { at: [] as number[], code: [] as string[] };
  const reporters = { at: [] as number[], caseId: [] as number[] };
  for (const [at, audience] of audiences.entries()) {
    if ('department' in audience) {
      departments.at.push(at);
      departments.id.push(audience.department);
    } else if ('role' in audience) {
      roles.at.push(at);
      roles.role.push(audience.role);
      roles.region.push(audience.coveringRegion);
    } else if ('gridWorkersOf' in audience) {
      grids.at.push(at);
      grids.code.push(audience.gridWorkersOf);
    } else {
      reporters.at.push(at);
      reporters.caseId.push(audience.reportersOf);
    }
  }
  return sql<{ audience: number; id: number; phone: string | null }>`
    select a.at as audience, u.id, u.phone
    from unnest(${departments.at}::int[], ${departments.id}::int[]) as a(at, department_id)
    join users u on u.department_id = a.department_id and u.active
    union all
    -- Users whose scope covers the region: their region code is a prefix of it.
    select a.at, u.id, u.phone
    from unnest(${roles.at}::int[], ${roles.role}::text[], ${roles.region}::text[]) as a(at, role, region)
    join users u on u.role = a.role and u.active and a.region like u.region_code || '%'
    union all
    select a.at, u.id, u.phone
    from unnest(${grids.at}::int[], ${grids.code}::text[]) as a(at, grid)
    join grid_people g on g.grid_code = a.grid and g.duty = 'gridWorker'
    join users u on u.id = g.user_id and u.active
    union all
    -- The case's reporter, and those of the duplicates merged into it.
    select a.at, u.id, u.phone
    from unnest(${reporters.at}::int[], ${reporters.caseId}::bigint[]) as a(at, case_id)
    join cases c on c.id = a.case_id or c.merged_into = a.case_id
    join users u on u.id = c.reporter_id and u.active`;
}

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
