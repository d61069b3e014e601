import type { CaseMediation, CaseSummary } from '../../../shared/cases.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { AppError, ENTITY, notFound } from '../../errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { CalendarService } from '../calendar/calendar.service.ts';
import { deadlineStatus, type WorkingCalendar } from '../calendar/working-time.ts';
import type { NotificationService } from '../notifications/notification.service.ts';
import type { Actor } from '../people/actor.ts';
import { caseScope } from '../people/scope.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import type { WebhookService } from '../webhooks/webhook.service.ts';
import type { CaseAccessFacts } from './case.policy.ts';
import * as cases from './case.repository.ts';
import type { OnCaseDispatched } from './case-events.ts';
import type { CategoryService } from './category.service.ts';
import type { EvidenceService } from './evidence.service.ts';

export interface CaseServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  calendar: Pick<CalendarService, 'getCalendar'>;
  territory: Pick<TerritoryService, 'locateCode' | 'getRegionSummary'>;
  categories: Pick<CategoryService, 'getCategory' | 'listAttributes'>;
  evidence: Pick<EvidenceService, 'findMissing' | 'describeEvidence'>;
  notifications: Pick<NotificationService, 'notify' | 'notifyCases' | 'settleCase'>;
  webhooks: Pick<WebhookService, 'enqueueCaseEvent' | 'anySubscribed'>;
  /** Told of each dispatch inside its transaction (see case-events.ts). */
  onDispatched?: readonly OnCaseDispatched[];
  /**
   * What another module keeps of a new report by this actor, written in the report's transaction (the party
   * module: a party member's post), or undefined when it keeps nothing — most reports, which then skip it.
   */
  reportAlongside?: (actor: Actor) => ((trx: Db, caseId: number) => Promise<void>) | undefined;
  /**
   * The open mediation holding a case (the mediation module keeps it), or undefined: while one is open the case's
   * handling follows it, and only the actions that leave the state as it is remain (case-workflow.ts).
   */
  openMediationOf?: (caseId: number) => Promise<CaseMediation | undefined>;
  /** Share of a step's working time after which it shows yellow (due soon). */
  yellowShare?: number;
  /** Open cases of the same category this close (metres) and this recent (hours) are possible duplicates. */
  duplicateRadiusMetres?: number;
  duplicateWindowHours?: number;
}

export type CaseContext = ReturnType<typeof createCaseContext>;

/**
 * What the parts of the case service (intake, actions, queries, deadlines, notices) share: the dependencies
 * with their defaults, reading a case the way an actor may, and presenting it as a list shows it.
 */
export function createCaseContext(deps: CaseServiceDeps) {
  const { db } = deps;
  const yellowShare = deps.yellowShare ?? 0.8;

  /**
   * A case the actor asked for, read through their scope: 404 when there is no such case, 403 when it lies
   * outside the scope. `unscoped` only for what the actor was let into already (the outcome of their action).
   */
  async function loadForAction(actor: Actor, caseId: number, options: { unscoped?: true } = {}) {
    const row = options.unscoped
      ? await cases.findCaseUnscoped(db, caseId)
      : await cases.findCaseInScope(db, caseId, caseScope(actor));
    if (!row) {
      const exists = !options.unscoped && (await cases.findCaseUnscoped(db, caseId));
      if (exists) {
        throw new AppError('FORBIDDEN_SCOPE', {
          target: { zh: `案件 ${caseId}`, en: `case ${caseId}` },
          scope:
            actor.role === 'departmentHandler'
              ? { zh: '本部门承办的案件', en: "your department's cases" }
              : actor.scopeName,
        });
      }
      throw notFound(ENTITY.case, caseId);
    }
    const departments = await cases.listCaseDepartments(db, caseId);
    const facts: CaseAccessFacts = {
      caseNumber: row.case_number,
      regionCode: row.region_code,
      leadDepartmentId: row.lead_department_id,
      departmentIds: departments.map((d) => d.id),
    };
    return { row, departments, facts };
  }

  /** The case as a list shows it, its deadline coloured at `now`. */
  function presentSummary(row: cases.CaseWithNames, working: WorkingCalendar, now: Date): CaseSummary {
    let deadline: CaseSummary['deadline'] = 'none';
    if (row.step_beyond_calendar) deadline = 'beyondCalendar';
    else if (row.step_due_at && row.step_started_at) {
      deadline = row.suspended_at
        ? 'onTime'
        : deadlineStatus({
            start: row.step_started_at,
            due: row.step_due_at,
            now,
            yellowShare,
            calendar: working,
          });
    }
    return {
      id: row.id,
      caseNumber: row.case_number,
      externalRef: row.external_ref,
      state: row.state,
      source: row.source,
      categoryId: row.category_id,
      categoryName: row.category_name,
      categoryCode: row.category_code,
      regionCode: row.region_code,
      regionName: row.region_name,
      description: row.description,
      address: row.address,
      lon: row.lon,
      lat: row.lat,
      step: (row.step as CaseSummary['step']) ?? null,
      stepDueAt: row.step_due_at?.toISOString() ?? null,
      deadline,
      leadDepartmentId: row.lead_department_id,
      leadDepartmentName: row.lead_department_name,
      supervised: row.supervised,
      returnCount: row.return_count,
      reworkCount: row.rework_count,
      createdAt: row.created_at.toISOString(),
      closedAt: row.closed_at?.toISOString() ?? null,
      version: row.version,
    };
  }

  return {
    ...deps,
    onDispatched: deps.onDispatched ?? [],
    openMediationOf: deps.openMediationOf ?? (async () => undefined),
    yellowShare,
    duplicateRadius: deps.duplicateRadiusMetres ?? 100,
    duplicateWindowMs: (deps.duplicateWindowHours ?? 72) * 3_600_000,
    loadForAction,
    presentSummary,
  };
}
