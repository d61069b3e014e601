import { REGISTRY_POLICY, type RegistryRolePolicy } from '../../../shared/registry-policy.ts';
import type { Role } from '../../../shared/roles.ts';

/* Who may do what in the registry: the policy table the server enforces (docs/API.md "Personal data"), read here. */

export function policyOf(role: Role | undefined): RegistryRolePolicy | null {
  return role ? REGISTRY_POLICY[role] : null;
}

/** Roles that create, change and import records. */
export const REGISTRY_WRITER_ROLES = (Object.keys(REGISTRY_POLICY) as Role[]).filter(
  (role) => REGISTRY_POLICY[role].write,
);
