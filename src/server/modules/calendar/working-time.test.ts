import { describe, expect, it } from 'vitest';
import { CHINESE_DAYS_YEARS, calendarDaysFromChineseDays } from './calendar-seed.ts';
import {
  addWorkingTime,
  type CalendarDay,
  createWorkingCalendar,
  DEFAULT_WORKING_HOURS,
  type DeadlineResult,
  deadlineStatus,
  dueAfterSuspension,
  isWorkday,
  type TimeLimit,
  type WorkingHours,
  workingMillisBetween,
} from './working-time.ts';

// These tests must give the same answers whatever the machine's zone: run them with TZ=UTC and
// TZ=America/New_York too. Every instant below is written with its +08:00 offset and read back in Beijing time.

/** The calendar as it is seeded: every year chinese-days knows, 2026 the last. */
const official = createWorkingCalendar({
  days: calendarDaysFromChineseDays(CHINESE_DAYS_YEARS),
  coveredYears: CHINESE_DAYS_YEARS,
  hours: DEFAULT_WORKING_HOURS,
});

function calendarOf(options: { days?: CalendarDay[]; coveredYears: number[]; hours?: WorkingHours }) {
  return createWorkingCalendar({
    days: options.days ?? [],
    coveredYears: options.coveredYears,
    hours: options.hours,
  });
}

/** An instant given in Beijing time, 'YYYY-MM-DD HH:mm'. */
function beijing(text: string): Date {
  return new Date(`${text.replace(' ', 'T')}:00+08:00`);
}

const beijingFormat = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  dateStyle: 'short',
  timeStyle: 'short',
});

/** The due time in Beijing time, 'YYYY-MM-DD HH:mm', or the flag when the calendar ran out. */
function due(result: DeadlineResult): string {
  return 'due' in result ? beijingFormat.format(result.due) : `beyond calendar after ${result.lastKnownDate}`;
}

function add(start: string, amount: number, unit: TimeLimit['unit'], calendar = official): string {
  return due(addWorkingTime(calendar, beijing(start), { amount, unit }));
}

const HOUR = 3_600_000;

describe('the acceptance case: reported before National Day 2026', () => {
  it('reads the 2026 autumn holidays and make-up workdays from the official schedule', () => {
    const autumn = calendarDaysFromChineseDays([2026]).filter(
      (d) => d.date >= '2026-09-01' && d.date <= '2026-10-31',
    );
    expect(autumn).toEqual([
      { date: '2026-09-20', workday: true, name: '国庆节调休上班' },
      { date: '2026-09-25', workday: false, name: '中秋' },
      { date: '2026-10-01', workday: false, name: '国庆节' },
      { date: '2026-10-02', workday: false, name: '国庆节' },
      { date: '2026-10-05', workday: false, name: '国庆节' },
      { date: '2026-10-06', workday: false, name: '国庆节' },
      { date: '2026-10-07', workday: false, name: '国庆节' },
      { date: '2026-10-10', workday: true, name: '国庆节调休上班' },
    ]);
  });

  it('makes a 2-working-day limit from 2026-09-30 16:00 due on 2026-10-09 at 16:00 Beijing time', () => {
    const result = addWorkingTime(official, new Date('2026-09-30T16:00:00+08:00'), {
      amount: 2,
      unit: 'workingDays',
    });
    // 10-01…10-07 are the holiday, 10-08 (Thursday) is the first workday, 10-09 (Friday) the second.
    expect(result).toEqual({ due: new Date('2026-10-09T08:00:00.000Z') });
  });
});

describe('working-hours limits', () => {
  it('count time inside a morning period', () => {
    expect(add('2026-03-09 09:00', 2, 'workingHours')).toBe('2026-03-09 11:00');
  });

  it('skip the lunch break', () => {
    expect(add('2026-03-09 11:00', 2, 'workingHours')).toBe('2026-03-09 15:00');
  });

  it('end at the closing time when the limit is used up exactly then', () => {
    expect(add('2026-03-09 08:30', 3.5, 'workingHours')).toBe('2026-03-09 12:00');
    expect(add('2026-03-09 14:00', 3.5, 'workingHours')).toBe('2026-03-09 17:30');
  });

  it('skip the night', () => {
    expect(add('2026-03-09 16:30', 2, 'workingHours')).toBe('2026-03-10 09:30');
  });

  it('skip a weekend', () => {
    // Friday 16:00–17:30 uses 1.5 h; the other 2.5 h run from Monday 08:30.
    expect(add('2026-03-13 16:00', 4, 'workingHours')).toBe('2026-03-16 11:00');
  });

  it('start counting at the next opening when reported outside working hours', () => {
    expect(add('2026-03-09 12:30', 1, 'workingHours')).toBe('2026-03-09 15:00');
    expect(add('2026-03-09 20:00', 1, 'workingHours')).toBe('2026-03-10 09:30');
    expect(add('2026-03-14 10:00', 1, 'workingHours')).toBe('2026-03-16 09:30');
  });

  it('accept fractions of an hour', () => {
    expect(add('2026-03-09 17:15', 0.5, 'workingHours')).toBe('2026-03-10 08:45');
  });

  it('skip the National Day holiday', () => {
    expect(add('2026-09-30 17:00', 1, 'workingHours')).toBe('2026-10-08 09:00');
  });

  it('count make-up workdays (调休) as workdays', () => {
    // Friday 10-09 17:00 + 1 h: half an hour on Friday, the rest on Saturday 10-10, a make-up workday.
    expect(add('2026-10-09 17:00', 1, 'workingHours')).toBe('2026-10-10 09:00');
  });

  it('use configured working hours', () => {
    const longDay = calendarOf({
      coveredYears: [2026],
      hours: { periods: [{ start: '09:00', end: '18:00' }], timeZone: 'Asia/Shanghai' },
    });
    expect(add('2026-03-09 17:00', 2, 'workingHours', longDay)).toBe('2026-03-10 10:00');
  });
});

