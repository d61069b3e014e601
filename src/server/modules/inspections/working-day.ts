/**
 * Rectification deadlines that are not a length of working time but the close of a day: 立行立改 (rectify at
 * once) is due when the working day the failure was found in closes, and a campaign's fixed date when that date
 * closes. Pure, over the working calendar (holidays and make-up workdays 调休 included).
 */
import {
  addWorkingTime,
  civilDateOf,
  type DeadlineResult,
  instantOf,
  type WorkingCalendar,
} from '../calendar/working-time.ts';

/** When the working day closes: the end of its last working period ('17:30'), as milliseconds of the day. */
function closingMillis(calendar: WorkingCalendar): number {
  const last = calendar.hours.periods[calendar.hours.periods.length - 1];
  const [hours, minutes] = (last?.end ?? '00:00').split(':').map(Number);
  return ((hours ?? 0) * 60 + (minutes ?? 0)) * 60_000;
}

/**
 * The close of the working day `at` falls in. Outside working hours it is the close of the next working day
 * (after hours, on a rest day or a holiday), but a lunch break or an early morning of a workday still belongs
 * to that day. Beyond the calendar when the next working day lies in a year it does not cover.
 */
export function endOfWorkingDay(calendar: WorkingCalendar, at: Date): DeadlineResult {
  // Zero working days from `at` is the next working moment: `at` itself within working hours.
  const opening = addWorkingTime(calendar, at, { amount: 0, unit: 'workingDays' });
  if (!('due' in opening)) return opening;
  const { timeZone } = calendar.hours;
  return {
    due: new Date(instantOf(civilDateOf(opening.due.getTime(), timeZone), closingMillis(calendar), timeZone)),
  };
}

/** The close of working hours on a civil date ('YYYY-MM-DD'): a fixed rectification date is met by then. */
export function endOfDate(calendar: WorkingCalendar, date: string): Date {
  return new Date(instantOf(date, closingMillis(calendar), calendar.hours.timeZone));
}
