import { describe, expect, it } from 'vitest';
import { caseFacts, type FactCase, type FactEvent } from './case-facts.ts';

const at = (hhmm: string) => new Date(`2026-11-23T${hhmm}:00+08:00`);
const ROW: FactCase = {
  id: 1,
  region_code: '440605124001001',
  lead_department_id: null,
  source: 'gridWorker',
  reporter_id: 7,
  created_at: at('09:00'),
  satisfaction: null,
  in_patrol: false,
};
const minutes = (from: Date, to: Date) => Math.round((to.getTime() - from.getTime()) / 60_000);
const event = (action: string, hhmm: string, data: Record<string, unknown> = {}): FactEvent => ({
  action,
  at: at(hhmm),
  data,
});

describe('caseFacts', () => {
  const timeline = (recomputed: boolean): FactEvent[] => [
    event('report', '09:00', { dueAt: at('10:00').toISOString() }),
    event('register', '09:10'),
    event('dispatch', '09:20', { leadDepartmentId: 3, dueAt: at('11:00').toISOString() }),
    // A holiday was taken out of the calendar: the handling step's due moved to 13:00.
    ...(recomputed
      ? [event('recomputeDue', '10:00', { step: 'handle', dueAt: at('13:00').toISOString() })]
      : []),
    event('finish', '12:00', { dueAt: at('16:00').toISOString() }),
  ];

  it('judges the handling by the due a calendar change moved it to', () => {
    expect(caseFacts(ROW, timeline(false), minutes)).toMatchObject({ handled_on_time: false });
    const moved = caseFacts(ROW, timeline(true), minutes);
    expect(moved).toMatchObject({
      handled_on_time: true,
      department_id: 3,
      worker_id: 7,
      source: 'gridWorker',
    });
    expect(moved.overdue).toEqual([]);
  });

  it('counts a grid worker’s report made on patrol under 巡查发现, for the worker; a resident’s for nobody', () => {
    expect(caseFacts({ ...ROW, in_patrol: true }, [], minutes)).toMatchObject({
      source: 'patrol',
      worker_id: 7,
    });
    expect(caseFacts({ ...ROW, source: 'resident', in_patrol: true }, [], minutes)).toMatchObject({
      source: 'resident',
      worker_id: null,
    });
  });
});
