import type { z } from 'zod';
import {
  type AttributeValues,
  attributeProblemText,
  checkAttributeValues,
  describeAttributeValues,
} from '../../../shared/attributes.ts';
import {
  type CaseDetail,
  type CaseSummary,
  type caseListQuerySchema,
  type moderateCaseSchema,
  photoIdsOf,
  type reportCaseSchema,
} from '../../../shared/cases.ts';
import { labelWithCode, localize } from '../../../shared/errors.ts';
import type { Role } from '../../../shared/roles.ts';
import { distanceMeters } from '../../../shared/territory.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { AppError, conflict, ENTITY, notFound } from '../../errors.ts';
import { createGroupCommit } from '../../group-commit.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { CalendarService } from '../calendar/calendar.service.ts';
import {
  addWorkingTime,
  type DeadlineResult,
  deadlineStatus,
  dueAfterSuspension,
  type WorkingCalendar,
  warningTime,
} from '../calendar/working-time.ts';
import type { NotificationService } from '../notifications/notification.service.ts';
import type { Open311OutboundService } from '../open311/open311-outbound.service.ts';
import { assertRole } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';
import { caseScope, regionScope, scopeHoldsRegion } from '../people/scope.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import type { WebhookService } from '../webhooks/webhook.service.ts';
import {
  assertCanSeeCase,
  assertMayTakeAction,
  type CaseAccessFacts,
  isSameReporter,
  mayTakeAction,
} from './case.policy.ts';
import type { NewReport } from './case.repository.ts';
import * as cases from './case.repository.ts';
import type { CaseRow } from './case.table.ts';
import {
  type ActionInputs,
  allowedActions,
  type CaseAction,
  type CaseSnapshot,
  type CaseState,
  type ClockEffect,
  type DepartmentEffect,
  TERMINAL_STATES,
  transition,
  WorkflowError,
} from './case-workflow.ts';
import type { CategoryService } from './category.service.ts';
import type { EvidenceService } from './evidence.service.ts';
import { DESCRIPTION_TARGET, PUBLIC_ACTIONS, type PublicStep, publicStepOf } from './public-case.ts';

export type ReportCaseInput = z.infer<typeof reportCaseSchema>;

/**
 * Where a case from another system came from: its number there and when that system received it, and what
 * else it sent that the report entry should keep (an Open311 client's api key and extra fields).
 */
export interface CaseOrigin {
  externalRef?: string;
  receivedAt?: Date | null;
  details?: Record<string, unknown>;
  /**
   * Extra fields the source checked against the category itself (Open311 refuses in its own terms), or none
   * where the source has no way to ask for them (a 12345 order): kept as they are, `input.attributes` unread.
   */
  attributes?: AttributeValues;
  /** What the source keeps of the new case itself, written in the report's transaction (not for a replay). */
  alongside?: (trx: Db, caseId: number) => Promise<void>;
}
export type CaseListQuery = z.infer<typeof caseListQuerySchema>;
export type ModerateCaseInput = z.infer<typeof moderateCaseSchema>;

/**
 * What the public may see of a case (the portal's ticket page): public steps only, photos of the report and of
 * the handling unless staff hid them, and nothing of the reporter.
 */
