import type { LocalizedText } from '../../../shared/errors.ts';
import { ROLE_LABELS, type Role } from '../../../shared/roles.ts';
import { likePrefix } from '../../db/like.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from './actor.ts';
import { regionScope, scopeHoldsRegion } from './scope.ts';

/**
 * Data scope is a subtree of the region tree. Region codes extend their parent's code, so "in scope" is a
 * prefix test, the same in memory and in SQL (`code like scope || '%'`).
 */
export function inScope(actor: Actor, regionCode: string): boolean {
  return scopeHoldsRegion(regionScope(actor), regionCode);
}

export function assertInScope(actor: Actor, regionCode: string, target: string | LocalizedText): void {
  if (!inScope(actor, regionCode)) {
    throw new AppError('FORBIDDEN_SCOPE', { target, scope: actor.scopeName || actor.scopeCode });
  }
}

export function assertRole(actor: Actor, allowed: readonly Role[], action: LocalizedText): void {
  if (!allowed.includes(actor.role)) {
    throw new AppError('FORBIDDEN_ROLE', { role: ROLE_LABELS[actor.role], action });
  }
}

/** A prefix for SQL LIKE that matches exactly the actor's subtree. */
export function scopePattern(actor: Actor): string {
  return likePrefix(actor.scopeCode);
}

/**
 * A volunteer uses only the tool of the request they are signed in to (people/actor.ts, VolunteerTask): the
 * checkpoint of a checkpoint shift, the visit campaign of a door-to-door request. Not signed in, or another
 * tool: refused as their role. Other roles pass — their own role and scope rules apply.
 */
export function assertVolunteerTool(
  actor: Actor,
  tool: 'checkpointId' | 'visitCampaignId',
  id: number,
  action: LocalizedText,
): void {
  if (actor.role !== 'volunteer' || actor.system) return;
  if (actor.volunteerTask && actor.volunteerTask[tool] === id) return;
  throw new AppError('FORBIDDEN_ROLE', { role: ROLE_LABELS.volunteer, action });
}
