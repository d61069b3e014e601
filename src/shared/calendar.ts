import { z } from 'zod';
import { TIME_UNITS } from './cases.ts';

/** A date that differs from the plain Monday–Friday week: a weekday holiday or a weekend make-up workday. */
export const calendarDaySchema = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  workday: z.boolean(),
  name: z.string().max(40).optional(),
});
export type CalendarDayInput = z.infer<typeof calendarDaySchema>;

export const workingHoursSchema = z.object({
  periods: z
    .array(z.object({ start: z.string(), end: z.string() }))
    .min(1)
    .max(6),
  timeZone: z.string(),
});
export type WorkingHoursInput = z.infer<typeof workingHoursSchema>;

export const calendarYearSchema = z.object({
  year: z.number().int(),
  covered: z.boolean(),
  days: z.array(calendarDaySchema),
  hours: workingHoursSchema,
  coveredYears: z.array(z.number().int()),
});
export type CalendarYear = z.infer<typeof calendarYearSchema>;

/** What loading or editing the calendar answers: the year (or the hours) and how many open steps' due moved. */
export const calendarYearLoadedSchema = calendarYearSchema.extend({
  moved: z
    .number()
    .int()
    .describe(
      'Open case steps whose due time moved: flagged beyond the calendar, or computed across a changed day',
    ),
});
export type CalendarYearLoaded = z.infer<typeof calendarYearLoadedSchema>;

export const workingHoursSetSchema = workingHoursSchema.extend({
  moved: z.number().int().describe('Open case steps whose due time moved with the new hours'),
});
export type WorkingHoursSet = z.infer<typeof workingHoursSetSchema>;

/** The deadline calculator: a start instant and a time limit as categories give them. */
export const dueQuerySchema = z.object({
  start: z.iso.datetime({ offset: true }).describe('The instant the step starts, ISO 8601 with an offset'),
  // The same bound as a category's time limit (timeLimitSchema); 0 gives the next working moment.
  amount: z.coerce.number().min(0).max(1000),
  unit: z.enum(TIME_UNITS),
});
export type DueQuery = z.infer<typeof dueQuerySchema>;

export const dueAnswerSchema = z.object({
  due: z.iso.datetime().nullable().describe('The due instant; null when the calendar ends first'),
  beyondCalendar: z
    .literal(true)
    .optional()
    .describe('Present when the deadline reaches a year whose schedule is not loaded'),
  lastKnownDate: z.string().optional().describe('The last date the calendar covers before the missing year'),
});
export type DueAnswer = z.infer<typeof dueAnswerSchema>;
