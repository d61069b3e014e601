import schedule from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import type { CalendarDay } from './working-time.ts';

/**
 * The first rows of the calendar table, from the State Council schedules bundled in `chinese-days`.
 *
 * We read the package's generated data file rather than call `getDayDetail`/`isWorkday`: chinese-days 1.5.7
 * builds its in-memory tables at load time by parsing 'YYYY-M-D' as UTC midnight and formatting it with the
 * server's local getters, so on a server west of Greenwich every holiday lands on the day before
 * (2026-01-03, a holiday, reads as the make-up workday of 2026-01-04). The JSON file was generated once, in
 * China, and is right whatever the server's zone. Its entries have the same form as `getDayDetail(…).name`.
 */
const { holidays, workdays } = schedule as {
  /** Rest days of official holidays, weekends included: date → "National Day,国庆节,3". */
  holidays: Record<string, string>;
  /** Make-up workdays (调休上班): date → the holiday they pay for. */
  workdays: Record<string, string>;
};

/**
 * The years `chinese-days` has an official schedule for: those with at least one holiday. For any other year
 * the package silently answers with the plain Monday–Friday week.
 */
export const CHINESE_DAYS_YEARS: readonly number[] = [
  ...new Set(Object.keys(holidays).map((date) => Number(date.slice(0, 4)))),
].sort((a, b) => a - b);

/**
 * For each year, every holiday that falls on a weekday and every make-up workday (调休) that falls on a
 * weekend — the dates that differ from the plain week — named in Chinese: "国庆节", "国庆节调休上班".
 */
export function calendarDaysFromChineseDays(years: readonly number[]): CalendarDay[] {
  const days: CalendarDay[] = [];
  for (const year of years) {
    if (!CHINESE_DAYS_YEARS.includes(year)) {
      throw new RangeError(`chinese-days has no official schedule for ${year}; load it by hand`);
    }
    for (let time = Date.UTC(year, 0, 1); time < Date.UTC(year + 1, 0, 1); time += 86_400_000) {
      const date = new Date(time).toISOString().slice(0, 10);
      const weekend = new Date(time).getUTCDay() % 6 === 0;
      const holiday = holidays[date];
      const makeUp = workdays[date];
      if (holiday !== undefined && !weekend) {
        days.push({ date, workday: false, name: chineseName(holiday) });
      } else if (makeUp !== undefined && weekend) {
        days.push({ date, workday: true, name: `${chineseName(makeUp)}调休上班` });
      }
    }
  }
  return days;
}

/** Entries read "National Day,国庆节,3": English name, Chinese name, length of the holiday in days. */
function chineseName(entry: string): string {
  const name = entry.split(',')[1];
  if (!name) throw new Error(`Unexpected chinese-days entry: ${entry}`);
  return name;
}
