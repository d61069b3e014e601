import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { AuditService, RecordAuditOptions } from '../audit/audit.service.ts';
import type { Actor } from '../people/actor.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import * as repository from './calendar.repository.ts';
import { CHINESE_DAYS_YEARS, calendarDaysFromChineseDays } from './calendar-seed.ts';
import {
  addWorkingTime,
  type CalendarDay,
  createWorkingCalendar,
  DEFAULT_WORKING_HOURS,
  type DeadlineResult,
  instantOf,
  isWorkday,
  type TimeLimit,
  type WorkingCalendar,
  type WorkingHours,
} from './working-time.ts';

const EDIT_CALENDAR = { zh: '维护工作日历', en: 'maintain the working calendar' };
const WORKING_HOURS_KEY = 'calendar.workingHours';
const DAY = 86_400_000;

export type CalendarService = ReturnType<typeof createCalendarService>;

/** A change of the calendar, told to those whose deadlines run on it (the cases' open steps). */
export interface CalendarChange {
  actor: Actor;
  /** The calendar as it is about to be stored. */
  working: WorkingCalendar;
  /** The instants from the first to the end of the last date whose status changed, or every day (new hours). */
  changed: { from: Date; to: Date } | 'everyDay';
  /** Names the change in the timelines of what moved, e.g. "working calendar 2027 loaded". */
  reason: string;
}

/**
 * Told of each change before it is stored, outside any transaction (to read what it needs); answers the work
 * to do in the change's transaction, which answers how many due times moved.
 */
export type CalendarChangeListener = (change: CalendarChange) => Promise<(trx: Db) => Promise<number>>;

/**
 * The working calendar as stored: seeded from the State Council schedules in chinese-days, then edited by
 * administrators (next year's schedule, local adjustments). Kept in memory and rebuilt after every change.
 * Every deadline of every village runs on it, so only an administrator of the whole deployment changes it
 * (see territory/deployment.policy.ts); anyone signed in reads it.
 */
