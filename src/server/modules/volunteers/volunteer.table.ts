import type { ColumnType, Generated, Selectable } from 'kysely';

/** A civil date, YYYY-MM-DD (the driver keeps it as text). */
type CivilDate = ColumnType<string, string, string>;

/** A member unit (成员单位) of a town's 大党委 or another body that sends volunteers. */
export interface VolunteerUnitTable {
  id: Generated<number>;
  name: string;
  kind: string;
  region_code: string;
  county_code: string;
  contact_name: string | null;
  contact_phone: string | null;
  synthetic: Generated<boolean>;
  version: Generated<number>;
  created_at: Date;
  updated_at: Date;
}
export type VolunteerUnitRow = Selectable<VolunteerUnitTable>;

export interface VolunteerUnitContactTable {
  unit_id: number;
  user_id: number;
}

export interface VolunteerTable {
  id: Generated<number>;
  unit_id: number;
  name: string;
  phone: string;
  id_number: string | null;
  party_member: Generated<boolean>;
  party_member_id: number | null;
  user_id: number | null;
  active: Generated<boolean>;
  synthetic: Generated<boolean>;
  created_at: Date;
  updated_at: Date;
}
export type VolunteerRow = Selectable<VolunteerTable>;

/** A community's request for people on a day (a door-to-door visit, a checkpoint shift, a clean-up …). */
export interface VolunteerRequestTable {
  id: Generated<number>;
  region_code: string;
  county_code: string;
  kind: string;
  title: string;
  place: string;
  day: CivilDate;
  start_time: string;
  end_time: string;
  wanted: number;
  note: Generated<string>;
  cancelled: Generated<boolean>;
  /** The tool its volunteers are handed (migration 0043): a visit campaign for doorToDoor, a checkpoint for checkpoint. */
  visit_campaign_id: number | null;
  checkpoint_id: number | null;
  created_by: number | null;
  synthetic: Generated<boolean>;
  created_at: Date;
}
export type VolunteerRequestRow = Selectable<VolunteerRequestTable>;

/** A named volunteer a unit sends to a request; signed in and out at the community. */
export interface VolunteerAssignmentTable {
  id: Generated<number>;
  request_id: number;
  unit_id: number;
  volunteer_id: number;
  assigned_by: number | null;
  assigned_at: Date;
  signed_in_at: Date | null;
  signed_in_by: number | null;
  signed_out_at: Date | null;
  signed_out_by: number | null;
}
export type VolunteerAssignmentRow = Selectable<VolunteerAssignmentTable>;

export interface VolunteerTables {
  volunteer_units: VolunteerUnitTable;
  volunteer_unit_contacts: VolunteerUnitContactTable;
  volunteers: VolunteerTable;
  volunteer_requests: VolunteerRequestTable;
  volunteer_assignments: VolunteerAssignmentTable;
}
