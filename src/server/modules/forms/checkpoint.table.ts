import type { ColumnType, Generated, Selectable } from 'kysely';

/** A civil date, YYYY-MM-DD (the driver keeps it as text). */
type CivilDate = ColumnType<string, string, string>;

/** A checkpoint (卡点): a point located into its leaf grid when it is placed or moved. */
export interface CheckpointTable {
  id: Generated<number>;
  name: string;
  kind: string;
  status: Generated<string>;
  lon: number;
  lat: number;
  grid_code: string;
  county_code: string;
  note: Generated<string>;
  form_id: number | null;
  synthetic: Generated<boolean>;
  version: Generated<number>;
  created_at: Date;
  updated_at: Date;
}
export type CheckpointRow = Selectable<CheckpointTable>;

/** One person on duty at a checkpoint for a weekday and shift; `seq` orders several on one shift. */
export interface CheckpointDutyTable {
  checkpoint_id: number;
  weekday: number;
  shift: string;
  seq: number;
  user_id: number | null;
  name: string;
}

/** One person or vehicle passing a checkpoint, as logged by the staff's phone. */
export interface CheckpointEntryTable {
  id: Generated<number>;
  client_key: string;
  checkpoint_id: number;
  grid_code: string;
  at: Date;
  day: CivilDate;
  direction: string;
  subject: string;
  plate: string | null;
  id_number: string | null;
  temperature: number | null;
  checks: ColumnType<Record<string, unknown>, string | undefined, string>;
  /** The published version of the checkpoint's form the checks were validated against; null without a form. */
  form_version_id: number | null;
  outcome: string;
  reason: string | null;
  recorded_by: number;
  synthetic: Generated<boolean>;
  created_at: Date;
}
export type CheckpointEntryRow = Selectable<CheckpointEntryTable>;

export interface CheckpointTables {
  checkpoints: CheckpointTable;
  checkpoint_duties: CheckpointDutyTable;
  checkpoint_entries: CheckpointEntryTable;
}
