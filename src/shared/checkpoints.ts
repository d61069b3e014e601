/**
 * API shapes of checkpoints (卡点), shared by the server, the field view, the console and the CLI.
 *
 * A checkpoint is a point on the map with a duty roster; its staff log each person or vehicle passing. Entries
 * are written by the phone first (it may have no signal) under a client key it chose, so a replayed upload
 * stores each entry once.
 */
import { z } from 'zod';
import type { Role } from './roles.ts';

export { CHECKPOINT_READER_ROLES } from './access.ts';
/** Who sets up checkpoints and their rosters. */
export const CHECKPOINT_MANAGER_ROLES: readonly Role[] = ['administrator'];
/**
 * Who logs entries at a checkpoint of their scope: the staff on duty (grid workers), administrators, and
 * volunteers signed in to a checkpoint shift naming it (only that checkpoint: access.policy.ts).
 */
export const CHECKPOINT_LOGGER_ROLES: readonly Role[] = ['administrator', 'gridWorker', 'volunteer'];
/** Who exports entries and counts (personal data always masked in the files). */
export const CHECKPOINT_EXPORT_ROLES: readonly Role[] = ['administrator', 'leader', 'gridWorker'];

export const CHECKPOINT_KINDS = ['road', 'community', 'station', 'other'] as const;
export type CheckpointKind = (typeof CHECKPOINT_KINDS)[number];
export const CHECKPOINT_STATUSES = ['active', 'paused', 'closed'] as const;
export type CheckpointStatus = (typeof CHECKPOINT_STATUSES)[number];
/** Three eight-hour shifts, as checkpoints are usually staffed; `SHIFT_HOURS` gives their times. */
export const SHIFTS = ['early', 'middle', 'night'] as const;
export type Shift = (typeof SHIFTS)[number];
export const SHIFT_HOURS: Record<Shift, string> = {
  early: '06:00–14:00',
  middle: '14:00–22:00',
  night: '22:00–06:00',
};
export const DIRECTIONS = ['in', 'out'] as const;
export type Direction = (typeof DIRECTIONS)[number];
export const SUBJECTS = ['person', 'vehicle'] as const;
export type Subject = (typeof SUBJECTS)[number];
export const OUTCOMES = ['passed', 'stopped'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** At most this many entries in one upload: the phone sends its queue in slices. */
export const MAX_ENTRIES_PER_BATCH = 500;
/** A phone's clock a little ahead of the server's does not make an entry from the future. */
export const ENTRY_CLOCK_SKEW_MS = 5 * 60_000;
/** A body temperature at or above this is a fever (发热): the field view suggests stopping. */
export const FEVER_CELSIUS = 37.3;
/** The longest period a count or export covers. */
export const MAX_COUNT_DAYS = 92;

/**
 * A Chinese number plate: province character, letter, then five (ordinary) or six (new energy) characters, the
 * last possibly 挂/学/警/港/澳. Spaces, dots and dashes as people write them are dropped first.
 */
const PLATE =
  /^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领][A-Z][A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9挂学警港澳]$/;

/** The plate as stored (capitals, no separators), or null when it is not a plate. */
export function normalizePlate(input: string): string | null {
  const value = input.replace(/[\s·.\-_]/g, '').toUpperCase();
  return PLATE.test(value) ? value : null;
}

/** What a scanner's line is: an ID number (18 characters, digits and a final X) or a plate, by its shape. */
export function scannedKind(input: string): 'idNumber' | 'plate' | null {
  const value = input.replace(/\s+/g, '').toUpperCase();
  if (/^\d{17}[\dX]$/.test(value)) return 'idNumber';
  if (normalizePlate(value)) return 'plate';
  return null;
}

const civilDate = z.iso.date().describe('YYYY-MM-DD, Asia/Shanghai');
const regionCode = z
  .string()
  .regex(/^\d{2,21}$/)
  .describe('A region or grid code: limits the answer to its subtree');
const id = z.number().int().min(1).max(2_147_483_647);
const lon = z.number().min(-180).max(180).describe('WGS-84 longitude');
const lat = z.number().min(-90).max(90).describe('WGS-84 latitude');

