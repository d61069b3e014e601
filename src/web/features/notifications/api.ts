import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';

export interface Inbox {
  unread: number;
  items: {
    id: number;
    kind: string;
    caseId: number | null;
    text: string;
    createdAt: string;
    read: boolean;
    /** The step it asked for moved on. */
    done: boolean;
  }[];
}

const INBOX_KEY = ['notifications'];

/** The signed-in user's latest notifications, polled so the header's count keeps up. */
export function useInbox() {
  return useQuery({
    queryKey: INBOX_KEY,
    queryFn: () => api<Inbox>('/notifications', { query: { limit: 20 } }),
    refetchInterval: 20_000,
  });
}

export function useMarkNotificationsRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (ids: number[] | 'all') => api('/notifications/read', { method: 'POST', body: { ids } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: INBOX_KEY }),
  });
}
