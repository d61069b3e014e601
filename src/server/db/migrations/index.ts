import type { Migration } from 'kysely';
import * as foundation from './0001_foundation.ts';
import * as cases from './0002_cases.ts';
import * as evidence from './0003_evidence.ts';
import * as notifications from './0004_notifications.ts';
import * as hotline from './0005_hotline.ts';
import * as webhooks from './0006_webhooks.ts';
import * as registry from './0007_registry.ts';
import * as dueSoon from './0008_due_soon.ts';
import * as open311 from './0009_open311.ts';
import * as portal from './0010_portal.ts';
import * as open311Outbound from './0011_open311_outbound.ts';
import * as indicators from './0012_indicators.ts';
import * as webhookRetention from './0013_webhook_retention.ts';
import * as formTokens from './0014_form_tokens.ts';
import * as loginThrottle from './0015_login_throttle.ts';
import * as jobs from './0016_jobs.ts';
import * as rateLimits from './0017_rate_limits.ts';
import * as foreignKeyIndexes from './0018_foreign_key_indexes.ts';
import * as open311KeyRegions from './0019_open311_key_regions.ts';
import * as inspections from './0020_inspections.ts';
import * as caseDeadline from './0021_case_deadline.ts';
import * as evaluation from './0022_evaluation.ts';
import * as patrols from './0023_patrols.ts';
import * as bulletins from './0024_bulletins.ts';
import * as evaluationUnits from './0025_evaluation_units.ts';
import * as open311UpdateIds from './0026_open311_update_ids.ts';
import * as hotlineHistory from './0028_hotline_history.ts';
import * as caseNumberDate from './0029_case_number_date.ts';
import * as ticketCodes from './0030_ticket_codes.ts';
import * as forms from './0031_forms.ts';
import * as registrations from './0032_registrations.ts';
import * as checkpoints from './0033_checkpoints.ts';
import * as mediation from './0034_mediation.ts';
import * as party from './0035_party.ts';
import * as volunteers from './0036_volunteers.ts';
import * as householdVisits from './0037_household_visits.ts';

import * as notificationDone from './0038_notification_done.ts';
import * as visitCampaignUnits from './0040_visit_campaign_units.ts';
import * as sweepIndexes from './0041_sweep_indexes.ts';
import * as placePoints from './0042_place_points.ts';
import * as volunteerTaskTools from './0043_volunteer_task_tools.ts';
import * as checkpointEntryFormVersion from './0044_checkpoint_entry_form_version.ts';
import * as numberCounters from './0045_number_counters.ts';
import * as clientKeyPartial from './0047_client_key_partial.ts';
import * as caseTickets from './0048_case_tickets.ts';
import * as caseTimers from './0049_case_timers.ts';
/**
 * Every migration, in order. Names are versioned and never change once released; a new schema change is a
 * new file added here, so the embedded database and a PostgreSQL server move through the same steps.
 */
export const migrations: Record<string, Migration> = {
  '0001_foundation': foundation,
  '0002_cases': cases,
  '0003_evidence': evidence,
  '0004_notifications': notifications,
  '0005_hotline': hotline,
  '0006_webhooks': webhooks,
  '0007_registry': registry,
  '0008_due_soon': dueSoon,
  '0009_open311': open311,
  '0010_portal': portal,
  '0011_open311_outbound': open311Outbound,
  '0012_indicators': indicators,
  '0013_webhook_retention': webhookRetention,
  '0014_form_tokens': formTokens,
  '0015_login_throttle': loginThrottle,
  '0016_jobs': jobs,
  '0017_rate_limits': rateLimits,
  '0018_foreign_key_indexes': foreignKeyIndexes,
  '0019_open311_key_regions': open311KeyRegions,
  '0020_inspections': inspections,
  '0021_case_deadline': caseDeadline,
  '0022_evaluation': evaluation,
  '0023_patrols': patrols,
  '0024_bulletins': bulletins,
  '0025_evaluation_units': evaluationUnits,
  '0026_open311_update_ids': open311UpdateIds,
  '0028_hotline_history': hotlineHistory,
  '0029_case_number_date': caseNumberDate,
  '0030_ticket_codes': ticketCodes,
  '0031_forms': forms,
  '0032_registrations': registrations,
  '0033_checkpoints': checkpoints,
  '0034_mediation': mediation,
  '0035_party': party,
  '0036_volunteers': volunteers,
  '0037_household_visits': householdVisits,
  '0038_notification_done': notificationDone,
  '0040_visit_campaign_units': visitCampaignUnits,
  '0041_sweep_indexes': sweepIndexes,
  '0042_place_points': placePoints,
  '0043_volunteer_task_tools': volunteerTaskTools,
  '0044_checkpoint_entry_form_version': checkpointEntryFormVersion,
  '0045_number_counters': numberCounters,
  '0047_client_key_partial': clientKeyPartial,
  '0048_case_tickets': caseTickets,
  '0049_case_timers': caseTimers,
};
