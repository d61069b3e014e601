import { describe, expect, it } from 'vitest';
import {
  lastMonth,
  periodBuckets,
  periodInstants,
  previousPeriod,
  resolvePeriod,
} from './indicator-period.ts';

describe('indicator periods', () => {
  // 00:30 on 1 November in Shanghai, still 31 October in UTC.
  const now = new Date('2026-10-31T16:30:00Z');

  it('defaults to this month so far, on the Shanghai calendar', () => {
    expect(resolvePeriod({}, now)).toEqual({ from: '2026-11-01', to: '2026-11-01' });
    expect(resolvePeriod({ to: '2026-09-15' }, now)).toEqual({ from: '2026-09-01', to: '2026-09-15' });
    expect(resolvePeriod({ from: '2026-10-20' }, now)).toEqual({ from: '2026-10-20', to: '2026-11-01' });
  });

  it('covers whole Shanghai days, the last one included', () => {
    expect(periodInstants({ from: '2026-11-01', to: '2026-11-30' })).toEqual({
      start: new Date('2026-10-31T16:00:00Z'),
      end: new Date('2026-11-30T16:00:00Z'),
    });
  });

  it('sums whole months from month buckets and the rest from days', () => {
    expect(periodBuckets({ from: '2026-10-01', to: '2026-11-30' })).toEqual({
      days: [],
      months: ['2026-10-01', '2026-11-01'],
    });
    const edges = periodBuckets({ from: '2026-10-30', to: '2026-12-02' });
    expect(edges.months).toEqual(['2026-11-01']);
    expect(edges.days).toEqual(['2026-10-30', '2026-10-31', '2026-12-01', '2026-12-02']);
    expect(periodBuckets({ from: '2026-02-01', to: '2026-02-27' }).months).toEqual([]);
  });

  it('compares a month with the month before, other periods with as many days before', () => {
    expect(previousPeriod({ from: '2026-03-01', to: '2026-03-31' })).toEqual({
      from: '2026-02-01',
      to: '2026-02-28',
    });
    expect(previousPeriod({ from: '2026-01-01', to: '2026-03-31' })).toEqual({
      from: '2025-10-01',
      to: '2025-12-31',
    });
    expect(previousPeriod({ from: '2026-11-23', to: '2026-11-29' })).toEqual({
      from: '2026-11-16',
      to: '2026-11-22',
    });
    expect(lastMonth(now)).toEqual({ from: '2026-10-01', to: '2026-10-31' });
  });
});
