import type { TIME_UNITS } from '../../../shared/cases.ts';

/**
 * Working-time arithmetic over the official calendar of holidays and make-up workdays (调休).
 *
 * Everything here works in the civil time of `WorkingHours.timeZone` (Asia/Shanghai by default), whatever the
 * server's own time zone: instants are converted with Intl, never with the Date's local getters.
 * A date in a year the calendar does not cover is unknown: a computation that needs it answers
 * `beyondCalendar` instead of guessing a Monday–Friday week.
 */

/** A date whose status differs from the plain week, or that an administrator wants named. */
export interface CalendarDay {
  /** 'YYYY-MM-DD', a civil date in the calendar's time zone. */
  date: string;
  workday: boolean;
  /** The holiday's name, or the holiday a make-up workday (调休) belongs to. */
  name?: string;
}

export interface WorkingPeriod {
  /** 'HH:mm', wall-clock time in the calendar's time zone. */
  start: string;
  end: string;
}

export interface WorkingHours {
  /** The working periods of every workday, in order and not overlapping. */
  periods: readonly WorkingPeriod[];
  /** An IANA zone name. */
  timeZone: string;
}

export const DEFAULT_WORKING_HOURS: WorkingHours = {
  periods: [
    { start: '08:30', end: '12:00' },
    { start: '14:00', end: '17:30' },
  ],
  timeZone: 'Asia/Shanghai',
};

export type TimeUnit = (typeof TIME_UNITS)[number];

export interface TimeLimit {
  amount: number;
  unit: TimeUnit;
}

export interface WorkingCalendar {
  readonly hours: WorkingHours;
  /** Years whose official schedule is loaded, ascending. */
  readonly coveredYears: readonly number[];
  /** Rows of covered years, by date. */
  readonly days: ReadonlyMap<string, CalendarDay>;
}

/**
 * A due time, or the flag that it falls beyond the known calendar, with the last date the calendar covers
 * before the year that is missing.
 */
export type DeadlineResult = { due: Date } | { beyondCalendar: true; lastKnownDate: string };

export type DeadlineStatus = 'onTime' | 'dueSoon' | 'overdue';

export interface CreateWorkingCalendarOptions {
  /** Weekday holidays and weekend make-up workdays; other dates follow the Monday–Friday week. */
  days: readonly CalendarDay[];
  /** Years whose schedule is complete; by default the years the rows fall in. */
  coveredYears?: readonly number[];
  hours?: WorkingHours;
}

export interface DeadlineStatusOptions {
  start: Date;
  due: Date;
  now: Date;
  /** Share of the working time between start and due after which the step turns yellow, 0–1. */
  yellowShare: number;
  calendar: WorkingCalendar;
}

