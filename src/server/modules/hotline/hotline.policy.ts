import { HOTLINE_IMPORT_ROLES } from '../../../shared/hotline.ts';
import { assertRole } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';
import { regionScope, scopeHoldsRegion } from '../people/scope.ts';

const IMPORT_HOTLINE = { zh: '导入 12345 工单', en: 'import 12345 hotline orders' };

/** Importing reports cases in bulk and registers nothing: the command centre's work, and administrators'. */
export function assertMayImportHotline(actor: Actor): void {
  assertRole(actor, HOTLINE_IMPORT_ROLES, IMPORT_HOTLINE);
}

/**
 * An import's error report belongs to the scope it was made in: anyone allowed to import over it may read it.
 * An actor with an empty scope reads none (a scope code of '' would prefix every import's).
 */
export function mayReadImport(actor: Actor, importScopeCode: string): boolean {
  return scopeHoldsRegion(regionScope(actor), importScopeCode);
}
