import type { LocalizedText } from '../../../shared/errors.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import type { Actor } from '../people/actor.ts';
import type { Audience } from './notification.repository.ts';
import * as notifications from './notification.repository.ts';
import type { NotificationKind } from './notification.table.ts';
import type { SmsSender } from './sms-sender.ts';

export type { Audience };

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
      for (const user of await notifications.findAudience(trx, audience)) phones.set(user.id, user.phone);
    if (options.except !== undefined) phones.delete(options.except);
    if (phones.size === 0) return 0;
    const now = clock.now();
    const texted = bySms(options.kind);
    await notifications.insertNotifications(
      trx,
      [...phones].map(([userId, phone]) => ({
        user_id: userId,
        kind: options.kind,
        case_id: options.caseId,
        text: JSON.stringify(options.text),
        created_at: now,
        sms_phone: texted ? phone || null : null,
      })),
    );
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
      const claimed = await notifications.claimDueSms(db, { now: clock.now(), limit: SMS_BATCH });
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
    const { rows, unread } = await notifications.listInbox(db, {
      userId: actor.id,
      unreadOnly: options.unreadOnly ?? false,
      limit: options.limit,
    });
    return {
      unread,
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
    await notifications.markRead(db, { userId: actor.id, ids, now: clock.now() });
  }

  return { notify, bySms, sendDueSms, listInbox, markRead };
}
