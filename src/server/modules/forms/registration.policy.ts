import type { LocalizedText } from '../../../shared/errors.ts';
import {
  REGISTRATION_CONFIRMER_ROLES,
  REGISTRATION_READER_ROLES,
  type RegistrationSensitiveField,
  registrationRevealRoles,
} from '../../../shared/registrations.ts';
import { assertRole } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';

/*
 * Who may do what with registrations. Reading is the community's: its users within their data scope. A
 * registrant's ID number and phone are always masked in lists, answers and exports; a role that the registry
 * lets see them (in clear or on reveal) may reveal one value at a time, audited as the registry's reveals are.
 */

export const REGISTRATION = { zh: '报备登记', en: 'Registration' } satisfies LocalizedText;

const ACTIONS = {
  read: { zh: '查看报备登记', en: 'read registrations' },
  confirm: { zh: '核实报备登记', en: 'confirm registrations' },
  reveal: { zh: '查看报备人的完整证件号码或电话', en: "see a registrant's ID number or phone in clear" },
  export: { zh: '导出报备登记', en: 'export registrations' },
} satisfies Record<string, LocalizedText>;

export function assertMayRead(actor: Actor): void {
  assertRole(actor, REGISTRATION_READER_ROLES, ACTIONS.read);
}

export function assertMayConfirm(actor: Actor): void {
  assertRole(actor, REGISTRATION_CONFIRMER_ROLES, ACTIONS.confirm);
}

export function assertMayReveal(actor: Actor, field: RegistrationSensitiveField): void {
  assertRole(actor, registrationRevealRoles(field), ACTIONS.reveal);
}

/** Exports are masked, so whoever reads registrations may export what they read. */
export function assertMayExport(actor: Actor): void {
  assertRole(actor, REGISTRATION_READER_ROLES, ACTIONS.export);
}
