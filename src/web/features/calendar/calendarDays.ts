import type { CalendarDayInput } from '../../../shared/calendar.ts';

/**
 * The calendar page's date arithmetic. Dates are civil 'YYYY-MM-DD' strings computed on UTC midnights, so the
 * browser's own time zone never shifts a holiday by a day.
 */

const DAY_MS = 86_400_000;

function utc(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

function isoDate(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  return new Date(utc(date)).getUTCDay() || 7;
}

export function isWeekend(date: string): boolean {
  return isoWeekday(date) >= 6;
}

/** The weeks of a month, Monday first; days outside the month are null. `month` is 1–12. */
export function monthWeeks(year: number, month: number): (string | null)[][] {
  const first = Date.UTC(year, month - 1, 1);
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const cells: (string | null)[] = Array.from({ length: isoWeekday(isoDate(first)) - 1 }, () => null);
  for (let d = 0; d < days; d++) cells.push(isoDate(first + d * DAY_MS));
  while (cells.length % 7) cells.push(null);
  return Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7));
}

/** Whether people work on `date`: its entry when there is one, else the plain Monday–Friday week. */
export function worksOn(date: string, entry: CalendarDayInput | undefined): boolean {
  return entry ? entry.workday : !isWeekend(date);
}

/**
 * The year's entries with `date` set to `change`; an entry that says only what the plain week says anyway
 * (a weekday at work, a weekend at rest, no name) is dropped, as the stored calendar keeps differences.
 */
export function withDay(
  days: readonly CalendarDayInput[],
  date: string,
  change: { workday: boolean; name?: string } | null,
): CalendarDayInput[] {
  const others = days.filter((d) => d.date !== date);
  const name = change?.name?.trim();
  if (!change || (change.workday === !isWeekend(date) && !name)) return others;
  return [...others, { date, workday: change.workday, ...(name ? { name } : {}) }].sort((a, b) =>
    a.date.localeCompare(b.date),
  );
}

export interface ScheduleProblem {
  line: number;
  reason: 'badDate' | 'otherYear' | 'badKind' | 'range' | 'twice';
  /** The text at fault, to quote back. */
  value: string;
}

const REST = ['休', 'holiday', 'rest'];
const WORK = ['班', 'workday', 'work'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(value: string): boolean {
  return DATE.test(value) && isoDate(utc(value)) === value;
}

function spanProblem(
  from: string,
  to: string,
  year: number,
): { reason: 'badDate' | 'otherYear' | 'range'; value: string } | null {
  const bad = [from, to].find((value) => !validDate(value));
  if (bad !== undefined) return { reason: 'badDate', value: bad };
  const outside = [from, to].find((value) => !value.startsWith(`${year}-`));
  if (outside !== undefined) return { reason: 'otherYear', value: outside };
  if (to < from) return { reason: 'range', value: `${from}~${to}` };
  return null;
}

/**
 * Reads a year's schedule as administrators copy it from the State Council notice, one item a line:
 * `2027-10-01~2027-10-07 休 国庆节` or `2027-09-26 班 国庆节调休上班`. Every problem is reported with its line.
 */
export function parseYearSchedule(
  text: string,
  year: number,
): { days: CalendarDayInput[]; problems: ScheduleProblem[] } {
  const byDate = new Map<string, CalendarDayInput>();
  const problems: ScheduleProblem[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = index + 1;
    const [span = '', kind = '', ...rest] = raw.trim().split(/\s+/);
    if (!span) continue;
    const [from = '', to = from] = span.split(/[~～]/);
    const problem = spanProblem(from, to, year);
    if (problem) {
      problems.push({ line, ...problem });
      continue;
    }
    const workday = WORK.includes(kind.toLowerCase());
    if (!workday && !REST.includes(kind.toLowerCase())) {
      problems.push({ line, reason: 'badKind', value: kind });
      continue;
    }
    const name = rest.join(' ').slice(0, 40);
    for (let time = utc(from); time <= utc(to); time += DAY_MS) {
      const date = isoDate(time);
      if (byDate.has(date)) {
        problems.push({ line, reason: 'twice', value: date });
        break;
      }
      byDate.set(date, { date, workday, ...(name ? { name } : {}) });
    }
  }
  return { days: [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date)), problems };
}

/** The inverse of parseYearSchedule: consecutive days of the same kind and name become one range. */
export function formatYearSchedule(days: readonly CalendarDayInput[]): string {
  const sorted = [...days].sort((a, b) => a.date.localeCompare(b.date));
  const lines: string[] = [];
  let run: { from: string; to: string; workday: boolean; name: string } | null = null;
  const flush = () => {
    if (!run) return;
    const span = run.from === run.to ? run.from : `${run.from}~${run.to}`;
    lines.push([span, run.workday ? '班' : '休', run.name].filter(Boolean).join(' '));
  };
  for (const day of sorted) {
    const name = day.name ?? '';
    if (run && run.workday === day.workday && run.name === name && utc(day.date) - utc(run.to) === DAY_MS) {
      run.to = day.date;
      continue;
    }
    flush();
    run = { from: day.date, to: day.date, workday: day.workday, name };
  }
  flush();
  return lines.join('\n');
}

/** "2004–2026, 2028": the covered years as ranges. */
export function yearRanges(years: readonly number[]): string {
  const sorted = [...years].sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const year of sorted) {
    const last = ranges.at(-1);
    if (last && year === last[1] + 1) last[1] = year;
    else ranges.push([year, year]);
  }
  return ranges.map(([a, b]) => (a === b ? String(a) : `${a}–${b}`)).join(', ');
}

/** The last date of the unbroken run of covered years that contains `year`, or null when it is not covered. */
export function knownUntil(years: readonly number[], year: number): string | null {
  if (!years.includes(year)) return null;
  let last = year;
  while (years.includes(last + 1)) last++;
  return `${last}-12-31`;
}
