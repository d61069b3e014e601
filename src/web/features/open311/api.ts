import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Open311Endpoint,
  Open311Key,
  Open311KeyCreated,
  Open311Outbound,
  OutboundStatus,
} from '../../../shared/open311.ts';
import { api, type MutationCallbacks as Callbacks } from '../../api/client.ts';

const KEYS = ['open311-keys'] as const;
const ENDPOINTS = ['open311-endpoints'] as const;
const OUTBOUND = ['open311-outbound'] as const;

export function useApiKeys() {
  return useQuery({
    queryKey: KEYS,
    queryFn: ({ signal }) => api<Open311Key[]>('/open311/keys', { signal }),
  });
}

/** Issues a key; the answer holds the key itself, which the server never shows again. */
export function useCreateApiKey({ onSuccess, onError }: Callbacks<Open311KeyCreated> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; rateLimitPerMinute: number }) =>
      api<Open311KeyCreated>('/open311/keys', { method: 'POST', body }),
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: KEYS });
      onSuccess?.(created);
    },
    onError,
  });
}

export function useRevokeApiKey({ onSuccess, onError }: Callbacks<Open311Key> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api<Open311Key>(`/open311/keys/${id}/revoke`, { method: 'POST' }),
    onSuccess: (key) => {
      void queryClient.invalidateQueries({ queryKey: KEYS });
      onSuccess?.(key);
    },
    onError,
  });
}

export function useOutboundEndpoints() {
  return useQuery({
    queryKey: ENDPOINTS,
    queryFn: ({ signal }) => api<Open311Endpoint[]>('/open311/endpoints', { signal }),
  });
}

/** The sends to departments' systems in one state (the failed ones, by default, to retry). */
export function useOutboundSends(status: OutboundStatus) {
  return useQuery({
    queryKey: [...OUTBOUND, status],
    queryFn: ({ signal }) => api<Open311Outbound[]>('/open311/outbound', { query: { status }, signal }),
  });
}

/** Endpoints and sends change together (a removed endpoint's sends go with it), so both are read again. */
function useRefreshOutbound() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: ENDPOINTS });
    void queryClient.invalidateQueries({ queryKey: OUTBOUND });
  };
}

/** Adds an endpoint (no `id`) or changes one: all its fields, or only `active` and the version. */
export function useSaveOutboundEndpoint({ onSuccess, onError }: Callbacks<Open311Endpoint> = {}) {
  const refresh = useRefreshOutbound();
  return useMutation({
    mutationFn: ({ id, body }: { id: number | null; body: Record<string, unknown> }) =>
      id === null
        ? api<Open311Endpoint>('/open311/endpoints', { method: 'POST', body })
        : api<Open311Endpoint>(`/open311/endpoints/${id}`, { method: 'PATCH', body }),
    onSuccess: (saved) => {
      refresh();
      onSuccess?.(saved);
    },
    onError,
  });
}

export function useRemoveOutboundEndpoint({ onSuccess, onError }: Callbacks<void> = {}) {
  const refresh = useRefreshOutbound();
  return useMutation({
    mutationFn: (id: number) => api<void>(`/open311/endpoints/${id}`, { method: 'DELETE' }),
    onSuccess: (result) => {
      refresh();
      onSuccess?.(result);
    },
    onError,
  });
}

export function useRetryOutboundSend({ onSuccess, onError }: Callbacks<Open311Outbound> = {}) {
  const refresh = useRefreshOutbound();
  return useMutation({
    mutationFn: (id: number) => api<Open311Outbound>(`/open311/outbound/${id}/retry`, { method: 'POST' }),
    onSuccess: (row) => {
      refresh();
      onSuccess?.(row);
    },
    onError,
  });
}
