import {
  type ActionInputs,
  type CaseAction,
  type CaseSnapshot,
  type CaseState,
  type ClockEffect,
  type DepartmentEffect,
  TERMINAL_STATES,
  transition,
  WorkflowError,
} from '../../../shared/case-workflow.ts';
import { type CaseDetail, photoIdsOf } from '../../../shared/cases.ts';
import type { Db } from '../../db/database.ts';
import { AppError, conflict, ENTITY, notFound } from '../../errors.ts';
import { addWorkingTime, dueAfterSuspension } from '../calendar/working-time.ts';
import type { Actor } from '../people/actor.ts';
import { caseScope } from '../people/scope.ts';
import { assertMayTakeAction } from './case.policy.ts';
import * as cases from './case.repository.ts';
import type { CaseRow } from './case.table.ts';
import type { CaseContext } from './case-context.ts';
import { type CaseDeadlines, fromDeadline } from './case-deadlines.ts';
import type { CaseNotices } from './case-notices.ts';
import type { CaseQueries } from './case-queries.ts';

/** What became of one case of a bulk action: its new state, or the error that refused it. */
export interface BulkOutcome {
  id: number;
  caseNumber: string | null;
  state: string | null;
  error: AppError | null;
}

const TEXT = {
  noDepartment: {
    zh: '路由规则和分类都没有指定处置部门，请手动选择主办部门。',
    en: 'No routing rule or category default names a department: choose the lead department by hand.',
  },
} as const;

export type CaseActions = ReturnType<typeof createCaseActions>;

/** The timeline entry of a handling step's due time set by another module's limit (a mediation's). */
export const HANDLING_DEADLINE_ACTION = 'handlingDeadline';

/**
 * Moving cases through the workflow: one action, the same action on many cases, and what a connected system
 * says of a case. Each action writes the case, its history, its audit entry and what others are told of it in
 * one transaction.
 */
