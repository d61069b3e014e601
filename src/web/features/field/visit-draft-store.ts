import { indexedDbCacheStore, type KeyValueStore } from './inspection-cache.ts';
import type { Drafts } from './visit-draft.ts';

/**
 * A visit being filled in, kept on the phone until it is submitted or discarded: leaving the form, a reload
 * or a flat battery loses nothing. One per user and (campaign, round, target); the photos and the signature
 * are kept as the Blobs the form holds.
 */
export interface KeptVisit {
  savedAt: string;
  drafts: Drafts;
  step: number;
  personInCharge: string;
  signature: Blob | null;
  note: string;
}

export interface VisitRef {
  campaignId: number;
  roundId: number;
  targetId: number;
}

const keyOf = (owner: number, ref: VisitRef) =>
  `visit:${owner}:${ref.campaignId}:${ref.roundId}:${ref.targetId}`;

/** Whether anything was entered: an untouched form is no draft to offer back. */
export function hasContent(visit: Omit<KeptVisit, 'savedAt'>): boolean {
  return (
    Object.keys(visit.drafts).length > 0 ||
    visit.personInCharge.trim() !== '' ||
    visit.note.trim() !== '' ||
    visit.signature !== null
  );
}

export type VisitDraftStore = ReturnType<typeof createVisitDraftStore>;

export function createVisitDraftStore(store: KeyValueStore, options: { now?: () => Date } = {}) {
  const now = options.now ?? (() => new Date());
  return {
    /** Keeps the visit as it stands; an emptied form drops the draft. */
    async save(owner: number, ref: VisitRef, visit: Omit<KeptVisit, 'savedAt'>): Promise<void> {
      if (!hasContent(visit)) return store.del(keyOf(owner, ref));
      await store.set(keyOf(owner, ref), { ...visit, savedAt: now().toISOString() } satisfies KeptVisit);
    },
    load: async (owner: number, ref: VisitRef) => (await store.get<KeptVisit>(keyOf(owner, ref))) ?? null,
    discard: (owner: number, ref: VisitRef) => store.del(keyOf(owner, ref)),
  };
}

let shared: VisitDraftStore | null = null;

/** The phone's drafts, in their own IndexedDB database: the inspections cache drops what lists no longer need. */
export function visitDrafts(): VisitDraftStore {
  shared ??= createVisitDraftStore(indexedDbCacheStore('gridgov-field-drafts', 'visits'));
  return shared;
}
