import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { caseRequests, useCaseList } from '../cases/api.ts';
import { fieldInspectionRequests } from './inspection-api.ts';
import {
  createInspectionCache,
  type InspectionCache,
  indexedDbCacheStore,
  type PendingReinspection,
} from './inspection-cache.ts';
import { pendingReinspectionOf } from './inspection-targets.ts';
import { useOutboxItems } from './useOutbox.ts';

let shared: InspectionCache | null = null;

export function inspectionCache(): InspectionCache {
  shared ??= createInspectionCache(indexedDbCacheStore());
  return shared;
}

/**
 * The user's targets to visit. Fetched online, the list is kept on the phone together with the checklist
 * versions it needs, so an inspector who opens the app without signal can still visit; offline the kept list
 * is shown with the time it was loaded.
 */
export function useMyTargets(owner: number) {
  const cache = inspectionCache();
  const fresh = useQuery({
    queryKey: ['field', 'myTargets', owner],
    queryFn: async () => {
      const targets = await fieldInspectionRequests.myTargets();
      await cache.saveTargets(owner, targets);
      for (const id of await cache.missingTemplates(targets))
        await cache.saveTemplate(await fieldInspectionRequests.template(id));
      return targets;
    },
    retry: 1,
  });
  const saved = useQuery({
    queryKey: ['field', 'savedTargets', owner],
    queryFn: () => cache.loadTargets(owner),
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
 * Rectified items waiting for the user's 回头看. The server keeps the link to the visit on the case's report
 * step, so these are the rectification cases awaiting verification (their description starts 【督查整改】)
 * whose detail names a visit; the list is kept on the phone for offline re-inspection.
 */
export function usePendingReinspections(owner: number) {
  const cache = inspectionCache();
  const list = useCaseList({ state: 'handled', q: '督查整改', page: 1, pageSize: 50 });
  const candidates = (list.data?.items ?? []).filter((summary) => summary.source === 'inspector');
  const details = useQueries({
    queries: candidates.map((summary) => ({
      queryKey: ['case', summary.id],
      queryFn: () => caseRequests.get(summary.id),
    })),
    combine: (results) =>
      results.every((result) => result.isSuccess)
        ? results.flatMap((result) => {
            const pending = result.data ? pendingReinspectionOf(result.data) : null;
            return pending ? [pending] : [];
          })
        : null,
  });
  const down = list.isError || (list.isPending && list.fetchStatus === 'paused');
  const fresh = list.isSuccess ? details : null;
  useEffect(() => {
    if (fresh) void cache.saveReinspections(owner, fresh);
  }, [fresh, cache, owner]);
  const saved = useQuery({
    queryKey: ['field', 'savedReinspections', owner],
    queryFn: () => cache.loadReinspections(owner),
    networkMode: 'always',
    enabled: down,
  });
  const items: PendingReinspection[] = fresh ?? (down ? (saved.data?.items ?? []) : []);
  return {
    items,
    savedAt: !fresh && down ? (saved.data?.savedAt ?? null) : null,
    loading: !fresh && !(down && saved.isFetched),
    refetch: () => void list.refetch(),
  };
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
    void queryClient.invalidateQueries({ queryKey: ['cases'] });
    void queryClient.invalidateQueries({ queryKey: ['case'] });
  }, [sent, queryClient]);
}
