import type { Delivery, Webhook, WebhookEvent } from '../../../shared/webhooks.ts';
import type { DeliveryListRow, WebhookWithNames } from './webhook.repository.ts';

export function presentWebhook(row: WebhookWithNames): Webhook {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    events: row.events as WebhookEvent[],
    active: row.active,
    regionCode: row.region_code,
    regionName: row.region_name,
    createdByName: row.created_by_name,
    createdAt: row.created_at.toISOString(),
    version: row.version,
  };
}

export function presentDelivery(row: DeliveryListRow): Delivery {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    event: row.event_type,
    caseId: row.case_id,
    caseNumber: row.case_number,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at?.toISOString() ?? null,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    createdAt: row.created_at.toISOString(),
    deliveredAt: row.delivered_at?.toISOString() ?? null,
  };
}
