import { describe, expect, it } from 'vitest';
import type { KeyValueStore } from './inspection-cache.ts';
import { createVisitDraftStore } from './visit-draft-store.ts';

/** Clones on the way in and out, as IndexedDB does: what comes back is no reference to what went in. */
function memoryStore(): KeyValueStore {
  const map = new Map<string, unknown>();
  return {
    get: async <T>(key: string) => structuredClone(map.get(key)) as T | undefined,
    set: async (key, value) => {
      map.set(key, structuredClone(value));
    },
    del: async (key) => {
      map.delete(key);
    },
    keys: async () => [...map.keys()],
  };
}

const market = { campaignId: 1, roundId: 7, targetId: 3 };
const photo = new Blob(['jpeg bytes'], { type: 'image/jpeg' });
const halfDone = {
  drafts: {
    '1.1': { outcome: 'fail' as const, value: null, note: '摊位越线', photos: [photo] },
    '1.2': { outcome: 'pass' as const, value: null, note: '', photos: [] },
  },
  step: 1,
  personInCharge: '王经理',
  signature: null,
  note: '',
};

describe('the half-filled visit kept on the phone', () => {
  it('gives back the answers, notes, photos and person in charge of the same target, round and user', async () => {
    const drafts = createVisitDraftStore(memoryStore(), { now: () => new Date('2026-11-23T02:00:00Z') });
    await drafts.save(5, market, halfDone);

    const kept = await drafts.load(5, market);
    expect(kept).toMatchObject({
      savedAt: '2026-11-23T02:00:00.000Z',
      step: 1,
      personInCharge: '王经理',
      drafts: { '1.1': { outcome: 'fail', note: '摊位越线' }, '1.2': { outcome: 'pass' } },
    });
    const [kept1] = kept?.drafts['1.1']?.photos ?? [];
    expect(await kept1?.text()).toBe('jpeg bytes');
    expect(kept1?.type).toBe('image/jpeg');

    expect(await drafts.load(5, { ...market, roundId: 8 })).toBeNull();
    expect(await drafts.load(5, { ...market, targetId: 4 })).toBeNull();
    expect(await drafts.load(6, market)).toBeNull();
  });

  it('forgets the draft once submitted or discarded, and keeps none of a form left empty', async () => {
    const drafts = createVisitDraftStore(memoryStore());
    await drafts.save(5, market, halfDone);
    await drafts.save(5, { ...market, targetId: 4 }, halfDone);
    await drafts.discard(5, market);
    expect(await drafts.load(5, market)).toBeNull();
    expect(await drafts.load(5, { ...market, targetId: 4 })).not.toBeNull();

    await drafts.save(5, { ...market, targetId: 4 }, { ...halfDone, drafts: {}, personInCharge: ' ' });
    expect(await drafts.load(5, { ...market, targetId: 4 })).toBeNull();
  });
});
