import type { ColumnType, Generated, Selectable } from 'kysely';
import type {
  DisputeType,
  MediationSource,
  MediationState,
  ReferralTarget,
} from '../../../shared/mediation.ts';

/** A civil date, YYYY-MM-DD (the driver keeps it as text). */
type CivilDate = ColumnType<string, string, string>;

export interface DisputeCategoryTable {
  category_id: number;
  dispute_type: DisputeType;
}

export interface MediationTable {
  id: Generated<number>;
  number: string;
  client_key: string | null;
  case_id: ColumnType<number | null, number | null | undefined, number | null>;
  region_code: string;
  county_code: string;
  dispute_type: DisputeType;
  source: MediationSource;
  procedure: 'standard' | 'simplified';
  summary: string;
  mediator_id: number | null;
  state: Generated<MediationState>;
  accepted_at: Date;
  due_at: Date;
  escalated_at: Date | null;
  closed_at: Date | null;
  referred_to: ReferralTarget | null;
  referral_department: string | null;
  referral_reason: string | null;
  follow_up_due_on: CivilDate | null;
  follow_up_done_at: Date | null;
  follow_up_performed: boolean | null;
  follow_up_note: string | null;
  follow_up_reminded: Generated<boolean>;
  confirmation_due_on: CivilDate | null;
  confirmation_applied: boolean | null;
  confirmation_note: string | null;
  confirmation_reminded: Generated<boolean>;
  synthetic: Generated<boolean>;
  created_by: number | null;
  created_at: Date;
  updated_at: Date;
  version: Generated<number>;
}
export type MediationRow = Selectable<MediationTable>;

export interface MediationPartyTable {
  id: Generated<number>;
  mediation_id: number;
  position: number;
  side: 'applicant' | 'respondent';
  name: string;
  id_number: string | null;
  phone: string | null;
  address: string | null;
}
export type MediationPartyRow = Selectable<MediationPartyTable>;

export interface MediationSessionTable {
  id: Generated<number>;
  mediation_id: number;
  held_at: Date;
  place: string;
  matter: string;
  result: string;
  transcript: string | null;
  recorded_by: number | null;
  recorded_by_name: string;
  created_at: Date;
}

export interface MediationExtensionTable {
  id: Generated<number>;
  mediation_id: number;
  days: number;
  previous_due_at: Date;
  new_due_at: Date;
  reason: string;
  consent: string;
  recorded_by_name: string;
  recorded_at: Date;
}

export interface MediationAgreementTable {
  mediation_id: number;
  number: string;
  facts: string;
  terms: string;
  performance_method: string;
  performance_place: string;
  perform_by: CivilDate;
  signed_on: CivilDate;
}
export type MediationAgreementRow = Selectable<MediationAgreementTable>;

export interface MediationTables {
  mediation_dispute_categories: DisputeCategoryTable;
  mediations: MediationTable;
  mediation_parties: MediationPartyTable;
  mediation_sessions: MediationSessionTable;
  mediation_extensions: MediationExtensionTable;
  mediation_agreements: MediationAgreementTable;
}
