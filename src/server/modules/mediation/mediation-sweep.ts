import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import type { NotificationService } from '../notifications/notification.service.ts';
import { civilDay, claimDueReminders, escalateOverdue } from './mediation.repository.ts';

/**
 * The mediation sweep, run every minute as a background job: an open mediation past its limit (without an agreed
 * extension moving it) turns red and is escalated once (督办) to the leaders and mediators over its village, as an
 * overdue case is; follow-up visits (回访) and judicial-confirmation reminders that fell due are told to the
 * mediators once. One transaction, a few statements however many rows.
 */
export function createMediationSweep(deps: {
  db: Db;
  clock: Clock;
  notifications: Pick<NotificationService, 'notifyAll'>;
}) {
  const { db, clock, notifications } = deps;

  async function sweep(): Promise<number> {
    const now = clock.now();
    return db.transaction().execute(async (trx) => {
      const overdue = await escalateOverdue(trx, now);
      const { followUps, confirmations } = await claimDueReminders(trx, civilDay(now));
      await notifications.notifyAll(trx, [
        ...overdue.map((m) => ({
          audience: [
            { role: 'leader' as const, coveringRegion: m.region_code },
            { role: 'mediator' as const, coveringRegion: m.region_code },
          ],
          kind: 'overdue' as const,
          caseId: m.case_id === null ? null : Number(m.case_id),
          text: {
            zh: `红灯：调解案件 ${m.number} 已超过调解期限且未经当事人同意延期，已自动督办`,
            en: `Overdue: mediation ${m.number} is past its limit without an agreed extension and was escalated`,
          },
        })),
        ...followUps.map((m) => ({
          audience: [{ role: 'mediator' as const, coveringRegion: m.region_code }],
          kind: 'dueSoon' as const,
          caseId: m.case_id === null ? null : Number(m.case_id),
          text: {
            zh: `回访：调解案件 ${m.number} 的协议履行情况应于 ${m.due} 回访`,
            en: `Follow-up: visit the parties of mediation ${m.number} on performance (due ${m.due})`,
          },
        })),
        ...confirmations.map((m) => ({
          audience: [{ role: 'mediator' as const, coveringRegion: m.region_code }],
          kind: 'dueSoon' as const,
          caseId: m.case_id === null ? null : Number(m.case_id),
          text: {
            zh: `司法确认提醒：调解案件 ${m.number} 的协议今日（${m.due}）满三十日，当事人可申请司法确认的期限届满`,
            en: `Judicial confirmation: the 30 days to apply for mediation ${m.number} end today (${m.due})`,
          },
        })),
      ]);
      return overdue.length;
    });
  }

  return { sweep };
}
