import type { ColumnType, Generated, Selectable } from 'kysely';
import type { RejectedRowRecord } from './hotline-report.ts';

/** One import of a 12345 export: its counts, and the rejected rows for the error report. */
export interface HotlineImportTable {
  id: Generated<number>;
  file_name: string;
  actor_id: number | null;
  actor_name: string;
  scope_code: string;
  total: number;
  created: number;
  already_imported: number;
  rejected: number;
  headers: ColumnType<string[], string, never>;
  rejected_rows: ColumnType<RejectedRowRecord[], string, never>;
  created_at: Date;
}
export type HotlineImportRow = Selectable<HotlineImportTable>;
