import type { ColumnType, Generated, Selectable } from 'kysely';

export interface AuditTable {
  id: Generated<number>;
  occurred_at: ColumnType<Date, Date, never>;
  actor_id: number | null;
  actor_name: string;
  action: string;
  entity_type: string;
  entity_id: string;
  county_code: string | null;
  details: ColumnType<Record<string, unknown>, string, never>;
  /** Position in the chain; null until the sealer links the entry (normally within a second). */
  seq: number | null;
  prev_hash: string | null;
  hash: string | null;
}
export type AuditRow = Selectable<AuditTable>;
