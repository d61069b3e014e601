import { RESIDENT_SOURCES } from '../../../shared/case-workflow.ts';
import { type EvaluationSource, WORKER_SOURCES } from '../../../shared/indicators.ts';
import type { CaseFactTable } from './evaluation.table.ts';

/**
 * What one case counts for in the evaluation, derived from its timeline alone, so that a past month gives the
 * same figures tomorrow (today's flags — overdue, warned — are never read). docs/evaluation.md gives the
 * counting rules; in short:
 * - registered (立案) at its first `register` or `handleOnTheSpot`; on time when by the registration step's due;
 * - handling starts at each `dispatch`, its deadline moves with approved extensions and with suspensions
 *   (the due time a `resume` sets); handling ends at the last `finish` not undone by a failed verification;
 *   on time when it ended by the deadline in force then;
 * - `overdue` is the time the handling was pending past its deadline, suspended time left out: a case counts
 *   as pending past its deadline at a period's end when that instant falls in it;
 * - reworked (返工) at the first failed verification, extended (延期) at the first approved extension, each
 *   counted once per case;
 * - closed (结案) at `verifyPass` or `handleOnTheSpot`, on time when handled on time and verified by the
 *   verification step's due;
 * - a 即办 case (handled on the spot) is registered, handled and closed at once, on time, by no department;
 * - a case counts for the department it was last dispatched to (a case returned and not dispatched again stays
 *   with the department that returned it); 退回 counts a case returned at least once, for that department;
 * - a grid worker's report made while one of their patrols ran counts under the source `patrol`; a case of a
 *   worker source counts for its reporter as a worker.
 */
export type CaseFacts = Omit<CaseFactTable, 'overdue'> & {
  /** Half-open intervals [from, to) of pending past the deadline; `to` null: still so. */
  overdue: { from: Date; to: Date | null }[];
};

export interface FactCase {
  id: number;
  region_code: string;
  lead_department_id: number | null;
  source: string;
  reporter_id: number | null;
  created_at: Date;
  satisfaction: number | null;
  /** Whether one of the reporter's patrols was running when the case was reported. */
  in_patrol: boolean;
}

export interface FactEvent {
  action: string;
  at: Date;
  data: Record<string, unknown>;
}

/** Working minutes between two instants by the working-time calendar (null beyond the calendar's years). */
export type WorkingMinutes = (from: Date, to: Date) => number | null;

const dueOf = (event: FactEvent): Date | null =>
  typeof event.data.dueAt === 'string' ? new Date(event.data.dueAt) : null;

/** The facts of a case from its row and its timeline (oldest first). */
export function caseFacts(row: FactCase, events: readonly FactEvent[], working: WorkingMinutes): CaseFacts {
  const source: EvaluationSource =
    row.source === 'gridWorker' && row.in_patrol ? 'patrol' : (row.source as EvaluationSource);
  const facts: CaseFacts = {
    case_id: row.id,
    region_code: row.region_code,
    department_id: row.lead_department_id,
    source,
    reporter_id: row.reporter_id,
    worker_id: WORKER_SOURCES.includes(source) ? row.reporter_id : null,
    reported_at: row.created_at,
    registered_at: null,
    registered_on_time: false,
    dispatched_at: null,
    returned: false,
    handled_at: null,
    handled_on_time: false,
    handling_minutes: null,
    reworked_at: null,
    extended_at: null,
    closed_at: null,
    closed_on_time: false,
    score: RESIDENT_SOURCES.includes(row.source as never) ? row.satisfaction : null,
    overdue: [],
  };
  let registerDue: Date | null = null;
  let handleDue: Date | null = null;
  let verifyDue: Date | null = null;
  // Whether the handling step is running (dispatched, not suspended, not finished) since `since`.
  let pending = false;
  let since = row.created_at;
  let lastDispatch: Date | null = null;
  let suspendedAt: Date | null = null;
  let suspendedMinutes = 0;
  let finishedOnTime = false;

  /** Records the stretch from `since` to `until` as overdue where it lies past the deadline. */
  const close = (until: Date | null) => {
    if (!pending || !handleDue) return;
    if (until !== null && until <= handleDue) return;
    const from = since > handleDue ? since : handleDue;
    const last = facts.overdue.at(-1);
    // Adjacent stretches (an extension refused, a summons) are one interval.
    if (last && last.to !== null && last.to.getTime() === from.getTime()) last.to = until;
    else facts.overdue.push({ from, to: until });
  };

  for (const event of events) {
    close(event.at);
    since = event.at;
    switch (event.action) {
      case 'report':
        registerDue = dueOf(event);
        break;
      case 'register':
        if (!facts.registered_at) {
          facts.registered_at = event.at;
          // Older timelines did not record the registration step's due time: counted on time.
          facts.registered_on_time = registerDue === null || event.at <= registerDue;
        }
        break;
      case 'handleOnTheSpot':
        facts.registered_at ??= event.at;
        facts.registered_on_time = true;
        facts.handled_at = event.at;
        facts.handled_on_time = true;
        facts.handling_minutes = 0;
        facts.closed_at = event.at;
        facts.closed_on_time = true;
        break;
      // A reassignment (改派) starts the new department's handling afresh, as a dispatch does.
      case 'dispatch':
      case 'reassign':
        facts.dispatched_at ??= event.at;
        if (typeof event.data.leadDepartmentId === 'number')
          facts.department_id = event.data.leadDepartmentId;
        lastDispatch = event.at;
        suspendedMinutes = 0;
        handleDue = dueOf(event);
        pending = true;
        break;
      case 'return':
        facts.returned = true;
        pending = false;
        break;
      // The dispatcher took the task back (收回): not the department's return, so not counted as one.
      case 'recall':
        pending = false;
        break;
      case 'approveExtension':
        facts.extended_at ??= event.at;
        handleDue = dueOf(event) ?? handleDue;
        break;
      case 'suspend':
        pending = false;
        suspendedAt = event.at;
        break;
      case 'resume':
        pending = true;
        handleDue = dueOf(event) ?? handleDue;
        if (suspendedAt) suspendedMinutes += working(suspendedAt, event.at) ?? 0;
        suspendedAt = null;
        break;
      case 'finish':
        pending = false;
        facts.handled_at = event.at;
        finishedOnTime = handleDue === null || event.at <= handleDue;
        facts.handled_on_time = finishedOnTime;
        facts.handling_minutes = lastDispatch
          ? Math.max(0, (working(lastDispatch, event.at) ?? 0) - suspendedMinutes)
          : null;
        verifyDue = dueOf(event);
        break;
      case 'verifyFail':
        facts.reworked_at ??= event.at;
        facts.handled_at = null;
        facts.handled_on_time = false;
        facts.handling_minutes = null;
        handleDue = dueOf(event) ?? handleDue;
        pending = true;
        break;
      case 'verifyPass':
        facts.closed_at = event.at;
        facts.closed_on_time = finishedOnTime && (verifyDue === null || event.at <= verifyDue);
        break;
      case 'reject':
        pending = false;
        break;
      case 'handlingDeadline':
        // The handling step follows a mediation's limit (30 calendar days, or as extended with consent).
        handleDue = dueOf(event) ?? handleDue;
        break;
      case 'recomputeDue': {
        // The working calendar changed under a running step: its due moved (its start did not).
        const due = dueOf(event);
        if (event.data.step === 'register') registerDue = due ?? registerDue;
        else if (event.data.step === 'handle') handleDue = due ?? handleDue;
        else if (event.data.step === 'verify') verifyDue = due ?? verifyDue;
        break;
      }
    }
  }
  close(null);
  return facts;
}
