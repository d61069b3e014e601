/**
 * API shapes of task books (任务书): a list of rectification tasks a campaign or an office issues to named units
 * with one fixed deadline, and the accountability list (问责清单) of the tasks unfinished by it. Each task runs
 * as a case: its red light and escalation (督办) are the case loop's.
 */
import { z } from 'zod';
import { bilingual, type LocalizedText } from './errors.ts';
import { regionCodeSchema } from './territory.ts';

/** Tasks one book may hold, and bytes of an imported file: a city's whole list fits. */
export const MAX_TASK_BOOK_TASKS = 1_000;
export const MAX_TASK_BOOK_BYTES = 5 * 1024 * 1024;

/**
 * Where a task stands against the book's deadline (the close of working hours on the deadline day):
 * - pending: its case is not issued yet (issuing was cut short: `POST /task-books/{id}/issue` finishes it);
 * - open: not done, the deadline not passed;
 * - overdue: not done and the deadline passed (red);
 * - done / doneLate: the unit finished it (办结: the case handled, awaiting or passed verification) by the
 *   deadline, or after it. A rework sent back by verification makes it unfinished again.
 */
export const TASK_STATES = ['pending', 'open', 'overdue', 'done', 'doneLate'] as const;
export type TaskState = (typeof TASK_STATES)[number];
export const TASK_STATE_LABELS: Record<TaskState, LocalizedText> = {
  pending: { zh: '未下达', en: 'Not issued' },
  open: { zh: '整改中', en: 'In progress' },
  overdue: { zh: '逾期未完成', en: 'Overdue' },
  done: { zh: '按期完成', en: 'Done on time' },
  doneLate: { zh: '逾期完成', en: 'Done late' },
};

const id = z.number().int().min(1).max(2_147_483_647);
const civilDate = z.iso
  .date({ error: bilingual('日期应为 YYYY-MM-DD', 'a date is written YYYY-MM-DD') })
  .describe('YYYY-MM-DD');

export const taskInputSchema = z.object({
  description: z.string().trim().min(2).max(2000).describe('任务内容 / 问题描述'),
  departmentId: id.describe('责任单位: the department the case is dispatched to'),
  regionCode: regionCodeSchema
    .optional()
    .describe(
      'Where the task is (所在区域): a region of the book; by default the unit’s area, else the book’s',
    ),
  responsibleName: z.string().trim().min(1).max(40).describe('责任人: the person answerable for it'),
});
export type TaskInput = z.infer<typeof taskInputSchema>;

const bookFields = {
  title: z.string().trim().min(2).max(200),
  campaignId: id.optional().describe('The campaign the book follows from, if any'),
  regionCode: regionCodeSchema.describe('The area the book covers: a region of your scope'),
  categoryId: id.describe('The category of its cases: an active minor class'),
  deadline: civilDate.describe('The one deadline of every task: today or later; met by the end of that day'),
};

export const createTaskBookSchema = z.object({
  ...bookFields,
  tasks: z.array(taskInputSchema).min(1).max(MAX_TASK_BOOK_TASKS),
});
export type CreateTaskBookInput = z.infer<typeof createTaskBookSchema>;

export const taskBookImportQuerySchema = z.object({
  title: bookFields.title,
  campaignId: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
  regionCode: bookFields.regionCode,
  categoryId: z.coerce.number().int().min(1).max(2_147_483_647),
  deadline: bookFields.deadline,
});
export type TaskBookImportQuery = z.infer<typeof taskBookImportQuerySchema>;

export const taskSchema = z.object({
  id: z.number().int(),
  position: z.number().int(),
  description: z.string(),
  departmentId: z.number().int(),
  departmentName: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  responsibleName: z.string(),
  caseId: z.number().int().nullable(),
  caseNumber: z.string().nullable(),
  caseState: z.string().nullable(),
  state: z.enum(TASK_STATES),
  /** The sweep escalated (督办) its handling step when it went red. */
  escalated: z.boolean(),
  /** Its case was verified and closed. */
  verified: z.boolean(),
  finishedAt: z.string().nullable().describe('When the unit last finished it (办结); null while unfinished'),
  daysOverdue: z
    .number()
    .int()
    .describe('Calendar days past the deadline, unfinished or finished late; else 0'),
});
export type Task = z.infer<typeof taskSchema>;

export const taskCountsSchema = z.object({
  total: z.number().int(),
  ...(Object.fromEntries(TASK_STATES.map((s) => [s, z.number().int()])) as Record<TaskState, z.ZodNumber>),
  escalated: z.number().int(),
});

export const taskBookSummarySchema = z.object({
  id: z.number().int(),
  number: z.string().describe('任务书 number, RWS-<year>-<seq>'),
  title: z.string(),
  campaignId: z.number().int().nullable(),
  regionCode: z.string(),
  regionName: z.string(),
  categoryId: z.number().int(),
  categoryName: z.string(),
  issuerName: z.string(),
  deadline: z.string(),
  deadlinePassed: z.boolean(),
  createdAt: z.string(),
  counts: taskCountsSchema.describe('Over the tasks the reader may see'),
});
export type TaskBookSummary = z.infer<typeof taskBookSummarySchema>;

export const taskBookSchema = taskBookSummarySchema.extend({
  tasks: z
    .array(taskSchema)
    .describe('The tasks the reader may see: a department its own, a village its own'),
});
export type TaskBook = z.infer<typeof taskBookSchema>;

export const taskBookListQuerySchema = z.object({
  region: z
    .string()
    .regex(/^\d{1,21}$/)
    .optional()
    .describe('Only books whose area lies in this region'),
  campaignId: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type TaskBookListQuery = z.infer<typeof taskBookListQuerySchema>;

export const taskBookPageSchema = z.object({
  items: z.array(taskBookSummarySchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

/** One line of the accountability list (问责清单): a task unfinished at its book's deadline. */
export const accountabilityEntrySchema = z.object({
  taskBookId: z.number().int(),
  taskBookNumber: z.string(),
  taskBookTitle: z.string(),
  deadline: z.string(),
  taskId: z.number().int(),
  position: z.number().int(),
  description: z.string(),
  departmentId: z.number().int(),
  departmentName: z.string().describe('责任单位'),
  responsibleName: z.string().describe('责任人'),
  regionCode: z.string(),
  regionName: z.string(),
  caseId: z.number().int().nullable(),
  caseNumber: z.string().nullable(),
  state: z.enum(['overdue', 'doneLate', 'pending']),
  escalated: z.boolean(),
  finishedAt: z.string().nullable(),
  daysOverdue: z.number().int(),
});
export type AccountabilityEntry = z.infer<typeof accountabilityEntrySchema>;

export const accountabilityQuerySchema = z.object({
  region: z
    .string()
    .regex(/^\d{1,21}$/)
    .optional()
    .describe('Only books whose area lies in this region'),
});

export const accountabilityListSchema = z.object({
  items: z.array(accountabilityEntrySchema),
  total: z.number().int(),
});
