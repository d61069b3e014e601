import { describe, expect, it } from 'vitest';
import { CHINESE_DAYS_YEARS, calendarDaysFromChineseDays } from './calendar-seed.ts';

describe('CHINESE_DAYS_YEARS', () => {
  it('lists the consecutive years with an official schedule, up to 2026', () => {
    const first = CHINESE_DAYS_YEARS[0] ?? 0;
    const last = CHINESE_DAYS_YEARS.at(-1) ?? 0;
    expect(first).toBe(2004);
    expect(last).toBeGreaterThanOrEqual(2026);
    expect(CHINESE_DAYS_YEARS).toEqual(Array.from({ length: last - first + 1 }, (_, i) => first + i));
  });
});

describe('calendarDaysFromChineseDays', () => {
  const days2026 = calendarDaysFromChineseDays([2026]);
  const byDate = new Map(days2026.map((day) => [day.date, day]));

  it('marks National Day 2026 as a holiday', () => {
    expect(byDate.get('2026-10-01')).toEqual({ date: '2026-10-01', workday: false, name: '国庆节' });
  });

  it('marks the make-up weekend days of 2026 as workdays', () => {
    expect(byDate.get('2026-09-20')).toEqual({ date: '2026-09-20', workday: true, name: '国庆节调休上班' });
    expect(byDate.get('2026-10-10')).toEqual({ date: '2026-10-10', workday: true, name: '国庆节调休上班' });
    expect(days2026.filter((d) => d.workday).map((d) => d.date)).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
  });

  it('lists the weekday holidays of 2026 and leaves out those falling on a weekend', () => {
    expect(days2026.filter((d) => !d.workday).map((d) => `${d.date} ${d.name}`)).toEqual([
      '2026-01-01 元旦',
      '2026-01-02 元旦',
      '2026-02-16 春节',
      '2026-02-17 春节',
      '2026-02-18 春节',
      '2026-02-19 春节',
      '2026-02-20 春节',
      '2026-02-23 春节',
      '2026-04-06 清明',
      '2026-05-01 劳动节',
      '2026-05-04 劳动节',
      '2026-05-05 劳动节',
      '2026-06-19 端午',
      '2026-09-25 中秋',
      '2026-10-01 国庆节',
      '2026-10-02 国庆节',
      '2026-10-05 国庆节',
      '2026-10-06 国庆节',
      '2026-10-07 国庆节',
    ]);
  });

  it('lists only the dates that differ from the plain week, in every year', () => {
    for (const day of calendarDaysFromChineseDays(CHINESE_DAYS_YEARS)) {
      const weekend = new Date(`${day.date}T00:00:00Z`).getUTCDay() % 6 === 0;
      expect(day.workday, day.date).toBe(weekend);
      expect(day.name, day.date).toMatch(/^\p{Script=Han}/u);
    }
  });

  it('refuses a year the package only pretends to know', () => {
    expect(() => calendarDaysFromChineseDays([2027])).toThrow(/no official schedule for 2027/);
  });
});
