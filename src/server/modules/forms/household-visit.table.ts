import type { ColumnType, Generated, Selectable } from 'kysely';
import type { VisitUnit } from '../../../shared/household-visits.ts';

/** A civil date, YYYY-MM-DD (the driver keeps it as text). */
type CivilDate = ColumnType<string, string, string>;
type Json<T> = ColumnType<T, string, string>;

/** What a visit changed in the registry (or why it could not), one entry per mapped question. */
export interface StoredRegistryChange {
  field: string;
  residentId: number | null;
  outcome: 'updated' | 'unchanged' | 'refused';
  message: string | null;
}

/** A household-visit campaign (入户走访): a form asked of every household of an area in a period. */
export interface VisitCampaignTable {
  id: Generated<number>;
  name: string;
  form_id: number;
  form_version_id: number;
  form_version: number;
  unit: VisitUnit;
  region_codes: string[];
  scope_code: string;
  starts_on: CivilDate;
  ends_on: CivilDate;
  created_by: number | null;
  /** Closed before its end date (结束活动): visits made after this are refused. */
  closed_at: Date | null;
  closed_by: number | null;
  synthetic: Generated<boolean>;
  created_at: Date;
}
export type VisitCampaignRow = Selectable<VisitCampaignTable>;

/** One visit of one household, with the answers as the form checked them. */
export interface HouseholdVisitTable {
  id: Generated<number>;
  client_key: string;
  campaign_id: number;
  /** The registry's house (household and house campaigns) or organisation (organisation campaigns). */
  unit_id: number;
  household_no: string;
  region_code: string;
  county_code: string;
  user_id: number;
  visited_at: Date;
  day: CivilDate;
  answers: Json<Record<string, unknown>>;
  registry_changes: ColumnType<StoredRegistryChange[], string | undefined, string>;
  synthetic: Generated<boolean>;
  created_at: Date;
}
export type HouseholdVisitRow = Selectable<HouseholdVisitTable>;

/** A unit (household, house or organisation) visited at least once in a campaign: what coverage joins the registry's households with. */
export interface HouseholdVisitHouseholdTable {
  campaign_id: number;
  unit_id: number;
  household_no: string;
  first_visited_at: Date;
  first_day: CivilDate;
  last_visited_at: Date;
  visits: Generated<number>;
}

/** A case raised by an answer of a visit (a choice marked raisesCase). */
export interface HouseholdVisitCaseTable {
  visit_id: number;
  question: string;
  choice: string;
  case_id: number;
}

export interface HouseholdVisitTables {
  visit_campaigns: VisitCampaignTable;
  household_visits: HouseholdVisitTable;
  household_visit_households: HouseholdVisitHouseholdTable;
  household_visit_cases: HouseholdVisitCaseTable;
}
