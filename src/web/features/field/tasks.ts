import { useQuery } from '@tanstack/react-query';
import { createStore, get, set } from 'idb-keyval';
import { useEffect } from 'react';
import type { CaseSummary } from '../../../shared/cases.ts';
import { useCaseList } from '../cases/api.ts';

/** The states the field view lists as tasks: to verify, being handled (rework included), to register. */
export const TASK_STATES = ['handled', 'accepted', 'reported'] as const;
export type TaskState = (typeof TASK_STATES)[number];

const cache = createStore('gridgov-field-cache', 'tasks');

interface SavedTasks {
  savedAt: string;
  items: CaseSummary[];
}

/**
 * The user's cases in one state, from the queue API; the last list loaded is kept on the phone so that a
 * worker who opens the app without signal still sees what to verify (and can queue the verification).
 */
export function useFieldTasks(owner: number, state: TaskState) {
  const list = useCaseList({ state, page: 1, pageSize: 50 });
  const key = `${owner}:${state}`;
  const saved = useQuery({
    queryKey: ['field', 'savedTasks', key],
    queryFn: async () => (await get<SavedTasks>(key, cache)) ?? null,
    networkMode: 'always',
    staleTime: Number.POSITIVE_INFINITY,
  });
  const fresh = list.data && !list.isPlaceholderData ? list.data : undefined;
  useEffect(() => {
    if (fresh)
      void set(key, { savedAt: new Date().toISOString(), items: fresh.items } satisfies SavedTasks, cache);
  }, [fresh, key]);

  const fallback = list.isError && saved.data ? saved.data : null;
  return {
    items: fallback ? fallback.items : (list.data?.items ?? []),
    total: fallback ? fallback.items.length : (list.data?.total ?? 0),
    /** When the list shown is the one kept on the phone: the time it was loaded. */
    savedAt: fallback ? fallback.savedAt : null,
    loading: list.isPending && !fallback,
    fetching: list.isFetching,
    error: list.isError && !fallback ? list.error : null,
    refetch: () => void list.refetch(),
  };
}

/**
 * A case as the task lists last kept it on the phone, with when they were loaded: its page without a network
 * still says what and where it is. Asked only when the case itself cannot be loaded.
 */
export function useSavedTask(owner: number, caseId: number, enabled: boolean) {
  return useQuery({
    queryKey: ['field', 'savedTask', owner, caseId],
    queryFn: async () => {
      for (const state of TASK_STATES) {
        const saved = await get<SavedTasks>(`${owner}:${state}`, cache);
        const task = saved?.items.find((item) => item.id === caseId);
        if (saved && task) return { savedAt: saved.savedAt, task };
      }
      return null;
    },
    enabled,
    networkMode: 'always',
  });
}
