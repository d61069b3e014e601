import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
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
  type TimeLimit,
  type WorkingCalendar,
  type WorkingHours,
} from './working-time.ts';

const EDIT_CALENDAR = { zh: '维护工作日历', en: 'maintain the working calendar' };
const WORKING_HOURS_KEY = 'calendar.workingHours';

export type CalendarService = ReturnType<typeof createCalendarService>;

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
    await db.transaction().execute(async (trx) => {
      await repository.replaceCalendarYear(trx, options.year, options.days, 'admin');
      await audit.record(trx, {
        actor,
        action: 'calendar.year.load',
        entityType: 'calendar',
        entityId: options.year,
        details: { days: options.days.length },
      });
    });
    cached = null;
    return getYear(options.year);
  }

  async function setWorkingHours(actor: Actor, hours: WorkingHours) {
    await territory.assertGovernsAll(actor, EDIT_CALENDAR);
    rejectingBadInput(() => createWorkingCalendar({ days: [], hours }));
    await db.transaction().execute(async (trx) => {
      await repository.saveSetting(trx, WORKING_HOURS_KEY, hours);
      await audit.record(trx, {
        actor,
        action: 'calendar.hours.set',
        entityType: 'calendar',
        entityId: 'hours',
        details: { ...hours },
      });
    });
    cached = null;
    return presentHours((await getCalendar()).hours);
  }

  return { ensureSeeded, getCalendar, dueAfter, getYear, loadYear, setWorkingHours };
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

function presentHours(hours: WorkingHours) {
  return { periods: hours.periods.map((p) => ({ ...p })), timeZone: hours.timeZone };
}
