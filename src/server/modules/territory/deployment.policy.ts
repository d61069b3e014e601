import type { LocalizedText } from '../../../shared/errors.ts';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { assertRole } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';
import { regionScope, scopeHoldsRegion } from '../people/scope.ts';
import * as regions from './region.repository.ts';

/**
 * Who may change what holds for the whole deployment: the category trees (with their time limits and extra
 * fields), the holiday calendar and working hours, and a relocation of every record.
 *
 * The rule: an administrator whose data scope holds every grid of the deployment (before any grid is drawn,
 * every region), or the system itself (the CLI, start-up). A village administrator shares these settings with
 * every other village of the town, so changing them would reach beyond their scope; the town administrator
 * holds every grid and may. Provinces, cities and counties above the town are only its address: they hold no
 * grids, so an administrator need not be scoped to them.
 *
 * Settings that belong to one area (a routing rule, a region's boundary) follow the ordinary rule instead: the
 * area must lie inside the administrator's scope.
 */
export async function assertGovernsWholeTerritory(
  db: Db,
  actor: Actor,
  action: LocalizedText,
): Promise<void> {
  assertRole(actor, ['administrator'], action);
  if (actor.system) return;
  const scope = regionScope(actor);
  const range = await regions.findGovernedCodeRange(db);
  if (range && scopeHoldsRegion(scope, range.first) && scopeHoldsRegion(scope, range.last)) return;
  throw new AppError('FORBIDDEN_SCOPE', {
    target: { zh: `全辖区的设置（${action.zh}）`, en: `a setting of the whole deployment (${action.en})` },
    scope: actor.scopeName || actor.scopeCode,
  });
}
