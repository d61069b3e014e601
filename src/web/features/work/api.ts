import { useQuery } from '@tanstack/react-query';
import type { WorkSummary } from '../../../shared/work.ts';
import { api } from '../../api/client.ts';

/**
 * What waits for the signed-in user, polled with the inbox. Under the 'cases' key prefix, so any action on a
 * case (which refreshes the case lists) refreshes these counts and the bell too, without a reload.
 */
export function useWork() {
  return useQuery({
    queryKey: ['cases', 'work'],
    queryFn: ({ signal }) => api<WorkSummary>('/work', { signal }),
    refetchInterval: 20_000,
  });
}

/** The case list filtered as a queue: its link. */
export function queueLink(filter: Record<string, string>): string {
  return `/cases?${new URLSearchParams(filter).toString()}`;
}
