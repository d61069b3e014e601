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

/** The active users an audience names, with their phones. */
export async function findAudience(
  db: Db,
  audience: Audience,
): Promise<{ id: number; phone: string | null }[]> {
  if ('department' in audience) {
    return db
      .selectFrom('users')
      .select(['id', 'phone'])
      .where('department_id', '=', audience.department)
      .where('active', '=', true)
      .execute();
  }
  if ('role' in audience) {
    // Users whose scope covers the region: their region code is a prefix of it.
    return db
      .selectFrom('users')
      .select(['id', 'phone'])
      .where('role', '=', audience.role)
      .where('active', '=', true)
      .where(sql<boolean>`${audience.coveringRegion} like users.region_code || '%'`)
      .execute();
  }
  if ('reportersOf' in audience) {
    return db
      .selectFrom('cases')
      .innerJoin('users', 'users.id', 'cases.reporter_id')
      .select(['users.id', 'users.phone'])
      .where((eb) =>
        eb.or([
          eb('cases.id', '=', audience.reportersOf),
          eb('cases.merged_into', '=', audience.reportersOf),
        ]),
      )
      .where('users.active', '=', true)
      .execute();
  }
  return db
    .selectFrom('grid_people')
    .innerJoin('users', 'users.id', 'grid_people.user_id')
    .select(['users.id', 'users.phone'])
    .where('grid_people.grid_code', '=', audience.gridWorkersOf)
    .where('grid_people.duty', '=', 'gridWorker')
    .where('users.active', '=', true)
    .execute();
}

export async function insertNotifications(
  db: Db,
  rows: {
    user_id: number;
    kind: NotificationKind;
    case_id: number | null;
    text: string;
    created_at: Date;
    sms_phone: string | null;
  }[],
): Promise<void> {
  await db
    .insertInto('notifications')
    .values(rows.map((row) => ({ ...row, read_at: null })))
    .execute();
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
