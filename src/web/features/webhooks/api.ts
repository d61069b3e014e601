import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Delivery,
  DeliveryPage,
  DeliveryStatus,
  Webhook,
  WebhookCreated,
} from '../../../shared/webhooks.ts';
import { api, type MutationCallbacks as Callbacks } from '../../api/client.ts';

const WEBHOOKS = ['webhooks'] as const;
const deliveriesKey = (webhookId: number) => [...WEBHOOKS, webhookId, 'deliveries'] as const;

export function useWebhooks() {
  return useQuery({
    queryKey: WEBHOOKS,
    queryFn: ({ signal }) => api<Webhook[]>('/webhooks', { signal }),
  });
}

/**
 * Creates a webhook (no `id`; the answer holds its secret, shown once) or changes one: all its fields, or
 * only `active` and the version.
 */
export function useSaveWebhook({ onSuccess, onError }: Callbacks<Webhook | WebhookCreated> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: number | null; body: Record<string, unknown> }) =>
      id === null
        ? api<WebhookCreated>('/webhooks', { method: 'POST', body })
        : api<Webhook>(`/webhooks/${id}`, { method: 'PATCH', body }),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: WEBHOOKS });
      onSuccess?.(saved);
    },
    onError,
  });
}

export function useRemoveWebhook({ onSuccess, onError }: Callbacks<unknown> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (webhook: Webhook) => api(`/webhooks/${webhook.id}`, { method: 'DELETE' }),
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: WEBHOOKS });
      onSuccess?.(result);
    },
    onError,
  });
}

/** Sends a test event now; the answer is the delivery, delivered or not. */
export function useTestWebhook({ onSuccess, onError }: Callbacks<Delivery> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (webhook: Webhook) => api<Delivery>(`/webhooks/${webhook.id}/test`, { method: 'POST' }),
    onSuccess: (delivery) => {
      void queryClient.invalidateQueries({ queryKey: deliveriesKey(delivery.webhookId) });
      onSuccess?.(delivery);
    },
    onError,
  });
}

/** One page of a webhook's delivery log, newest first, polled so retries in the background show up. */
export function useDeliveries(
  webhookId: number,
  query: { status: DeliveryStatus | undefined; page: number; pageSize: number },
) {
  return useQuery({
    queryKey: [...deliveriesKey(webhookId), query.status, query.page],
    queryFn: ({ signal }) =>
      api<DeliveryPage>(`/webhooks/${webhookId}/deliveries`, { query: { ...query }, signal }),
    placeholderData: (previous) => previous,
    refetchInterval: 10_000,
  });
}

export function useRetryDelivery(webhookId: number, { onSuccess, onError }: Callbacks<Delivery> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (delivery: Delivery) =>
      api<Delivery>(`/webhooks/${webhookId}/deliveries/${delivery.id}/retry`, { method: 'POST' }),
    onSuccess: (delivery) => {
      void queryClient.invalidateQueries({ queryKey: deliveriesKey(webhookId) });
      onSuccess?.(delivery);
    },
    onError,
  });
}