export interface PublicCase {
  id: number;
  caseNumber: string;
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

/** What became of one case of a bulk action: its new state, or the error that refused it. */
export interface BulkOutcome {
  id: number;
  caseNumber: string | null;
  state: string | null;
  error: AppError | null;
}

const TEXT = {
  outside: {
    zh: '该位置不在任何网格内，请在网格范围内选点或直接选择网格。',
    en: 'This point is not inside any grid. Pick a point inside a grid, or choose the grid.',
  },
  inactiveCategory: { zh: '该分类已停用或不是小类', en: 'This category is inactive or not a minor class' },
  moderate: { zh: '隐藏公开内容', en: 'hide public content' },
  notAPhoto: { zh: '该照片不属于此案件', en: 'This photo is not one of the case' },
  clientKey: { zh: '客户端编号（clientKey）对应的案件', en: 'A case with this client key' },
  noDepartment: {
    zh: '路由规则和分类都没有指定处置部门，请手动选择主办部门。',
    en: 'No routing rule or category default names a department: choose the lead department by hand.',
  },
} as const;

const SOURCE_OF_ROLE: Partial<Record<Role, CaseRow['source']>> = {
  gridWorker: 'gridWorker',
  inspector: 'inspector',
};

/** A report waiting for intake's next statement, with what must be written alongside it. */
interface PendingReport {
  report: NewReport;
  /** A webhook subscribes to reports: its delivery is queued with the case. */
  notify: boolean;
  alongside: CaseOrigin['alongside'];
}

export interface CaseServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  calendar: Pick<CalendarService, 'getCalendar'>;
  territory: Pick<TerritoryService, 'locateCode' | 'getRegionSummary'>;
  categories: Pick<CategoryService, 'getCategory' | 'listAttributes'>;
  evidence: Pick<EvidenceService, 'findMissing' | 'describeEvidence'>;
  notifications: Pick<NotificationService, 'notify' | 'bySms'>;
  webhooks: Pick<WebhookService, 'enqueueCaseEvent' | 'anySubscribed'>;
  open311Outbound: Pick<Open311OutboundService, 'enqueueDispatched'>;
  /** Share of a step's working time after which it shows yellow (due soon). */
  yellowShare?: number;
  /** Open cases of the same category this close (metres) and this recent (hours) are possible duplicates. */
  duplicateRadiusMetres?: number;
  duplicateWindowHours?: number;
}

export type CaseService = ReturnType<typeof createCaseService>;

