import type { LocalizedText } from '../../../shared/errors.ts';
import { AppError } from '../../errors.ts';
import { assertRole, inScope } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';
import { actionRoles, CASE_ACTION_LABELS, type CaseAction } from './case-workflow.ts';

export interface CaseAccessFacts {
  caseNumber: string;
  regionCode: string;
  leadDepartmentId: number | null;
  departmentIds: readonly number[];
}

/**
 * Department handlers see the cases dispatched to their department (lead or assisting), wherever they are;
 * everyone else sees the cases of their region's subtree.
 */
export function canSeeCase(actor: Actor, facts: CaseAccessFacts): boolean {
  if (actor.role === 'departmentHandler') {
    return actor.departmentId !== null && facts.departmentIds.includes(actor.departmentId);
  }
  return inScope(actor, facts.regionCode);
}

export function assertCanSeeCase(actor: Actor, facts: CaseAccessFacts): void {
  if (!canSeeCase(actor, facts)) {
    throw new AppError('FORBIDDEN_SCOPE', {
      target: { zh: `案件 ${facts.caseNumber}`, en: `case ${facts.caseNumber}` },
      scope:
        actor.role === 'departmentHandler'
          ? { zh: '本部门承办的案件', en: "your department's cases" }
          : actor.scopeName,
    });
  }
}

/** The role may take the action, and a department's actions belong to the lead department only. */
export function mayTakeAction(actor: Actor, action: CaseAction, facts: CaseAccessFacts): boolean {
  if (!actionRoles[action].includes(actor.role) || !canSeeCase(actor, facts)) return false;
  if (actor.role === 'departmentHandler') return actor.departmentId === facts.leadDepartmentId;
  return true;
}

export function assertMayTakeAction(actor: Actor, action: CaseAction, facts: CaseAccessFacts): void {
  assertCanSeeCase(actor, facts);
  const label: LocalizedText = CASE_ACTION_LABELS[action];
  assertRole(actor, actionRoles[action], label);
  if (!mayTakeAction(actor, action, facts)) {
    throw new AppError('FORBIDDEN_ROLE', {
      role: { zh: '协办部门', en: 'an assisting department' },
      action: label,
    });
  }
}
