import { sql } from 'kysely';
import type { LocalizedText } from '../../../shared/errors.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import type { Actor } from '../people/actor.ts';
import type { NotificationKind } from './notification.table.ts';

/** Who should hear about a case: resolved to users inside the caller's transaction. */
export type Audience =
  | { department: number }
  | { role: 'dispatcher' | 'leader'; coveringRegion: string }
  | { gridWorkersOf: string };

export type NotificationService = ReturnType<typeof createNotificationService>;

/**
 * The in-app inbox. Messages are written in the same transaction as the change they announce, so nobody is
 * told about a step that was rolled back. Other channels (SMS, webhooks) will read the same rows.
 */
export function createNotificationService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  async function usersOf(trx: Db, audience: Audience): Promise<number[]> {
    if ('department' in audience) {
      const rows = await trx
        .selectFrom('users')
        .select('id')
        .where('department_id', '=', audience.department)
        .where('active', '=', true)
        .execute();
      return rows.map((r) => r.id);
    }
    if ('role' in audience) {
      // Users whose scope covers the region: their region code is a prefix of it.
      const rows = await trx
        .selectFrom('users')
        .select('id')
        .where('role', '=', audience.role)
        .where('active', '=', true)
        .where(sql<boolean>`${audience.coveringRegion} like users.region_code || '%'`)
        .execute();
      return rows.map((r) => r.id);
    }
    const rows = await trx
      .selectFrom('grid_people')
      .innerJoin('users', 'users.id', 'grid_people.user_id')
      .select('users.id')
      .where('grid_people.grid_code', '=', audience.gridWorkersOf)
      .where('grid_people.duty', '=', 'gridWorker')
      .where('users.active', '=', true)
      .execute();
    return rows.map((r) => r.id);
  }

  async function notify(
    trx: Db,
    options: {
      audience: Audience[];
      kind: NotificationKind;
      caseId: number | null;
      text: LocalizedText;
      except?: number;
    },
  ): Promise<number> {
    const ids = new Set<number>();
    for (const audience of options.audience) for (const id of await usersOf(trx, audience)) ids.add(id);
    if (options.except !== undefined) ids.delete(options.except);
    if (ids.size === 0) return 0;
    const now = clock.now();
    await trx
      .insertInto('notifications')
      .values(
        [...ids].map((userId) => ({
          user_id: userId,
          kind: options.kind,
          case_id: options.caseId,
          text: JSON.stringify(options.text),
          created_at: now,
          read_at: null,
        })),
      )
      .execute();
    return ids.size;
  }

  async function listInbox(actor: Actor, options: { unreadOnly?: boolean | undefined; limit: number }) {
    let query = db.selectFrom('notifications').selectAll().where('user_id', '=', actor.id);
    if (options.unreadOnly) query = query.where('read_at', 'is', null);
    const [rows, unread] = await Promise.all([
      query.orderBy('id', 'desc').limit(options.limit).execute(),
      db
        .selectFrom('notifications')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', actor.id)
        .where('read_at', 'is', null)
        .executeTakeFirstOrThrow(),
    ]);
    return {
      unread: unread.n,
      items: rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        caseId: r.case_id,
        text: actor.locale === 'en-US' ? r.text.en : r.text.zh,
        createdAt: r.created_at.toISOString(),
        read: r.read_at !== null,
      })),
    };
  }

  /** Marks the given messages (or all) of the actor as read. */
  async function markRead(actor: Actor, ids: number[] | 'all'): Promise<void> {
    let query = db
      .updateTable('notifications')
      .set({ read_at: clock.now() })
      .where('user_id', '=', actor.id)
      .where('read_at', 'is', null);
    if (ids !== 'all') query = query.where('id', 'in', ids.length ? ids : [-1]);
    await query.execute();
  }

  return { notify, listInbox, markRead };
}
