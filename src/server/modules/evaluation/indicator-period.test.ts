import { describe, expect, it } from 'vitest';
import { periodInstants, resolvePeriod } from './indicator-period.ts';

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
});
