import type { CaseState, RejectReason } from '../../../shared/case-workflow.ts';
import type { LocalizedText } from '../../../shared/errors.ts';
import type { PublicStage } from '../../../shared/portal.ts';

/**
 * What the public may know of a case, shared by every public face of the platform (the resident portal and
 * the Open311 server): which steps of the workflow are public, the fixed sentence each is told with, and the
 * stage a state shows as. Notes written by staff are never published, so no name or number in them leaks;
 * other steps (summoning departments, extensions, supervision, ratings, escalation, client updates) are
 * internal.
 */

export const PUBLIC_STEP_TEXT: Record<string, LocalizedText> = {
  register: { zh: '已受理立案，等待派遣', en: 'Registered; awaiting dispatch' },
  reject: { zh: '经审核不予立案', en: 'Not taken up after review' },
  dispatch: { zh: '已派遣至责任部门', en: 'Dispatched to the responsible department' },
  recall: { zh: '已收回，等待重新派遣', en: 'Taken back; awaiting dispatch again' },
  reassign: { zh: '已改派至责任部门', en: 'Reassigned to the responsible department' },
  accept: { zh: '责任部门已签收，正在处置', en: 'The responsible department is working on it' },
  return: { zh: '责任部门退回，重新派遣', en: 'Referred back for dispatch to another department' },
  suspend: { zh: '暂缓处置', en: 'Handling is on hold' },
  resume: { zh: '恢复处置', en: 'Handling resumed' },
  finish: { zh: '已处置完毕，等待现场核查', en: 'Handled; awaiting verification on site' },
  verifyPass: { zh: '经现场核查，已办结', en: 'Verified on site and closed' },
  verifyFail: { zh: '核查未通过，重新处置', en: 'Failed verification; being handled again' },
  handleOnTheSpot: { zh: '已现场处置并办结', en: 'Handled on the spot and closed' },
};

const REJECT_TEXT: Record<RejectReason, LocalizedText> = {
  duplicate: { zh: '与已有案件重复，合并处理', en: 'Duplicate of an existing report; handled with it' },
  invalid: { zh: '经审核不予立案', en: 'Not taken up after review' },
  notOurs: { zh: '不属于本平台职责范围', en: 'Not the responsibility of this authority' },
};

/** The first entry of every public timeline: the report itself. */
export const RECEIVED_TEXT: LocalizedText = { zh: '已收到您的反映', en: 'Your report was received' };

/** What the public sees in place of a description or photo that staff hid (moderation). */
export const HIDDEN_TEXT: LocalizedText = { zh: '内容已隐藏', en: 'Content hidden' };

export const PUBLIC_ACTIONS: readonly string[] = Object.keys(PUBLIC_STEP_TEXT);

/** Moderation hides the description, or one photo named by its evidence id. */
export const DESCRIPTION_TARGET = 'description';

/** One public step of a case's history, as the read model gives it. */
export interface PublicStep {
  action: string;
  toState: string;
  rejectReason: RejectReason | null;
  /** The department a dispatch sent the case to, when the reader may name it. */
  departmentName?: string | null;
}

export function publicStepOf(row: {
  action: string;
  to_state: string;
  reason: string | null;
  department_name?: string | null;
}): PublicStep {
  return {
    action: row.action,
    toState: row.to_state,
    rejectReason: (row.reason as RejectReason | null) ?? null,
    departmentName: row.department_name ?? null,
  };
}

/** The fixed sentence of a public step; a dispatch names its department when known. */
export function publicStepText(step: PublicStep): LocalizedText {
  if (step.action === 'reject' && step.rejectReason) return REJECT_TEXT[step.rejectReason];
  if (step.action === 'dispatch' && step.departmentName) {
    return { zh: `已派遣至${step.departmentName}`, en: `Dispatched to ${step.departmentName}` };
  }
  if (step.action === 'reassign' && step.departmentName) {
    return { zh: `已改派至${step.departmentName}`, en: `Reassigned to ${step.departmentName}` };
  }
  return PUBLIC_STEP_TEXT[step.action] ?? { zh: step.action, en: step.action };
}

/** The stage a case in this state shows as on the portal: received, registered, dispatched, handled, closed. */
export const PUBLIC_STAGE_OF_STATE: Record<CaseState, PublicStage> = {
  reported: 'received',
  registered: 'registered',
  dispatched: 'dispatched',
  accepted: 'dispatched',
  extensionRequested: 'dispatched',
  suspended: 'dispatched',
  handled: 'handled',
  closed: 'closed',
  rejected: 'closed',
  merged: 'closed',
};
