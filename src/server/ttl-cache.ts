/**
 * A per-process map whose entries expire `ttlMs` after they were set, for values read on every request (a
 * session, an api key) that another process may change: the owner drops an entry it changes at once, and
 * another process's change is seen within `ttlMs`. Past `maxEntries` live entries it starts over.
 */
export function createTtlCache<K, V>(ttlMs: number, maxEntries: number) {
  const entries = new Map<K, { value: V; setAt: number }>();
  return {
    get(key: K): V | undefined {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (performance.now() - entry.setAt <= ttlMs) return entry.value;
      entries.delete(key);
      return undefined;
    },
    set(key: K, value: V): void {
      if (entries.size >= maxEntries) entries.clear();
      entries.set(key, { value, setAt: performance.now() });
    },
    delete(key: K): void {
      entries.delete(key);
    },
    deleteWhere(matches: (value: V) => boolean): void {
      for (const [key, entry] of entries) if (matches(entry.value)) entries.delete(key);
    },
  };
}

export type TtlCache<K, V> = ReturnType<typeof createTtlCache<K, V>>;
