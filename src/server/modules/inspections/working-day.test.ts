import { describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../calendar/working-time.ts';
import { endOfDate, endOfWorkingDay } from './working-day.ts';

// 2026: National Day 10-01…10-07 off, Saturday 10-10 a make-up workday (调休). Default hours 08:30–12:00,
// 14:00–17:30 Beijing time (UTC+8).
const calendar = createWorkingCalendar({
  coveredYears: [2026],
  days: [
    ...['01', '02', '05', '06', '07'].map((d) => ({ date: `2026-10-${d}`, workday: false, name: '国庆节' })),
    { date: '2026-10-10', workday: true, name: '国庆节' },
  ],
});
const beijing = (local: string) => new Date(`${local}+08:00`);
const endOf = (local: string) => {
  const result = endOfWorkingDay(calendar, beijing(local));
  return 'due' in result ? result.due.toISOString() : result;
};

describe('endOfWorkingDay (立行立改)', () => {
  it('is the close of the same day during working hours, the lunch break and before opening', () => {
    expect(endOf('2026-11-23T10:00:00')).toBe(beijing('2026-11-23T17:30:00').toISOString());
    expect(endOf('2026-11-23T12:30:00')).toBe(beijing('2026-11-23T17:30:00').toISOString());
    expect(endOf('2026-11-23T07:00:00')).toBe(beijing('2026-11-23T17:30:00').toISOString());
  });

  it('after hours is the close of the next working day, over weekends and holidays', () => {
    expect(endOf('2026-11-23T18:00:00')).toBe(beijing('2026-11-24T17:30:00').toISOString());
    expect(endOf('2026-11-23T17:30:00')).toBe(beijing('2026-11-24T17:30:00').toISOString());
    expect(endOf('2026-11-27T19:00:00')).toBe(beijing('2026-11-30T17:30:00').toISOString());
    expect(endOf('2026-11-28T10:00:00')).toBe(beijing('2026-11-30T17:30:00').toISOString());
    expect(endOf('2026-09-30T18:00:00')).toBe(beijing('2026-10-08T17:30:00').toISOString());
    expect(endOf('2026-10-03T10:00:00')).toBe(beijing('2026-10-08T17:30:00').toISOString());
  });

  it('counts a make-up Saturday as a working day', () => {
    expect(endOf('2026-10-10T09:00:00')).toBe(beijing('2026-10-10T17:30:00').toISOString());
    expect(endOf('2026-10-09T18:00:00')).toBe(beijing('2026-10-10T17:30:00').toISOString());
  });

  it('follows the configured working hours', () => {
    const late = createWorkingCalendar({
      coveredYears: [2026],
      days: [],
      hours: { periods: [{ start: '09:00', end: '18:00' }], timeZone: 'Asia/Shanghai' },
    });
    const result = endOfWorkingDay(late, beijing('2026-11-23T17:45:00'));
    expect(result).toEqual({ due: beijing('2026-11-23T18:00:00') });
  });

  it('says so when the next working day lies beyond the calendar', () => {
    expect(endOf('2026-12-31T18:00:00')).toEqual({ beyondCalendar: true, lastKnownDate: '2026-12-31' });
  });
});

describe('endOfDate (fixed rectification date)', () => {
  it('is the close of working hours on that date, Beijing time', () => {
    expect(endOfDate(calendar, '2026-12-01').toISOString()).toBe('2026-12-01T09:30:00.000Z');
  });
});
