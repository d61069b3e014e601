import type { CaseAction } from '../../../shared/case-workflow.ts';
import type { Db } from '../../db/database.ts';
import type { Audience, Notice } from '../notifications/notification.service.ts';
import type { Actor } from '../people/actor.ts';
import type { CaseWithNames } from './case.repository.ts';
import type { CaseContext } from './case-context.ts';

/** What names a case in a message, and decides who is told: as it stands after the step. */
export type NoticeCase = Pick<
  CaseWithNames,
  'id' | 'case_number' | 'category_name' | 'region_code' | 'lead_department_id' | 'step_due_at'
>;

/**
 * What people are told of: a workflow step, or what the minute's sweep found (a new report waiting to be
 * registered; yellow, then red).
 */
export type Occasion = CaseAction | 'reported' | 'dueSoon' | 'overdue';

/**
 * Who is told of what happened to a case, and what they read (both UI languages): the one rule, for the
 * steps' announcements and for the deadline sweep alike. Those who must act next hear of it; reporters hear
 * how their case ends. Undefined when nobody is told.
 */
export function noticeOf(
  occasion: Occasion,
  c: NoticeCase,
  input: unknown = {},
): Omit<Notice, 'except'> | undefined {
  const name = `${c.case_number}（${c.category_name}）`;
  const nameEn = `${c.case_number} (${c.category_name})`;
  const caseId = c.id;
  switch (occasion) {
    case 'reported':
      return {
        caseId,
        audience: [dispatchersOver(c)],
        kind: 'newReport',
        text: {
          zh: `新上报：案件 ${name} 待立案`,
          en: `New report: case ${nameEn} is waiting to be registered`,
        },
      };
    case 'dispatch':
    case 'reassign':
      if (!c.lead_department_id) return undefined;
      return {
        caseId,
        audience: leadOf(c),
        kind: 'newTask',
        text: {
          zh: `新任务：案件 ${name} 已派遣到本部门，请于 ${dueText(c)} 前处置`,
          en: `New task: case ${nameEn} was dispatched to your department; due ${dueText(c)}`,
        },
      };
    case 'whistle': {
      const ids = (input as { departmentIds?: number[] }).departmentIds ?? [];
      return {
        caseId,
        audience: ids.map((department) => ({ department })),
        kind: 'newTask',
        text: { zh: `吹哨报到：请协同处置案件 ${name}`, en: `Summoned: help with case ${nameEn}` },
      };
    }
    case 'return':
      return {
        caseId,
        audience: [dispatchersOver(c)],
        kind: 'returned',
        text: { zh: `案件 ${name} 被退回，请重新派遣`, en: `Case ${nameEn} was returned; dispatch it again` },
      };
    case 'verifyFail':
      if (!c.lead_department_id) return undefined;
      return {
        caseId,
        audience: leadOf(c),
        kind: 'rework',
        text: {
          zh: `返工：案件 ${name} 核查不通过，请于 ${dueText(c)} 前重新处置`,
          en: `Rework: case ${nameEn} failed verification; due ${dueText(c)}`,
        },
      };
    case 'finish':
      return {
        caseId,
        audience: [{ gridWorkersOf: c.region_code }],
        kind: 'toVerify',
        text: {
          zh: `待核查：案件 ${name} 已办结，请到现场核查`,
          en: `To verify: case ${nameEn} was handled; check it on site`,
        },
      };
    case 'reject':
      if ((input as { originalCaseId?: number }).originalCaseId === undefined) return undefined;
      return {
        caseId,
        audience: [{ reportersOf: c.id }],
        kind: 'merged',
        text: {
          zh: `您上报的案件 ${name} 与已有案件重复，已合并，结案时将通知您`,
          en: `Your report ${nameEn} duplicates an open case and was merged into it; you will hear when it is closed`,
        },
      };
    case 'verifyPass':
    case 'handleOnTheSpot':
      return {
        caseId,
        audience: [{ reportersOf: c.id }],
        kind: 'closed',
        text: {
          zh: `已结案：案件 ${name} 已处置完毕并通过核查`,
          en: `Closed: case ${nameEn} was handled and verified`,
        },
      };
    case 'supervise':
      return {
        caseId,
        audience: [...leadOf(c), dispatchersOver(c)],
        kind: 'supervised',
        text: { zh: `督办：领导督办案件 ${name}`, en: `Supervised: a leader is following case ${nameEn}` },
      };
    // The yellow light goes to whoever holds the step: the lead department, or before dispatch the
    // dispatchers over the region.
    case 'dueSoon':
      return {
        caseId,
        audience: c.lead_department_id ? leadOf(c) : [dispatchersOver(c)],
        kind: 'dueSoon',
        text: {
          zh: `黄灯：案件 ${name}即将超期，时限 ${dueText(c)}`,
          en: `Due soon: case ${nameEn} is due ${dueText(c)}`,
        },
      };
    // Red: the lead department, and the leaders and dispatchers whose scope covers the case (督办).
    case 'overdue':
      return {
        caseId,
        audience: [...leadOf(c), { role: 'leader', coveringRegion: c.region_code }, dispatchersOver(c)],
        kind: 'overdue',
        text: {
          zh: `红灯：案件 ${name}已超期，已自动督办`,
          en: `Overdue: case ${nameEn} is past its due time and was escalated`,
        },
      };
    default:
      return undefined;
  }
}