export function createCaseService(deps: CaseServiceDeps) {
  const {
    db,
    clock,
    audit,
    calendar,
    territory,
    categories,
    evidence,
    notifications,
    webhooks,
    open311Outbound,
  } = deps;
  const yellowShare = deps.yellowShare ?? 0.8;
  const duplicateRadius = deps.duplicateRadiusMetres ?? 100;
  const duplicateWindowMs = (deps.duplicateWindowHours ?? 72) * 3_600_000;
  // Reports arriving together are written by one statement (see group-commit.ts); a few statements in flight
  // leave the rest of the pool to the other requests. What must be written with a report besides its case
  // (a subscribed webhook's delivery, the source's own row of it) joins the batch in a transaction.
  const insertReport = createGroupCommit({
    maxBatch: 64,
    maxInFlight: 4,
    write: (items: PendingReport[]) =>
      items.some((item) => item.notify || item.alongside)
        ? db.transaction().execute(async (trx) => {
            const rows = await cases.insertReports(
              trx,
              items.map((item) => item.report),
            );
            for (const [index, row] of rows.entries()) {
              const item = items[index];
              if (!row || !item) continue;
              if (item.notify) {
                const at = item.report.case.created_at;
                await webhooks.enqueueCaseEvent(trx, { action: 'report', caseIds: [row.id], at });
              }
              await item.alongside?.(trx, row.id);
            }
            return rows;
          })
        : cases.insertReports(
            db,
            items.map((item) => item.report),
          ),
  });

  async function dueOf(
    start: Date,
    step: string | null,
    categoryId: number,
  ): Promise<{ due: Date | null; beyond: boolean }> {
    if (!step) return { due: null, beyond: false };
    const category = await categories.getCategory(categoryId);
    const limit = category.limits[step as keyof typeof category.limits];
    if (!limit) return { due: null, beyond: false };
    return fromDeadline(addWorkingTime(await calendar.getCalendar(), start, limit));
  }

  /**
   * Records a report. Idempotent by `clientKey`: a phone replaying its outbox, or two hundred parallel
   * retries, get the one case the first request created. The point is located into its leaf grid, which must
   * lie in the reporter's scope.
   */
  async function reportCase(
    actor: Actor,
    input: ReportCaseInput,
    source?: CaseRow['source'],
    origin?: CaseOrigin,
  ): Promise<CaseSummary> {
    try {
      return await reportOnce(actor, input, source, origin);
    } catch (error) {
      // A replay the checks now refuse (the category was retired, the worker moved village since) still
      // answers its reporter with the case its first try created.
      const replayed =
        input.clientKey && error instanceof AppError ? await replayOf(actor, input.clientKey) : undefined;
      if (replayed === undefined) throw error;
      return replayed;
    }
  }

  /**
   * The answer to a report whose client key was used before. A key is not a read permission (hotline keys are
   * `hotline:<order number>`, easy to guess): only the reporter who first used it gets the case back; anyone
   * else is told the key is taken (409 ALREADY_EXISTS) and learns nothing of the case. Undefined when no case
   * has the key.
   */
  async function replayOf(actor: Actor, clientKey: string): Promise<CaseSummary | undefined> {
    const found = await cases.findCaseByClientKeyUnscoped(db, clientKey);
    if (!found) return undefined;
    if (!isSameReporter(actor, found))
      throw new AppError('ALREADY_EXISTS', { entity: TEXT.clientKey, id: clientKey });
    return getCaseSummary(found.id);
  }

  /**
   * Checks and inserts a report in as few round trips as intake allows: the client key is not looked up
   * first, the insert's conflict on it tells a replay, and the inserted row comes back with its names.
   */
  async function reportOnce(
    actor: Actor,
    input: ReportCaseInput,
    source?: CaseRow['source'],
    origin?: CaseOrigin,
  ): Promise<CaseSummary> {
    const category = await categories.getCategory(input.categoryId);
    if (!category.active || category.parentId === null) {
      throw new AppError('VALIDATION_FAILED', { summary: TEXT.inactiveCategory });
    }
    const attributes = origin?.attributes ?? (await checkedAttributes(actor, category.id, input.attributes));
    const point =
      input.lon !== undefined && input.lat !== undefined ? { lon: input.lon, lat: input.lat } : null;
    const regionCode = point ? await territory.locateCode(point.lon, point.lat) : (input.regionCode ?? null);
    if (!regionCode) throw new AppError('VALIDATION_FAILED', { summary: TEXT.outside });
    // A located grid exists; a code typed by the client is looked up (NOT_FOUND when unknown). Intake is the
    // hot path, so the lookup is skipped when the locator already vouches for the grid.
    if (!point) await territory.getRegionSummary(regionCode);
    if (!scopeHoldsRegion(regionScope(actor), regionCode)) {
      const region = await territory.getRegionSummary(regionCode);
      throw new AppError('FORBIDDEN_SCOPE', {
        target: labelWithCode(region.name, region.code),
        scope: actor.scopeName,
      });
    }
    const photos = photoIdsOf(input);
    const missingPhotos = await evidence.findMissing(photos);
    if (missingPhotos.length) throw notFound(ENTITY.evidence, missingPhotos.join(', '));
    const now = clock.now();
    const { due, beyond } = await dueOf(now, 'register', category.id);
    const originData = {
      ...(origin?.externalRef !== undefined
        ? { externalRef: origin.externalRef, receivedAt: origin.receivedAt?.toISOString() ?? null }
        : {}),
      ...origin?.details,
    };
    const details = {
      categoryId: category.id,
      regionCode,
      ...originData,
      ...(Object.keys(attributes).length ? { attributes } : {}),
      ...(photos.length ? { evidence: photos } : {}),
    };
    const report = {
      case: {
        county_code: regionCode.slice(0, 6),
        client_key: input.clientKey ?? null,
        external_ref: origin?.externalRef ?? null,
        source: source ?? SOURCE_OF_ROLE[actor.role] ?? 'api',
        category_id: category.id,
        region_code: regionCode,
        lon: input.lon ?? null,
        lat: input.lat ?? null,
        address: input.address ?? null,
        description: input.description,
        state: 'reported',
        step: 'register',
        step_started_at: now,
        step_due_at: due,
        step_beyond_calendar: beyond,
        ...warnFields(await calendar.getCalendar(), now, due),
        suspended_at: null,
        lead_department_id: null,
        reporter_id: actor.id > 0 ? actor.id : null,
        reporter_name: input.reporterName ?? (actor.id > 0 ? actor.name : null),
        reporter_phone: input.reporterPhone ?? null,
        merged_into: null,
        satisfaction: null,
        created_at: now,
        updated_at: now,
        closed_at: null,
      },
      event: {
        action: 'report',
        from_state: null,
        to_state: 'reported',
        actor_id: actor.id > 0 ? actor.id : null,
        actor_name: actor.name,
        note: null,
        data: details,
        at: now,
      },
      audit: audit.rowOf({
        actor,
        action: 'case.report',
        entityType: 'case',
        countyCode: regionCode.slice(0, 6),
        details,
      }),
    } as const;
    const inserted = await insertReport({
      report,
      notify: await webhooks.anySubscribed('report'),
      alongside: origin?.alongside,
    });
    if (inserted) return presentSummary(inserted, await calendar.getCalendar(), now);
    // A request with the same key came first (a replay, or its twin in flight): its reporter gets its case.
    const replayed = input.clientKey ? await replayOf(actor, input.clientKey) : undefined;
    if (replayed === undefined) throw new Error('report neither inserted nor found');
    return replayed;
  }

  /**
   * The extra fields of a report checked against its category's: refused with every problem, each under its
   * field (`attributes.CODE`) so a form can show it there.
   */
  async function checkedAttributes(
    actor: Actor,
    categoryId: number,
    given: AttributeValues | undefined,
  ): Promise<AttributeValues> {
    const definitions = (await categories.listAttributes([categoryId])).get(categoryId) ?? [];
    const check = checkAttributeValues(definitions, given ?? {});
    if (check.ok) return check.values;
    const texts = check.problems.map(attributeProblemText);
    throw new AppError(
      'VALIDATION_FAILED',
      { summary: { zh: texts.map((p) => p.zh).join('；'), en: texts.map((p) => p.en).join('; ') } },
      {
        issues: check.problems.map((problem, i) => ({
          path: `attributes.${problem.code}`,
          message: localize(texts[i] ?? problem.reason, actor.locale),
        })),
      },
    );
  }

  /**
   * The case as a list shows it. A report answers with this rather than the full detail: intake is the hot
   * path, and the reporter's next screen loads the detail anyway. Only for the reporter of the case.
   */
  async function getCaseSummary(caseId: number): Promise<CaseSummary> {
    const row = await cases.findCaseUnscoped(db, caseId);
    if (!row) throw notFound(ENTITY.case, caseId);
    return presentSummary(row, await calendar.getCalendar(), clock.now());
  }

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

  /**
   * Takes one workflow action on a case, in one transaction that writes the case, its history entry and
   * its audit entry. `version` is the version the user saw: if someone acted in between, the action is
   * refused with a conflict instead of applied to a case the user has not seen.
   */
  async function actOnCase<A extends CaseAction>(
    actor: Actor,
    options: { caseId: number; action: A; version: number; input: ActionInputs[A] },
  ): Promise<CaseDetail> {
    const { row, facts } = await loadForAction(actor, options.caseId);
    assertMayTakeAction(actor, options.action, facts);
    if (row.version !== options.version) throw conflict(ENTITY.case, row.version);
    const named = photoIdsOf(options.input);
    const missing = await evidence.findMissing(named);
    if (missing.length) throw notFound(ENTITY.evidence, missing.join(', '));
    const category = await categories.getCategory(row.category_id);
    const snapshot: CaseSnapshot = {
      id: row.id,
      state: row.state as CaseState,
      source: row.source,
      onTheSpotAllowed: category.onTheSpot,
      supervised: row.supervised,
      satisfaction: row.satisfaction,
      returnCount: row.return_count,
      reworkCount: row.rework_count,
      extensionCount: row.extension_count,
    };
    let result: ReturnType<typeof transition>;
    try {
      result = transition(snapshot, options.action, options.input);
    } catch (error) {
      throw workflowToAppError(error);
    }
    const { effects } = result;
    const now = clock.now();
    const changes: cases.CaseChanges = {
      state: result.state,
      return_count: effects.counters.returnCount,
      rework_count: effects.counters.reworkCount,
      extension_count: effects.counters.extensionCount,
      updated_at: now,
      ...(await clockChanges(row, effects.clock, now)),
    };
    // Stamped when the case enters a terminal state, not again: a rating after closure keeps the closing time,
    // by which the indicators count the case.
    if (TERMINAL_STATES.includes(result.state) && !TERMINAL_STATES.includes(snapshot.state)) {
      changes.closed_at = now;
    }
    if (effects.supervised) changes.supervised = true;
    if (effects.satisfaction !== undefined) changes.satisfaction = effects.satisfaction;
    const original =
      effects.mergedInto === undefined
        ? undefined
        : await cases.findCaseInScope(db, effects.mergedInto, caseScope(actor));
    if (effects.mergedInto !== undefined) {
      if (!original) throw notFound(ENTITY.case, effects.mergedInto);
      changes.merged_into = effects.mergedInto;
    }
    await assertDepartmentsExist(effects.departments);
    if (effects.departments?.kind === 'assign')
      changes.lead_department_id = effects.departments.leadDepartmentId;
    if (effects.departments?.kind === 'clear') changes.lead_department_id = null;

    await db.transaction().execute(async (trx) => {
      if (!(await cases.updateCaseAtVersion(trx, row.id, options.version, changes))) {
        const current = await cases.findCaseUnscoped(trx, row.id);
        throw conflict(ENTITY.case, current?.version ?? row.version);
      }
      const departmentEffect = effects.departments;
      if (departmentEffect?.kind === 'assign') {
        await cases.setCaseDepartments(
          trx,
          row.id,
          departmentEffect.leadDepartmentId,
          departmentEffect.assistingDepartmentIds,
          true,
        );
      } else if (departmentEffect?.kind === 'addAssisting') {
        await cases.setCaseDepartments(trx, row.id, null, departmentEffect.departmentIds, false);
      } else if (departmentEffect?.kind === 'clear') {
        await cases.setCaseDepartments(trx, row.id, null, [], true);
      }
      const input = options.input as Record<string, unknown>;
      const note =
        [input.note, input.reason, input.comment].find((v): v is string => typeof v === 'string') ?? null;
      await cases.insertCaseEvent(trx, {
        case_id: row.id,
        action: options.action,
        from_state: row.state,
        to_state: result.state,
        actor_id: actor.id > 0 ? actor.id : null,
        actor_name: actor.name,
        note,
        data: { ...input, ...(changes.step_due_at ? { dueAt: changes.step_due_at.toISOString() } : {}) },
        at: now,
      });
      await announce(trx, {
        row,
        action: options.action,
        actor,
        leadDepartmentId: changes.lead_department_id ?? row.lead_department_id,
        dueAt: changes.step_due_at ?? row.step_due_at,
        input: options.input,
      });
      await webhooks.enqueueCaseEvent(trx, { action: options.action, caseIds: [row.id], at: now });
      // A department that keeps its own system gets the case over Open311 (docs/open311.md, Outbound).
      if (effects.departments?.kind === 'assign')
        await open311Outbound.enqueueDispatched(trx, {
          caseId: row.id,
          departmentId: effects.departments.leadDepartmentId,
          categoryId: row.category_id,
          at: now,
        });
      if (original) {
        // The original's timeline names the duplicate and its reporter, who is kept informed through it.
        await cases.insertCaseEvent(trx, {
          case_id: original.id,
          action: 'mergeDuplicate',
          from_state: original.state,
          to_state: original.state,
          actor_id: actor.id > 0 ? actor.id : null,
          actor_name: actor.name,
          note: row.case_number,
          data: { duplicateId: row.id, duplicateNumber: row.case_number, reporterName: row.reporter_name },
          at: now,
        });
      }
      await audit.record(trx, {
        actor,
        action: `case.${options.action}`,
        entityType: 'case',
        entityId: row.id,
        countyCode: row.county_code,
        details: { from: row.state, to: result.state, ...input },
      });
    });
    // A department that returned a case no longer sees it; it still gets the outcome of its own action.
    return caseDetail(actor, row.id, { checkAccess: false });
  }

  /** A dispatch or summons naming a department that does not exist is refused (404), not failed on its key. */
  async function assertDepartmentsExist(effect: DepartmentEffect | undefined): Promise<void> {
    const named =
      effect?.kind === 'assign'
        ? [effect.leadDepartmentId, ...effect.assistingDepartmentIds]
        : effect?.kind === 'addAssisting'
          ? effect.departmentIds
          : [];
    const existing = await cases.findExistingDepartments(db, named);
    const missing = named.filter((id) => !existing.has(id));
    if (missing.length) throw notFound(ENTITY.department, missing.join(', '));
  }

  /** Tells the people who must act next, in the transaction of the step that makes it their turn. */
  async function announce(
    trx: Db,
    options: {
      row: cases.CaseWithNames;
      action: CaseAction;
      actor: Actor;
      leadDepartmentId: number | null;
      dueAt: Date | null;
      input: unknown;
    },
  ): Promise<void> {
    const { row, action, actor } = options;
    const name = `${row.case_number}（${row.category_name}）`;
    const nameEn = `${row.case_number} (${row.category_name})`;
    const due = options.dueAt ? formatShanghai(options.dueAt) : '—';
    const lead = options.leadDepartmentId;
    const base = { caseId: row.id, except: actor.id };
    switch (action) {
      case 'dispatch':
        if (lead) {
          await notifications.notify(trx, {
            ...base,
            audience: [{ department: lead }],
            kind: 'newTask',
            text: {
              zh: `新任务：案件 ${name} 已派遣到本部门，请于 ${due} 前处置`,
              en: `New task: case ${nameEn} was dispatched to your department; due ${due}`,
            },
          });
        }
        return;
      case 'whistle': {
        const ids = (options.input as { departmentIds?: number[] }).departmentIds ?? [];
        await notifications.notify(trx, {
          ...base,
          audience: ids.map((department) => ({ department })),
          kind: 'newTask',
          text: { zh: `吹哨报到：请协同处置案件 ${name}`, en: `Summoned: help with case ${nameEn}` },
        });
        return;
      }
      case 'return':
        await notifications.notify(trx, {
          ...base,
          audience: [{ role: 'dispatcher', coveringRegion: row.region_code }],
          kind: 'returned',
          text: {
            zh: `案件 ${name} 被退回，请重新派遣`,
            en: `Case ${nameEn} was returned; dispatch it again`,
          },
        });
        return;
      case 'verifyFail':
        if (lead) {
          await notifications.notify(trx, {
            ...base,
            audience: [{ department: lead }],
            kind: 'rework',
            text: {
              zh: `返工：案件 ${name} 核查不通过，请于 ${due} 前重新处置`,
              en: `Rework: case ${nameEn} failed verification; due ${due}`,
            },
          });
        }
        return;
      case 'finish':
        await notifications.notify(trx, {
          ...base,
          audience: [{ gridWorkersOf: row.region_code }],
          kind: 'toVerify',
          text: {
            zh: `待核查：案件 ${name} 已办结，请到现场核查`,
            en: `To verify: case ${nameEn} was handled; check it on site`,
          },
        });
        return;
      case 'reject': {
        const originalId = (options.input as { originalCaseId?: number }).originalCaseId;
        if (originalId === undefined) return;
        await notifications.notify(trx, {
          ...base,
          audience: [{ reportersOf: row.id }],
          kind: 'merged',
          text: {
            zh: `您上报的案件 ${name} 与已有案件重复，已合并，结案时将通知您`,
            en: `Your report ${nameEn} duplicates an open case and was merged into it; you will hear when it is closed`,
          },
        });
        return;
      }
      case 'verifyPass':
      case 'handleOnTheSpot':
        await notifications.notify(trx, {
          ...base,
          audience: [{ reportersOf: row.id }],
          kind: 'closed',
          text: {
            zh: `已结案：案件 ${name} 已处置完毕并通过核查`,
            en: `Closed: case ${nameEn} was handled and verified`,
          },
        });
        return;
      case 'supervise':
        await notifications.notify(trx, {
          ...base,
          audience: [
            ...(lead ? [{ department: lead }] : []),
            { role: 'dispatcher', coveringRegion: row.region_code },
          ],
          kind: 'supervised',
          text: { zh: `督办：领导督办案件 ${name}`, en: `Supervised: a leader is following case ${nameEn}` },
        });
        return;
      default:
        return;
    }
  }

  /** The yellow-light columns of a step from `start` due at `due`: a moved deadline warns afresh. */
  function warnFields(working: WorkingCalendar, start: Date, due: Date | null) {
    return {
      step_warn_at: due ? warningTime(working, start, due, yellowShare) : null,
      warned: false,
    };
  }

  /** What the clock effect of a transition does to the step columns. */
  async function clockChanges(row: CaseRow, effect: ClockEffect, now: Date): Promise<cases.CaseChanges> {
    const working = await calendar.getCalendar();
    switch (effect.kind) {
      case 'start': {
        const { due, beyond } = await dueOf(now, effect.step, row.category_id);
        return {
          step: effect.step,
          step_started_at: now,
          step_due_at: due,
          step_beyond_calendar: beyond,
          ...warnFields(working, now, due),
          suspended_at: null,
          overdue: false,
        };
      }
      case 'keep':
        return {};
      case 'pause':
        return { suspended_at: now };
      case 'resume': {
        if (!row.step_due_at || !row.suspended_at) return { suspended_at: null };
        const moved = fromDeadline(
          dueAfterSuspension({
            calendar: working,
            due: row.step_due_at,
            suspendedAt: row.suspended_at,
            resumedAt: now,
          }),
        );
        return {
          suspended_at: null,
          step_due_at: moved.due,
          step_beyond_calendar: moved.beyond,
          ...warnFields(working, row.step_started_at ?? now, moved.due),
          overdue: moved.due !== null && moved.due < now,
        };
      }
      case 'extend': {
        if (!row.step_due_at) return {};
        const moved = fromDeadline(addWorkingTime(working, row.step_due_at, effect.by));
        return {
          step_due_at: moved.due,
          step_beyond_calendar: moved.beyond,
          ...warnFields(working, row.step_started_at ?? now, moved.due),
          overdue: moved.due !== null && moved.due < now,
        };
      }
      case 'stop':
        return {
          step: null,
          step_due_at: null,
          step_beyond_calendar: false,
          ...warnFields(working, now, null),
          suspended_at: null,
          overdue: false,
        };
    }
  }

  /**
   * Records what a connected system (an Open311 client) said about a case — a comment, its own status of the
   * case, a photo link — in the case's timeline, with its audit entry. It does not move the case: the steps
   * stay with the people responsible for them. Returns the history entry's id.
   */
  async function recordClientUpdate(
    actor: Actor,
    caseId: number,
    update: { note: string; data: Record<string, unknown> },
  ): Promise<number> {
    const { row } = await loadForAction(actor, caseId);
    const now = clock.now();
    return db.transaction().execute(async (trx) => {
      const eventId = await cases.insertCaseEvent(trx, {
        case_id: row.id,
        action: 'clientUpdate',
        from_state: row.state,
        to_state: row.state,
        actor_id: actor.id > 0 ? actor.id : null,
        actor_name: actor.name,
        note: update.note,
        data: update.data,
        at: now,
      });
      await audit.record(trx, {
        actor,
        action: 'case.clientUpdate',
        entityType: 'case',
        entityId: row.id,
        countyCode: row.county_code,
        details: { eventId, ...update.data },
      });
      return eventId;
    });
  }

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
    const actions = allowedActions(state, {
      source: row.source,
      onTheSpotAllowed: category.onTheSpot,
      supervised: row.supervised,
      satisfaction: row.satisfaction,
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
    const suggestedDepartmentId =
      state === 'registered' || state === 'reported' ? await routedDepartment(row) : null;
    const photos = await evidence.describeEvidence([...new Set(events.flatMap((e) => photoIdsOf(e.data)))]);
    const moderation = await cases.listModeration(db, caseId);
    const fields = (await categories.listAttributes([row.category_id])).get(row.category_id) ?? [];
    const reported = events.find((e) => e.action === 'report')?.data.attributes;
    return {
      ...presentSummary(row, working, clock.now()),
      reporterName: row.reporter_name,
      reporterPhone: row.reporter_phone,
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
      possibleDuplicates,
      suggestedDepartmentId,
      photos,
      moderation: moderation.map((m) => ({
        target: m.target,
        reason: m.reason,
        hiddenByName: m.hidden_by_name,
        hiddenAt: m.hidden_at.toISOString(),
      })),
    };
  }

  /** The public view of a case of a public category, by its number; undefined for any other number. */
  async function getPublicCase(caseNumber: string): Promise<PublicCase | undefined> {
    const row = await cases.findPublicCaseByNumber(db, caseNumber);
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
   * Hides a case's description or one of its photos from the public (portal and Open311), with the reason in
   * the audit log. Staff keep seeing everything. Hiding what is hidden already changes nothing.
   */
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
      state: query.state,
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

  /** Where the routing rules (most specific region first) or else the category would dispatch a case. */
  async function routedDepartment(row: Pick<CaseRow, 'category_id' | 'region_code'>): Promise<number | null> {
    const routed = await cases.findRoutingDepartment(db, row.category_id, row.region_code);
    return routed ?? (await categories.getCategory(row.category_id)).defaultDepartmentId;
  }

  /**
   * One action on many cases, as a dispatcher clearing the morning queue does. Each case is its own
   * transaction, so one that moved on or lies out of scope does not hold back the rest, and every outcome
   * is reported. A dispatch that names no lead department sends each case where the routing rules say.
   */
  async function actOnCases(
    actor: Actor,
    options: { action: CaseAction; items: readonly { id: number; version: number }[]; input: object },
  ): Promise<BulkOutcome[]> {
    const outcomes: BulkOutcome[] = [];
    for (const item of options.items) {
      try {
        let input = options.input as Record<string, unknown>;
        if (options.action === 'dispatch' && input.leadDepartmentId === undefined) {
          const { row } = await loadForAction(actor, item.id);
          const lead = await routedDepartment(row);
          if (lead === null) throw new AppError('VALIDATION_FAILED', { summary: TEXT.noDepartment });
          input = { ...input, leadDepartmentId: lead };
        }
        const detail = await actOnCase(actor, {
          caseId: item.id,
          action: options.action,
          version: item.version,
          input: input as ActionInputs[CaseAction],
        });
        outcomes.push({ id: item.id, caseNumber: detail.caseNumber, state: detail.state, error: null });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        outcomes.push({ id: item.id, caseNumber: null, state: null, error });
      }
    }
    return outcomes;
  }

  /**
   * The deadline sweep, run every minute. Steps that turned yellow are told to whoever holds them, once;
   * steps past their due time are flagged and each newly overdue case escalated (督办): an entry in its
   * timeline, and a message to its lead department and to the leaders over its region.
   */
  async function sweepOverdue() {
    const now = clock.now();
    return db.transaction().execute(async (trx) => {
      const dueSoon = await cases.markDueSoon(trx, now);
      await cases.warnDueSoon(trx, dueSoon, now, { bySms: notifications.bySms('dueSoon') });
      const overdue = await cases.markOverdue(trx, now);
      const ids = overdue.map((c) => c.id);
      await cases.escalateOverdue(trx, ids, now, { bySms: notifications.bySms('overdue') });
      await webhooks.enqueueCaseEvent(trx, { action: 'escalate', caseIds: ids, at: now });
      return overdue;
    });
  }

  /**
   * The cases already reported under these client keys: an import tells the rows it created before from new
   * ones without reporting anything. A case outside the actor's scope is known to exist (its key is taken) but
   * not named: null.
   */
  async function findCasesByClientKeys(
    actor: Actor,
    clientKeys: readonly string[],
  ): Promise<Map<string, { id: number; caseNumber: string } | null>> {
    const rows = await cases.findCasesByClientKeysUnscoped(db, clientKeys);
    const scope = caseScope(actor);
    return new Map(
      rows.map((r) => [
        r.client_key,
        // Department scopes hold no regions: a department never imports, and would be told nothing.
        scopeHoldsRegion(scope, r.region_code) ? { id: r.id, caseNumber: r.case_number } : null,
      ]),
    );
  }

  return {
    reportCase,
    actOnCase,
    actOnCases,
    getCase,
    listCases,
    sweepOverdue,
    findPossibleDuplicates,
    findCasesByClientKeys,
    recordClientUpdate,
    getPublicCase,
    moderateCase,
  };
}

const METRES_PER_DEGREE = 111_320;

function formatShanghai(at: Date): string {
  return at.toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai', hour12: false }).slice(0, 16);
}

function fromDeadline(result: DeadlineResult): { due: Date | null; beyond: boolean } {
  return 'due' in result ? { due: result.due, beyond: false } : { due: null, beyond: true };
}

function workflowToAppError(error: unknown): unknown {
  if (!(error instanceof WorkflowError)) return error;
  const text = { zh: error.messageIn('zh-CN'), en: error.messageIn('en-US') };
  if (error.details.code === 'ILLEGAL_TRANSITION')
    return new AppError('ILLEGAL_TRANSITION', { text }, error.details);
  return new AppError('VALIDATION_FAILED', { summary: text });
}
