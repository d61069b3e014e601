import { describe, expect, it } from 'vitest';
import type { CaseDetail } from '../../../shared/cases.ts';
import { beforeAndAfter } from './casePhotos.ts';

type Event = CaseDetail['events'][number];

let nextId = 1;
function event(action: string, data: Record<string, unknown>, at: string): Event {
  return {
    id: nextId++,
    action,
    fromState: null,
    toState: 'x',
    actorName: '河清',
    note: null,
    data,
    at,
  };
}

const ids = (photos: { id: string }[]) => photos.map((photo) => photo.id);

describe('the before/after pair of a case', () => {
  it('puts the reported photos before and the handling and verification photos after, newest first', () => {
    const { before, after } = beforeAndAfter([
      event('report', { evidence: ['problem-1', 'problem-2'] }, '2026-03-02T01:00:00Z'),
      event('dispatch', { leadDepartmentId: 3 }, '2026-03-02T02:00:00Z'),
      event('finish', { evidence: ['done-1'] }, '2026-03-02T03:00:00Z'),
      event('verifyFail', { reason: '仍有残留', evidence: ['still-there'] }, '2026-03-02T04:00:00Z'),
      event('finish', { evidence: ['done-2'] }, '2026-03-02T05:00:00Z'),
    ]);
    expect(ids(before)).toEqual(['problem-1', 'problem-2']);
    expect(ids(after)).toEqual(['done-2', 'still-there', 'done-1']);
    expect(after[0]).toMatchObject({ action: 'finish', at: '2026-03-02T05:00:00Z' });
  });

  it('splits an on-the-spot handling into its before and after photos', () => {
    const { before, after } = beforeAndAfter([
      event('report', {}, '2026-03-02T01:00:00Z'),
      event('handleOnTheSpot', { beforePhotos: ['b'], afterPhotos: ['a'] }, '2026-03-02T01:10:00Z'),
    ]);
    expect(ids(before)).toEqual(['b']);
    expect(ids(after)).toEqual(['a']);
  });

  it('shows a photo attached to two steps once: before with the first, after with the latest', () => {
    const twice = beforeAndAfter([
      event('report', { evidence: ['problem'] }, '2026-03-02T01:00:00Z'),
      event('handleOnTheSpot', { beforePhotos: ['problem'], afterPhotos: ['same'] }, '2026-03-02T02:00:00Z'),
      event('finish', { evidence: ['other'] }, '2026-03-02T03:00:00Z'),
      event('verifyPass', { evidence: ['same'] }, '2026-03-02T04:00:00Z'),
    ]);
    expect(twice.before).toEqual([
      { id: 'problem', action: 'report', at: '2026-03-02T01:00:00Z', actorName: '河清' },
    ]);
    expect(ids(twice.after)).toEqual(['same', 'other']);
    expect(twice.after[0]).toMatchObject({ action: 'verifyPass' });
  });

  it('has nothing for a case without photos', () => {
    expect(beforeAndAfter([event('report', { evidence: 'not a list' }, '2026-03-02T01:00:00Z')])).toEqual({
      before: [],
      after: [],
    });
  });
});
