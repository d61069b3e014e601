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
  /** Orders imported before whose corrected history this import wrote anew. */
  updated: Generated<number>;
  rejected: number;
  /** The system the file came from, whose agency mapping it used. */
  source: string | null;
  headers: ColumnType<string[], string, never>;
  rejected_rows: ColumnType<RejectedRowRecord[], string, never>;
  created_at: Date;
}
export type HotlineImportRow = Selectable<HotlineImportTable>;

/** The department an agency of a source's exports stands for (承办单位 → 部门), remembered per source. */
export interface HotlineAgencyMappingTable {
  source: string;
  agency: string;
  department_id: number;
  updated_by_name: string;
  updated_at: Date;
}
