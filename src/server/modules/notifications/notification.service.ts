import type { LocalizedText } from '../../../shared/errors.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import type { Actor } from '../people/actor.ts';
import type { Audience, CaseNotice } from './notification.repository.ts';
import * as notifications from './notification.repository.ts';
import type { NotificationKind } from './notification.table.ts';
import type { SmsSender } from './sms-sender.ts';

export type { Audience, CaseNotice };

/** A message about a case (or none) for the users its audiences name, but `except` (who caused it). */
export interface Notice {
  audience: readonly Audience[];
  kind: NotificationKind;
  caseId: number | null;
  text: LocalizedText;
  except?: number;
}

export type NotificationService = ReturnType<typeof createNotificationService>;

/** Messages that are also texted to the recipient's phone when SMS is on: a new task, an overdue case. */
const SMS_KINDS: readonly NotificationKind[] = ['newTask', 'overdue'];
const SMS_BATCH = 100;
/** Messages per statement: bounds the parameters and rows of one statement. */
const MESSAGE_BATCH = 5_000;
/**
 * Cases per statement of `notifyCases`, a few rows each: a sweep's usual minute in one statement, a first sweep
 * after downtime in bounded ones.
 */
const CASE_BATCH = 20_000;

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

  /** Writes one message for everyone its audiences name, in the caller's transaction. */
  async function notify(trx: Db, notice: Notice): Promise<void> {
    await notifyAll(trx, [notice]);
  }

  /**
   * Writes many messages in the caller's transaction, each for everyone its audiences name (once per user, but
   * not its `except`): a statement per few thousand messages, each distinct audience resolved once in it.
   */
  async function notifyAll(trx: Db, list: readonly Notice[]): Promise<void> {
    const now = clock.now();
    for (let start = 0; start < list.length; start += MESSAGE_BATCH) {
      const keys = new Map<string, number>();
      const audiences: Audience[] = [];
      const messages = list.slice(start, start + MESSAGE_BATCH).map((notice) => ({
        kind: notice.kind,
        caseId: notice.caseId,
        text: notice.text,
        texted: bySms(notice.kind),
        except: notice.except ?? null,
        audiences: notice.audience.map((audience) => {
          const key = keyOf(audience);
          let at = keys.get(key);
          if (at === undefined) {
            at = audiences.push(audience) - 1;
            keys.set(key, at);
          }
          return at;
        }),
      }));
      await notifications.insertNotifications(trx, messages, audiences, now);
    }
  }

  /**
   * Writes one message about each of these cases (`CaseNotice`: its text a template, its audience the case's
   * parties), worded and addressed in the database: a statement per CASE_BATCH cases.
   */
  async function notifyCases(
    trx: Db,
    caseIds: readonly number[],
    notice: Omit<CaseNotice, 'texted'>,
  ): Promise<void> {
    const now = clock.now();
    const texted = { ...notice, texted: bySms(notice.kind) };
    for (let start = 0; start < caseIds.length; start += CASE_BATCH) {
      await notifications.insertCaseNotices(trx, caseIds.slice(start, start + CASE_BATCH), texted, now);
    }
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
        done: r.done_at !== null,
      })),
    };
  }

  /** In the transaction of a step: the messages that asked for the case's previous step are done. */
  async function settleCase(trx: Db, caseId: number): Promise<void> {
    await notifications.settleCase(trx, { caseId, now: clock.now() });
  }

  /** Marks the given messages (or all) of the actor as read. */
  async function markRead(actor: Actor, ids: number[] | 'all'): Promise<void> {
    await notifications.markRead(db, { userId: actor.id, ids, now: clock.now() });
  }

  return { notify, notifyAll, notifyCases, settleCase, sendDueSms, listInbox, markRead };
}

/** An audience as a short text: the same audience, the same key (a bulk action names the same few many times). */
function keyOf(audience: Audience): string {
  if ('department' in audience) return `d${audience.department}`;
  if ('role' in audience) return `r${audience.role}:${audience.coveringRegion}`;
  if ('gridWorkersOf' in audience) return `g${audience.gridWorkersOf}`;
  return `c${audience.reportersOf}`;
}
