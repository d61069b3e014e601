import type { ColumnType, Generated, Selectable } from 'kysely';
import type { PartyPostKind } from '../../../shared/party.ts';

export interface PartyBranchTable {
  id: Generated<number>;
  code: string;
  name: string;
  region_code: string;
  party_grid_code: string | null;
  synthetic: Generated<boolean>;
}

export interface PartyPostTable {
  id: Generated<number>;
  code: string;
  name: string;
  kind: PartyPostKind;
  duties: Generated<string>;
  branch_id: number;
  party_grid_code: string | null;
  region_code: string;
  synthetic: Generated<boolean>;
}

export interface PartyMemberTable {
  id: Generated<number>;
  id_number: string;
  name: string;
  phone: string | null;
  branch_id: number;
  party_grid_code: string | null;
  post_id: number | null;
  user_id: number | null;
  resident_id: number | null;
  region_code: string;
  /** YYYY-MM-DD (a civil date; the driver keeps it as text). */
  joined_on: ColumnType<string | null, string | null | undefined, string | null>;
  synthetic: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type PartyMemberRow = Selectable<PartyMemberTable>;

/** Who reported a case as a party member, and in which post: written in the report's transaction. */
export interface PartyCaseReportTable {
  case_id: number;
  member_id: number;
  post_id: number | null;
  region_code: string;
  reported_at: Date;
}

export interface PartyTables {
  party_branches: PartyBranchTable;
  party_posts: PartyPostTable;
  party_members: PartyMemberTable;
  party_case_reports: PartyCaseReportTable;
}
