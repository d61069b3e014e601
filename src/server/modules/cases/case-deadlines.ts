import type { Category } from '../../../shared/cases.ts';
import {
  addWorkingTime,
  type DeadlineResult,
  type WorkingCalendar,
  warningTime,
} from '../calendar/working-time.ts';
import type { CaseRow } from './case.table.ts';
import type { CaseContext } from './case-context.ts';
import * as deadlines from './case-deadline.repository.ts';
import type { CaseNotices } from './case-notices.ts';

export type CaseDeadlines = ReturnType<typeof createCaseDeadlines>;

/** Due times of the steps, their yellow light, and the sweep that turns them yellow and red. */
export function createCaseDeadlines(ctx: CaseContext, notices: CaseNotices) {
  const { db, clock, calendar, categories, yellowShare } = ctx;

  /**
   * When a step starting at `start` is due: its category's limit in working time, except the handling step of
   * a case with a rectification deadline (整改期限), which is due then. Flagged `beyond` when the working-day
   * calendar does not reach the due time. `given` computes it on a calendar and category the caller holds (a
   * calendar about to be stored, inside a transaction where the caches must not refill).
   */
  async function dueOf(
    start: Date,
    step: string | null,
    row: Pick<CaseRow, 'category_id' | 'handling_deadline'>,
    given?: { working: WorkingCalendar; category: Pick<Category, 'limits'> },
  ): Promise<{ due: Date | null; beyond: boolean }> {
    if (!step) return { due: null, beyond: false };
    if (step === 'handle' && row.handling_deadline) return { due: row.handling_deadline, beyond: false };
    const category = given?.category ?? (await categories.getCategory(row.category_id));
    const limit = category.limits[step as keyof typeof category.limits];
    if (!limit) return { due: null, beyond: false };
    return fromDeadline(addWorkingTime(given?.working ?? (await calendar.getCalendar()), start, limit));
  }

  /** The yellow-light columns of a step from `start` due at `due`: a moved deadline warns afresh. */
  function warnFields(working: WorkingCalendar, start: Date, due: Date | null) {
    return {
      step_warn_at: due ? warningTime(working, start, due, yellowShare) : null,
      warned: false,
    };
  }

  /**
   * The deadline sweep, run every minute. Steps that turned yellow are told to whoever holds them, once;
   * steps past their due time are flagged and each newly overdue case escalated (督办): an entry in its
   * timeline, and a message to those `BATCH_NOTICES` names. However many cases, a few statements, and no case
   * read out into the server. Returns the cases escalated.
   */
  async function sweepOverdue(): Promise<{ id: number }[]> {
    const now = clock.now();
    return db.transaction().execute(async (trx) => {
      await notices.warnDueSoon(trx, await deadlines.markDueSoon(trx, now));
      const overdue = await deadlines.escalateOverdue(trx, now);
      await notices.escalated(trx, overdue, now);
      return overdue.map((id) => ({ id }));
    });
  }

  /**
   * Tells the dispatchers of the reports waiting to be registered that nobody has been told of yet, run every
   * minute: a report is in their inbox within a minute of arriving, and done by itself once registered.
   */
  async function tellNewReports() {
    const since = new Date(clock.now().getTime() - 24 * 60 * 60 * 1000);
    return db.transaction().execute(async (trx) => {
      const reports = await deadlines.findUntoldReports(trx, since);
      await notices.newReports(trx, reports);
      return reports.length;
    });
  }

  return { dueOf, warnFields, sweepOverdue, tellNewReports };
}

export function fromDeadline(result: DeadlineResult): { due: Date | null; beyond: boolean } {
  return 'due' in result ? { due: result.due, beyond: false } : { due: null, beyond: true };
}
