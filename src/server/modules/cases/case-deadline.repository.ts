import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { CaseRow } from './case.table.ts';

/**
 * The SQL of the steps' clocks: the minute's sweep (yellow, red, and new reports told), and recomputing open
 * steps' due times after a change of the working calendar (case-deadline-recompute.ts): which steps to look
 * at, what moved their clock, and writing the moves.
 */

/** The actions whose clock effect moves a running step's due time: pause, resume, extend. */
export const STEP_CLOCK_ACTIONS = ['suspend', 'resume', 'approveExtension'] as const;

/** The categories of the cases with an open step. */
export async function listOpenStepCategoryIds(db: Db): Promise<number[]> {
  const rows = await db
    .selectFrom('cases')
    .select('category_id')
    .distinct()
    .where('step', 'is not', null)
    .execute();
  return rows.map((r) => r.category_id);
}

export type StepToRecompute = Pick<
  CaseRow,
  | 'id'
  | 'version'
  | 'state'
  | 'category_id'
  | 'step'
  | 'step_started_at'
  | 'step_due_at'
  | 'step_beyond_calendar'
  | 'handling_deadline'
  | 'overdue'
>;

/**
 * A page (by id) of the open steps a calendar change may move: those flagged beyond the calendar, and those
 * with a due time whose span from start to due meets `window` (every one when `window` is null).
 */
export async function listStepsToRecompute(
  db: Db,
  options: { window: { from: Date; to: Date } | null; afterId: number; limit: number },
): Promise<StepToRecompute[]> {
  const { window } = options;
  return db
    .selectFrom('cases')
    .select([
      'id',
      'version',
      'state',
      'category_id',
      'step',
      'step_started_at',
      'step_due_at',
      'step_beyond_calendar',
      'handling_deadline',
      'overdue',
    ])
    .where('step', 'is not', null)
    .where('step_started_at', 'is not', null)
    .where('id', '>', options.afterId)
    .where((eb) =>
      eb.or([
        eb('step_beyond_calendar', '=', true),
        window
          ? eb.and([eb('step_due_at', '>=', window.from), eb('step_started_at', '<', window.to)])
          : eb('step_due_at', 'is not', null),
      ]),
    )
    .orderBy('id')
    .limit(options.limit)
    .execute();
}

export interface StepClockEvent {
  case_id: number;
  action: (typeof STEP_CLOCK_ACTIONS)[number];
  at: Date;
  data: Record<string, unknown>;
}

/** The suspensions, resumptions and approved extensions of these cases' current steps, in order. */
export async function listStepClockEvents(db: Db, caseIds: readonly number[]): Promise<StepClockEvent[]> {
  if (caseIds.length === 0) return [];
  const rows = await db
    .selectFrom('case_events as e')
    .innerJoin('cases as c', 'c.id', 'e.case_id')
    .select(['e.case_id', 'e.action', 'e.at', 'e.data'])
    .where('e.case_id', 'in', [...caseIds])
    .where('e.action', 'in', [...STEP_CLOCK_ACTIONS])
    .whereRef('e.at', '>=', 'c.step_started_at')
    .orderBy('e.case_id')
    .orderBy('e.id')
    .execute();
  return rows as StepClockEvent[];
}

export interface StepMove {
  id: number;
  /** The version read: a case changed since is left alone (its own action computed its due). */
  version: number;
  due: Date | null;
  beyond: boolean;
  warnAt: Date | null;
  overdue: boolean;
  /** The timeline entry's data: the step, its new `dueAt`, the previous due time. */
  data: Record<string, unknown>;
}

/**
 * Writes moved due times, each with an entry in its case's timeline, in one statement however many; bumps the
 * version so that an action prepared against the old due time is refused as a conflict. Returns the ids moved.
 */