export function createCaseActions(
  ctx: CaseContext,
  parts: { deadlines: CaseDeadlines; notices: CaseNotices; queries: CaseQueries },
) {
  const { db, clock, audit, calendar, categories, evidence, loadForAction, openMediationOf } = ctx;
  const { deadlines, notices, queries } = parts;

  /**
   * Takes one workflow action on a case, in one transaction that writes the case, its history entry and
   * its audit entry. `version` is the version the user saw: if someone acted in between, the action is
   * refused with a conflict instead of applied to a case the user has not seen.
   */
  async function actOnCase<A extends CaseAction>(
    actor: Actor,
    options: {
      caseId: number;
      action: A;
      version: number;
      input: ActionInputs[A];
      /** What the caller keeps of the step itself (a re-inspection's row), written in the step's transaction. */
      alongside?: (trx: Db) => Promise<void>;
      /**
       * The step is the open mediation's own (its outcome marks the case handled, mediation-case.ts): the hold
       * the mediation puts on the case's other actions does not apply to it. Never set from a route.
       */
      byMediation?: true;
    },
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
      mediating: !options.byMediation && (await openMediationOf(row.id)) !== undefined,
      returnCount: row.return_count,
      reworkCount: row.rework_count,
      extensionCount: row.extension_count,
    };
    const input = await withOriginalId(actor, options.input);
    let result: ReturnType<typeof transition>;
    try {
      result = transition(snapshot, options.action, input);
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
      await notices.announce(trx, {
        action: options.action,
        actor,
        case: {
          ...row,
          lead_department_id: changes.lead_department_id ?? row.lead_department_id,
          step_due_at: changes.step_due_at ?? row.step_due_at,
        },
        input: options.input,
        at: now,
        dispatchedTo: effects.departments?.kind === 'assign' ? effects.departments.leadDepartmentId : null,
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
      await options.alongside?.(trx);
    });
    // A department that returned a case no longer sees it; it still gets the outcome of its own action.
    return queries.caseDetail(actor, row.id, { checkAccess: false });
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

  /** What the clock effect of a transition does to the step columns. */
  async function clockChanges(row: CaseRow, effect: ClockEffect, now: Date): Promise<cases.CaseChanges> {
    const working = await calendar.getCalendar();
    switch (effect.kind) {
      case 'start': {
        const { due, beyond } = await deadlines.dueOf(now, effect.step, row);
        return {
          step: effect.step,
          step_started_at: now,
          step_due_at: due,
          step_beyond_calendar: beyond,
          ...deadlines.warnFields(working, now, due),
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
          ...deadlines.warnFields(working, row.step_started_at ?? now, moved.due),
          overdue: moved.due !== null && moved.due < now,
        };
      }
      case 'extend': {
        if (!row.step_due_at) return {};
        const moved = fromDeadline(addWorkingTime(working, row.step_due_at, effect.by));
        return {
          step_due_at: moved.due,
          step_beyond_calendar: moved.beyond,
          ...deadlines.warnFields(working, row.step_started_at ?? now, moved.due),
          overdue: moved.due !== null && moved.due < now,
        };
      }
      case 'stop':
        return {
          step: null,
          step_due_at: null,
          step_beyond_calendar: false,
          ...deadlines.warnFields(working, now, null),
          suspended_at: null,
          overdue: false,
        };
    }
  }

  /**
   * Makes the handling step follow a limit another module keeps for the case: a mediation's 30 calendar days,
   * moved by an extension the parties agreed to. Without it the case's own limit (a few working days) would run
   * beside the mediation's, and the case sweep would flag and escalate a dispute still well within its mediation
   * limit. The due time is kept as the case's `handling_deadline` (so a calendar change recomputes the step to
   * it, as it does for a rectification deadline) and, while the case is at the handling step, as the step's due
   * time — with a `handlingDeadline` entry in the timeline carrying `dueAt`, which the evaluation reads as the
   * handling due. `due` null lets go of the limit once the other module is done with the case, so that a rework
   * after verification gets the category's limit again; the running step is then left as it is.
   *
   * Checks the actor's access and reads the calendar now; the returned write runs in the caller's transaction
   * (after a step it takes there, if any), so the other module's limit and the case's due time change together.
   */
  async function prepareHandlingDeadline(
    actor: Actor,
    options: { caseId: number; due: Date | null; note: string },
  ): Promise<(trx: Db) => Promise<void>> {
    await loadForAction(actor, options.caseId);
    const working = await calendar.getCalendar();
    const { due } = options;
    return async (trx) => {
      const row = await cases.findCaseUnscoped(trx, options.caseId);
      if (!row) throw notFound(ENTITY.case, options.caseId);
      const now = clock.now();
      const changes: cases.CaseChanges = { handling_deadline: due, updated_at: now };
      const moveStep = due !== null && row.step === 'handle';
      if (moveStep) {
        Object.assign(changes, {
          step_due_at: due,
          step_beyond_calendar: false,
          ...deadlines.warnFields(working, row.step_started_at ?? now, due),
          // Still overdue only if the new limit has passed too; a step newly past it is left to the sweep.
          overdue: row.overdue && due < now,
        });
      }
      if (!(await cases.updateCaseAtVersion(trx, row.id, row.version, changes))) {
        throw conflict(ENTITY.case, row.version + 1);
      }
      if (!moveStep) return;
      await cases.insertCaseEvent(trx, {
        case_id: row.id,
        action: HANDLING_DEADLINE_ACTION,
        from_state: row.state,
        to_state: row.state,
        actor_id: actor.id > 0 ? actor.id : null,
        actor_name: actor.name,
        note: options.note,
        data: {
          step: 'handle',
          dueAt: due.toISOString(),
          previousDueAt: row.step_due_at?.toISOString() ?? null,
        },
        at: now,
      });
      await audit.record(trx, {
        actor,
        action: `case.${HANDLING_DEADLINE_ACTION}`,
        entityType: 'case',
        entityId: row.id,
        countyCode: row.county_code,
        details: { dueAt: due.toISOString(), note: options.note },
      });
    };
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

  /**
   * A duplicate names its original by the case number people see; the workflow merges by id. A number outside
   * the actor's scope is no more found than one that does not exist.
   */
  async function withOriginalId<T>(actor: Actor, input: T): Promise<T> {
    const given = input as { reason?: string; originalCaseId?: number; originalCaseNumber?: string };
    if (given.reason !== 'duplicate' || given.originalCaseId !== undefined || !given.originalCaseNumber)
      return input;
    const id = await cases.findCaseIdByNumber(db, given.originalCaseNumber, caseScope(actor));
    if (id === undefined) throw notFound(ENTITY.case, given.originalCaseNumber);
    return { ...input, originalCaseId: id };
  }

  /**
   * One action on many cases, as a dispatcher clearing the morning queue does. Each case is its own
   * transaction, so one that moved on or lies out of scope does not hold back the rest, and every outcome
   * is reported. A dispatch that names no lead department sends each case where the routing rules say.
   */
  async function actOnCases(
    actor: Actor,
    options: {
      action: CaseAction;
      items: readonly { id: number; version: number }[];
      input: object;
      /** As for `actOnCase`. */
      byMediation?: true;
    },
  ): Promise<BulkOutcome[]> {
    const outcomes: BulkOutcome[] = [];
    for (const item of options.items) {
      try {
        let input = options.input as Record<string, unknown>;
        if (options.action === 'dispatch' && input.leadDepartmentId === undefined) {
          const { row } = await loadForAction(actor, item.id);
          const lead = await queries.routedDepartment(row);
          if (lead === null) throw new AppError('VALIDATION_FAILED', { summary: TEXT.noDepartment });
          input = { ...input, leadDepartmentId: lead };
        }
        const detail = await actOnCase(actor, {
          caseId: item.id,
          action: options.action,
          version: item.version,
          input: input as ActionInputs[CaseAction],
          ...(options.byMediation ? { byMediation: true as const } : {}),
        });
        outcomes.push({ id: item.id, caseNumber: detail.caseNumber, state: detail.state, error: null });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        outcomes.push({ id: item.id, caseNumber: null, state: null, error });
      }
    }
    return outcomes;
  }

  return { actOnCase, actOnCases, recordClientUpdate, prepareHandlingDeadline };
}

function workflowToAppError(error: unknown): unknown {
  if (!(error instanceof WorkflowError)) return error;
  const text = { zh: error.messageIn('zh-CN'), en: error.messageIn('en-US') };
  if (error.details.code === 'ILLEGAL_TRANSITION')
    return new AppError('ILLEGAL_TRANSITION', { text }, error.details);
  return new AppError('VALIDATION_FAILED', { summary: text });
}
