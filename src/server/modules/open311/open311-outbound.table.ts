import type { Generated, Selectable } from 'kysely';
import type { OutboundStatus } from '../../../shared/open311.ts';

/** Another system's GeoReport v2 server, through which one department takes its cases. */
export interface Open311EndpointTable {
  id: Generated<number>;
  name: string;
  /** The department whose system it is: its dispatched cases are sent there. */
  department_id: number;
  /** The v2 root, e.g. https://311.example.org/open311/v2 (requests.json etc. are appended). */
  base_url: string;
  /** Kept in clear: every request carries it. Never answered after creation except masked. */
  api_key: string;
  jurisdiction_id: string | null;
  /** Category ids sent there; empty = every category. */
  category_ids: number[];
  active: Generated<boolean>;
  /** Updates up to this instant have been pulled. */
  pulled_until: Date;
  last_pull_at: Date | null;
  last_pull_error: string | null;
  created_by: number | null;
  created_at: Date;
  version: Generated<number>;
}
export type Open311EndpointRow = Selectable<Open311EndpointTable>;

/** The outbox: one row per case and endpoint, written in the dispatch's transaction. */
export interface Open311OutboundTable {
  id: Generated<number>;
  case_id: number;
  endpoint_id: number;
  status: OutboundStatus;
  /** Attempts started, counted when an attempt is claimed. */
  attempts: Generated<number>;
  /** When the next attempt is due; while one runs, when its claim lapses. Null once sent or dead. */
  next_attempt_at: Date | null;
  last_error: string | null;
  /** The remote service_request_id: known at once, or once the remote token resolves. */
  remote_request_id: string | null;
  remote_token: string | null;
  created_at: Date;
  sent_at: Date | null;
}
export type Open311OutboundRow = Selectable<Open311OutboundTable>;

/** A remote update already put on a case timeline. */
export interface Open311OutboundUpdateTable {
  endpoint_id: number;
  update_id: string;
  case_id: number;
  case_event_id: number | null;
  created_at: Date;
}
