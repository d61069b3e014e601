import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Role } from '../../../shared/roles.ts';
import { likePrefix } from '../../db/like.ts';
import type { Actor } from './actor.ts';

declare const SCOPE: unique symbol;

/**
 * What a request may read and change, as a value. Only this file makes one (from an actor, or by name for a
 * system job), so a repository function that takes a `Scope` cannot be called with a hand-made filter, and
 * "no scope" can never be mistaken for "no filter": an empty scope matches nothing.
 *
 * - `regions`: the subtree of the region tree under `prefix` (region codes extend their parent's code).
 * - `department`: the cases dispatched to one department (lead or assisting), wherever they are.
 * - `everything`: work started by the system (sweeps, the CLI, start-up), never a signed-in user.
 * - `nothing`: a user whose scope is missing or empty.
 */
export type Scope = (
  | { readonly kind: 'regions'; readonly prefix: string }
  | { readonly kind: 'department'; readonly departmentId: number }
  | { readonly kind: 'everything'; readonly reason: string }
  | { readonly kind: 'nothing' }
) & { readonly [SCOPE]: true };

function make<T extends object>(value: T): T & { readonly [SCOPE]: true } {
  return Object.freeze(value) as T & { readonly [SCOPE]: true };
}

const NOTHING = make({ kind: 'nothing' as const });

/**
 * Roles whose data is their unit's or their own (the volunteers module), never a region's — except a volunteer's
 * signed-in task, whose community is theirs while they are signed in (regionScope).
 */
export const REGIONLESS_ROLES: readonly Role[] = ['unitContact', 'volunteer'];

/** The regions an actor may see: their subtree; nothing when their scope is empty (unless the system acts). */
export function regionScope(actor: Actor): Scope {
  if (actor.system) return make({ kind: 'everything', reason: actor.username });
  // A volunteer signed in at a community acts there, and only while signed in (actor.ts, VolunteerTask).
  if (actor.role === 'volunteer' && actor.volunteerTask)
    return make({ kind: 'regions', prefix: actor.volunteerTask.regionCode });
  if (REGIONLESS_ROLES.includes(actor.role)) return NOTHING;
  if (!actor.scopeCode) return NOTHING;
  return make({ kind: 'regions', prefix: actor.scopeCode });
}

/**
 * The cases an actor may see: a department handler sees what is dispatched to their department (and nothing
 * without one); everyone else their regions.
 */
export function caseScope(actor: Actor): Scope {
  if (actor.role === 'departmentHandler' && !actor.system) {
    return actor.departmentId === null
      ? NOTHING
      : make({ kind: 'department', departmentId: actor.departmentId });
  }
  return regionScope(actor);
}

/**
 * For a system job that must see every row (the overdue sweep, outbound deliveries, the demo load). The
 * reason names the job, so unscoped reads stand out in a search for `unscoped(`.
 */
export function unscoped(reason: string): Scope {
  return make({ kind: 'everything', reason });
}

/** True when the region (by code) lies inside the scope. A department scope holds no regions. */
export function scopeHoldsRegion(scope: Scope, regionCode: string): boolean {
  switch (scope.kind) {
    case 'everything':
      return true;
    case 'regions':
      return regionCode.startsWith(scope.prefix);
    default:
      return false;
  }
}

/**
 * The scope's condition on a region-code column, for a `where`: `column like prefix%`, true for everything,
 * false for nothing or a department (department scopes are applied by the cases repository, which knows the
 * dispatch table).
 */
export function regionCondition<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  column: Parameters<ExpressionBuilder<DB, TB>['ref']>[0],
  scope: Scope,
): Expression<SqlBool> {
  switch (scope.kind) {
    case 'everything':
      return eb.lit(true);
    case 'regions':
      return eb(eb.ref(column), 'like', likePrefix(scope.prefix) as never) as Expression<SqlBool>;
    default:
      return eb.lit(false);
  }
}

/**
 * The part of `scope` under one region: that region's subtree when the scope holds it, nothing otherwise. It can
 * only narrow a scope, so a service showing one region's subtree (a tree, a map, an export rooted below the
 * actor's scope root) keeps a `Scope` without making one by hand.
 */
export function narrowScope(scope: Scope, regionCode: string): Scope {
  return scopeHoldsRegion(scope, regionCode) ? make({ kind: 'regions', prefix: regionCode }) : NOTHING;
}
