import { describe, expect, it } from 'vitest';
import {
  formatYearSchedule,
  knownUntil,
  monthWeeks,
  parseYearSchedule,
  withDay,
  yearRanges,
} from './calendarDays.ts';

describe('the calendar page helpers', () => {
  it('lays out a month Monday first: October 2026 starts on a Thursday', () => {
    const weeks = monthWeeks(2026, 10);
    expect(weeks[0]).toEqual([null, null, null, '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04']);
    expect(weeks.flat().filter(Boolean)).toHaveLength(31);
    expect(weeks.every((week) => week.length === 7)).toBe(true);
  });

  it('reads a schedule copied from the notice, ranges included, and writes it back the same', () => {
    const text = '2027-10-01~2027-10-03 休 国庆节\n\n2027-09-26 班 国庆节调休上班';
    const { days, problems } = parseYearSchedule(text, 2027);
    expect(problems).toEqual([]);
    expect(days).toEqual([
      { date: '2027-09-26', workday: true, name: '国庆节调休上班' },
      { date: '2027-10-01', workday: false, name: '国庆节' },
      { date: '2027-10-02', workday: false, name: '国庆节' },
      { date: '2027-10-03', workday: false, name: '国庆节' },
    ]);
    expect(formatYearSchedule(days)).toBe('2027-09-26 班 国庆节调休上班\n2027-10-01~2027-10-03 休 国庆节');
  });

  it('names every bad line: a wrong date, another year, an unknown kind, a reversed range, a repeat', () => {
    const text = [
      '2027-02-30 休 春节',
      '2028-01-01 休 元旦',
      '2027-05-01 放 劳动节',
      '2027-05-05~2027-05-01 休 劳动节',
      '2027-06-01 休',
      '2027-06-01 班',
    ].join('\n');
    expect(parseYearSchedule(text, 2027).problems).toEqual([
      { line: 1, reason: 'badDate', value: '2027-02-30' },
      { line: 2, reason: 'otherYear', value: '2028-01-01' },
      { line: 3, reason: 'badKind', value: '放' },
      { line: 4, reason: 'range', value: '2027-05-05~2027-05-01' },
      { line: 6, reason: 'twice', value: '2027-06-01' },
    ]);
  });

  it('keeps only what differs from the plain week when a day is changed', () => {
    const days = [{ date: '2026-10-01', workday: false, name: '国庆节' }];
    // A Monday marked as a holiday is kept; set back to a plain workday it is dropped.
    const marked = withDay(days, '2026-06-15', { workday: false, name: '测试假日' });
    expect(marked).toHaveLength(2);
    expect(withDay(marked, '2026-06-15', { workday: true })).toEqual(days);
    // A Saturday at work is a make-up workday; a Saturday at rest without a name is the plain week.
    expect(withDay([], '2026-06-13', { workday: true })).toEqual([{ date: '2026-06-13', workday: true }]);
    expect(withDay([], '2026-06-13', { workday: false, name: ' ' })).toEqual([]);
  });

  it('says how far the calendar is known', () => {
    expect(yearRanges([2026, 2004, 2005, 2006, 2028])).toBe('2004–2006, 2026, 2028');
    expect(knownUntil([2025, 2026], 2025)).toBe('2026-12-31');
    expect(knownUntil([2025, 2026], 2027)).toBeNull();
  });
});
