import type { ColumnType, Generated, Selectable } from 'kysely';
import type {
  CampaignStatus,
  ItemComparator,
  ItemOutcome,
  ItemRule,
  PhotoRule,
  RectifyLimit,
  Recurrence,
  RoundKind,
  TargetKind,
  TemplateStatus,
} from '../../../shared/inspections.ts';

type Json<T> = ColumnType<T, string, string>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;
/** A civil date, YYYY-MM-DD (the driver keeps it as text). */
type CivilDate = string;

/** One version of a checklist template (测评表). A version a visit was scored with never changes. */
export interface ChecklistTemplateTable {
  id: Generated<number>;
  code: string;
  version: Generated<number>;
  name: string;
  description: Generated<string>;
  site_types: TextArray;
  status: Generated<TemplateStatus>;
  region_code: string;
  created_by: number | null;
  created_at: Date;
  updated_at: Date;
  row_version: Generated<number>;
}
export type ChecklistTemplateRow = Selectable<ChecklistTemplateTable>;

export interface ChecklistItemTable {
  id: Generated<number>;
  template_id: number;
  position: number;
  key: string;
  section: string;
  question: string;
  points: number;
  rule: ItemRule;
  comparator: ItemComparator | null;
  threshold: number | null;
  unit: string | null;
  photo: PhotoRule;
  guidance: string;
  site_types: TextArray;
  category_id: number | null;
  veto: boolean;
  immediate: boolean;
  rectify_limit: Json<RectifyLimit | null>;
}
export type ChecklistItemRow = Selectable<ChecklistItemTable>;

export interface InspectionCampaignTable {
  id: Generated<number>;
  name: string;
  template_id: number;
  region_code: string;
  organiser_id: number | null;
  organiser_department_id: number | null;
  covert: boolean;
  published_at: Date | null;
  status: Generated<CampaignStatus>;
  starts_on: CivilDate;
  ends_on: CivilDate;
  recurrence: Generated<Recurrence>;
  sample_size: number | null;
  /** The seed the sample was drawn with (0022): drawing again with it repeats the sample. */
  sample_seed: ColumnType<string | null, string | null | undefined, string | null>;
  rectify_limit: Json<RectifyLimit | null>;
  rectify_by: CivilDate | null;
  signature_required: boolean;
  /** The report's number (0025), given when the report is first printed. */
  report_number: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Date;
  updated_at: Date;
  row_version: Generated<number>;
}
export type InspectionCampaignRow = Selectable<InspectionCampaignTable>;

export interface CampaignInspectorTable {
  campaign_id: number;
  user_id: number;
}

export interface CampaignTargetTable {
  id: Generated<number>;
  campaign_id: number;
  kind: TargetKind;
  ref_id: number | null;
  name: string;
  site_type: string;
  region_code: string;
  address: string | null;
  lon: number | null;
  lat: number | null;
  sampled: Generated<boolean>;
}
export type CampaignTargetRow = Selectable<CampaignTargetTable>;

export interface CampaignRoundTable {
  id: Generated<number>;
  campaign_id: number;
  number: number;
  kind: Generated<RoundKind>;
  opens_on: CivilDate;
  due_on: CivilDate;
  /** A re-inspection round: the round whose failed targets it visits again (0022). */
  source_round_id: ColumnType<number | null, number | null | undefined, number | null>;
}
export type CampaignRoundRow = Selectable<CampaignRoundTable>;

/** The targets of a re-inspection round (0022); a regular round visits every sampled target. */
export interface CampaignRoundTargetTable {
  round_id: number;
  target_id: number;
}

export interface InspectionVisitTable {
  id: Generated<number>;
  campaign_id: number;
  round_id: number;
  target_id: number;
  template_id: number;
  inspector_id: number | null;
  inspector_name: string;
  client_key: string | null;
  visited_at: Date;
  lon: number | null;
  lat: number | null;
  note: Generated<string>;
  person_in_charge: string | null;
  signature: string | null;
  earned: number;
  applicable: number;
  vetoed_by: number | null;
  notice_number: string;
  created_at: Date;
}
export type InspectionVisitRow = Selectable<InspectionVisitTable>;

export interface InspectionAnswerTable {
  visit_id: number;
  item_id: number;
  outcome: ItemOutcome;
  value: number | null;
  earned: number;
  applicable: number;
  note: Generated<string>;
  evidence: TextArray;
  case_id: number | null;
}
export type InspectionAnswerRow = Selectable<InspectionAnswerTable>;

export interface ReinspectionTable {
  id: Generated<number>;
  visit_id: number;
  item_id: number;
  case_id: number;
  inspector_id: number | null;
  inspector_name: string;
  outcome: 'pass' | 'fail';
  note: Generated<string>;
  evidence: TextArray;
  at: Date;
}
export type ReinspectionRow = Selectable<ReinspectionTable>;

export interface TaskBookTable {
  id: Generated<number>;
  number: string;
  title: string;
  campaign_id: number | null;
  region_code: string;
  issuer_id: number | null;
  issuer_name: string;
  category_id: number;
  deadline: CivilDate;
  created_at: Date;
}
export type TaskBookRow = Selectable<TaskBookTable>;

export interface TaskBookTaskTable {
  id: Generated<number>;
  task_book_id: number;
  position: number;
  description: string;
  department_id: number;
  region_code: string;
  responsible_name: string;
  /** Null until the task's case is issued (migration 0024). */
  case_id: number | null;
}
export type TaskBookTaskRow = Selectable<TaskBookTaskTable>;

export interface InspectionTables {
  checklist_templates: ChecklistTemplateTable;
  checklist_items: ChecklistItemTable;
  inspection_campaigns: InspectionCampaignTable;
  campaign_inspectors: CampaignInspectorTable;
  campaign_targets: CampaignTargetTable;
  campaign_rounds: CampaignRoundTable;
  campaign_round_targets: CampaignRoundTargetTable;
  inspection_visits: InspectionVisitTable;
  inspection_answers: InspectionAnswerTable;
  reinspections: ReinspectionTable;
  task_books: TaskBookTable;
  task_book_tasks: TaskBookTaskTable;
}
