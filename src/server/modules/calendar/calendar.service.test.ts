import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { systemActor } from '../people/actor.ts';

describe('the stored working calendar', () => {
  let ctx: TestContext;
  const admin = systemActor();
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it('is seeded with the official schedule, so a 2-working-day limit skips National Day', async () => {
    const result = await ctx.services.calendar.dueAfter(new Date('2026-09-30T16:00:00+08:00'), {
      amount: 2,
      unit: 'workingDays',
    });
    // 1–7 October are off; 8 October (Thu) is the first working day, 9 October (Fri) the second.
    expect(result).toEqual({ due: new Date('2026-10-09T16:00:00+08:00') });
  });

  it('flags a deadline beyond the known calendar until an administrator loads the next year', async () => {
    const start = new Date('2027-09-30T16:00:00+08:00');
    const before = await ctx.services.calendar.dueAfter(start, { amount: 2, unit: 'workingDays' });
    expect(before).toMatchObject({ beyondCalendar: true });

    // A made-up 2027 schedule: 1–7 October off, Saturday 9 October worked.
    const days = ['01', '04', '05', '06', '07'].map((d) => ({
      date: `2027-10-${d}`,
      workday: false,
      name: '国庆节',
    }));
    days.push({ date: '2027-10-09', workday: true, name: '国庆节调休上班' });
    const year = await ctx.services.calendar.loadYear(admin, { year: 2027, days });
    expect(year.covered).toBe(true);
    const after = await ctx.services.calendar.dueAfter(start, { amount: 2, unit: 'workingDays' });
    expect(after).toEqual({ due: new Date('2027-10-09T16:00:00+08:00') });
  });

  it('refuses a schedule with a date of another year, and keeps what was stored', async () => {
    const error = await ctx.services.calendar
      .loadYear(admin, { year: 2027, days: [{ date: '2028-01-01', workday: false }] })
      .catch((e: unknown) => e);
    expect((error as AppError).code).toBe('VALIDATION_FAILED');
    const year = await ctx.services.calendar.getYear(2027);
    expect(year.days.some((d) => d.date === '2027-10-09' && d.workday)).toBe(true);
  });

  it('computes working hours with configured periods', async () => {
    await ctx.services.calendar.setWorkingHours(admin, {
      periods: [{ start: '09:00', end: '17:00' }],
      timeZone: 'Asia/Shanghai',
    });
    const result = await ctx.services.calendar.dueAfter(new Date('2026-11-20T16:00:00+08:00'), {
      amount: 2,
      unit: 'workingHours',
    });
    // Friday 16:00 + 1 h to close, then Monday 09:00 + 1 h.
    expect(result).toEqual({ due: new Date('2026-11-23T10:00:00+08:00') });
    const bad = await ctx.services.calendar
      .setWorkingHours(admin, { periods: [{ start: '25:00', end: '17:00' }], timeZone: 'Asia/Shanghai' })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(AppError);
  });
});
