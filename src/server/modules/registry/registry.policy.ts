import type { LocalizedText } from '../../../shared/errors.ts';
import {
  REGISTRY_ENTITIES,
  REGISTRY_ENTITY_LABELS,
  type RegistryEntity,
  SENSITIVE_FIELD_KIND,
  SENSITIVE_FIELD_LABELS,
  SENSITIVE_FIELDS,
  type SensitiveField,
} from '../../../shared/registry.ts';
import { ROLE_LABELS, type Role } from '../../../shared/roles.ts';
import { AppError } from '../../errors.ts';
import { assertRole } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';

/**
 * How a role sees a kind of personal data:
 * - `clear`: in lists, answers and exports as it is — each answer that shows some is logged (`registry.read`);
 * - `reveal`: masked, and shown one value at a time on an explicit reveal, which is logged (`registry.reveal`);
 * - `masked`: only ever masked.
 */
export type Visibility = 'clear' | 'reveal' | 'masked';

export interface RegistryRolePolicy {
  /** Entity types the role may list, search and open (always within its data scope). */
  read: readonly RegistryEntity[];
  /** Create, change and import records. */
  write: boolean;
  remove: boolean;
  export: boolean;
  idNumber: Visibility;
  phone: Visibility;
  /** Sees residents with care tags, and the tags. Counts of them are in the coverage figures for everyone. */
  care: boolean;
}

const PLACES: readonly RegistryEntity[] = ['address', 'building', 'organisation', 'facility'];

/**
 * Who may do what with the registry — the table docs/API.md "Personal data" shows.
 *
 * Grid workers keep the registry of their grids, visit the households and look after the residents in need: they
 * call people every day, so phones are theirs in clear; ID numbers they reveal one at a time when a visit needs
 * one. Administrators keep the registry and reveal what a correction needs. Dispatchers call back reporters and
 * landlords (phones on reveal) and never need an ID number. Leaders read the registry for planning: masked, and
 * figures. Inspectors and departments work on places — organisations and facilities — and their contacts.
 */
export const REGISTRY_POLICY: Record<Role, RegistryRolePolicy> = {
  administrator: {
    read: REGISTRY_ENTITIES,
    write: true,
    remove: true,
    export: true,
    idNumber: 'reveal',
    phone: 'reveal',
    care: true,
  },
  gridWorker: {
    read: REGISTRY_ENTITIES,
    write: true,
    remove: false,
    export: true,
    idNumber: 'reveal',
    phone: 'clear',
    care: true,
  },
  leader: {
    read: REGISTRY_ENTITIES,
    write: false,
    remove: false,
    export: true,
    idNumber: 'masked',
    phone: 'masked',
    care: false,
  },
  dispatcher: {
    read: REGISTRY_ENTITIES,
    write: false,
    remove: false,
    export: false,
    idNumber: 'masked',
    phone: 'reveal',
    care: false,
  },
  inspector: {
    read: PLACES,
    write: false,
    remove: false,
    export: false,
    idNumber: 'masked',
    phone: 'reveal',
    care: false,
  },
  departmentHandler: {
    read: PLACES,
    write: false,
    remove: false,
    export: false,
    idNumber: 'masked',
    phone: 'reveal',
    care: false,
  },
};

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

/** The personal data fields of an entity type. */
export function sensitiveFieldsOf(entity: RegistryEntity): readonly SensitiveField[] {
  return (SENSITIVE_FIELDS as Partial<Record<RegistryEntity, readonly SensitiveField[]>>)[entity] ?? [];
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