describe('working-days limits', () => {
  it('fall at the same working time on the N-th following workday', () => {
    expect(add('2026-03-11 16:00', 2, 'workingDays')).toBe('2026-03-13 16:00');
    expect(add('2026-03-12 16:00', 2, 'workingDays')).toBe('2026-03-16 16:00');
  });

  it('start from the afternoon opening when reported in the lunch break', () => {
    expect(add('2026-03-09 12:30', 1, 'workingDays')).toBe('2026-03-10 14:00');
  });

  it('start from the next workday opening when reported after the last period or before the first', () => {
    // Wednesday evening: the clock starts Thursday 08:30, so one working day ends Friday 08:30.
    expect(add('2026-03-11 18:00', 1, 'workingDays')).toBe('2026-03-13 08:30');
    expect(add('2026-03-11 07:00', 1, 'workingDays')).toBe('2026-03-12 08:30');
    expect(add('2026-03-11 17:30', 1, 'workingDays')).toBe('2026-03-13 08:30');
  });

  it('start from the first workday after a holiday, and count a make-up Saturday', () => {
    // Reported during the holiday: the clock starts 10-08 08:30; 10-09 is one day, Saturday 10-10 the second.
    expect(add('2026-10-03 10:00', 2, 'workingDays')).toBe('2026-10-10 08:30');
    expect(add('2026-10-09 16:00', 1, 'workingDays')).toBe('2026-10-10 16:00');
  });

  it('jump the Spring Festival and land on its make-up Saturday', () => {
    expect(add('2026-02-13 10:00', 1, 'workingDays')).toBe('2026-02-14 10:00');
    expect(add('2026-02-13 10:00', 2, 'workingDays')).toBe('2026-02-24 10:00');
  });

  it('count a fraction of a day as that share of the working day (7 h by default)', () => {
    expect(add('2026-03-09 09:00', 0.5, 'workingDays')).toBe('2026-03-09 14:30');
    expect(add('2026-03-09 09:00', 1.5, 'workingDays')).toBe('2026-03-10 14:30');
  });
});

describe('natural-days limits', () => {
  it('ignore holidays', () => {
    expect(add('2026-09-30 16:00', 3, 'naturalDays')).toBe('2026-10-03 16:00');
  });

  it('need no calendar, so are computed past the known years', () => {
    expect(add('2026-12-30 16:00', 5, 'naturalDays')).toBe('2027-01-04 16:00');
  });
});

describe('the edge of the known calendar', () => {
  it('does not guess: a date in a year without an official schedule is unknown', () => {
    expect(CHINESE_DAYS_YEARS.at(-1)).toBe(2026);
    expect(isWorkday(official, '2026-10-01')).toBe(false);
    expect(isWorkday(official, '2027-10-01')).toBeNull();
  });

  it('flags a deadline that would fall beyond the covered years', () => {
    expect(addWorkingTime(official, beijing('2026-12-30 16:00'), { amount: 2, unit: 'workingDays' })).toEqual(
      {
        beyondCalendar: true,
        lastKnownDate: '2026-12-31',
      },
    );
    expect(add('2026-12-31 16:00', 2, 'workingHours')).toBe('beyond calendar after 2026-12-31');
  });

  it('still computes a deadline that ends before the year runs out', () => {
    expect(add('2026-12-31 16:00', 1, 'workingHours')).toBe('2026-12-31 17:00');
    expect(add('2026-12-30 16:00', 1, 'workingDays')).toBe('2026-12-31 16:00');
  });

  it('flags a start in an unknown year', () => {
    expect(add('2027-03-01 09:00', 1, 'workingHours')).toBe('beyond calendar after 2026-12-31');
  });

  it('computes again once an administrator loads the next year', () => {
    const withNextYear = createWorkingCalendar({
      days: [
        ...calendarDaysFromChineseDays([2026]),
        { date: '2027-01-01', workday: false, name: '元旦' },
        { date: '2027-01-04', workday: false, name: '元旦' },
      ],
      coveredYears: [2026, 2027],
      hours: DEFAULT_WORKING_HOURS,
    });
    // 12-31 (Thursday) is one working day; 2027-01-01 (Friday) and 01-04 (Monday) are holidays, 01-05 the second.
    expect(add('2026-12-30 16:00', 2, 'workingDays', withNextYear)).toBe('2027-01-05 16:00');
  });
});

