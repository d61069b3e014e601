import { join } from 'node:path';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Backend, Db } from './db/database.ts';
import { createAuditService } from './modules/audit/audit.service.ts';
import { createCalendarService } from './modules/calendar/calendar.service.ts';
import { createCaseService } from './modules/cases/case.service.ts';
import { createCategoryService } from './modules/cases/category.service.ts';
import { createEvidenceService } from './modules/cases/evidence.service.ts';
import { createFileEvidenceStore } from './modules/cases/evidence-store.ts';
import { createRoutingService } from './modules/cases/routing.service.ts';
import { createBulletinService } from './modules/evaluation/bulletin.service.ts';
import { createDashboardService } from './modules/evaluation/dashboard.service.ts';
import { createFactsService } from './modules/evaluation/facts.service.ts';
import { createIndicatorService } from './modules/evaluation/indicator.service.ts';
import { createRankingService } from './modules/evaluation/ranking.service.ts';
import { createCheckpointService } from './modules/forms/checkpoint.service.ts';
import { createFormService } from './modules/forms/form.service.ts';
import { createHouseholdVisitService } from './modules/forms/household-visit.service.ts';
import { createVisitFormSource } from './modules/forms/household-visit-forms.repository.ts';
import { createRegistrationService } from './modules/forms/registration.service.ts';
import { createHotlineService } from './modules/hotline/hotline.service.ts';
import { createInspectionServices } from './modules/inspections/inspection-services.ts';
import { createBasemapService } from './modules/map/basemap.service.ts';
import { createMapSearch } from './modules/map/map-search.ts';
import { createMediationServices } from './modules/mediation/mediation-services.ts';
import { createNotificationService } from './modules/notifications/notification.service.ts';
import { createLoggingSmsSender } from './modules/notifications/sms-sender.ts';
import { createApiKeyService } from './modules/open311/api-key.service.ts';
import { createOpen311Service } from './modules/open311/open311.service.ts';
import { createOpen311OutboundService } from './modules/open311/open311-outbound.service.ts';
import { createPartyService } from './modules/party/party.service.ts';
import { createPatrolService } from './modules/patrols/patrol.service.ts';
import { createAuthService } from './modules/people/auth.service.ts';
import { createSessionCache } from './modules/people/session-cache.ts';
import { createPeopleService } from './modules/people/user.service.ts';
import { createPortalService } from './modules/portal/portal.service.ts';
import { createRegistryService } from './modules/registry/registry.service.ts';
import { createRegistryImportService } from './modules/registry/registry-import.service.ts';
import { createTerritoryService } from './modules/territory/territory.service.ts';
import { createVolunteerService } from './modules/volunteers/volunteer.service.ts';
import { createOutboundGuard } from './modules/webhooks/outbound-guard.ts';
import { createWebhookService } from './modules/webhooks/webhook.service.ts';

