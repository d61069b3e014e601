import type { z } from 'zod';
import { describeAttributeValues } from '../../../shared/attributes.ts';
import {
  CASE_SENSITIVE_FIELDS,
  type CaseRevealResult,
  REPORTER_PHONE_VISIBILITY,
} from '../../../shared/case-privacy.ts';
import { allowedActions, type CaseState, TERMINAL_STATES } from '../../../shared/case-workflow.ts';
import {
  type CaseDetail,
  type CaseSummary,
  caseListQuerySchema,
  type moderateCaseSchema,
  photoIdsOf,
} from '../../../shared/cases.ts';
import { maskPhone } from '../../../shared/registry-validation.ts';
import { ROLES } from '../../../shared/roles.ts';
import { distanceMeters } from '../../../shared/territory.ts';
import { type WorkSummary, workQueuesOf } from '../../../shared/work.ts';
import { AppError } from '../../errors.ts';
import { shanghaiDay } from '../patrols/patrol.policy.ts';
import { assertRole } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';
import { caseScope } from '../people/scope.ts';
import { assertCanSeeCase, mayTakeAction } from './case.policy.ts';
import * as cases from './case.repository.ts';
import type { CaseRow } from './case.table.ts';
import type { CaseContext } from './case-context.ts';
import { casesWorkbook } from './case-export.ts';
import { DESCRIPTION_TARGET, PUBLIC_ACTIONS, type PublicStep, publicStepOf } from './public-case.ts';

export type CaseListQuery = z.infer<typeof caseListQuerySchema>;
export type ModerateCaseInput = z.infer<typeof moderateCaseSchema>;

/**
 * What the public may see of a case (the portal's ticket page): public steps only, photos of the report and of
 * the handling unless staff hid them, and nothing of the reporter.
 */
export interface PublicCase {
  id: number;
  caseNumber: string;
  ticketCode: string;
  state: CaseState;
  source: CaseRow['source'];
  categoryName: string;
  regionName: string;
  leadDepartmentName: string | null;
  description: string;
  descriptionHidden: boolean;
  lon: number | null;
  lat: number | null;
  createdAt: Date;
  closedAt: Date | null;
  satisfaction: number | null;
  version: number;
  steps: { id: number; at: Date; step: PublicStep }[];
  photos: { id: string; kind: 'report' | 'handled' }[];
  hiddenPhotos: number;
}

const TEXT = {
  moderate: { zh: '隐藏公开内容', en: 'hide public content' },
  reveal: { zh: '查看完整的反映人电话', en: "see the reporter's full phone" },
  notAPhoto: { zh: '该照片不属于此案件', en: 'This photo is not one of the case' },
} as const;

const METRES_PER_DEGREE = 111_320;

export type CaseQueries = ReturnType<typeof createCaseQueries>;

/**
 * Reading cases: a case's detail for staff, the queue, possible duplicates, the public view of a case and its
 * moderation (what of it the public may not see).
 */
/** Rows read per page of an export: the case list's own largest page. */
const EXPORT_PAGE = 200;

