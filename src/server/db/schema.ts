import type { ColumnType } from 'kysely';
import type { JobTable } from '../jobs/job.table.ts';
import type { AuditTable } from '../modules/audit/audit.table.ts';
import type { CalendarDayTable, CalendarYearTable } from '../modules/calendar/calendar.table.ts';
import type {
  CaseDepartmentTable,
  CaseEventTable,
  CaseModerationTable,
  CaseTable,
  CaseTicketTable,
  CaseTimerTable,
} from '../modules/cases/case.table.ts';
import type {
  CategoryAttributeTable,
  CategoryTable,
  RoutingRuleTable,
} from '../modules/cases/category.table.ts';
import type { EvidenceTable } from '../modules/cases/evidence.table.ts';
import type { BulletinTables } from '../modules/evaluation/bulletin.table.ts';
import type { EvaluationTables } from '../modules/evaluation/evaluation.table.ts';
import type { CheckpointTables } from '../modules/forms/checkpoint.table.ts';
import type { FormTables } from '../modules/forms/form.table.ts';
import type { HouseholdVisitTables } from '../modules/forms/household-visit.table.ts';
import type { RegistrationTables } from '../modules/forms/registration.table.ts';
import type { HotlineAgencyMappingTable, HotlineImportTable } from '../modules/hotline/hotline.table.ts';
import type { InspectionTables } from '../modules/inspections/inspection.table.ts';
import type { MediationTables } from '../modules/mediation/mediation.table.ts';
import type { NotificationTable } from '../modules/notifications/notification.table.ts';
import type {
  Open311ClientUpdateTable,
  Open311KeyTable,
  Open311PendingTable,
  Open311RequestTable,
} from '../modules/open311/open311.table.ts';
import type {
  Open311EndpointTable,
  Open311OutboundTable,
  Open311OutboundUpdateTable,
} from '../modules/open311/open311-outbound.table.ts';
import type { PartyTables } from '../modules/party/party.table.ts';
import type { PatrolTables } from '../modules/patrols/patrol.table.ts';
import type {
  DepartmentTable,
  LoginFailureTable,
  SessionTable,
  UserTable,
} from '../modules/people/user.table.ts';
import type {
  AddressTable,
  BuildingTable,
  FacilityTable,
  HouseTable,
  ImportRejectTable,
  ImportTable,
  OrganisationTable,
  ResidentTable,
} from '../modules/registry/registry.table.ts';
import type { LayerGridTables } from '../modules/territory/layer-grid.table.ts';
import type { GridPersonTable, RegionTable } from '../modules/territory/region.table.ts';
import type { VolunteerTables } from '../modules/volunteers/volunteer.table.ts';
import type { WebhookDeliveryTable, WebhookTable } from '../modules/webhooks/webhook.table.ts';

/** Small named values the system keeps between restarts (e.g. the territory revision). */
export interface SettingTable {
  key: string;
  value: ColumnType<unknown, string, string>;
}

/** A rate-limit counter shared by the processes on one database (http/rate-limit-store.ts). */
export interface RateLimitTable {
  key: string;
  window_started_at: Date;
  hits: number;
}

/** The last running number of a document kind in a year (number-counters.ts). */
export interface NumberCounterTable {
  kind: string;
  year: number;
  last: number;
}

/** Every table, as Kysely sees it. Each module owns the row types of its own tables. */
export interface Database
  extends InspectionTables,
    PatrolTables,
    EvaluationTables,
    BulletinTables,
    MediationTables {
  // Form definitions (表单): src/server/modules/forms/form.table.ts
  forms: FormTables['forms'];
  form_versions: FormTables['form_versions'];
  // Party and special grid layers: src/server/modules/territory/layer-grid.table.ts
  layer_grids: LayerGridTables['layer_grids'];
  layer_grid_people: LayerGridTables['layer_grid_people'];
  // Party branches, posts, members and their reports: src/server/modules/party/party.table.ts
  party_branches: PartyTables['party_branches'];
  party_posts: PartyTables['party_posts'];
  party_members: PartyTables['party_members'];
  party_case_reports: PartyTables['party_case_reports'];
  registrations: RegistrationTables['registrations'];
  // Checkpoints (卡点): src/server/modules/forms/checkpoint.table.ts
  checkpoints: CheckpointTables['checkpoints'];
  checkpoint_duties: CheckpointTables['checkpoint_duties'];
  checkpoint_entries: CheckpointTables['checkpoint_entries'];
  // Household-visit campaigns (入户走访): src/server/modules/forms/household-visit.table.ts
  visit_campaigns: HouseholdVisitTables['visit_campaigns'];
  household_visits: HouseholdVisitTables['household_visits'];
  household_visit_households: HouseholdVisitTables['household_visit_households'];
  household_visit_cases: HouseholdVisitTables['household_visit_cases'];
  // Volunteer service (志愿服务): src/server/modules/volunteers/volunteer.table.ts
  volunteer_units: VolunteerTables['volunteer_units'];
  volunteer_unit_contacts: VolunteerTables['volunteer_unit_contacts'];
  volunteers: VolunteerTables['volunteers'];
  volunteer_requests: VolunteerTables['volunteer_requests'];
  volunteer_assignments: VolunteerTables['volunteer_assignments'];
  regions: RegionTable;
  grid_people: GridPersonTable;
  users: UserTable;
  sessions: SessionTable;
  login_failures: LoginFailureTable;
  departments: DepartmentTable;
  audit_log: AuditTable;
  settings: SettingTable;
  jobs: JobTable;
  rate_limits: RateLimitTable;
  number_counters: NumberCounterTable;
  calendar_days: CalendarDayTable;
  calendar_years: CalendarYearTable;
  categories: CategoryTable;
  routing_rules: RoutingRuleTable;
  cases: CaseTable;
  case_tickets: CaseTicketTable;
  case_timers: CaseTimerTable;
  case_departments: CaseDepartmentTable;
  case_events: CaseEventTable;
  evidence: EvidenceTable;
  notifications: NotificationTable;
  hotline_imports: HotlineImportTable;
  hotline_agency_mappings: HotlineAgencyMappingTable;
  webhooks: WebhookTable;
  webhook_deliveries: WebhookDeliveryTable;
  registry_addresses: AddressTable;
  registry_buildings: BuildingTable;
  registry_houses: HouseTable;
  registry_residents: ResidentTable;
  registry_organisations: OrganisationTable;
  registry_facilities: FacilityTable;
  registry_imports: ImportTable;
  registry_import_rejects: ImportRejectTable;
  category_attributes: CategoryAttributeTable;
  open311_keys: Open311KeyTable;
  open311_requests: Open311RequestTable;
  open311_pending: Open311PendingTable;
  open311_client_updates: Open311ClientUpdateTable;
  open311_endpoints: Open311EndpointTable;
  open311_outbound: Open311OutboundTable;
  open311_outbound_updates: Open311OutboundUpdateTable;
  case_moderation: CaseModerationTable;
}