describe('createWorkingCalendar', () => {
  it('treats dates of a covered year without a row as the plain week', () => {
    const plain = calendarOf({ coveredYears: [2030] });
    expect(isWorkday(plain, '2030-03-01')).toBe(true);
    expect(isWorkday(plain, '2030-03-02')).toBe(false);
  });

  it('covers the years of its rows unless told otherwise', () => {
    const calendar = createWorkingCalendar({
      days: [{ date: '2028-10-02', workday: false, name: '国庆节' }],
    });
    expect(calendar.coveredYears).toEqual([2028]);
    expect(isWorkday(calendar, '2028-10-02')).toBe(false);
  });

  it('keeps a year unknown while its rows are only partly entered', () => {
    const calendar = calendarOf({
      days: [{ date: '2027-10-01', workday: false, name: '国庆节' }],
      coveredYears: [2026],
    });
    expect(isWorkday(calendar, '2027-10-01')).toBeNull();
  });

  it('refuses rows and hours that would make deadlines wrong', () => {
    expect(() =>
      calendarOf({ days: [{ date: '2026-02-30', workday: false }], coveredYears: [2026] }),
    ).toThrow(RangeError);
    expect(() =>
      calendarOf({
        days: [
          { date: '2026-10-01', workday: false },
          { date: '2026-10-01', workday: true },
        ],
        coveredYears: [2026],
      }),
    ).toThrow(/twice/);
    const hours =
      (periods: WorkingHours['periods'], timeZone = 'Asia/Shanghai') =>
      () =>
        calendarOf({ coveredYears: [2026], hours: { periods, timeZone } });
    expect(hours([])).toThrow(/at least one/);
    expect(hours([{ start: '8:30', end: '12:00' }])).toThrow(/HH:mm/);
    expect(hours([{ start: '12:00', end: '08:30' }])).toThrow(/end after/);
    expect(
      hours([
        { start: '14:00', end: '17:30' },
        { start: '08:30', end: '12:00' },
      ]),
    ).toThrow(/order/);
    expect(hours([{ start: '08:30', end: '12:00' }], 'Asia/Peking')).toThrow(RangeError);
  });

  it('refuses a negative limit', () => {
    expect(() =>
      addWorkingTime(official, beijing('2026-03-09 09:00'), { amount: -1, unit: 'workingHours' }),
    ).toThrow(RangeError);
  });
});

describe('time zones', () => {
  it('derives the offset from the configured zone, daylight saving included', () => {
    const berlin = calendarOf({
      coveredYears: [2026],
      hours: { periods: [{ start: '09:00', end: '17:00' }], timeZone: 'Europe/Berlin' },
    });
    // Friday 16:00 CET + 2 h: one hour on Friday, one on Monday from 09:00 CEST (summer time began on Sunday).
    const result = addWorkingTime(berlin, new Date('2026-03-27T16:00:00+01:00'), {
      amount: 2,
      unit: 'workingHours',
    });
    expect(result).toEqual({ due: new Date('2026-03-30T10:00:00+02:00') });
  });
});

describe('workingMillisBetween', () => {
  it('counts only working periods of workdays', () => {
    expect(workingMillisBetween(official, beijing('2026-03-09 09:00'), beijing('2026-03-10 09:00'))).toBe(
      7 * HOUR,
    );
    expect(workingMillisBetween(official, beijing('2026-03-09 11:00'), beijing('2026-03-09 15:00'))).toBe(
      2 * HOUR,
    );
  });

  it('counts nothing over a holiday', () => {
    expect(workingMillisBetween(official, beijing('2026-09-30 16:00'), beijing('2026-10-08 09:00'))).toBe(
      2 * HOUR,
    );
  });

  it('is zero when the end is not after the start', () => {
    expect(workingMillisBetween(official, beijing('2026-03-09 11:00'), beijing('2026-03-09 10:00'))).toBe(0);
  });

  it('is null beyond the calendar', () => {
    expect(
      workingMillisBetween(official, beijing('2026-12-31 09:00'), beijing('2027-01-04 09:00')),
    ).toBeNull();
  });

  it('measures back what addWorkingTime added', () => {
    const start = beijing('2026-09-29 10:17');
    const result = addWorkingTime(official, start, { amount: 13.25, unit: 'workingHours' });
    if (!('due' in result)) throw new Error('expected a due time');
    expect(workingMillisBetween(official, start, result.due)).toBe(13.25 * HOUR);
  });
});