/** The one place services are wired to each other: each gets exactly what it uses. */
export function createServices(deps: { db: Db; backend: Backend; clock: Clock; config: Config }) {
  const { db, backend, clock, config } = deps;
  const audit = createAuditService({ clock });
  const territory = createTerritoryService({ db, clock, audit });
  const sessions = createSessionCache();
  const people = createPeopleService({ db, clock, audit, territory, sessions });
  const auth = createAuthService({
    db,
    clock,
    audit,
    config,
    sessions,
    // A volunteer's reach is their open sign-in, which the volunteers module keeps (called once both exist).
    volunteerTaskOf: (userId) => volunteers.openTask(userId),
  });
  const categories = createCategoryService({ db, audit, people, territory });
  const calendar = createCalendarService({ db, clock, audit, territory });
  const routing = createRoutingService({ db, audit, territory, categories, people });
  const evidence = createEvidenceService({
    db,
    clock,
    store: createFileEvidenceStore(join(config.dataDir, 'evidence')),
    // A visit's photos are read by whoever may see the visit: the inspections module decides, reached through
    // a function called only once both exist.
    visitShowsPhoto: (...args) => inspections.visits.visitShowsPhoto(...args),
  });
  // The only SMS channel is the log (GRIDGOV_SMS=log); a gateway would be chosen here.
  const sms = config.sms === 'log' ? createLoggingSmsSender() : null;
  const notifications = createNotificationService({ db, clock, sms });
  // Webhooks and Open311 outbound reach private addresses only where GRIDGOV_OUTBOUND_ALLOW says so.
  const outbound = createOutboundGuard(config.outboundAllow);
  const webhooks = createWebhookService({ db, clock, audit, keepDays: config.webhookKeepDays, outbound });
  // Outbound Open311 records remote updates on cases (the case service is reached through a function, called
  // only once both exist) and subscribes to dispatches, which the cases module announces without knowing it.
  const open311Outbound = createOpen311OutboundService({
    db,
    clock,
    audit,
    people,
    outbound,
    cases: { recordClientUpdate: (...args) => cases.recordClientUpdate(...args) },
  });
  const party = createPartyService({ db, clock, audit });
  const cases = createCaseService({
    db,
    clock,
    audit,
    calendar,
    territory,
    categories,
    evidence,
    notifications,
    webhooks,
    onDispatched: [open311Outbound.enqueueDispatched],
    // A party member's report is kept with their post (设岗定责) in the report's transaction.
    reportAlongside: (actor) => party.reportAlongside(actor),
    // An open mediation holds its dispute case's handling (reached through a function, called once both exist).
    openMediationOf: (caseId) => mediation.service.openMediationOfCase(caseId),
  });
  // Dispute mediation moves its dispute cases through the case service and escalates like overdue cases.
  const mediation = createMediationServices({ db, clock, audit, territory, cases, notifications });
  const hotline = createHotlineService({ db, clock, audit, cases, categories, territory, people });
  const registry = createRegistryService({ db, clock, audit, territory });
  const registryImports = createRegistryImportService({ db, backend, clock, audit, territory });
  const apiKeys = createApiKeyService({ db, clock, audit });
  const open311 = createOpen311Service({
    db,
    clock,
    cases,
    categories,
    territory,
    registry,
    keys: apiKeys,
    evidence,
    jurisdictions: config.open311Jurisdictions,
    publicSources: config.open311PublicSources,
  });
  const portal = createPortalService({ db, clock, cases, categories, evidence, territory });
  const registrations = createRegistrationService({
    db,
    clock,
    audit,
    territory,
    registry,
    portal,
    windowHours: config.registrationWindowHours,
  });
  const indicators = createIndicatorService({ db, clock, people, territory });
  const caseFacts = createFactsService({ db, calendar });
  const inspections = createInspectionServices({
    db,
    clock,
    audit,
    calendar,
    territory,
    categories,
    registry,
    people,
    cases,
    evidence,
    notifications,
  });
  const volunteers = createVolunteerService({ db, clock, audit });
  const patrols = createPatrolService({ db, clock, coverageMetres: config.patrolCoverageMetres });
  const forms = createFormService({ db, clock, audit, categories, territory });
  const visitForms = createVisitFormSource(db);
  const checkpoints = createCheckpointService({ db, clock, audit, territory, forms: visitForms });
  const householdVisits = createHouseholdVisitService({
    db,
    clock,
    audit,
    forms: visitForms,
    territory,
    registry,
    cases,
    categories,
  });
  const rankings = createRankingService({
    db,
    clock,
    audit,
    people,
    territory,
    patrols,
    inspections: inspections.campaignResults,
  });
  const bulletins = createBulletinService({ db, clock, audit, territory, rankings, inspections });
  const dashboard = createDashboardService({ db, clock, audit, rankings, territory });
  const basemap = createBasemapService({
    db,
    audit,
    territory,
    defaults: { url: config.basemapUrl, attribution: config.basemapAttribution },
  });
  const mapSearch = createMapSearch({ registry, territory });
  territory.onBoundariesChanged(async (actor) => (await registry.relocateAll(actor)).moved);
  // Open steps' due times follow every change of the working calendar, in the change's transaction.
  calendar.onCalendarChanged((change) => cases.recomputeDeadlines(change));
  return {
    basemap,
    mapSearch,
    mediation,
    audit,
    party,
    territory,
    people,
    auth,
    categories,
    calendar,
    routing,
    cases,
    hotline,
    registry,
    registryImports,
    evidence,
    notifications,
    webhooks,
    apiKeys,
    open311,
    open311Outbound,
    portal,
    registrations,
    indicators,
    caseFacts,
    rankings,
    dashboard,
    inspections,
    bulletins,
    patrols,
    forms,
    volunteers,
    checkpoints,
    householdVisits,
    sms,
  };
}

export type Services = ReturnType<typeof createServices>;