export const checkpointInputSchema = z.object({
  name: z.string().trim().min(1).max(60),
  kind: z.enum(CHECKPOINT_KINDS),
  status: z.enum(CHECKPOINT_STATUSES).default('active'),
  lon,
  lat,
  note: z.string().trim().max(500).default(''),
  formId: id.nullable().optional().describe('A form (forms module) whose questions are extra checks'),
});
export type CheckpointInput = z.infer<typeof checkpointInputSchema>;

export const checkpointPatchSchema = checkpointInputSchema
  .partial()
  .extend({ version: z.number().int().min(1).describe('The version read: a concurrent change answers 409') });
export type CheckpointPatch = z.infer<typeof checkpointPatchSchema>;

export const dutySchema = z
  .object({
    weekday: z.number().int().min(1).max(7).describe('1 Monday … 7 Sunday'),
    shift: z.enum(SHIFTS),
    userId: id.nullable().describe('A user of the checkpoint’s village; null for outside staff, named'),
    name: z.string().trim().max(40).nullable().describe('Outside staff (police, volunteers): their name'),
  })
  .refine((d) => d.userId !== null || (d.name ?? '') !== '', {
    message: 'Either userId or name',
    path: ['name'],
  });
export type DutyInput = z.infer<typeof dutySchema>;

export const rosterInputSchema = z.object({
  version: z.number().int().min(1),
  duties: z.array(dutySchema).max(21 * 10),
});
export type RosterInput = z.infer<typeof rosterInputSchema>;

export const checkpointListQuerySchema = z.object({
  regionCode: regionCode.optional(),
  status: z.enum(CHECKPOINT_STATUSES).optional(),
});
export type CheckpointListQuery = z.infer<typeof checkpointListQuerySchema>;

export const dutySummarySchema = z.object({
  weekday: z.number().int(),
  shift: z.enum(SHIFTS),
  userId: z.number().int().nullable(),
  name: z.string(),
  outside: z.boolean().describe('Outside staff, not a gridgov user'),
});
export type DutySummary = z.infer<typeof dutySummarySchema>;

export const checkpointSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.enum(CHECKPOINT_KINDS),
  status: z.enum(CHECKPOINT_STATUSES),
  lon: z.number(),
  lat: z.number(),
  gridCode: z.string(),
  gridName: z.string(),
  villageCode: z.string(),
  villageName: z.string(),
  note: z.string(),
  formId: z.number().int().nullable(),
  formVersionId: z
    .number()
    .int()
    .nullable()
    .describe("The form's version asked now (GET /form-versions/{id}); null without a published form"),
  synthetic: z.boolean(),
  version: z.number().int(),
  today: z.object({ total: z.number().int(), stopped: z.number().int() }),
  onDutyNow: z.array(z.string()).describe('Names on the roster for the current shift (Asia/Shanghai)'),
});
export type Checkpoint = z.infer<typeof checkpointSchema>;

export const checkpointDetailSchema = checkpointSchema.extend({ roster: z.array(dutySummarySchema) });
export type CheckpointDetail = z.infer<typeof checkpointDetailSchema>;

export const checkpointListSchema = z.object({ checkpoints: z.array(checkpointSchema) });
export type CheckpointList = z.infer<typeof checkpointListSchema>;

export const staffListSchema = z.object({
  staff: z.array(z.object({ id: z.number().int(), name: z.string(), role: z.string() })),
});
export type StaffList = z.infer<typeof staffListSchema>;

export const entryKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/)
  .describe('Chosen by the phone when the entry is made: a re-sent entry is stored once');

export const entryInputSchema = z.object({
  clientKey: entryKeySchema,
  at: z.iso.datetime({ offset: true }).describe('When the person or vehicle passed'),
  direction: z.enum(DIRECTIONS),
  subject: z.enum(SUBJECTS),
  plate: z.string().trim().max(16).nullable().optional().describe('A vehicle’s plate (required for one)'),
  idNumber: z.string().trim().max(24).nullable().optional().describe('A person’s ID number (GB 11643)'),
  temperature: z.number().min(30).max(45).nullable().optional().describe('Body temperature, °C'),
  checks: z
    .record(
      z.string().max(64),
      z.union([z.string().max(500), z.number(), z.boolean(), z.null(), z.array(z.string().max(100)).max(50)]),
    )
    .optional()
    .describe(
      "Answers to the checkpoint's form, by question name; checked by the rules of the version in formVersionId",
    ),
  formVersionId: id
    .nullable()
    .optional()
    .describe(
      "The version of the checkpoint's form the phone asked (the checkpoint's formVersionId when the entry was " +
        'made): the checks are validated against it, so a form republished while the phone was offline does not ' +
        "refuse its queue; it must be a published version of the checkpoint's form. Without it: the newest",
    ),
  outcome: z.enum(OUTCOMES),
  reason: z.string().trim().max(200).nullable().optional().describe('Why stopped (required then)'),
});
export type EntryInput = z.infer<typeof entryInputSchema>;

