import { createStore, del, get, keys, set } from 'idb-keyval';
import type { MyTarget } from '../../../shared/campaigns.ts';
import type { ChecklistDetail } from '../../../shared/checklists.ts';
import type { MyReinspection } from '../../../shared/visits.ts';

/**
 * What the inspections tab keeps on the phone for a visit without signal: each user's last list of targets
 * (my-targets), the checklist versions those targets are visited with, and the rectified items waiting for
 * the user's re-inspection. A checklist version never changes once used, so a copy by id stays right; copies
 * no kept list needs any more are dropped.
 */

export interface KeyValueStore {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  keys(): Promise<string[]>;
}

/** Its own IndexedDB database: idb-keyval opens one object store per database. */
export function indexedDbCacheStore(database = 'gridgov-field-inspections', name = 'cache'): KeyValueStore {
  const store = createStore(database, name);
  return {
    get: (key) => get(key, store),
    set: (key, value) => set(key, value, store),
    del: (key) => del(key, store),
    keys: async () => (await keys(store)).map(String),
  };
}

export interface Saved<T> {
  savedAt: string;
  items: T[];
}

const targetsKey = (owner: number) => `targets:${owner}`;
const reinspectionsKey = (owner: number) => `reinspections:${owner}`;
const templateKey = (id: number) => `template:${id}`;

export type InspectionCache = ReturnType<typeof createInspectionCache>;

export function createInspectionCache(store: KeyValueStore, options: { now?: () => Date } = {}) {
  const now = options.now ?? (() => new Date());

  /** Template ids some user's kept list of targets still visits with. */
  async function templatesInUse(): Promise<Set<number>> {
    const inUse = new Set<number>();
    for (const key of await store.keys()) {
      if (!key.startsWith('targets:')) continue;
      const saved = await store.get<Saved<MyTarget>>(key);
      for (const target of saved?.items ?? []) inUse.add(target.campaign.templateId);
    }
    return inUse;
  }

  return {
    async saveTargets(owner: number, items: MyTarget[]): Promise<void> {
      await store.set(targetsKey(owner), { savedAt: now().toISOString(), items } satisfies Saved<MyTarget>);
      const inUse = await templatesInUse();
      for (const key of await store.keys()) {
        if (key.startsWith('template:') && !inUse.has(Number(key.slice('template:'.length))))
          await store.del(key);
      }
    },
    loadTargets: async (owner: number) => (await store.get<Saved<MyTarget>>(targetsKey(owner))) ?? null,

    /** Checklist versions the targets are visited with that are not on the phone yet. */
    async missingTemplates(targets: readonly MyTarget[]): Promise<number[]> {
      const wanted = [...new Set(targets.map((target) => target.campaign.templateId))];
      const missing: number[] = [];
      for (const id of wanted) if (!(await store.get(templateKey(id)))) missing.push(id);
      return missing;
    },
    saveTemplate: (template: ChecklistDetail) => store.set(templateKey(template.id), template),
    loadTemplate: async (id: number) => (await store.get<ChecklistDetail>(templateKey(id))) ?? null,

    saveReinspections: (owner: number, items: MyReinspection[]) =>
      store.set(reinspectionsKey(owner), {
        savedAt: now().toISOString(),
        items,
      } satisfies Saved<MyReinspection>),
    loadReinspections: async (owner: number) =>
      (await store.get<Saved<MyReinspection>>(reinspectionsKey(owner))) ?? null,
  };
}
