import type { ColumnType, Generated, Selectable } from 'kysely';

/** An api key issued to one client application; only its SHA-256 is kept. */
export interface Open311KeyTable {
  id: Generated<number>;
  name: string;
  /** The first characters of the key, shown in lists so an administrator can tell keys apart. */
  prefix: string;
  key_hash: string;
  /** Reports posted with the key must lie in this region: the data scope of the administrator who issued it. */
  region_code: string;
  rate_limit_per_minute: number;
  created_by: number | null;
  created_at: Date;
  revoked_at: Date | null;
  revoked_by: number | null;
}
export type Open311KeyRow = Selectable<Open311KeyTable>;

/** What an Open311 client sent with a report besides the case: private, never shown publicly. */
export interface Open311RequestTable {
  case_id: number;
  key_id: number;
  attributes: ColumnType<Record<string, string | string[]>, string, string>;
  media_url: string | null;
  address_id: string | null;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  account_id: string | null;
  device_id: string | null;
  created_at: Date;
}
export type Open311RequestRow = Selectable<Open311RequestTable>;

/** A report that could not be placed in a grid on arrival: its token resolves once a dispatcher places it. */
export interface Open311PendingTable {
  token: string;
  key_id: number;
  jurisdiction: string | null;
  request: ColumnType<Record<string, unknown>, string, string>;
  created_at: Date;
  case_id: number | null;
  placed_at: Date | null;
}
export type Open311PendingRow = Selectable<Open311PendingTable>;

/** An update a client posted on a request (servicerequestupdates), recorded in the case's history. */
export interface Open311ClientUpdateTable {
  id: Generated<number>;
  key_id: number;
  client_update_id: string;
  case_id: number;
  case_event_id: number;
  status: string;
  created_at: Date;
}
