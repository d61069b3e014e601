import type { ColumnType, Generated, Selectable } from 'kysely';
import type { DeliveryStatus } from '../../../shared/webhooks.ts';

export interface WebhookTable {
  id: Generated<number>;
  name: string;
  url: string;
  /** Kept in clear: signing needs it. Shown once, when created or replaced. */
  secret: string;
  events: string[];
  /** Only cases whose region code starts with this are sent: the data scope of the creator. */
  region_code: string;
  active: Generated<boolean>;
  created_by: number | null;
  created_at: Date;
  version: Generated<number>;
}
export type WebhookRow = Selectable<WebhookTable>;

/** The outbox: one row per webhook and event, written in the transaction of the change it announces. */
export interface WebhookDeliveryTable {
  id: string;
  webhook_id: number;
  event_type: string;
  case_id: number | null;
  /** The JSON body, exactly what is signed and sent on every attempt. */
  payload: ColumnType<Record<string, unknown>, string, never>;
  status: DeliveryStatus;
  /** Attempts started, counted when an attempt is claimed. */
  attempts: Generated<number>;
  /** When the next attempt is due; while one runs, when its claim lapses. Null once delivered or dead. */
  next_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}
export type WebhookDeliveryRow = Selectable<WebhookDeliveryTable>;
