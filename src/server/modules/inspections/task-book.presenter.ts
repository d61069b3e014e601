import type { z } from 'zod';
import {
  type AccountabilityEntry,
  TASK_STATES,
  type Task,
  type TaskBookSummary,
  type TaskState,
  type taskCountsSchema,
} from '../../../shared/task-books.ts';
import { civilDateOf, type WorkingCalendar } from '../calendar/working-time.ts';
import type { BookWithNames, TaskFacts } from './task-book.repository.ts';
import { endOfDate } from './working-day.ts';

const DAY_MS = 86_400_000;

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/**
 * A task's standing at the deadline, the close of working hours on the deadline day (the same rule as a
 * campaign's fixed rectification date, working-day.ts): finished (办结, the case handled
 * or closed) before that is done, after it done late; unfinished is open until then and overdue after. Days
 * overdue count calendar days from the deadline to the finishing day, or to today while unfinished.
 */
export function presentTask(t: TaskFacts, deadline: string, working: WorkingCalendar, now: Date): Task {
  const end = endOfDate(working, deadline);
  const zone = working.hours.timeZone;
  const passed = now >= end;
  let state: TaskState;
  let daysOverdue = 0;
  if (t.finished_at) {
    state = t.finished_at < end ? 'done' : 'doneLate';
    if (state === 'doneLate') daysOverdue = daysBetween(deadline, civilDateOf(t.finished_at.getTime(), zone));
  } else {
    state = t.case_id === null ? 'pending' : passed ? 'overdue' : 'open';
    if (passed) daysOverdue = daysBetween(deadline, civilDateOf(now.getTime(), zone));
  }
  return {
    id: t.id,
    position: t.position,
    description: t.description,
    departmentId: t.department_id,
    departmentName: t.department_name,
    regionCode: t.region_code,
    regionName: t.region_name ?? t.region_code,
    responsibleName: t.responsible_name,
    caseId: t.case_id,
    caseNumber: t.case_number,
    caseState: t.case_state,
    state,
    escalated: t.escalated,
    verified: t.case_state === 'closed',
    finishedAt: t.finished_at?.toISOString() ?? null,
    daysOverdue,
  };
}

/** The book with the counts of the tasks the reader sees. */
export function presentBook(
  row: BookWithNames,
  tasks: readonly Task[],
  working: WorkingCalendar,
  now: Date,
): TaskBookSummary {
  const counts = Object.fromEntries(
    TASK_STATES.map((s) => [s, tasks.filter((t) => t.state === s).length]),
  ) as Record<TaskState, number>;
  return {
    id: row.id,
    number: row.number,
    title: row.title,
    campaignId: row.campaign_id,
    regionCode: row.region_code,
    regionName: row.region_name ?? row.region_code,
    categoryId: row.category_id,
    categoryName: row.category_name,
    issuerName: row.issuer_name,
    deadline: row.deadline,
    deadlinePassed: now >= endOfDate(working, row.deadline),
    createdAt: row.created_at.toISOString(),
    counts: {
      total: tasks.length,
      ...counts,
      escalated: tasks.filter((t) => t.escalated).length,
    } satisfies z.infer<typeof taskCountsSchema>,
  };
}

/** A line of the accountability list: a task unfinished at its book's deadline; undefined for any other. */
export function presentAccountabilityEntry(book: BookWithNames, task: Task): AccountabilityEntry | undefined {
  if (task.state !== 'overdue' && task.state !== 'doneLate' && task.state !== 'pending') return undefined;
  return {
    taskBookId: book.id,
    taskBookNumber: book.number,
    taskBookTitle: book.title,
    deadline: book.deadline,
    taskId: task.id,
    position: task.position,
    description: task.description,
    departmentId: task.departmentId,
    departmentName: task.departmentName,
    responsibleName: task.responsibleName,
    regionCode: task.regionCode,
    regionName: task.regionName,
    caseId: task.caseId,
    caseNumber: task.caseNumber,
    state: task.state,
    escalated: task.escalated,
    finishedAt: task.finishedAt,
    daysOverdue: task.daysOverdue,
  };
}
