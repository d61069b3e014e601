import type { LocalizedText } from '../../../shared/errors.ts';
import { REGISTRY_POLICY } from '../../../shared/registry-policy.ts';
import type { Actor } from '../people/actor.ts';

export const VISIT_CAMPAIGN = { zh: '走访活动', en: 'Visit campaign' } satisfies LocalizedText;
export const HOUSEHOLD_VISIT = { zh: '入户走访记录', en: 'Household visit' } satisfies LocalizedText;

/**
 * Residents' names in a visit list or export: in clear for the roles that look after residents (the registry's
 * care right: grid workers, administrators), otherwise the surname only (陈**), as leaders plan from figures.
 */
export function showsNames(actor: Actor): boolean {
  return actor.system === true || REGISTRY_POLICY[actor.role]?.care === true;
}

export function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? name : `${chars[0]}${'*'.repeat(Math.min(chars.length - 1, 3))}`;
}

/** Phones in answers follow the registry's rule for phones: in clear only where the role sees them so. */
export function showsPhones(actor: Actor): boolean {
  return actor.system === true || REGISTRY_POLICY[actor.role]?.phone === 'clear';
}