export const entryBatchSchema = z.object({
  entries: z.array(entryInputSchema).min(1).max(MAX_ENTRIES_PER_BATCH),
});
export type EntryBatch = z.infer<typeof entryBatchSchema>;

export const entryResultSchema = z.object({
  clientKey: z.string(),
  status: z.enum(['stored', 'duplicate', 'rejected']),
  id: z.number().int().nullable(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })),
});
export type EntryResult = z.infer<typeof entryResultSchema>;

export const entryBatchResultSchema = z.object({
  stored: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.number().int(),
  results: z.array(entryResultSchema),
});
export type EntryBatchResult = z.infer<typeof entryBatchResultSchema>;

const periodShape = {
  from: civilDate.optional().describe('First day (default: 6 days before `to`)'),
  to: civilDate.optional().describe('Last day (default: today)'),
  regionCode: regionCode.optional(),
  checkpointId: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
};

export const entryListQuerySchema = z.object({
  ...periodShape,
  direction: z.enum(DIRECTIONS).optional(),
  subject: z.enum(SUBJECTS).optional(),
  outcome: z.enum(OUTCOMES).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type EntryListQuery = z.infer<typeof entryListQuerySchema>;

export const entrySchema = z.object({
  id: z.number().int(),
  checkpointId: z.number().int(),
  checkpointName: z.string(),
  at: z.string(),
  direction: z.enum(DIRECTIONS),
  subject: z.enum(SUBJECTS),
  plate: z.string().nullable(),
  idNumber: z.string().nullable().describe('Masked unless the role sees ID numbers in clear (reveal to see)'),
  idNumberMasked: z.boolean(),
  temperature: z.number().nullable(),
  checks: z
    .record(z.string(), z.unknown())
    .describe('The answers by question name, as stored (choice codes)'),
  checkAnswers: z
    .array(z.object({ name: z.string(), question: z.string(), answer: z.string() }))
    .describe(
      "The checks as people read them, in the request's language: each question's name, its text and the answer " +
        "(choices by their labels) as the entry's own form version words them, in that version's order",
    ),
  formVersionId: z
    .number()
    .int()
    .nullable()
    .describe("The checkpoint form's version the checks were validated against (GET /form-versions/{id})"),
  formVersion: z
    .number()
    .int()
    .nullable()
    .describe('Its version number; null for a checkpoint without a form'),
  outcome: z.enum(OUTCOMES),
  reason: z.string().nullable(),
  recordedBy: z.string(),
  synthetic: z.boolean(),
});
export type Entry = z.infer<typeof entrySchema>;

export const entryPageSchema = z.object({
  total: z.number().int(),
  entries: z.array(entrySchema),
});
export type EntryPage = z.infer<typeof entryPageSchema>;

export const countQuerySchema = z.object(periodShape);
export type CountQuery = z.infer<typeof countQuerySchema>;

export const exportQuerySchema = z.object({
  ...periodShape,
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
});
export type ExportQuery = z.infer<typeof exportQuerySchema>;

export const dailyCountSchema = z.object({
  checkpointId: z.number().int(),
  checkpointName: z.string(),
  villageName: z.string(),
  day: z.string(),
  peopleIn: z.number().int(),
  peopleOut: z.number().int(),
  vehiclesIn: z.number().int(),
  vehiclesOut: z.number().int(),
  stopped: z.number().int(),
  fever: z.number().int().describe(`Entries with a temperature of ${FEVER_CELSIUS} °C or more`),
  total: z.number().int(),
});
export type DailyCount = z.infer<typeof dailyCountSchema>;

export const dailyCountListSchema = z.object({
  from: z.string(),
  to: z.string(),
  rows: z.array(dailyCountSchema),
});
export type DailyCountList = z.infer<typeof dailyCountListSchema>;

export const revealResultSchema = z.object({ field: z.literal('idNumber'), value: z.string().nullable() });
