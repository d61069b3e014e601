import type { ColumnType, Generated } from 'kysely';

/** A bulletin (通报): its figures (`content`) and prose (`text`) as JSON; see migration 0024. */
export interface BulletinTable {
  id: Generated<number>;
  region_code: string;
  county_code: string;
  year: number;
  seq: number;
  period_from: string;
  period_to: string;
  status: Generated<string>;
  content: ColumnType<unknown, string, string>;
  text: ColumnType<unknown, string, string>;
  version: Generated<number>;
  created_by: number | null;
  created_by_name: string;
  created_at: Date;
  updated_at: Date;
  published_at: Date | null;
  published_by_name: string | null;
}

export interface BulletinTables {
  bulletins: BulletinTable;
}
