/**
 * The inspections module's services, wired once: checklist templates, campaigns and their results, visits with
 * their rectification cases and re-inspections, documents, and task books. deps.ts gives it what it may use of
 * the other modules.
 */
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { CalendarService } from '../calendar/calendar.service.ts';
import type { CaseService } from '../cases/case.service.ts';
import type { CategoryService } from '../cases/category.service.ts';
import type { EvidenceService } from '../cases/evidence.service.ts';
import type { NotificationService } from '../notifications/notification.service.ts';
import type { PeopleService } from '../people/user.service.ts';
import type { RegistryService } from '../registry/registry.service.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import { createCampaignService } from './campaign.service.ts';
import { createCampaignResults } from './campaign-results.ts';
import { createChecklistService } from './checklist.service.ts';
import { createInspectionDocuments } from './inspection-documents.service.ts';
import { createTaskBookService } from './task-book.service.ts';
import { createVisitService } from './visit.service.ts';

export interface InspectionDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  calendar: CalendarService;
  territory: TerritoryService;
  categories: CategoryService;
  registry: RegistryService;
  people: PeopleService;
  cases: CaseService;
  evidence: EvidenceService;
  notifications: NotificationService;
}

export function createInspectionServices(deps: InspectionDeps) {
  const checklists = createChecklistService(deps);
  const campaigns = createCampaignService(deps);
  const campaignResults = createCampaignResults({ db: deps.db, clock: deps.clock, campaigns });
  const visits = createVisitService(deps);
  const taskBooks = createTaskBookService(deps);
  const documents = createInspectionDocuments({ ...deps, campaigns, campaignResults, visits });
  return { checklists, campaigns, campaignResults, visits, taskBooks, documents };
}

export type InspectionServices = ReturnType<typeof createInspectionServices>;
