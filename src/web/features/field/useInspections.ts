import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { fieldInspectionRequests } from './inspection-api.ts';
import {
  createInspectionCache,
  type InspectionCache,
  indexedDbCacheStore,
  type Saved,
} from './inspection-cache.ts';
import { useOutboxItems } from './useOutbox.ts';

let shared: InspectionCache | null = null;

export function inspectionCache(): InspectionCache {
  shared ??= createInspectionCache(indexedDbCacheStore());
  return shared;
}

/**
 * A list fetched online and kept on the phone as it was loaded: offline the kept copy is shown with the time
 * it was loaded.
 */
function useKeptList<T>(
  name: string,
  owner: number,
  fetchAndKeep: () => Promise<T[]>,
  loadKept: () => Promise<Saved<T> | null>,
) {
  const fresh = useQuery({ queryKey: ['field', name, owner], queryFn: fetchAndKeep, retry: 1 });
  const saved = useQuery({
    queryKey: ['field', 'saved', name, owner],
    queryFn: loadKept,
    networkMode: 'always',
    enabled: fresh.isError || fresh.fetchStatus === 'paused',
  });
  const fallback = !fresh.data && saved.data ? saved.data : null;
  return {
    items: fresh.data ?? fallback?.items ?? [],
    savedAt: fallback?.savedAt ?? null,
    loading: fresh.isPending && !fallback && !(saved.isSuccess && fresh.isError),
    fetching: fresh.isFetching,
    error: fresh.isError && !fallback ? fresh.error : null,
    refetch: () => void fresh.refetch(),
  };
}

/**
 * The user's targets to visit, kept on the phone together with the checklist versions they need, so an
 * inspector who opens the app without signal can still visit.
 */
export function useMyTargets(owner: number) {
  const cache = inspectionCache();
  return useKeptList(
    'myTargets',
    owner,
    async () => {
      const targets = await fieldInspectionRequests.myTargets();
      await cache.saveTargets(owner, targets);
      for (const id of await cache.missingTemplates(targets))
        await cache.saveTemplate(await fieldInspectionRequests.template(id));
      return targets;
    },
    () => cache.loadTargets(owner),
  );
}

/** A checklist version: the phone's copy when it has one (a version never changes), else the server's. */
export function useTemplate(id: number | null) {
  const cache = inspectionCache();
  return useQuery({
    queryKey: ['field', 'template', id],
    enabled: id !== null,
    networkMode: 'always',
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: async () => {
      const kept = await cache.loadTemplate(id ?? 0);
      if (kept) return kept;
      const template = await fieldInspectionRequests.template(id ?? 0);
      await cache.saveTemplate(template);
      return template;
    },
  });
}

/**
 * Failed items of the user's campaigns whose rectification awaits the user's 回头看, as the server lists them;
 * kept on the phone like the targets, for a re-inspection without signal.
 */
export function usePendingReinspections(owner: number) {
  const cache = inspectionCache();
  return useKeptList(
    'myReinspections',
    owner,
    async () => {
      const items = await fieldInspectionRequests.myReinspections();
      await cache.saveReinspections(owner, items);
      return items;
    },
    () => cache.loadReinspections(owner),
  );
}

/**
 * Once a visit or re-inspection of this phone reaches the server, the lists it changed are fetched again: the
 * target is visited, the rectified item re-inspected.
 */
export function useRefreshWhenSent(owner: number): void {
  const queryClient = useQueryClient();
  const sent = useOutboxItems(owner)
    .filter((item) => (item.kind === 'visit' || item.kind === 'reinspect') && item.status === 'sent')
    .map((item) => item.id)
    .join();
  // Those sent before the tab opened are in the lists already.
  const seen = useRef(sent);
  useEffect(() => {
    if (sent === seen.current) return;
    seen.current = sent;
    void queryClient.invalidateQueries({ queryKey: ['field', 'myTargets'] });
    void queryClient.invalidateQueries({ queryKey: ['field', 'myReinspections'] });
    void queryClient.invalidateQueries({ queryKey: ['cases'] });
    void queryClient.invalidateQueries({ queryKey: ['case'] });
  }, [sent, queryClient]);
}
