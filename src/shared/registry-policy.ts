import {
  REGISTRY_ENTITIES,
  type RegistryEntity,
  SENSITIVE_FIELDS,
  type SensitiveField,
} from './registry-vocabulary.ts';
import type { Role } from './roles.ts';

/*
 * Who may do what with the registry, as a table the server enforces (src/server/modules/registry/registry.policy.ts)
 * and the console reads to offer only what a role may do.
 */

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
  // Volunteer service accounts work on their unit's volunteers, never the registry.
  unitContact: {
    read: [],
    write: false,
    remove: false,
    export: false,
    idNumber: 'masked',
    phone: 'masked',
    care: false,
  },
  volunteer: {
    read: [],
    write: false,
    remove: false,
    export: false,
    idNumber: 'masked',
    phone: 'masked',
    care: false,
  },
  // Party members report what they find in their post; they keep no records of the registry.
  partyMember: {
    read: [],
    write: false,
    remove: false,
    export: false,
    idNumber: 'masked',
    phone: 'masked',
    care: false,
  },
  // Mediators take the parties' data from the parties themselves (recorded on the mediation, revealed there).
  mediator: {
    read: PLACES,
    write: false,
    remove: false,
    export: false,
    idNumber: 'masked',
    phone: 'masked',
    care: false,
  },
};

/** The personal data fields of an entity type. */
export function sensitiveFieldsOf(entity: RegistryEntity): readonly SensitiveField[] {
  return (SENSITIVE_FIELDS as Partial<Record<RegistryEntity, readonly SensitiveField[]>>)[entity] ?? [];
}
