import {
  CHECKPOINT_EXPORT_ROLES,
  CHECKPOINT_LOGGER_ROLES,
  CHECKPOINT_MANAGER_ROLES,
  CHECKPOINT_READER_ROLES,
} from '../../../shared/checkpoints.ts';
import type { LocalizedText } from '../../../shared/errors.ts';
import { REGISTRY_POLICY, type Visibility } from '../../../shared/registry-policy.ts';
import { maskIdNumber } from '../../../shared/registry-validation.ts';
import { assertRole } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';

export const CHECKPOINT = { zh: '卡点', en: 'Checkpoint' } satisfies LocalizedText;
export const CHECKPOINT_ENTRY = { zh: '卡点登记', en: 'Checkpoint entry' } satisfies LocalizedText;

const ACTIONS = {
  read: { zh: '查看卡点', en: 'read checkpoints' },
  manage: { zh: '设置卡点和值班表', en: 'set up checkpoints and rosters' },
  log: { zh: '登记卡点通行', en: 'log checkpoint entries' },
  export: { zh: '导出卡点登记', en: 'export checkpoint entries' },
  reveal: { zh: '查看完整的身份证号', en: 'see the full ID number' },
} satisfies Record<string, LocalizedText>;

export const assertMayRead = (actor: Actor) => assertRole(actor, CHECKPOINT_READER_ROLES, ACTIONS.read);
export const assertMayManage = (actor: Actor) => assertRole(actor, CHECKPOINT_MANAGER_ROLES, ACTIONS.manage);
export const assertMayLog = (actor: Actor) => assertRole(actor, CHECKPOINT_LOGGER_ROLES, ACTIONS.log);
export const assertMayExport = (actor: Actor) => assertRole(actor, CHECKPOINT_EXPORT_ROLES, ACTIONS.export);

/**
 * How a role sees the ID numbers of people passing a checkpoint: as it sees residents' ID numbers in the
 * registry (docs/API.md "Personal data"), the same people by the same number. No role has them in clear today;
 * grid workers and administrators reveal one at a time, logged.
 */
export function idNumberVisibility(actor: Actor): Visibility {
  return REGISTRY_POLICY[actor.role].idNumber;
}

export function assertMayReveal(actor: Actor): void {
  if (idNumberVisibility(actor) !== 'reveal') assertRole(actor, [], ACTIONS.reveal);
}

/** An ID number as the actor may see it in a list; exports always mask (`forExport`). */
export function shownIdNumber(
  actor: Actor,
  idNumber: string | null,
  forExport = false,
): { value: string | null; masked: boolean } {
  if (idNumber === null) return { value: null, masked: false };
  if (!forExport && idNumberVisibility(actor) === 'clear') return { value: idNumber, masked: false };
  return { value: maskIdNumber(idNumber), masked: true };
}
