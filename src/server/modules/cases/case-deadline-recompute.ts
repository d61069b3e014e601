import type { Category } from '../../../shared/cases.ts';
import type { Db } from '../../db/database.ts';
import type { CalendarChange } from '../calendar/calendar.service.ts';
import { addWorkingTime, dueAfterSuspension } from '../calendar/working-time.ts';
import type { CaseContext } from './case-context.ts';
import * as steps from './case-deadline.repository.ts';
import { type CaseDeadlines, fromDeadline } from './case-deadlines.ts';

/** The timeline entry of a due time moved by a change of the calendar. */
export const RECOMPUTE_DUE_ACTION = 'recomputeDue';

/** Steps read and written per statement: a town's hundred thousand open cases go through in small pages. */
const BATCH = 500;

/**
 * Open steps follow a change of the working calendar (a year loaded or edited, new working hours): each step
 * flagged beyond the calendar, or whose span from start to due meets a changed day, gets its due time again —
 * its start plus its category's limit on the new calendar (`dueOf`, as when the step started), then moved
 * by the suspensions and approved extensions of the step in its timeline, in order, as the actions moved it.
 * A due time that moved is written with a `recomputeDue` entry in the case's timeline carrying the new
 * `dueAt`, the step and the previous due time.
 *
 * Called by the calendar service (wired in deps.ts): first outside any transaction, where it reads the
 * categories of open steps (their cache must not refill inside a transaction: on PGlite that waits for the
 * transaction itself); the work it returns runs in the calendar edit's transaction and answers how many moved.
 */
export function createDeadlineRecompute(ctx: CaseContext, deadlines: CaseDeadlines) {
  const { db, clock, categories } = ctx;

  async function recomputeDeadlines(change: CalendarChange): Promise<(trx: Db) => Promise<number>> {
    const byId = new Map<number, Category>();
    for (const id of await steps.listOpenStepCategoryIds(db)) {
      // A category that cannot be read leaves its cases' due times as they are, not the edit refused.
      const category = await categories.getCategory(id).catch(() => null);
      if (category) byId.set(id, category);
    }
    const window = change.changed === 'everyDay' ? null : change.changed;
    return async (trx) => {
      const now = clock.now();
      let moved = 0;
      for (let afterId = 0; ; ) {
        const page = await steps.listStepsToRecompute(trx, { window, afterId, limit: BATCH });
        if (page.length === 0) break;
        afterId = page[page.length - 1]?.id ?? afterId;
        const events = new Map<number, steps.StepClockEvent[]>();
        for (const event of await steps.listStepClockEvents(
          trx,
          page.map((s) => s.id),
        )) {
          const list = events.get(event.case_id);
          if (list) list.push(event);
          else events.set(event.case_id, [event]);
        }
        const moves: steps.StepMove[] = [];
        for (const step of page) {
          const category = byId.get(step.category_id);
          // A case reported since the categories were read, in a category no open step had (or one that could
          // not be read): left as it is, the next change reaches it.
          if (!category) continue;
          const next = await dueOnCalendar(change, step, category, events.get(step.id) ?? []);
          if (next.beyond === step.step_beyond_calendar && sameInstant(next.due, step.step_due_at)) continue;
          moves.push({
            id: step.id,
            version: step.version,
            due: next.due,
            beyond: next.beyond,
            warnAt: deadlines.warnFields(change.working, step.step_started_at as Date, next.due).step_warn_at,
            // Still overdue when it was and still is; a step newly past its due is left to the sweep, which
            // escalates it (督办) like any other.
            overdue: step.overdue && next.due !== null && next.due < now,
            data: {
              step: step.step,
              ...(next.due ? { dueAt: next.due.toISOString() } : { beyondCalendar: true }),
              previousDueAt: step.step_due_at?.toISOString() ?? null,
            },
          });
        }
        moved += (
          await steps.moveStepDues(trx, moves, {
            action: RECOMPUTE_DUE_ACTION,
            actorId: change.actor.id > 0 ? change.actor.id : null,
            actorName: change.actor.name,
            note: change.reason,
            at: now,
          })
        ).length;
        if (page.length < BATCH) break;
      }
      return moved;
    };
  }

  /** The step's due time on the new calendar, replaying what moved it since it started. */
  async function dueOnCalendar(
    change: CalendarChange,
    step: steps.StepToRecompute,
    category: Pick<Category, 'limits'>,
    events: readonly steps.StepClockEvent[],
  ): Promise<{ due: Date | null; beyond: boolean }> {
    const { working } = change;
    let result = await deadlines.dueOf(step.step_started_at as Date, step.step, step, { working, category });
    let suspendedAt: Date | null = null;
    for (const event of events) {
      if (!result.due) break;
      if (event.action === 'suspend') suspendedAt = event.at;
      else if (event.action === 'resume' && suspendedAt) {
        result = fromDeadline(
          dueAfterSuspension({ calendar: working, due: result.due, suspendedAt, resumedAt: event.at }),
        );
        suspendedAt = null;
      } else if (event.action === 'approveExtension' && isTimeLimit(event.data.extension)) {
        result = fromDeadline(addWorkingTime(working, result.due, event.data.extension));
      }
    }
    return result;
  }

  return { recomputeDeadlines };
}

function sameInstant(a: Date | null, b: Date | null): boolean {
  return (a?.getTime() ?? null) === (b?.getTime() ?? null);
}

function isTimeLimit(value: unknown): value is Parameters<typeof addWorkingTime>[2] {
  const limit = value as { amount?: unknown; unit?: unknown } | null;
  return typeof limit?.amount === 'number' && typeof limit.unit === 'string';
}