export function createCalendarService(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  territory: Pick<TerritoryService, 'assertGovernsAll'>;
}) {
  const { db, audit, territory } = deps;
  let cached: WorkingCalendar | null = null;
  const listeners: CalendarChangeListener[] = [];

  /** Registers work that follows every change of the calendar (wired in deps.ts: the cases' due times). */
  function onCalendarChanged(listener: CalendarChangeListener): void {
    listeners.push(listener);
  }

  /**
   * Stores a change with what follows from it, in one transaction audited with the count of due times moved.
   */
  async function applyChange(
    change: CalendarChange,
    store: (trx: Db) => Promise<void>,
    audited: Omit<RecordAuditOptions, 'actor'>,
  ): Promise<number> {
    const follow = await Promise.all(listeners.map((listener) => listener(change)));
    const moved = await db.transaction().execute(async (trx) => {
      await store(trx);
      let count = 0;
      for (const work of follow) count += await work(trx);
      await audit.record(trx, {
        ...audited,
        actor: change.actor,
        details: { ...audited.details, moved: count },
      });
      return count;
    });
    cached = null;
    return moved;
  }

  /** Loads the years chinese-days knows into an empty calendar: run at every start, does nothing after. */
  async function ensureSeeded(): Promise<void> {
    const years = await repository.listCalendarYears(db);
    if (years.length) return;
    await db.transaction().execute(async (trx) => {
      for (const year of CHINESE_DAYS_YEARS) {
        const days = calendarDaysFromChineseDays([year]);
        await repository.replaceCalendarYear(trx, year, days, 'chinese-days');
      }
    });
    cached = null;
  }

  async function getCalendar(): Promise<WorkingCalendar> {
    if (cached) return cached;
    const [days, years, hours] = await Promise.all([
      repository.listCalendarDays(db),
      repository.listCalendarYears(db),
      repository.findSetting(db, WORKING_HOURS_KEY),
    ]);
    cached = createWorkingCalendar({
      days,
      coveredYears: years.map((y) => y.year),
      hours: (hours as WorkingHours | undefined) ?? DEFAULT_WORKING_HOURS,
    });
    return cached;
  }

  /** The due instant of a step that starts at `start` with `limit`, or a flag that the calendar ends first. */
  async function dueAfter(start: Date, limit: TimeLimit): Promise<DeadlineResult> {
    return addWorkingTime(await getCalendar(), start, limit);
  }

  async function getYear(year: number) {
    const calendar = await getCalendar();
    const prefix = `${year}-`;
    return {
      year,
      covered: calendar.coveredYears.includes(year),
      days: [...calendar.days.values()].filter((d) => d.date.startsWith(prefix)),
      hours: presentHours(calendar.hours),
      coveredYears: [...calendar.coveredYears],
    };
  }

  /**
   * Loads a year's official schedule, replacing what was stored for it: the weekday holidays and weekend
   * make-up workdays. Once loaded, deadlines that reach into that year are computed instead of flagged.
   */
  async function loadYear(actor: Actor, options: { year: number; days: CalendarDay[] }) {
    await territory.assertGovernsAll(actor, EDIT_CALENDAR);
    const outside = options.days.find((d) => !d.date.startsWith(`${options.year}-`));
    if (outside) {
      throw new AppError('VALIDATION_FAILED', {
        summary:
          actor.locale === 'en-US'
            ? `${outside.date} is not in ${options.year}`
            : `${outside.date} 不在 ${options.year} 年内`,
      });
    }
    // Fails on duplicate or malformed dates before anything is written.
    rejectingBadInput(() => createWorkingCalendar({ days: options.days, coveredYears: [options.year] }));
    const before = await getCalendar();
    const prefix = `${options.year}-`;
    const working = createWorkingCalendar({
      days: [...[...before.days.values()].filter((d) => !d.date.startsWith(prefix)), ...options.days],
      coveredYears: [...before.coveredYears, options.year],
      hours: before.hours,
    });
    const moved = await applyChange(
      {
        actor,
        working,
        changed: changedSpan(before, working, options.year),
        reason:
          actor.locale === 'en-US'
            ? `working calendar ${options.year} loaded`
            : `工作日历 ${options.year} 年已更新`,
      },
      (trx) => repository.replaceCalendarYear(trx, options.year, options.days, 'admin'),
      {
        action: 'calendar.year.load',
        entityType: 'calendar',
        entityId: options.year,
        details: { days: options.days.length },
      },
    );
    return { ...(await getYear(options.year)), moved };
  }

  async function setWorkingHours(actor: Actor, hours: WorkingHours) {
    await territory.assertGovernsAll(actor, EDIT_CALENDAR);
    rejectingBadInput(() => createWorkingCalendar({ days: [], hours }));
    const before = await getCalendar();
    const working = createWorkingCalendar({
      days: [...before.days.values()],
      coveredYears: before.coveredYears,
      hours,
    });
    const moved = await applyChange(
      {
        actor,
        working,
        // The same hours again move nothing: only steps flagged beyond the calendar are looked at.
        changed: sameHours(before.hours, hours) ? NOTHING_CHANGED : 'everyDay',
        reason: actor.locale === 'en-US' ? 'working hours changed' : '工作时间已调整',
      },
      (trx) => repository.saveSetting(trx, WORKING_HOURS_KEY, hours),
      { action: 'calendar.hours.set', entityType: 'calendar', entityId: 'hours', details: { ...hours } },
    );
    return { ...presentHours((await getCalendar()).hours), moved };
  }

  /**
   * The deadline calculator: when a step starting at `start` with this limit is due, on the stored calendar.
   */
  async function calculateDue(query: { start: string; amount: number; unit: TimeLimit['unit'] }) {
    const result = await dueAfter(new Date(query.start), { amount: query.amount, unit: query.unit });
    return 'due' in result
      ? { due: result.due.toISOString() }
      : { due: null, beyondCalendar: true as const, lastKnownDate: result.lastKnownDate };
  }

  return {
    ensureSeeded,
    getCalendar,
    dueAfter,
    calculateDue,
    getYear,
    loadYear,
    setWorkingHours,
    onCalendarChanged,
  };
}

/**
 * The span of a year's dates whose status (workday or not, known or not) differs between two calendars, from
 * the start of the first to the end of the last, in the calendar's zone (every date of a year not known before).
 */
function changedSpan(
  before: WorkingCalendar,
  after: WorkingCalendar,
  year: number,
): { from: Date; to: Date } {
  const { timeZone } = after.hours;
  let first: string | null = null;
  let last: string | null = null;
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += DAY) {
    const date = new Date(t).toISOString().slice(0, 10);
    if (isWorkday(before, date) === isWorkday(after, date)) continue;
    first ??= date;
    last = date;
  }
  if (first === null || last === null) return NOTHING_CHANGED;
  return {
    from: new Date(instantOf(first, 0, timeZone)),
    to: new Date(instantOf(last, DAY, timeZone)),
  };
}

/** The calendar's own checks throw RangeError with a message naming the bad value: a client error. */
function rejectingBadInput(check: () => unknown): void {
  try {
    check();
  } catch (error) {
    if (error instanceof RangeError) throw new AppError('VALIDATION_FAILED', { summary: error.message });
    throw error;
  }
}

/** An empty span: only the steps flagged beyond the calendar are looked at. */
const NOTHING_CHANGED = { from: new Date(0), to: new Date(0) };

function sameHours(a: WorkingHours, b: WorkingHours): boolean {
  return JSON.stringify(presentHours(a)) === JSON.stringify(presentHours(b));
}

function presentHours(hours: WorkingHours) {
  return { periods: hours.periods.map((p) => ({ ...p })), timeZone: hours.timeZone };
}
