import type { CaseAction } from '../../../shared/case-workflow.ts';
import type { Db } from '../../db/database.ts';
import type { Audience, CaseNotice, Notice } from '../notifications/notification.service.ts';
import type { Actor } from '../people/actor.ts';
import type { CaseWithNames } from './case.repository.ts';
import type { CaseContext } from './case-context.ts';

/** What names a case in a message, and decides who is told: as it stands after the step. */
export type NoticeCase = Pick<
  CaseWithNames,
  'id' | 'case_number' | 'category_name' | 'region_code' | 'lead_department_id' | 'step_due_at'
>;

/**
 * Who is told of a step of a case, and what they read (both UI languages). Those who must act next hear of it;
 * reporters hear how their case ends. Undefined when nobody is told.
 */
export function noticeOf(
  occasion: CaseAction,
  c: NoticeCase,
  input: unknown = {},
): Omit<Notice, 'except'> | undefined {
  const name = `${c.case_number}（${c.category_name}）`;
  const nameEn = `${c.case_number} (${c.category_name})`;
  const caseId = c.id;
  switch (occasion) {
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
    default:
      return undefined;
  }
}

/**
 * What the minute's jobs tell of many cases at once, each message worded and addressed in the database from
 * these templates (`{caseNumber}`, `{category}` and `{due}` stand for the case's): a new report waiting to be
 * registered, and a step's yellow, then red light.
 */
export const BATCH_NOTICES = {
  reported: {
    kind: 'newReport',
    parties: ['dispatchers'],
    text: {
      zh: '新上报：案件 {caseNumber}（{category}）待立案',
      en: 'New report: case {caseNumber} ({category}) is waiting to be registered',
    },
  },
  // The yellow light goes to whoever holds the step: the lead department, or before dispatch the dispatchers
  // over the region.
  dueSoon: {
    kind: 'dueSoon',
    parties: ['holder'],
    text: {
      zh: '黄灯：案件 {caseNumber}（{category}）即将超期，时限 {due}',
      en: 'Due soon: case {caseNumber} ({category}) is due {due}',
    },
  },
  // Red: the lead department, and the leaders and dispatchers whose scope covers the case (督办).
  overdue: {
    kind: 'overdue',
    parties: ['lead', 'leaders', 'dispatchers'],
    text: {
      zh: '红灯：案件 {caseNumber}（{category}）已超期，已自动督办',
      en: 'Overdue: case {caseNumber} ({category}) is past its due time and was escalated',
    },
  },
} as const satisfies Record<string, Omit<CaseNotice, 'texted'>>;

/* The audiences and the due time of a step's message, as functions of the case. */
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

  /** Tells of the steps the sweep found turning yellow. */
  async function warnDueSoon(trx: Db, caseIds: readonly number[]): Promise<void> {
    await notifications.notifyCases(trx, caseIds, BATCH_NOTICES.dueSoon);
  }

  /** Tells the dispatchers of new reports waiting for them. */
  async function newReports(trx: Db, caseIds: readonly number[]): Promise<void> {
    await notifications.notifyCases(trx, caseIds, BATCH_NOTICES.reported);
  }

  /** Tells of the cases the sweep escalated: the people `BATCH_NOTICES` names, and the webhooks. */
  async function escalated(trx: Db, caseIds: readonly number[], at: Date): Promise<void> {
    await notifications.notifyCases(trx, caseIds, BATCH_NOTICES.overdue);
    await webhooks.enqueueCaseEvent(trx, { action: 'escalate', caseIds, at });
  }

  return { announce, warnDueSoon, newReports, escalated };
}

/** Minutes in Beijing time, as `2026-11-23 15:00` (as `BATCH_NOTICES`' `{due}` is worded in the database). */
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
