import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { CaseRow } from './case.table.ts';

/**
 * The SQL of recomputing open steps' due times after a change of the working calendar
 * (case-deadline-recompute.ts): which steps to look at, what moved their clock, and writing the moves.
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
