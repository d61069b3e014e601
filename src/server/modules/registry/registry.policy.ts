import type { LocalizedText } from '../../../shared/errors.ts';
import {
  REGISTRY_ENTITY_LABELS,
  type RegistryEntity,
  SENSITIVE_FIELD_KIND,
  SENSITIVE_FIELD_LABELS,
  type SensitiveField,
} from '../../../shared/registry.ts';
import { REGISTRY_POLICY, type Visibility } from '../../../shared/registry-policy.ts';
import { ROLE_LABELS } from '../../../shared/roles.ts';
import { AppError } from '../../errors.ts';
import { assertRole } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';

/* The registry's rules of access (src/shared/registry-policy.ts) applied to an actor, refusing what they deny. */

const ACTIONS = {
  read: { zh: '查看{entity}', en: 'view {entity} records' },
  write: { zh: '登记或修改{entity}', en: 'record or change {entity} records' },
  remove: { zh: '删除{entity}', en: 'delete {entity} records' },
  export: { zh: '导出{entity}', en: 'export {entity} records' },
  reveal: { zh: '查看完整的{field}', en: 'see the full {field}' },
  personalDataLog: { zh: '查看个人信息查看记录', en: 'read the personal data access log' },
} as const;

function action(template: LocalizedText, params: Record<string, LocalizedText>): LocalizedText {
  const fill = (text: string, pick: 'zh' | 'en') =>
    text.replace(/\{(\w+)\}/g, (_, key: string) => {
      const value = params[key];
      return value ? (pick === 'zh' ? value.zh : value.en.toLowerCase()) : '';
    });
  return { zh: fill(template.zh, 'zh'), en: fill(template.en, 'en') };
}

function refuse(actor: Actor, what: LocalizedText): never {
  throw new AppError('FORBIDDEN_ROLE', { role: ROLE_LABELS[actor.role], action: what });
}

export function mayRead(actor: Actor, entity: RegistryEntity): boolean {
  return REGISTRY_POLICY[actor.role].read.includes(entity);
}

export function assertMayRead(actor: Actor, entity: RegistryEntity): void {
  if (!mayRead(actor, entity)) {
    refuse(actor, action(ACTIONS.read, { entity: REGISTRY_ENTITY_LABELS[entity] }));
  }
}

export function assertMayWrite(actor: Actor, entity: RegistryEntity): void {
  if (!REGISTRY_POLICY[actor.role].write) {
    refuse(actor, action(ACTIONS.write, { entity: REGISTRY_ENTITY_LABELS[entity] }));
  }
}

export function assertMayRemove(actor: Actor, entity: RegistryEntity): void {
  if (!REGISTRY_POLICY[actor.role].remove) {
    refuse(actor, action(ACTIONS.remove, { entity: REGISTRY_ENTITY_LABELS[entity] }));
  }
}

export function assertMayExport(actor: Actor, entity: RegistryEntity): void {
  assertMayRead(actor, entity);
  if (!REGISTRY_POLICY[actor.role].export) {
    refuse(actor, action(ACTIONS.export, { entity: REGISTRY_ENTITY_LABELS[entity] }));
  }
}

/** How the actor sees a personal data field. */
export function visibilityOf(actor: Actor, field: SensitiveField): Visibility {
  return REGISTRY_POLICY[actor.role][SENSITIVE_FIELD_KIND[field]];
}

export function assertMayReveal(actor: Actor, entity: RegistryEntity, field: SensitiveField): void {
  assertMayRead(actor, entity);
  if (visibilityOf(actor, field) === 'masked') {
    refuse(actor, action(ACTIONS.reveal, { field: SENSITIVE_FIELD_LABELS[field] }));
  }
}

/** Residents with care tags, and the tags themselves, are shown only to roles that look after them. */
export function maySeeCare(actor: Actor): boolean {
  return REGISTRY_POLICY[actor.role].care;
}

/** The log of personal data shown in clear is for administrators. */
export function assertMayReadPersonalDataLog(actor: Actor): void {
  assertRole(actor, ['administrator'], ACTIONS.personalDataLog);
}
