import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { NotificationKind } from './notification.table.ts';

/** Who should hear about a case: resolved to users inside the caller's transaction. */
export type Audience =
  | { department: number }
  | { role: 'dispatcher' | 'leader'; coveringRegion: string }
  | { gridWorkersOf: string }
  /** The users who reported a case, or a duplicate merged into it: each reporter hears how it ends. */
  | { reportersOf: number };

/** A message to be written for everyone its audiences name: `text` is its JSON, `except` a user left out. */
export interface NewNotice {
  kind: NotificationKind;
  caseId: number | null;
  text: { zh: string; en: string };
  except: number | null;
  /** Texted too: the row names the recipient's phone, if they have one. */
  bySms: boolean;
  audience: readonly Audience[];
}

/**
 * Writes each notice for the active users its audiences name (once per user, however many audiences name
 * them), in one statement for the whole list: each column travels as one array parameter, so a sweep
 * escalating thousands of cases costs a statement, not a query per case.
 */
export async function insertNotices(db: Db, notices: readonly NewNotice[], now: Date): Promise<void> {
  if (notices.length === 0) return;
  // The audiences, in parallel arrays by kind, each entry naming its notice by position (1-based, as
  // `with ordinality` counts).
  const departments = { ord: [] as number[], id: [] as number[] };
  const roles = { ord: [] as number[], role: [] as string[], region: [] as string[] };
  const grids = { ord: [] as number[], code: [] as string[] };
  const reporters = { ord: [] as number[], caseId: [] as number[] };
  for (const [index, notice] of notices.entries()) {
    const ord = index + 1;
    for (const audience of notice.audience) {
      if ('department' in audience) {
        departments.ord.push(ord);
        departments.id.push(audience.department);
      } else if ('role' in audience) {
        roles.ord.push(ord);
        roles.role.push(audience.role);
        roles.region.push(audience.coveringRegion);
      } else if ('gridWorkersOf' in audience) {
        grids.ord.push(ord);
        grids.code.push(audience.gridWorkersOf);
      } else {
        reporters.ord.push(ord);
        reporters.caseId.push(audience.reportersOf);
      }
    }
  }
  await sql`
    with notice as (
      select * from unnest(${notices.map((n) => n.kind)}::text[], ${notices.map((n) => n.caseId)}::bigint[],
        ${notices.map((n) => n.text.zh)}::text[], ${notices.map((n) => n.text.en)}::text[],
        ${notices.map((n) => n.except)}::int[], ${notices.map((n) => n.bySms)}::boolean[])
        with ordinality as n(kind, case_id, zh, en, except_id, by_sms, ord)
    ),
    by_role as (
      select * from unnest(${roles.ord}::int[], ${roles.role}::text[], ${roles.region}::text[])
        as a(ord, role, region)
    ),
    -- Users whose scope covers the region (their region code is a prefix of it), found once per region: many
    -- cases of a sweep share a grid.
    covering as (
      select a.role, a.region, u.id, u.phone
      from (select distinct role, region from by_role) a
      join users u on u.role = a.role and u.active and a.region like u.region_code || '%'
    ),
    recipient as (
      select a.ord, u.id, u.phone
      from unnest(${departments.ord}::int[], ${departments.id}::int[]) as a(ord, department_id)
      join users u on u.department_id = a.department_id and u.active
      union
      select a.ord, c.id, c.phone from by_role a join covering c on c.role = a.role and c.region = a.region
      union
      select a.ord, u.id, u.phone
      from unnest(${grids.ord}::int[], ${grids.code}::text[]) as a(ord, grid)
      join grid_people g on g.grid_code = a.grid and g.duty = 'gridWorker'
      join users u on u.id = g.user_id and u.active
      union
      -- The case's reporter, and those of the duplicates merged into it.
      select a.ord, u.id, u.phone
      from unnest(${reporters.ord}::int[], ${reporters.caseId}::bigint[]) as a(ord, case_id)
      join cases c on c.id = a.case_id
      join users u on u.id = c.reporter_id and u.active
      union
      select a.ord, u.id, u.phone
      from unnest(${reporters.ord}::int[], ${reporters.caseId}::bigint[]) as a(ord, case_id)
      join cases c on c.merged_into = a.case_id
      join users u on u.id = c.reporter_id and u.active
    )
    insert into notifications (user_id, kind, case_id, text, created_at, sms_phone)
    select r.id, n.kind, n.case_id, jsonb_build_object('zh', n.zh, 'en', n.en), ${now}, case when n.by_sms then nullif(r.phone, '') end
    from recipient r
    join notice n on n.ord = r.ord
    where n.except_id is null or r.id <> n.except_id`.execute(db);
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
