import type { ColumnType, Generated, Selectable } from 'kysely';
import type { CaseSource } from '../../../shared/case-workflow.ts';

export interface CaseTable {
  id: Generated<number>;
  case_number: Generated<string>;
  county_code: string;
  client_key: string | null;
  /** The case's number in the system it came from, e.g. the 12345 hotline order number (工单编号). */
  external_ref: string | null;
  source: CaseSource;
  category_id: number;
  region_code: string;
  lon: number | null;
  lat: number | null;
  address: string | null;
  description: string;
  state: string;
  step: string | null;
  step_started_at: Date | null;
  step_due_at: Date | null;
  step_beyond_calendar: Generated<boolean>;
  suspended_at: Date | null;
  lead_department_id: number | null;
  reporter_id: number | null;
  reporter_name: string | null;
  reporter_phone: string | null;
  merged_into: number | null;
  return_count: Generated<number>;
  rework_count: Generated<number>;
  extension_count: Generated<number>;
  supervised: Generated<boolean>;
  overdue: Generated<boolean>;
  /** When the open step turns yellow (its share of the limit used); `warned` once its holder was told. */
  step_warn_at: Date | null;
  warned: Generated<boolean>;
  /** A rectification deadline (整改期限) set at report: the handling step's due time, instead of the category's limit. */
  handling_deadline: Date | null;
  satisfaction: number | null;
  version: Generated<number>;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
}
export type CaseRow = Selectable<CaseTable>;

export interface CaseDepartmentTable {
  case_id: number;
  department_id: number;
  role: 'lead' | 'assist';
}

export interface CaseEventTable {
  id: Generated<number>;
  case_id: number;
  action: string;
  from_state: string | null;
  to_state: string;
  actor_id: number | null;
  actor_name: string;
  note: string | null;
  data: ColumnType<Record<string, unknown>, string, never>;
  at: Date;
}
export type CaseEventRow = Selectable<CaseEventTable>;

/** Something of a case hidden from the public (moderation): its description, or one photo by evidence id. */
export interface CaseModerationTable {
  case_id: number;
  /** 'description', or the evidence id (SHA-256) of a photo. */
  target: string;
  reason: string;
  hidden_by: number | null;
  hidden_by_name: string;
  hidden_at: Date;
}
export type CaseModerationRow = Selectable<CaseModerationTable>;

/** The unguessable code the public follows a case by (受理查询码): one per case, set by a trigger on insert. */
export interface CaseTicketTable {
  case_id: number;
  ticket_code: Generated<string>;
}

/** The clock of a running step not yet overdue (0049): kept by triggers on `cases`, read by the sweep. */
export interface CaseTimerTable {
  case_id: number;
  due_at: Date;
  /** The yellow-light time, until the case is warned. */
  warn_at: Date | null;
}