export async function moveStepDues(
  db: Db,
  moves: readonly StepMove[],
  event: { action: string; actorId: number | null; actorName: string; note: string; at: Date },
): Promise<number[]> {
  if (moves.length === 0) return [];
  const input = moves.map((m) => ({
    id: m.id,
    version: m.version,
    due: m.due?.toISOString() ?? null,
    beyond: m.beyond,
    warn_at: m.warnAt?.toISOString() ?? null,
    overdue: m.overdue,
    data: m.data,
  }));
  const { rows } = await sql<{ id: number }>`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(input)}::jsonb) as i (
        id bigint, version int, due timestamptz, beyond boolean, warn_at timestamptz, overdue boolean, data jsonb
      )
    ),
    moved as (
      update cases c
      set step_due_at = i.due, step_beyond_calendar = i.beyond, step_warn_at = i.warn_at, warned = false,
        overdue = i.overdue, version = c.version + 1
      from input i
      where c.id = i.id and c.version = i.version and c.step is not null
      returning c.id, c.state
    ),
    events as (
      insert into case_events (case_id, action, from_state, to_state, actor_id, actor_name, note, data, at)
      select m.id, ${event.action}, m.state, m.state, ${event.actorId}::int, ${event.actorName}, ${event.note},
        i.data, ${event.at}::timestamptz
      from moved m join input i on i.id = m.id
    )
    select id from moved order by id`.execute(db);
  return rows.map((r) => Number(r.id));
}

// ---- the deadline sweep: a system job over every case, so no scope (called only by `sweepOverdue`) ----------

/**
 * Marks open, running steps whose due time has passed and escalates them (督办 by the system: an entry in each
 * case's timeline), in one statement however many there are: a first sweep after downtime may flag hundreds
 * of thousands. Returns the cases newly overdue.
 *
 * The candidates are the fired timers (0049); the case's own columns are checked again, so that a case an
 * action changed meanwhile is flagged only if it is still overdue. The cases are looked up by id from an array,
 * which the planner always answers by primary key, whatever it believes of the timers' size (a bulk import
 * leaves them unanalysed for a while). Fired timers are removed whether or not their case was flagged (one
 * flagged by other means keeps none), after the cases are locked: the triggers that keep the timers lock a case
 * before its timer, and so does this.
 */
export async function escalateOverdue(db: Db, now: Date): Promise<number[]> {
  const { rows } = await sql<{ id: string | number }>`
    with swept as (
      update cases c set overdue = true
      where c.id = any(array(select case_id from case_timers where due_at < ${now}))
        and c.closed_at is null and c.suspended_at is null and not c.overdue and c.step_due_at < ${now}
      returning c.id, c.state, c.step, c.step_due_at
    ),
    escalation as (
      insert into case_events (case_id, action, from_state, to_state, actor_id, actor_name, note, data, at)
      select id, 'escalate', state, state, null, 'system', step,
        jsonb_build_object('step', step, 'dueAt', step_due_at), ${now}::timestamptz
      from swept
    ),
    stopped as (
      delete from case_timers where due_at < ${now}
    )
    select id from swept order by id`.execute(db);
  return rows.map((r) => Number(r.id));
}

/**
 * Marks open steps past their warning point as warned, and returns them: each is told once per step. As in
 * `escalateOverdue`, the timers are the candidates and the cases' columns decide; a fired warning is cleared.
 */
export async function markDueSoon(db: Db, now: Date): Promise<number[]> {
  const { rows } = await sql<{ id: string | number }>`
    with warned as (
      update cases c set warned = true
      where c.id = any(array(select case_id from case_timers where warn_at < ${now} and due_at > ${now}))
        and c.closed_at is null and c.suspended_at is null and not c.warned and not c.overdue
        and c.step_warn_at < ${now} and c.step_due_at > ${now}
      returning c.id
    ),
    cleared as (
      update case_timers set warn_at = null where warn_at < ${now} and due_at > ${now}
    )
    select id from warned order by id`.execute(db);
  return rows.map((r) => Number(r.id));
}

/**
 * Reports of the last day still waiting to be registered that nobody has been told of: each is told to the
 * dispatchers once, by the minute's job rather than in the report's own group commit, which stays as short
 * as intake needs it.
 */
export async function findUntoldReports(db: Db, since: Date): Promise<number[]> {
  const rows = await db
    .selectFrom('cases')
    .select('id')
    .where('state', '=', 'reported')
    .where('created_at', '>=', since)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('notifications')
            .select(sql.lit(1).as('one'))
            .whereRef('notifications.case_id', '=', 'cases.id')
            .where('notifications.kind', '=', 'newReport'),
        ),
      ),
    )
    .orderBy('id')
    .limit(5_000)
    .execute();
  return rows.map((r) => r.id);
}