describe('suspension (挂账): the clock stops and the due time moves on resumption', () => {
  // Dispatched Monday 09:00 with 4 working hours: due Monday 15:00.
  const dueAt = beijing('2026-03-09 15:00');

  it('moves the due time by the working time the case stood suspended', () => {
    const result = dueAfterSuspension({
      calendar: official,
      due: dueAt,
      suspendedAt: beijing('2026-03-09 10:00'),
      resumedAt: beijing('2026-03-11 10:00'),
    });
    // Three working hours were left at suspension; from Wednesday 10:00 they end at 15:00.
    expect(due(result)).toBe('2026-03-11 15:00');
  });

  it('leaves the due time alone when the suspension covered no working time', () => {
    const result = dueAfterSuspension({
      calendar: official,
      due: dueAt,
      suspendedAt: beijing('2026-03-09 12:10'),
      resumedAt: beijing('2026-03-09 13:50'),
    });
    expect(result).toEqual({ due: dueAt });
  });

  it('does not count the holiday a case was suspended over', () => {
    const result = dueAfterSuspension({
      calendar: official,
      due: beijing('2026-09-30 17:00'),
      suspendedAt: beijing('2026-09-30 16:30'),
      resumedAt: beijing('2026-10-08 09:30'),
    });
    // Half an hour was left at suspension; resumed 10-08 09:30, it ends at 10:00.
    expect(due(result)).toBe('2026-10-08 10:00');
  });

  it('flags a resumption past the calendar', () => {
    const result = dueAfterSuspension({
      calendar: official,
      due: beijing('2026-12-31 17:00'),
      suspendedAt: beijing('2026-12-31 10:00'),
      resumedAt: beijing('2027-01-05 10:00'),
    });
    expect(result).toEqual({ beyondCalendar: true, lastKnownDate: '2026-12-31' });
  });
});

describe('deadlineStatus', () => {
  // 4 working hours from Monday 09:00: due Monday 15:00. Yellow at 75 %, i.e. after 3 working hours.
  const step = { start: beijing('2026-03-09 09:00'), due: beijing('2026-03-09 15:00'), yellowShare: 0.75 };
  const status = (now: string) => deadlineStatus({ ...step, now: beijing(now), calendar: official });

  it('is green while less than the yellow share of the working time is used', () => {
    expect(status('2026-03-09 11:00')).toBe('onTime');
    expect(status('2026-03-09 11:59')).toBe('onTime');
  });

  it('turns yellow at the share, measured in working time: the lunch break does not count', () => {
    expect(status('2026-03-09 12:00')).toBe('dueSoon');
    expect(status('2026-03-09 13:30')).toBe('dueSoon');
    expect(status('2026-03-09 15:00')).toBe('dueSoon');
  });

  it('turns red once the due time has passed', () => {
    expect(deadlineStatus({ ...step, now: new Date(step.due.getTime() + 1), calendar: official })).toBe(
      'overdue',
    );
  });

  it('stays green overnight on a two-day limit', () => {
    const twoDays = {
      start: beijing('2026-03-09 16:00'),
      due: beijing('2026-03-11 16:00'),
      yellowShare: 0.8,
    };
    expect(deadlineStatus({ ...twoDays, now: beijing('2026-03-10 07:00'), calendar: official })).toBe(
      'onTime',
    );
    expect(deadlineStatus({ ...twoDays, now: beijing('2026-03-11 13:00'), calendar: official })).toBe(
      'dueSoon',
    );
  });

  it('falls back to elapsed time when the calendar no longer covers the step', () => {
    const only2026 = calendarOf({ coveredYears: [2026] });
    const across = { start: beijing('2026-12-31 10:00'), due: beijing('2027-01-04 10:00'), yellowShare: 0.5 };
    expect(deadlineStatus({ ...across, now: beijing('2027-01-01 10:00'), calendar: only2026 })).toBe(
      'onTime',
    );
    expect(deadlineStatus({ ...across, now: beijing('2027-01-03 10:00'), calendar: only2026 })).toBe(
      'dueSoon',
    );
  });

  it('refuses a yellow share outside 0–1', () => {
    expect(() => deadlineStatus({ ...step, yellowShare: 75, now: step.start, calendar: official })).toThrow(
      RangeError,
    );
  });
});