/*
 * The parts of a message, as functions of the case rather than closures in `noticeOf`: a sweep words thousands of
 * messages, and only those a message names are made.
 */
function leadOf(c: NoticeCase): Audience[] {
  return c.lead_department_id ? [{ department: c.lead_department_id }] : [];
}

function dispatchersOver(c: NoticeCase): Audience {
  return { role: 'dispatcher', coveringRegion: c.region_code };
}

function dueText(c: NoticeCase): string {
  return c.step_due_at ? formatShanghai(c.step_due_at) : '—';
}

/**
 * Actions after which the step still waits for the same people: a summons adds departments beside the lead, a
 * request for more time leaves the task with its department, a rating or a leader's supervision moves nothing.
 * Every other action ends the step the earlier messages asked for.
 */
const STEP_KEEPING_ACTIONS: readonly CaseAction[] = ['whistle', 'requestExtension', 'rate', 'supervise'];

export type CaseNotices = ReturnType<typeof createCaseNotices>;

/**
 * Telling others of what happened to cases, in the transaction that made it so (nobody hears of a step that
 * was rolled back): the inbox (texted too for the kinds the notifications module texts), the webhook outbox,
 * and the subscribers to dispatches.
 */
export function createCaseNotices(ctx: CaseContext) {
  const { notifications, webhooks, onDispatched } = ctx;

  /**
   * Tells of one step: the people `noticeOf` names (not the actor), the webhooks subscribed to the action,
   * and on a dispatch its subscribers (a department's own system over Open311).
   */
  async function announce(
    trx: Db,
    step: {
      action: CaseAction;
      actor: Actor;
      case: NoticeCase & { category_id: number };
      input: unknown;
      at: Date;
      /** The lead department a dispatch (or a re-dispatch) assigned. */
      dispatchedTo: number | null;
    },
  ): Promise<void> {
    if (!STEP_KEEPING_ACTIONS.includes(step.action)) await notifications.settleCase(trx, step.case.id);
    const notice = noticeOf(step.action, step.case, step.input);
    if (notice) await notifications.notify(trx, { ...notice, except: step.actor.id });
    await webhooks.enqueueCaseEvent(trx, { action: step.action, caseIds: [step.case.id], at: step.at });
    if (step.dispatchedTo === null) return;
    const event = {
      caseId: step.case.id,
      departmentId: step.dispatchedTo,
      categoryId: step.case.category_id,
      at: step.at,
    };
    for (const subscriber of onDispatched) await subscriber(trx, event);
  }

  /** Tells of the steps the sweep found turning yellow: one statement per few thousand cases. */
  async function warnDueSoon(trx: Db, swept: readonly NoticeCase[]): Promise<void> {
    await notifications.notifyAll(
      trx,
      swept.flatMap((c) => noticeOf('dueSoon', c) ?? []),
    );
  }

  /** Tells the dispatchers of new reports waiting for them. */
  async function newReports(trx: Db, reports: readonly NoticeCase[]): Promise<void> {
    await notifications.notifyAll(
      trx,
      reports.flatMap((c) => noticeOf('reported', c) ?? []),
    );
  }

  /** Tells of the cases the sweep escalated: the people `noticeOf` names, and the webhooks. */
  async function escalated(trx: Db, swept: readonly NoticeCase[], at: Date): Promise<void> {
    await notifications.notifyAll(
      trx,
      swept.flatMap((c) => noticeOf('overdue', c) ?? []),
    );
    await webhooks.enqueueCaseEvent(trx, { action: 'escalate', caseIds: swept.map((c) => c.id), at });
  }

  return { announce, warnDueSoon, newReports, escalated };
}

/** Minutes in Beijing time, as `2026-11-23 15:00`: one formatter, as a sweep may word thousands of messages. */
const SHANGHAI_MINUTES = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

function formatShanghai(at: Date): string {
  return SHANGHAI_MINUTES.format(at);
}
