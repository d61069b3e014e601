import { sql } from 'kysely';
import type { LocalizedText } from '../../../shared/errors.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import type { Actor } from '../people/actor.ts';
import type { NotificationKind } from './notification.table.ts';
import type { SmsSender } from './sms-sender.ts';

/** Who should hear about a case: resolved to users inside the caller's transaction. */
export type Audience =
  | { department: number }
  | { role: 'dispatcher' | 'leader'; coveringRegion: string }
  | { gridWorkersOf: string }
  /** The users who reported a case, or a duplicate merged into it: each reporter hears how it ends. */
  | { reportersOf: number };

export type NotificationService = ReturnType<typeof createNotificationService>;

/** Messages that are also texted to the recipient's phone when SMS is on: a new task, an overdue case. */
const SMS_KINDS: readonly NotificationKind[] = ['newTask', 'overdue'];
const SMS_BATCH = 100;

/**
 * The in-app inbox. Messages are written in the same transaction as the change they announce, so nobody is
 * told about a step that was rolled back. With an SMS sender, the row also names the phone it is texted to,
 * and `sendDueSms` sends it after the commit.
 */
export function createNotificationService(deps: { db: Db; clock: Clock; sms?: SmsSender | null }) {
  const { db, clock } = deps;
  const sms = deps.sms ?? null;

  async function usersOf(trx: Db, audience: Audience): Promise<{ id: number; phone: string | null }[]> {
    if ('department' in audience) {
      return trx
        .selectFrom('users')
        .select(['id', 'phone'])
        .where('department_id', '=', audience.department)
        .where('active', '=', true)
        .execute();
    }
    if ('role' in audience) {
      // Users whose scope covers the region: their region code is a prefix of it.
      return trx
        .selectFrom('users')
        .select(['id', 'phone'])
        .where('role', '=', audience.role)
        .where('active', '=', true)
        .where(sql<boolean>`${audience.coveringRegion} like users.region_code || '%'`)
        .execute();
    }
    if ('reportersOf' in audience) {
      return trx
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
    return trx
      .selectFrom('grid_people')
      .innerJoin('users', 'users.id', 'grid_people.user_id')
      .select(['users.id', 'users.phone'])
      .where('grid_people.grid_code', '=', audience.gridWorkersOf)
      .where('grid_people.duty', '=', 'gridWorker')
      .where('users.active', '=', true)
      .execute();
  }

  /** Whether messages of this kind are also texted (to recipients who have a phone). */
  function bySms(kind: NotificationKind): boolean {
    return sms !== null && SMS_KINDS.includes(kind);
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
    const phones = new Map<number, string | null>();
    for (const audience of options.audience)
      for (const user of await usersOf(trx, audience)) phones.set(user.id, user.phone);
    if (options.except !== undefined) phones.delete(options.except);
    if (phones.size === 0) return 0;
    const now = clock.now();
    const texted = bySms(options.kind);
    await trx
      .insertInto('notifications')
      .values(
        [...phones].map(([userId, phone]) => ({
          user_id: userId,
          kind: options.kind,
          case_id: options.caseId,
          text: JSON.stringify(options.text),
          created_at: now,
          read_at: null,
          sms_phone: texted ? phone || null : null,
        })),
      )
      .execute();
    return phones.size;
  }

  /**
   * Texts the messages written since the last call, in Chinese. A message is marked sent as it is claimed:
   * the inbox row is the record, and a crash between claim and send loses the text rather than sending it
   * twice. Several processes may run this at once; each claims rows the others have not locked.
   */
  async function sendDueSms(): Promise<number> {
    if (!sms) return 0;
    let sent = 0;
    for (;;) {
      const claimed = await db
        .updateTable('notifications')
        .set({ sms_sent_at: clock.now() })
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('notifications')
            .select('id')
            .where('sms_phone', 'is not', null)
            .where('sms_sent_at', 'is', null)
            .orderBy('id')
            .limit(SMS_BATCH)
            .forUpdate()
            .skipLocked(),
        )
        .returning(['sms_phone', 'text'])
        .execute();
      let failure: unknown = null;
      for (const message of claimed) {
        if (!message.sms_phone) continue;
        // One failing number must not hold back the others claimed with it.
        try {
          await sms.send(message.sms_phone, message.text.zh);
          sent++;
        } catch (error) {
          failure ??= error;
        }
      }
      if (failure) throw failure;
      if (claimed.length < SMS_BATCH) return sent;
    }
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

  return { notify, bySms, sendDueSms, listInbox, markRead };
}