export function createCaseQueries(ctx: CaseContext) {
  const { db, clock, audit, calendar, categories, evidence, loadForAction, presentSummary, openMediationOf } =
    ctx;
  const { duplicateRadius, duplicateWindowMs } = ctx;

  async function getCase(actor: Actor, caseId: number): Promise<CaseDetail> {
    return caseDetail(actor, caseId, { checkAccess: true });
  }

  async function caseDetail(
    actor: Actor,
    caseId: number,
    options: { checkAccess: boolean },
  ): Promise<CaseDetail> {
    const { row, departments, facts } = await loadForAction(
      actor,
      caseId,
      options.checkAccess ? {} : { unscoped: true },
    );
    if (options.checkAccess) assertCanSeeCase(actor, facts);
    const [events, working] = await Promise.all([cases.listCaseEvents(db, caseId), calendar.getCalendar()]);
    const state = row.state as CaseState;
    const category = await categories.getCategory(row.category_id);
    const mediation = TERMINAL_STATES.includes(state) ? undefined : await openMediationOf(row.id);
    const actions = allowedActions(state, {
      source: row.source,
      onTheSpotAllowed: category.onTheSpot,
      supervised: row.supervised,
      satisfaction: row.satisfaction,
      mediating: mediation !== undefined,
    }).filter((action) => mayTakeAction(actor, action, facts));
    const possibleDuplicates =
      state === 'reported' && row.lon !== null && row.lat !== null
        ? await findPossibleDuplicates(actor, {
            categoryId: row.category_id,
            lon: row.lon,
            lat: row.lat,
            excludeId: row.id,
          })
        : [];
    const suggested = state === 'registered' || state === 'reported' ? await proposedDepartment(row) : null;
    const photos = await evidence.describeEvidence([...new Set(events.flatMap((e) => photoIdsOf(e.data)))]);
    const moderation = await cases.listModeration(db, caseId);
    const fields = (await categories.listAttributes([row.category_id])).get(row.category_id) ?? [];
    const reported = events.find((e) => e.action === 'report')?.data.attributes;
    return {
      ...presentSummary(row, working, clock.now()),
      reporterName: row.reporter_name,
      ...reporterPhoneFor(actor, row.reporter_phone),
      mergedInto: row.merged_into,
      extensionCount: row.extension_count,
      satisfaction: row.satisfaction,
      stepStartedAt: row.step_started_at?.toISOString() ?? null,
      suspendedAt: row.suspended_at?.toISOString() ?? null,
      departments: departments.map((d) => ({ id: d.id, name: d.name, role: d.role })),
      events: events.map((e) => ({
        id: e.id,
        action: e.action,
        fromState: e.from_state,
        toState: e.to_state,
        actorName: e.actor_name,
        note: e.note,
        data: e.data,
        at: e.at.toISOString(),
      })),
      attributes: describeAttributeValues(fields, reported),
      allowedActions: actions,
      mediation: mediation ?? null,
      possibleDuplicates,
      suggestedDepartmentId: suggested?.departmentId ?? null,
      suggestedBecause: suggested?.departmentId ? suggested.because : null,
      photos,
      moderation: moderation.map((m) => ({
        target: m.target,
        reason: m.reason,
        hiddenByName: m.hidden_by_name,
        hiddenAt: m.hidden_at.toISOString(),
      })),
    };
  }

  /**
   * The public view of a case of a public category and a public source (PUBLIC_CASE_SOURCES), by its ticket
   * code; undefined for any other code. Never by the case number, which anyone could guess.
   */
  async function getPublicCase(ticketCode: string): Promise<PublicCase | undefined> {
    const row = await cases.findPublicCaseByTicketCode(db, ticketCode);
    if (!row) return undefined;
    const [events, moderation] = await Promise.all([
      cases.listEventsOf(db, row.id, ['report', ...PUBLIC_ACTIONS]),
      cases.listModeration(db, row.id),
    ]);
    const hidden = new Set(moderation.map((m) => m.target));
    // The reporter's photos, and those the department took of its work; a verifier's stay internal.
    const named = events.flatMap((e) =>
      e.action === 'report' || e.action === 'finish' || e.action === 'handleOnTheSpot'
        ? photoIdsOf(e.data).map(
            (id) => ({ id, kind: e.action === 'report' ? 'report' : 'handled' }) as const,
          )
        : [],
    );
    const photos = [...new Map(named.map((p) => [p.id, p])).values()];
    return {
      id: row.id,
      caseNumber: row.case_number,
      ticketCode,
      state: row.state as CaseState,
      source: row.source,
      categoryName: row.category_name,
      regionName: row.region_name,
      leadDepartmentName: row.lead_department_name,
      description: row.description,
      descriptionHidden: hidden.has(DESCRIPTION_TARGET),
      lon: row.lon,
      lat: row.lat,
      createdAt: row.created_at,
      closedAt: row.closed_at,
      satisfaction: row.satisfaction,
      version: row.version,
      steps: events
        .filter((e) => e.action !== 'report')
        .map((e) => ({ id: e.id, at: e.at, step: publicStepOf(e) })),
      photos: photos.filter((p) => !hidden.has(p.id)),
      hiddenPhotos: photos.filter((p) => hidden.has(p.id)).length,
    };
  }

  /**
   * Hides the description or a photo of a case from the public (`hide`), or shows it again (`restore`), with
   * the reason in the audit log; doing what is already so changes and records nothing.
   */
  async function moderateCase(
    actor: Actor,
    caseId: number,
    input: ModerateCaseInput,
    mode: 'hide' | 'restore' = 'hide',
  ): Promise<CaseDetail> {
    assertRole(actor, ['administrator', 'dispatcher'], TEXT.moderate);
    const { row, facts } = await loadForAction(actor, caseId);
    assertCanSeeCase(actor, facts);
    if (input.target !== DESCRIPTION_TARGET) {
      const events = await cases.listCaseEvents(db, caseId);
      if (!events.some((e) => photoIdsOf(e.data).includes(input.target))) {
        throw new AppError('VALIDATION_FAILED', { summary: TEXT.notAPhoto });
      }
    }
    await db.transaction().execute(async (trx) => {
      const changed =
        mode === 'hide'
          ? await cases.insertModeration(trx, {
              case_id: row.id,
              target: input.target,
              reason: input.reason,
              hidden_by: actor.id > 0 ? actor.id : null,
              hidden_by_name: actor.name,
              hidden_at: clock.now(),
            })
          : await cases.deleteModeration(trx, row.id, input.target);
      if (!changed) return;
      await audit.record(trx, {
        actor,
        action: mode === 'hide' ? 'case.moderate' : 'case.moderate.restore',
        entityType: 'case',
        entityId: row.id,
        countyCode: row.county_code,
        details: { caseNumber: row.case_number, target: input.target, reason: input.reason },
      });
    });
    return caseDetail(actor, row.id, { checkAccess: true });
  }

  /**
   * Open cases of the category within the duplicate radius of a point, reported within the window: offered to
   * the reporter before submitting and to the dispatcher before registering.
   */
  async function findPossibleDuplicates(
    actor: Actor,
    options: { categoryId: number; lon: number; lat: number; excludeId?: number },
  ): Promise<CaseSummary[]> {
    const now = clock.now();
    const dLat = duplicateRadius / METRES_PER_DEGREE;
    const dLon = dLat / Math.cos((options.lat * Math.PI) / 180);
    const rows = await cases.listOpenCasesNear(db, {
      categoryId: options.categoryId,
      box: [options.lon - dLon, options.lat - dLat, options.lon + dLon, options.lat + dLat],
      since: new Date(now.getTime() - duplicateWindowMs),
      ...(options.excludeId !== undefined ? { excludeId: options.excludeId } : {}),
      // A department handler sees the candidates dispatched to their department, as in their queue.
      scope: caseScope(actor),
    });
    const working = await calendar.getCalendar();
    return rows
      .filter(
        (r) =>
          r.lon !== null &&
          r.lat !== null &&
          distanceMeters(options.lon, options.lat, r.lon, r.lat) <= duplicateRadius,
      )
      .map((r) => presentSummary(r, working, now));
  }

  /** The queue of cases the actor may see, earliest due first. */
  async function listCases(actor: Actor, query: CaseListQuery) {
    const now = clock.now();
    const { rows, total, more } = await cases.listCases(db, {
      scope: caseScope(actor),
      states: query.state?.split(','),
      open: query.open,
      source: query.source,
      leadDepartmentId: query.departmentId,
      reportedFrom: query.from ? shanghaiMidnight(query.from, 0) : undefined,
      reportedBefore: query.to ? shanghaiMidnight(query.to, 1) : undefined,
      reporterId: query.reportedByMe ? actor.id : undefined,
      supervised: query.supervised,
      rework: query.rework,
      step: query.step,
      deadline: query.deadline,
      // "Due soon" in the list is approximated in clock time: within the next working day's worth of hours.
      dueSoonBefore: new Date(now.getTime() + 24 * 3_600_000),
      now,
      categoryId: query.categoryId,
      regionCode: query.regionCode,
      q: query.q,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    const working = await calendar.getCalendar();
    return {
      items: rows.map((r) => presentSummary(r, working, now)),
      total,
      more,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /** The filtered list, every page of it up to the list's counting cap, as a spreadsheet in the actor's language. */
  async function exportCases(actor: Actor, query: CaseListQuery): Promise<Buffer> {
    const rows: CaseSummary[] = [];
    for (let page = 1; rows.length < cases.COUNT_CAP; page++) {
      const { items } = await listCases(actor, { ...query, page, pageSize: EXPORT_PAGE });
      rows.push(...items);
      if (items.length < EXPORT_PAGE) break;
    }
    return casesWorkbook(rows.slice(0, cases.COUNT_CAP), actor.locale);
  }

  /**
   * What waits for the actor (工作台): each of its role's queues counted by the case list itself, so the count
   * a user reads and the list the count opens agree; `waiting` is the bell's number.
   */
  async function workSummary(actor: Actor): Promise<WorkSummary> {
    const today = shanghaiDay(clock.now());
    const queues: WorkSummary['queues'] = [];
    for (const queue of workQueuesOf(actor.role, today)) {
      const { total, more } = await listCases(
        actor,
        caseListQuerySchema.parse({ ...queue.filter, pageSize: 1 }),
      );
      queues.push({ ...queue, filter: { ...queue.filter }, count: total, more });
    }
    const waiting = queues.filter((q) => q.waiting).reduce((sum, q) => sum + q.count, 0);
    return { today, queues, waiting };
  }

  /** Where the routing rules (most specific region first) or else the category would dispatch a case. */
  async function routedDepartment(row: Pick<CaseRow, 'category_id' | 'region_code'>): Promise<number | null> {
    return (await proposedDepartment(row)).departmentId;
  }

  /** The same, with why: the dispatch dialog tells the dispatcher whether a rule or the category chose it. */
  async function proposedDepartment(row: Pick<CaseRow, 'category_id' | 'region_code'>) {
    const routed = await cases.findRoutingDepartment(db, row.category_id, row.region_code);
    if (routed !== null) return { departmentId: routed, because: 'routingRule' as const };
    const fallback = (await categories.getCategory(row.category_id)).defaultDepartmentId;
    return { departmentId: fallback, because: 'categoryDefault' as const };
  }

  /** The ticket code of a case (the portal gives it to the reporter); only the system's own writes ask. */
  async function ticketCodeOf(caseId: number): Promise<string> {
    return cases.findTicketCode(db, caseId);
  }

  /**
   * A reporter's phone in clear, for a role that sees it masked but may reveal it (REPORTER_PHONE_VISIBILITY),
   * on a case the actor may see; recorded in the audit log (`case.reveal`) as the registry's reveals are.
   */
  async function revealCase(actor: Actor, caseId: number, field: string): Promise<CaseRevealResult> {
    const known = CASE_SENSITIVE_FIELDS.find((f) => f === field);
    if (!known) {
      throw new AppError('VALIDATION_FAILED', {
        summary: {
          zh: `“${field}”不是案件的个人信息字段：${CASE_SENSITIVE_FIELDS.join('、')}`,
          en: `"${field}" is not a personal data field of a case: ${CASE_SENSITIVE_FIELDS.join(', ')}`,
        },
      });
    }
    assertRole(
      actor,
      ROLES.filter((role) => REPORTER_PHONE_VISIBILITY[role] !== 'masked'),
      TEXT.reveal,
    );
    const { row, facts } = await loadForAction(actor, caseId);
    assertCanSeeCase(actor, facts);
    await audit.record(db, {
      actor,
      action: 'case.reveal',
      entityType: 'case',
      entityId: row.id,
      countyCode: row.county_code,
      details: { caseNumber: row.case_number, regionCode: row.region_code, fields: [known] },
    });
    return { field: known, value: row.reporter_phone };
  }

  return {
    getCase,
    caseDetail,
    getPublicCase,
    revealCase,
    ticketCodeOf,
    moderateCase,
    findPossibleDuplicates,
    listCases,
    workSummary,
    exportCases,
    routedDepartment,
  };
}

/**
 * A reporter's phone as this actor may see it (REPORTER_PHONE_VISIBILITY): in clear, or masked and perhaps
 * revealable. The system's own reads (imports, the portal, Open311 writes) see it as it is: no person reads them.
 */
function reporterPhoneFor(actor: Actor, phone: string | null) {
  const visibility = actor.system ? 'clear' : REPORTER_PHONE_VISIBILITY[actor.role];
  if (phone === null || visibility === 'clear') {
    return { reporterPhone: phone, reporterPhoneMasked: false, reporterPhoneRevealable: false };
  }
  return {
    reporterPhone: maskPhone(phone),
    reporterPhoneMasked: true,
    reporterPhoneRevealable: visibility === 'reveal',
  };
}

/** The instant a Beijing day begins, `days` days after `day` (China keeps no daylight saving time). */
function shanghaiMidnight(day: string, days: number): Date {
  const at = new Date(`${day}T00:00:00+08:00`);
  at.setUTCDate(at.getUTCDate() + days);
  return at;
}
