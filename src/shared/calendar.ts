import { z } from 'zod';

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