export interface DueAfterSuspensionOptions {
  calendar: WorkingCalendar;
  due: Date;
  suspendedAt: Date;
  resumedAt: Date;
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Builds a calendar, refusing rows and hours that would make deadlines wrong rather than merely odd. */
export function createWorkingCalendar(options: CreateWorkingCalendarOptions): WorkingCalendar {
  const hours = options.hours ?? DEFAULT_WORKING_HOURS;
  validateHours(hours);
  const days = new Map<string, CalendarDay>();
  for (const day of options.days) {
    parseDate(day.date);
    if (days.has(day.date)) throw new RangeError(`The calendar lists ${day.date} twice`);
    days.set(day.date, day);
  }
  const years = options.coveredYears ?? [...days.keys()].map(yearOf);
  for (const year of years) {
    if (!Number.isInteger(year)) throw new RangeError(`Not a year: ${year}`);
  }
  const coveredYears = [...new Set(years)].sort((a, b) => a - b);
  const covered = new Set(coveredYears);
  // Rows of a year that is not (yet) declared complete must not make that year look known.
  for (const date of days.keys()) {
    if (!covered.has(yearOf(date))) days.delete(date);
  }
  return { hours, coveredYears, days };
}

/** Whether a date is a workday; null when its year is not covered by the calendar. */
export function isWorkday(calendar: WorkingCalendar, date: string): boolean | null {
  const { year, weekday } = parseDate(date);
  if (!calendar.coveredYears.includes(year)) return null;
  const row = calendar.days.get(date);
  if (row) return row.workday;
  return weekday !== 0 && weekday !== 6;
}

/**
 * Adds a time limit to a start instant.
 *
 * - `workingHours`: time passes only inside the working periods of workdays. A deadline that ends exactly when
 *   a period closes is that closing time (12:00), not the next opening.
 * - `workingDays`: the start first moves to the next working moment if it is outside working hours (lunch break
 *   → 14:00; after the last period, a weekend or a holiday → the next workday's opening); the deadline is then
 *   the same wall-clock time on the N-th following workday. So 16:00 + 2 working days is 16:00 on the second
 *   workday after the start's day. A fractional part counts as that share of a working day's hours.
 * - `naturalDays`: the same wall-clock time N calendar days later, holidays or not (a fractional part in
 *   absolute time); it needs no calendar and is never beyond it.
 */
export function addWorkingTime(calendar: WorkingCalendar, start: Date, limit: TimeLimit): DeadlineResult {
  if (!Number.isFinite(limit.amount) || limit.amount < 0) {
    throw new RangeError(`A time limit must be a non-negative number, got ${limit.amount}`);
  }
  switch (limit.unit) {
    case 'workingHours':
      return addWorkingMillis(calendar, start.getTime(), Math.round(limit.amount * HOUR));
    case 'workingDays':
      return addWorkingDays(calendar, start.getTime(), limit.amount);
    case 'naturalDays':
      return { due: new Date(addNaturalDays(calendar, start.getTime(), limit.amount)) };
  }
}

/** Working time between two instants in milliseconds (0 when `to` is not after `from`); null if beyond the calendar. */
export function workingMillisBetween(calendar: WorkingCalendar, from: Date, to: Date): number | null {
  const result = measureWorkingMillis(calendar, from.getTime(), to.getTime());
  return typeof result === 'number' ? result : null;
}

/**
 * The due time of a step after it was suspended (挂账): the clock stood still, so the due time moves by the
 * working time that passed between suspension and resumption.
 */
export function dueAfterSuspension(options: DueAfterSuspensionOptions): DeadlineResult {
  const { calendar, due, suspendedAt, resumedAt } = options;
  const paused = measureWorkingMillis(calendar, suspendedAt.getTime(), resumedAt.getTime());
  if (typeof paused !== 'number') return beyond(paused.unknownDate);
  return addWorkingMillis(calendar, due.getTime(), paused);
}

/**
 * Green, yellow or red for an open step. Yellow once the working time consumed since the start reaches
 * `yellowShare` of the working time the step was given; red once the due time has passed.
 */
export function deadlineStatus(options: DeadlineStatusOptions): DeadlineStatus {
  const { start, due, now, yellowShare, calendar } = options;
  if (!(yellowShare >= 0 && yellowShare <= 1)) {
    throw new RangeError(`yellowShare must be between 0 and 1, got ${yellowShare}`);
  }
  if (now.getTime() > due.getTime()) return 'overdue';
  const total = workingMillisBetween(calendar, start, due);
  const consumed = workingMillisBetween(calendar, start, now);
  if (total === null || consumed === null) {
    // The due time itself is already fixed; only the colour is at stake, so elapsed time is a fair stand-in
    // for a calendar an administrator has since unloaded.
    const elapsed = Math.max(0, now.getTime() - start.getTime());
    return elapsed >= yellowShare * (due.getTime() - start.getTime()) ? 'dueSoon' : 'onTime';
  }
  return consumed >= yellowShare * total ? 'dueSoon' : 'onTime';
}

/**
 * When a step from `start` due at `due` turns yellow: after `share` of its working time. Null when the
 * calendar does not reach that far (the step is then flagged beyond the calendar anyway).
 */
export function warningTime(calendar: WorkingCalendar, start: Date, due: Date, share: number): Date | null {
  const total = workingMillisBetween(calendar, start, due);
  if (total === null) return null;
  const result = addWorkingMillis(calendar, start.getTime(), Math.round(share * total));
  return 'due' in result ? result.due : null;
}

function addWorkingMillis(calendar: WorkingCalendar, start: number, millis: number): DeadlineResult {
  // No time to consume means no reason to move the instant, even when it sits outside working hours.
  if (millis === 0) return { due: new Date(start) };
  let remaining = millis;
  for (let date = civilDateOf(start, calendar.hours.timeZone); ; date = shiftDate(date, 1)) {
    const intervals = workingIntervals(calendar, date);
    if (intervals === null) return beyond(date);
    for (const [open, close] of intervals) {
      if (close <= start) continue;
      const from = Math.max(open, start);
      if (remaining <= close - from) return { due: new Date(from + remaining) };
      remaining -= close - from;
    }
  }
}

function addWorkingDays(calendar: WorkingCalendar, start: number, amount: number): DeadlineResult {
  const opening = nextWorkingMoment(calendar, start);
  if (typeof opening !== 'number') return beyond(opening.unknownDate);
  const { timeZone } = calendar.hours;
  const wallTime = wallTimeOf(opening, timeZone);
  let date = civilDateOf(opening, timeZone);
  for (let counted = 0; counted < Math.floor(amount); ) {
    date = shiftDate(date, 1);
    const workday = isWorkday(calendar, date);
    if (workday === null) return beyond(date);
    if (workday) counted += 1;
  }
  const due = instantOf(date, wallTime, timeZone);
  const fraction = amount - Math.floor(amount);
  return addWorkingMillis(calendar, due, Math.round(fraction * workingDayMillis(calendar.hours)));
}

function addNaturalDays(calendar: WorkingCalendar, start: number, amount: number): number {
  const { timeZone } = calendar.hours;
  const whole = Math.floor(amount);
  const date = shiftDate(civilDateOf(start, timeZone), whole);
  return instantOf(date, wallTimeOf(start, timeZone), timeZone) + Math.round((amount - whole) * DAY);
}

function nextWorkingMoment(calendar: WorkingCalendar, instant: number): number | { unknownDate: string } {
  for (let date = civilDateOf(instant, calendar.hours.timeZone); ; date = shiftDate(date, 1)) {
    const intervals = workingIntervals(calendar, date);
    if (intervals === null) return { unknownDate: date };
    for (const [open, close] of intervals) {
      if (close > instant) return Math.max(open, instant);
    }
  }
}

function measureWorkingMillis(
  calendar: WorkingCalendar,
  from: number,
  to: number,
): number | { unknownDate: string } {
  if (to <= from) return 0;
  const { timeZone } = calendar.hours;
  const lastDate = civilDateOf(to, timeZone);
  let total = 0;
  for (let date = civilDateOf(from, timeZone); date <= lastDate; date = shiftDate(date, 1)) {
    const intervals = workingIntervals(calendar, date);
    if (intervals === null) return { unknownDate: date };
    for (const [open, close] of intervals) {
      total += Math.max(0, Math.min(close, to) - Math.max(open, from));
    }
  }
  return total;
}

/**
 * Calendars are loaded a whole year at a time, so the answer names the end of the year before the one that is
 * missing: the administrator's cue to load the next year.
 */
function beyond(unknownDate: string): DeadlineResult {
  return { beyondCalendar: true, lastKnownDate: `${yearOf(unknownDate) - 1}-12-31` };
}

// A deadline walks the same dates again and again (every open case's colour, every list), so each date's
// working intervals are computed once per calendar.
const intervalCache = new WeakMap<
  WorkingCalendar,
  Map<string, readonly (readonly [number, number])[] | null>
>();

/** The working periods of a date as instants: empty on a rest day, null when the date is unknown. */
function workingIntervals(
  calendar: WorkingCalendar,
  date: string,
): readonly (readonly [number, number])[] | null {
  let cache = intervalCache.get(calendar);
  if (!cache) {
    cache = new Map();
    intervalCache.set(calendar, cache);
  }
  const cached = cache.get(date);
  if (cached !== undefined) return cached;
  const workday = isWorkday(calendar, date);
  const { periods, timeZone } = calendar.hours;
  const intervals =
    workday === null
      ? null
      : workday
        ? periods.map(
            (period) =>
              [
                instantOf(date, minutesOf(period.start) * MINUTE, timeZone),
                instantOf(date, minutesOf(period.end) * MINUTE, timeZone),
              ] as const,
          )
        : [];
  cache.set(date, intervals);
  return intervals;
}

function workingDayMillis(hours: WorkingHours): number {
  return hours.periods.reduce((sum, p) => sum + (minutesOf(p.end) - minutesOf(p.start)) * MINUTE, 0);
}

function validateHours(hours: WorkingHours): void {
  if (hours.periods.length === 0) throw new RangeError('Working hours need at least one period');
  let previousEnd = -1;
  for (const { start, end } of hours.periods) {
    if (!TIME_PATTERN.test(start) || !TIME_PATTERN.test(end)) {
      throw new RangeError(`Working periods are written HH:mm, got ${start}–${end}`);
    }
    if (minutesOf(start) >= minutesOf(end))
      throw new RangeError(`A working period must end after it starts: ${start}–${end}`);
    if (minutesOf(start) < previousEnd)
      throw new RangeError('Working periods must be in order and not overlap');
    previousEnd = minutesOf(end);
  }
  // Throws a RangeError for an unknown zone name.
  new Intl.DateTimeFormat('en-US', { timeZone: hours.timeZone });
}

function minutesOf(time: string): number {
  const match = TIME_PATTERN.exec(time);
  if (!match) throw new RangeError(`Not a time HH:mm: ${time}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

function parseDate(date: string): { year: number; month: number; day: number; weekday: number } {
  const match = DATE_PATTERN.exec(date);
  const utc = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (!match || Number.isNaN(utc) || new Date(utc).toISOString().slice(0, 10) !== date) {
    throw new RangeError(`Not a date YYYY-MM-DD: ${date}`);
  }
  return {
    year: Number(match[1]),
    month: Number(match[2]),
    day: Number(match[3]),
    weekday: new Date(utc).getUTCDay(),
  };
}

function yearOf(date: string): number {
  return parseDate(date).year;
}

/** Civil dates are shifted as UTC midnights, which no time zone's rules can disturb. */
function shiftDate(date: string, days: number): string {
  const { year, month, day } = parseDate(date);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in milliseconds, asked of Intl (slow: a few microseconds). */
function formattedOffset(instant: number, timeZone: string): number {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  const parts: Record<string, string> = {};
  for (const part of formatter.formatToParts(instant)) parts[part.type] = part.value;
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return wall - (instant - (((instant % 1000) + 1000) % 1000));
}

// Every report computes deadlines, each asking the zone's offset several times. Zones change offset only at
// transitions, and every transition in use falls on a quarter hour of UTC, so the offset is kept per quarter
// hour (read at its start) and Intl is asked once per zone and quarter hour.
const QUARTER_HOUR = 15 * 60_000;
const MAX_OFFSETS = 100_000;
const offsets = new Map<string, number>();

/** The zone's offset from UTC at an instant, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const quarter = Math.floor(instant / QUARTER_HOUR);
  const key = `${timeZone}|${quarter}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = formattedOffset(quarter * QUARTER_HOUR, timeZone);
    if (offsets.size >= MAX_OFFSETS) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

function zonedFields(instant: number, timeZone: string): { date: string; millisOfDay: number } {
  const local = instant + offsetAt(instant, timeZone);
  const millisOfDay = ((local % DAY) + DAY) % DAY;
  return { date: new Date(local - millisOfDay).toISOString().slice(0, 10), millisOfDay };
}

export function civilDateOf(instant: number, timeZone: string): string {
  return zonedFields(instant, timeZone).date;
}

function wallTimeOf(instant: number, timeZone: string): number {
  return zonedFields(instant, timeZone).millisOfDay;
}

/** The instant a wall clock in the zone shows `millisOfDay` on `date`. */
export function instantOf(date: string, millisOfDay: number, timeZone: string): number {
  const { year, month, day } = parseDate(date);
  const asUtc = Date.UTC(year, month - 1, day) + millisOfDay;
  const guess = asUtc - offsetAt(asUtc, timeZone);
  // Near a daylight-saving change the offset at the guess can differ from the one at the wall time.
  return asUtc - offsetAt(guess, timeZone);
}
