/**
 * My work (工作台): what waits for each role, as case-list filters. The work page counts each queue with the case
 * list's own query and links to the list so filtered, so a count and the list it opens can never disagree; the
 * bell shows the sum of the queues that wait for the user's action.
 */
import { z } from 'zod';
import type { caseListQuerySchema } from './cases.ts';
import type { Role } from './roles.ts';

/** A queue's filter, as the case list's query parameters (`/cases?state=reported`). */
export type WorkFilter = Partial<Record<keyof z.input<typeof caseListQuerySchema>, string>>;

export interface WorkQueueDefinition {
  key: string;
  filter: WorkFilter;
  /** Waits for this user's action: counted on the bell. Other queues are views (a subset, or figures). */
  waiting: boolean;
}

const queue = (key: string, filter: WorkFilter, waiting = false): WorkQueueDefinition => ({
  key,
  filter,
  waiting,
});

const DISPATCH_DESK = (today: string) => [
  queue('toRegister', { state: 'reported' }, true),
  queue('toDispatch', { state: 'registered' }, true),
  queue('extensions', { state: 'extensionRequested' }, true),
  queue('overdue', { open: 'true', deadline: 'overdue' }),
  queue('reportedToday', { from: today, to: today }),
];

const VERIFIER = [
  queue('toVerify', { state: 'handled' }, true),
  queue('myReports', { open: 'true', reportedByMe: 'true' }),
];

/** The queues of each role; roles without case work have none. */
const QUEUES: Partial<Record<Role, (today: string) => WorkQueueDefinition[]>> = {
  administrator: DISPATCH_DESK,
  dispatcher: DISPATCH_DESK,
  departmentHandler: () => [
    queue('newTasks', { state: 'dispatched' }, true),
    queue('inProgress', { state: 'accepted' }, true),
    queue('rework', { state: 'accepted', rework: 'true' }),
    queue('dueSoon', { open: 'true', deadline: 'dueSoon' }),
    queue('overdue', { open: 'true', deadline: 'overdue' }),
    queue('suspended', { state: 'suspended' }),
  ],
  gridWorker: () => [...VERIFIER, queue('overdue', { open: 'true', deadline: 'overdue' })],
  inspector: () => VERIFIER,
  // Leaders read and supervise: what is overdue waits for them (督办).
  leader: (today) => [
    queue('overdue', { open: 'true', deadline: 'overdue' }, true),
    queue('supervised', { open: 'true', supervised: 'true' }),
    queue('reportedToday', { from: today, to: today }),
  ],
};

export function workQueuesOf(role: Role, today: string): WorkQueueDefinition[] {
  return QUEUES[role]?.(today) ?? [];
}

export const workSummarySchema = z.object({
  today: z.string().describe('YYYY-MM-DD, Beijing time'),
  queues: z.array(
    z.object({
      key: z.string(),
      filter: z.record(z.string(), z.string()),
      waiting: z.boolean(),
      count: z.number().int(),
      more: z.boolean().describe('There are more than `count` (the case list stops counting there)'),
    }),
  ),
  waiting: z.number().int().describe('The sum of the waiting queues: the bell shows it'),
});
export type WorkSummary = z.infer<typeof workSummarySchema>;
