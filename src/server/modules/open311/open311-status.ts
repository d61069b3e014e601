import { type CaseState, type RejectReason, TERMINAL_STATES } from '../../../shared/case-workflow.ts';
import type { LocalizedText } from '../../../shared/errors.ts';
import type { PublicStep } from '../cases/public-case.ts';

/**
 * How gridgov's workflow reads in Open311: the core spec's two statuses, and the extended statuses of the
 * servicerequestupdates extension (lower case in answers, as its schema has them; accepted in any case).
 * docs/open311.md has the same tables; a test keeps them in step.
 */

export type CoreStatus = 'open' | 'closed';

export const EXTENDED_STATUSES = [
  'open',
  'closed',
  'fixed',
  'in_progress',
  'action_scheduled',
  'investigating',
  'duplicate',
  'not_councils_responsibility',
  'no_further_action',
  'internal_referral',
  'reopen',
  'for_triage',
  // Sent by FixMyStreet for a report its user cancelled; never answered by this server.
  'cancelled',
] as const;
export type ExtendedStatus = (typeof EXTENDED_STATUSES)[number];

export function coreStatusOf(state: string): CoreStatus {
  return TERMINAL_STATES.includes(state as CaseState) ? 'closed' : 'open';
}

/** The extended status of a case in this state; a rejected case by the reason it was rejected for. */
export const EXTENDED_STATUS_OF_STATE: Record<CaseState, ExtendedStatus> = {
  reported: 'open',
  registered: 'investigating',
  dispatched: 'action_scheduled',
  accepted: 'in_progress',
  extensionRequested: 'in_progress',
  suspended: 'action_scheduled',
  handled: 'in_progress',
  closed: 'fixed',
  rejected: 'no_further_action',
  merged: 'duplicate',
};

export const EXTENDED_STATUS_OF_REJECT: Record<RejectReason, ExtendedStatus> = {
  duplicate: 'duplicate',
  invalid: 'no_further_action',
  notOurs: 'not_councils_responsibility',
};

/** The extended status a step leaves the case in; a return is an internal referral. */
export function updateStatusOf(step: PublicStep): ExtendedStatus {
  if (step.action === 'return') return 'internal_referral';
  if (step.action === 'reject' && step.rejectReason) return EXTENDED_STATUS_OF_REJECT[step.rejectReason];
  return EXTENDED_STATUS_OF_STATE[step.toState as CaseState] ?? 'open';
}

/**
 * What a status posted by a client (POST servicerequestupdates) means here. Updates from clients never move a
 * case — its steps belong to the people responsible — but the timeline entry tells the dispatcher what the
 * client reported, and a client that says the problem is back is flagged.
 */
export const CLIENT_STATUS_MEANING: Record<ExtendedStatus, LocalizedText> = {
  open: { zh: '对方系统：仍未解决', en: 'Connected system: still open' },
  closed: { zh: '对方系统：已关闭', en: 'Connected system: closed' },
  fixed: { zh: '对方系统：已修复', en: 'Connected system: fixed' },
  in_progress: { zh: '对方系统：处理中', en: 'Connected system: in progress' },
  action_scheduled: { zh: '对方系统：已安排处理', en: 'Connected system: action scheduled' },
  investigating: { zh: '对方系统：调查中', en: 'Connected system: investigating' },
  duplicate: { zh: '对方系统：重复', en: 'Connected system: duplicate' },
  not_councils_responsibility: {
    zh: '对方系统：非本单位职责',
    en: 'Connected system: not our responsibility',
  },
  no_further_action: { zh: '对方系统：不再处理', en: 'Connected system: no further action' },
  internal_referral: { zh: '对方系统：已转交', en: 'Connected system: referred' },
  reopen: { zh: '对方系统：问题复发，请求重新处理', en: 'Connected system: the problem is back, reopen' },
  for_triage: { zh: '对方系统：待分拣', en: 'Connected system: for triage' },
  cancelled: { zh: '对方系统：上报人已撤销', en: 'Connected system: cancelled by the reporter' },
};
