/**
 * Who may see and run an inspection campaign. The rule that matters most: a covert campaign (暗访) is invisible
 * to the inspected — the villages, grids and departments of its area — until its results are published. It is
 * seen before that only by the office that runs it: its organiser, its inspectors, and the administrators,
 * leaders and inspectors whose scope holds the campaign's whole area (the level above the inspected).
 *
 * An open campaign is seen by everyone whose scope meets its area (a village sees the town's campaign, for the
 * targets in the village), since the targets' grids are told in advance anyway.
 */
import type { Role } from '../../../shared/roles.ts';
import type { Actor } from '../people/actor.ts';
import { regionScope, scopeHoldsRegion } from '../people/scope.ts';

export interface CampaignAccessFacts {
  regionCode: string;
  covert: boolean;
  publishedAt: Date | null;
  organiserId: number | null;
  inspectorIds: readonly number[];
}

/** Roles that run inspections for the area their scope holds. */
const RUNNING_ROLES: readonly Role[] = ['administrator', 'leader', 'inspector'];

/** Whether the actor works for the campaign: its organiser, one of its inspectors, or the office above it. */
export function runsCampaign(actor: Actor, campaign: CampaignAccessFacts): boolean {
  if (actor.system) return true;
  if (campaign.organiserId === actor.id || campaign.inspectorIds.includes(actor.id)) return true;
  return RUNNING_ROLES.includes(actor.role) && scopeHoldsRegion(regionScope(actor), campaign.regionCode);
}

/** Whether the actor's scope and the campaign's area share any region (one holds the other). */
function meetsArea(actor: Actor, regionCode: string): boolean {
  return (
    actor.scopeCode !== '' &&
    (regionCode.startsWith(actor.scopeCode) || actor.scopeCode.startsWith(regionCode))
  );
}

/** Whether the covert veil is lifted: open campaigns have none, covert ones once published. */
export function isDisclosed(campaign: Pick<CampaignAccessFacts, 'covert' | 'publishedAt'>): boolean {
  return !campaign.covert || campaign.publishedAt !== null;
}

/**
 * Whether the actor may see the campaign at all. Department handlers see a disclosed campaign through the
 * rectification cases dispatched to them, not through the campaign list.
 */
export function canSeeCampaign(actor: Actor, campaign: CampaignAccessFacts): boolean {
  if (runsCampaign(actor, campaign)) return true;
  if (!isDisclosed(campaign)) return false;
  return actor.role !== 'departmentHandler' && meetsArea(actor, campaign.regionCode);
}

/**
 * Whether the actor may change the campaign (targets, schedule, start, finish, publish): its organiser, or an
 * administrator or leader whose scope holds its area. Inspectors named on it visit; they do not re-plan it.
 */
export function canManageCampaign(actor: Actor, campaign: CampaignAccessFacts): boolean {
  if (actor.system) return true;
  if (campaign.organiserId === actor.id) return true;
  return (
    (actor.role === 'administrator' || actor.role === 'leader') &&
    scopeHoldsRegion(regionScope(actor), campaign.regionCode)
  );
}

/** Whether the actor may record a visit (or a re-inspection) for the campaign: an inspector named on it. */
export function canVisit(actor: Actor, campaign: CampaignAccessFacts): boolean {
  return campaign.inspectorIds.includes(actor.id) || campaign.organiserId === actor.id;
}
