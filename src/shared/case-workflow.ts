import type { CASE_SOURCES, CaseStep, TimeLimitInput as TimeLimit } from './cases.ts';
import type { Locale, LocalizedText } from './errors.ts';
import type { Role } from './roles.ts';

/**
 * The closed loop of a case (GB/T 30428.8): its states, the actions that move it between them, who may take
 * each action, and what each action does to the step clocks and counters. Pure rules: the case service loads
 * the case, calls `transition`, and writes the result together with its history and audit entries.
 * docs/case-workflow.md draws the same machine; a test keeps the two in step.
 */

export const CASE_STATES = [
  'reported',
  'registered',
  'dispatched',
  'accepted',
  'extensionRequested',
  'suspended',
  'handled',
  'closed',
  'rejected',
  'merged',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const CASE_STATE_LABELS: Record<CaseState, LocalizedText> = {
  reported: { zh: '已上报', en: 'Reported' },
  registered: { zh: '已立案', en: 'Registered' },
  dispatched: { zh: '已派遣', en: 'Dispatched' },
  accepted: { zh: '处置中', en: 'In progress' },
  extensionRequested: { zh: '延期申请中', en: 'Extension requested' },
  suspended: { zh: '已挂账', en: 'Suspended' },
  handled: { zh: '已办结（待核查）', en: 'Handled (to verify)' },
  closed: { zh: '已结案', en: 'Closed' },
  rejected: { zh: '不予立案', en: 'Rejected' },
  merged: { zh: '已合并', en: 'Merged (duplicate)' },
};

/** States no action leaves; a case in one of them has no open step. */
export const TERMINAL_STATES: readonly CaseState[] = ['closed', 'rejected', 'merged'];

export const CASE_ACTIONS = [
  'register',
  'reject',
  'dispatch',
  'recall',
  'reassign',
  'whistle',
  'accept',
  'return',
  'requestExtension',
  'approveExtension',
  'refuseExtension',
  'suspend',
  'resume',
  'finish',
  'verifyPass',
  'verifyFail',
  'handleOnTheSpot',
  'rate',
  'supervise',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** Button labels, as in the glossary. */
export const CASE_ACTION_LABELS: Record<CaseAction, LocalizedText> = {
  register: { zh: '立案', en: 'Register' },
  reject: { zh: '不予立案', en: 'Reject' },
  dispatch: { zh: '派遣', en: 'Dispatch' },
  recall: { zh: '收回', en: 'Recall' },
  reassign: { zh: '改派', en: 'Reassign' },
  whistle: { zh: '吹哨', en: 'Summon departments' },
  accept: { zh: '签收', en: 'Accept' },
  return: { zh: '退回', en: 'Return' },
  requestExtension: { zh: '延期申请', en: 'Request extension' },
  approveExtension: { zh: '同意延期', en: 'Approve extension' },
  refuseExtension: { zh: '不同意延期', en: 'Refuse extension' },
  suspend: { zh: '挂账', en: 'Suspend' },
  resume: { zh: '恢复处置', en: 'Resume' },
  finish: { zh: '办结', en: 'Mark handled' },
  verifyPass: { zh: '核查通过', en: 'Verification passed' },
  verifyFail: { zh: '核查不通过（返工）', en: 'Verification failed (rework)' },
  handleOnTheSpot: { zh: '即办', en: 'Handle on the spot' },
  rate: { zh: '满意度评价', en: 'Satisfaction' },
  supervise: { zh: '督办', en: 'Supervise' },
};

export const REJECT_REASONS = ['duplicate', 'invalid', 'notOurs'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];
export const REJECT_REASON_LABELS: Record<RejectReason, LocalizedText> = {
  duplicate: { zh: '重复', en: 'Duplicate' },
  invalid: { zh: '无效', en: 'Invalid' },
  notOurs: { zh: '非职责', en: 'Not ours' },
};

export type CaseSource = (typeof CASE_SOURCES)[number];

/** Sources whose reporter is a resident, who may rate the result: on the portal or through the hotline. */
export const RESIDENT_SOURCES: readonly CaseSource[] = ['resident', 'hotline'];

/**
 * Every edge of the machine. Whistle, rate and supervise leave the state as it is; they are edges from a state
 * to itself so that one list answers "what can be done here".
 */
export const CASE_TRANSITIONS: readonly { action: CaseAction; from: CaseState; to: CaseState }[] = [
  { action: 'register', from: 'reported', to: 'registered' },
  { action: 'reject', from: 'reported', to: 'rejected' },
  { action: 'reject', from: 'reported', to: 'merged' },
  { action: 'handleOnTheSpot', from: 'reported', to: 'closed' },
  { action: 'dispatch', from: 'registered', to: 'dispatched' },
  // The dispatcher takes back a task sent to the wrong place: to dispatch again later, or to another
  // department at once. Not the department's return (退回), which counts against the dispatch.
  ...(['dispatched', 'accepted'] as const).flatMap((from) => [
    { action: 'recall', from, to: 'registered' } as const,
    { action: 'reassign', from, to: 'dispatched' } as const,
  ]),
  { action: 'accept', from: 'dispatched', to: 'accepted' },
  { action: 'return', from: 'dispatched', to: 'registered' },
  { action: 'return', from: 'accepted', to: 'registered' },
  { action: 'requestExtension', from: 'accepted', to: 'extensionRequested' },
  { action: 'approveExtension', from: 'extensionRequested', to: 'accepted' },
  { action: 'refuseExtension', from: 'extensionRequested', to: 'accepted' },
  { action: 'suspend', from: 'accepted', to: 'suspended' },
  { action: 'resume', from: 'suspended', to: 'accepted' },
  { action: 'finish', from: 'accepted', to: 'handled' },
  { action: 'verifyPass', from: 'handled', to: 'closed' },
  { action: 'verifyFail', from: 'handled', to: 'accepted' },
  ...(['registered', 'dispatched', 'accepted'] as const).map(
    (state) => ({ action: 'whistle', from: state, to: state }) as const,
  ),
  { action: 'rate', from: 'closed', to: 'closed' },
  ...CASE_STATES.filter((state) => !TERMINAL_STATES.includes(state)).map(
    (state) => ({ action: 'supervise', from: state, to: state }) as const,
  ),
];

/**
 * Who may take each action. Whether the person may act on this particular case (their department, their
 * village, their data scope) is the policy's question, not the workflow's.
 */
export const actionRoles: Record<CaseAction, readonly Role[]> = {
  register: ['administrator', 'dispatcher'],
  reject: ['administrator', 'dispatcher'],
  dispatch: ['administrator', 'dispatcher'],
  recall: ['administrator', 'dispatcher'],
  reassign: ['administrator', 'dispatcher'],
  // 街乡吹哨、部门报到: the village's own grid worker, or the town's dispatcher on its behalf.
  whistle: ['administrator', 'dispatcher', 'gridWorker'],
  accept: ['administrator', 'departmentHandler'],
  return: ['administrator', 'departmentHandler'],
  requestExtension: ['administrator', 'departmentHandler'],
  approveExtension: ['administrator', 'dispatcher'],
  refuseExtension: ['administrator', 'dispatcher'],
  suspend: ['administrator', 'departmentHandler'],
  resume: ['administrator', 'departmentHandler'],
  finish: ['administrator', 'departmentHandler'],
  verifyPass: ['administrator', 'gridWorker', 'inspector'],
  verifyFail: ['administrator', 'gridWorker', 'inspector'],
  handleOnTheSpot: ['administrator', 'gridWorker'],
  // Residents rate on the public portal without an account; staff record ratings taken on a callback (回访).
  rate: ['administrator', 'dispatcher'],
  supervise: ['administrator', 'leader'],
};

const STATE_STEPS: Record<CaseState, CaseStep | null> = {
  reported: 'register',
  registered: 'dispatch',
  dispatched: 'handle',
  accepted: 'handle',
  extensionRequested: 'handle',
  // Still the handling step, with its clock stopped until resumed.
  suspended: 'handle',
  handled: 'verify',
  closed: null,
  rejected: null,
  merged: null,
};

/** The step whose due time a case in this state is measured against; null once the case is finished. */
export function stepOf(state: CaseState): CaseStep | null {
  return STATE_STEPS[state];
}

/** What the workflow needs to know of a case. */
export interface CaseSnapshot {
  id: number;
  state: CaseState;
  source: CaseSource;
  /** The category allows 即办: a grid worker may report and close in one step. */
  onTheSpotAllowed: boolean;
  supervised: boolean;
  satisfaction: number | null;
  /** An open mediation holds the case's handling (see `WorkflowContext.mediating`). */
  mediating?: boolean;
  returnCount: number;
  reworkCount: number;
  extensionCount: number;
}

export interface CaseCounters {
  returnCount: number;
  reworkCount: number;
  extensionCount: number;
}

/**
 * Facts that narrow the actions of a state. A fact left out does not narrow anything, so `allowedActions`
 * without context lists every action the state admits under some condition.
 */
export interface WorkflowContext {
  source?: CaseSource;
  onTheSpotAllowed?: boolean;
  supervised?: boolean;
  satisfaction?: number | null;
  /**
   * An open mediation holds the case: its handling follows the mediation, whose outcome marks it handled
   * (src/server/modules/mediation/mediation-case.ts). Only the actions that leave the state as it is remain;
   * returning, recalling, reassigning, suspending, asking for more time or finishing would pull the case away
   * from a mediation still under way.
   */
  mediating?: boolean;
  /** Only the actions this role may take. */
  role?: Role;
}

/** Evidence (photos, documents) by the ids under which the service stored them. */
export type EvidenceIds = readonly string[];

export interface ActionInputs {
  register: { note?: string };
  reject:
    | { reason: 'duplicate'; originalCaseId: number; note?: string }
    | { reason: 'invalid' | 'notOurs'; note?: string };
  dispatch: { leadDepartmentId: number; assistingDepartmentIds?: readonly number[]; note?: string };
  recall: { reason: string };
  reassign: { leadDepartmentId: number; assistingDepartmentIds?: readonly number[]; reason: string };
  whistle: { departmentIds: readonly number[]; note?: string };
  accept: { note?: string };
  return: { reason: string };
  requestExtension: { extension: TimeLimit; reason: string };
  /** The extension granted: the one requested, or less. */
  approveExtension: { extension: TimeLimit; note?: string };
  refuseExtension: { reason: string };
  suspend: { reason: string };
  resume: { note?: string };
  finish: { note: string; evidence: EvidenceIds };
  verifyPass: { note?: string; evidence?: EvidenceIds };
  verifyFail: { reason: string; evidence?: EvidenceIds };
  handleOnTheSpot: { note?: string; beforePhotos: EvidenceIds; afterPhotos: EvidenceIds };
  rate: { score: number; comment?: string };
  supervise: { note?: string };
}

/**
 * What happens to the due time of the open step:
 * - start: the step of the new state begins now, with the limit its category sets for it;
 * - keep: the running step and its due time stay as they are;
 * - pause: the clock stops (suspension);
 * - resume: the clock runs again and the due time moves by the working time it stood still;
 * - extend: the due time moves by the granted extension;
 * - stop: no step is open any more.
 */
export type ClockEffect =
  | { kind: 'start'; step: CaseStep }
  | { kind: 'keep' }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'extend'; by: TimeLimit }
  | { kind: 'stop' };

export type DepartmentEffect =
  | { kind: 'assign'; leadDepartmentId: number; assistingDepartmentIds: readonly number[] }
  | { kind: 'addAssisting'; departmentIds: readonly number[] }
  | { kind: 'clear' };

export interface TransitionEffects {
  clock: ClockEffect;
  /** The counters after the action. */
  counters: CaseCounters;
  departments?: DepartmentEffect;
  rejectReason?: RejectReason;
  mergedInto?: number;
  supervised?: true;
  satisfaction?: number;
}

export interface TransitionResult {
  state: CaseState;
  effects: TransitionEffects;
}

type WorkflowErrorDetails =
  | {
      code: 'ILLEGAL_TRANSITION';
      state: CaseState;
      action: CaseAction;
      allowed: readonly CaseAction[];
      /** Set when the state admits the action but an open mediation holds the case. */
      mediating?: true;
    }
  | { code: 'INVALID_INPUT'; action: CaseAction; problem: LocalizedText };

/**
 * A refused action. ILLEGAL_TRANSITION names the current state and what can be done instead, so the person
 * who clicked a stale button knows where the case stands; INVALID_INPUT says what is missing.
 */
export class WorkflowError extends Error {
  readonly details: WorkflowErrorDetails;

  constructor(details: WorkflowErrorDetails) {
    super(renderWorkflowError(details, 'en-US'));
    this.name = 'WorkflowError';
    this.details = details;
  }

  get code(): WorkflowErrorDetails['code'] {
    return this.details.code;
  }

  messageIn(locale: Locale): string {
    return renderWorkflowError(this.details, locale);
  }
}

function renderWorkflowError(details: WorkflowErrorDetails, locale: Locale): string {
  const zh = locale === 'zh-CN';
  const action = CASE_ACTION_LABELS[details.action];
  if (details.code === 'INVALID_INPUT') {
    return zh
      ? `无法${action.zh}：${details.problem.zh}`
      : `Cannot ${lowerFirst(action.en)}: ${details.problem.en}`;
  }
  const state = CASE_STATE_LABELS[details.state];
  const allowed = details.allowed.map((a) => CASE_ACTION_LABELS[a]);
  if (zh) {
    const next =
      allowed.length > 0 ? `可执行：${allowed.map((a) => a.zh).join('、')}` : '该状态下没有可执行的操作';
    if (details.mediating) {
      return `案件正在人民调解中，处置随调解进行，不能执行「${action.zh}」：调解结束（达成协议或调解不成）时案件自动办结。${next}`;
    }
    return `当前状态为「${state.zh}」，不能执行「${action.zh}」。${next}`;
  }
  const next =
    allowed.length > 0
      ? `Possible: ${allowed.map((a) => a.en).join(', ')}.`
      : 'Nothing can be done in this state.';
  if (details.mediating) {
    return `The case is in mediation and its handling follows the mediation: "${action.en}" is not possible. The mediation's outcome (an agreement or a referral) marks the case handled. ${next}`;
  }
  return `The case is "${state.en}": "${action.en}" is not possible. ${next}`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** The actions possible in a state, in the order of CASE_ACTIONS, narrowed by whatever context is given. */
export function allowedActions(state: CaseState, context: WorkflowContext = {}): CaseAction[] {
  return CASE_ACTIONS.filter(
    (action) =>
      CASE_TRANSITIONS.some((t) => t.action === action && t.from === state) &&
      guardAllows(action, context) &&
      (context.mediating !== true || leavesStateAsItIs(action, state)) &&
      (context.role === undefined || actionRoles[action].includes(context.role)),
  );
}

function leavesStateAsItIs(action: CaseAction, state: CaseState): boolean {
  return CASE_TRANSITIONS.some((t) => t.action === action && t.from === state && t.to === state);
}

function guardAllows(action: CaseAction, context: WorkflowContext): boolean {
  switch (action) {
    case 'handleOnTheSpot':
      return (
        context.onTheSpotAllowed !== false &&
        (context.source === undefined || context.source === 'gridWorker')
      );
    case 'rate':
      return (
        (context.source === undefined || RESIDENT_SOURCES.includes(context.source)) &&
        (context.satisfaction === undefined || context.satisfaction === null)
      );
    case 'supervise':
      return context.supervised !== true;
    default:
      return true;
  }
}

/**
 * Applies an action to a case: the state it moves to and what the service must do besides writing the state.
 * Throws a WorkflowError when the action is not possible in the case's state (or its conditions are not met),
 * or when the input lacks what the action needs.
 */
export function transition<A extends CaseAction>(
  snapshot: CaseSnapshot,
  action: A,
  input: ActionInputs[A],
): TransitionResult {
  const context: WorkflowContext = {
    source: snapshot.source,
    onTheSpotAllowed: snapshot.onTheSpotAllowed,
    supervised: snapshot.supervised,
    satisfaction: snapshot.satisfaction,
  };
  const allowed = allowedActions(snapshot.state, { ...context, mediating: snapshot.mediating === true });
  if (!allowed.includes(action)) {
    const held = snapshot.mediating === true && allowedActions(snapshot.state, context).includes(action);
    throw new WorkflowError({
      code: 'ILLEGAL_TRANSITION',
      state: snapshot.state,
      action,
      allowed,
      ...(held ? { mediating: true as const } : {}),
    });
  }
  const counters: CaseCounters = {
    returnCount: snapshot.returnCount,
    reworkCount: snapshot.reworkCount,
    extensionCount: snapshot.extensionCount,
  };
  // The generic parameter does not narrow `input` inside a switch on `action`; this pairing restores it.
  const step = { action, input } as Step;
  switch (step.action) {
    case 'register':
      return { state: 'registered', effects: { clock: { kind: 'start', step: 'dispatch' }, counters } };
    case 'reject': {
      if (step.input.reason === 'duplicate') {
        if (step.input.originalCaseId === snapshot.id) {
          invalid(step.action, { zh: '不能合并到案件自身', en: 'a case cannot be merged into itself' });
        }
        return {
          state: 'merged',
          effects: {
            clock: { kind: 'stop' },
            counters,
            rejectReason: 'duplicate',
            mergedInto: step.input.originalCaseId,
          },
        };
      }
      return {
        state: 'rejected',
        effects: { clock: { kind: 'stop' }, counters, rejectReason: step.input.reason },
      };
    }
    case 'recall':
      requireText(step.action, step.input.reason, {
        zh: '请填写收回原因',
        en: 'give the reason for recalling it',
      });
      return {
        state: 'registered',
        effects: { clock: { kind: 'start', step: 'dispatch' }, counters, departments: { kind: 'clear' } },
      };
    case 'reassign':
      requireText(step.action, step.input.reason, {
        zh: '请填写改派原因',
        en: 'give the reason for reassigning it',
      });
      // The new department gets its own full handling limit, as on any dispatch.
      return { state: 'dispatched', effects: dispatchEffects(step.action, step.input, counters) };
    case 'dispatch':
      return { state: 'dispatched', effects: dispatchEffects(step.action, step.input, counters) };
    case 'whistle':
      if (step.input.departmentIds.length === 0) {
        invalid(step.action, { zh: '请选择要召集的部门', en: 'choose the departments to summon' });
      }
      return {
        state: snapshot.state,
        effects: {
          clock: { kind: 'keep' },
          counters,
          departments: { kind: 'addAssisting', departmentIds: step.input.departmentIds },
        },
      };
    case 'accept':
      // The handling limit runs from dispatch: taking time to accept is part of the department's time.
      return { state: 'accepted', effects: { clock: { kind: 'keep' }, counters } };
    case 'return':
      requireText(step.action, step.input.reason, {
        zh: '请填写退回原因',
        en: 'give the reason for returning it',
      });
      return {
        state: 'registered',
        effects: {
          clock: { kind: 'start', step: 'dispatch' },
          counters: { ...counters, returnCount: counters.returnCount + 1 },
          departments: { kind: 'clear' },
        },
      };
    case 'requestExtension':
      requireText(step.action, step.input.reason, {
        zh: '请填写延期原因',
        en: 'give the reason for the extension',
      });
      requireLimit(step.action, step.input.extension);
      // The clock keeps running while the dispatcher decides, or asking would itself buy time.
      return { state: 'extensionRequested', effects: { clock: { kind: 'keep' }, counters } };
    case 'approveExtension':
      requireLimit(step.action, step.input.extension);
      return {
        state: 'accepted',
        effects: {
          clock: { kind: 'extend', by: step.input.extension },
          counters: { ...counters, extensionCount: counters.extensionCount + 1 },
        },
      };
    case 'refuseExtension':
      requireText(step.action, step.input.reason, {
        zh: '请填写不同意的原因',
        en: 'give the reason for refusing',
      });
      return { state: 'accepted', effects: { clock: { kind: 'keep' }, counters } };
    case 'suspend':
      requireText(step.action, step.input.reason, {
        zh: '请填写挂账原因',
        en: 'give the reason for suspending',
      });
      return { state: 'suspended', effects: { clock: { kind: 'pause' }, counters } };
    case 'resume':
      return { state: 'accepted', effects: { clock: { kind: 'resume' }, counters } };
    case 'finish':
      requireText(step.action, step.input.note, { zh: '请填写处置结果', en: 'describe what was done' });
      if (step.input.evidence.length === 0) {
        invalid(step.action, {
          zh: '请上传处置后的照片或材料',
          en: 'attach a photo or document of the result',
        });
      }
      return { state: 'handled', effects: { clock: { kind: 'start', step: 'verify' }, counters } };
    case 'verifyPass':
      return { state: 'closed', effects: { clock: { kind: 'stop' }, counters } };
    case 'verifyFail':
      requireText(step.action, step.input.reason, {
        zh: '请填写核查不通过的原因',
        en: 'say what is still wrong',
      });
      // Rework goes straight back to the department that handled it, which needs no second acceptance, with a
      // fresh handling limit: the old one was met or missed when the department said it had finished.
      return {
        state: 'accepted',
        effects: {
          clock: { kind: 'start', step: 'handle' },
          counters: { ...counters, reworkCount: counters.reworkCount + 1 },
        },
      };
    case 'handleOnTheSpot':
      if (step.input.beforePhotos.length === 0 || step.input.afterPhotos.length === 0) {
        invalid(step.action, {
          zh: '即办件需要处置前和处置后的照片',
          en: 'a case handled on the spot needs photos from before and after',
        });
      }
      return { state: 'closed', effects: { clock: { kind: 'stop' }, counters } };
    case 'rate':
      if (!Number.isInteger(step.input.score) || step.input.score < 1 || step.input.score > 5) {
        invalid(step.action, {
          zh: '满意度为 1 到 5 的整数',
          en: 'satisfaction is a whole number from 1 to 5',
        });
      }
      return {
        state: 'closed',
        effects: { clock: { kind: 'keep' }, counters, satisfaction: step.input.score },
      };
    case 'supervise':
      return { state: snapshot.state, effects: { clock: { kind: 'keep' }, counters, supervised: true } };
  }
}

type Step = { [A in CaseAction]: { action: A; input: ActionInputs[A] } }[CaseAction];

/** A dispatch or a reassignment: the departments named, and the handling step starting afresh. */
function dispatchEffects(
  action: CaseAction,
  input: ActionInputs['dispatch'] | ActionInputs['reassign'],
  counters: CaseCounters,
): TransitionEffects {
  const assisting = input.assistingDepartmentIds ?? [];
  if (assisting.includes(input.leadDepartmentId) || new Set(assisting).size !== assisting.length) {
    invalid(action, {
      zh: '主办部门不能同时是协办部门，协办部门不能重复',
      en: 'the lead department cannot also assist, and assisting departments must differ',
    });
  }
  return {
    clock: { kind: 'start', step: 'handle' },
    counters,
    departments: {
      kind: 'assign',
      leadDepartmentId: input.leadDepartmentId,
      assistingDepartmentIds: assisting,
    },
  };
}

function invalid(action: CaseAction, problem: LocalizedText): never {
  throw new WorkflowError({ code: 'INVALID_INPUT', action, problem });
}

function requireText(action: CaseAction, text: string, problem: LocalizedText): void {
  if (text.trim() === '') invalid(action, problem);
}

function requireLimit(action: CaseAction, limit: TimeLimit): void {
  if (!(Number.isFinite(limit.amount) && limit.amount > 0)) {
    invalid(action, { zh: '延期时长必须大于 0', en: 'the extension must be longer than zero' });
  }
}
