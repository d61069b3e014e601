import type { LocalizedText } from '../../../shared/errors.ts';
import {
  MEDIATION_OPENER_ROLES,
  MEDIATION_READER_ROLES,
  MEDIATION_WRITER_ROLES,
} from '../../../shared/mediation.ts';
import { assertInScope, assertRole } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';

export const MEDIATION: LocalizedText = { zh: '调解案件', en: 'Mediation' };

const TEXT = {
  read: { zh: '查看调解案件', en: 'read mediations' },
  open: { zh: '受理调解', en: 'open a mediation' },
  write: { zh: '记录调解过程和结果', en: 'record a mediation' },
  categories: { zh: '设置纠纷类案件分类', en: 'set the dispute categories' },
} satisfies Record<string, LocalizedText>;

export function assertMayRead(actor: Actor): void {
  assertRole(actor, MEDIATION_READER_ROLES, TEXT.read);
}

export function assertMayOpen(actor: Actor): void {
  assertRole(actor, MEDIATION_OPENER_ROLES, TEXT.open);
}

/** Writers act on mediations of their scope: a village's mediator on that village's, the town's on all. */
export function assertMayWrite(actor: Actor, mediation: { region_code: string; number: string }): void {
  assertRole(actor, MEDIATION_WRITER_ROLES, TEXT.write);
  assertInScope(actor, mediation.region_code, {
    zh: `调解案件 ${mediation.number}`,
    en: `mediation ${mediation.number}`,
  });
}

export function assertMaySetCategories(actor: Actor): void {
  assertRole(actor, ['administrator'], TEXT.categories);
}
