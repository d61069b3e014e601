import { actionRoles, CASE_ACTION_LABELS, type CaseAction } from '../../../shared/case-workflow.ts';
import type { LocalizedText } from '../../../shared/errors.ts';
import { AppError } from '../../errors.ts';
import { assertRole } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';
import { caseScope, type Scope, scopeHoldsRegion } from '../people/scope.ts';

export interface CaseAccessFacts {
  caseNumber: string;
  regionCode: string;
  leadDepartmentId: number | null;
  departmentIds: readonly number[];
}

/**
 * Whether a case lies in a scope, in memory: the same rule as `caseInScope` in case.repository.ts applies in
 * SQL. A department scope holds the cases dispatched to the department (lead or assisting), wherever they
 * are; a region scope the cases of its subtree; an empty scope none.
 */
export function scopeHoldsCase(scope: Scope, facts: Pick<CaseAccessFacts, 'regionCode' | 'departmentIds'>) {
  if (scope.kind === 'department') return facts.departmentIds.includes(scope.departmentId);
  return scopeHoldsRegion(scope, facts.regionCode);
}

/** Whether the actor may read the case: it lies in their case scope (see `caseScope`). */
export function canSeeCase(actor: Actor, facts: CaseAccessFacts): boolean {
  return scopeHoldsCase(caseScope(actor), facts);
}

/**
 * Whether the actor is who first reported a case, so may be answered with it when replaying its client key: the
 * same user, or for a case the system took in for no user (a portal report), the system again. Anyone else who
 * knows the key learns nothing of the case by it.
 */
export function isSameReporter(actor: Actor, reported: { reporter_id: number | null }): boolean {
  if (actor.id > 0) return reported.reporter_id === actor.id;
  return actor.system === true && reported.reporter_id === null;
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
