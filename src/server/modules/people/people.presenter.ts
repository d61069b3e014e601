import type { Department, User } from '../../../shared/people.ts';
import type { DepartmentWithNames } from './department.repository.ts';
import type { UserWithNames } from './user.repository.ts';

export function presentUser(row: UserWithNames, now: Date): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    phone: row.phone,
    role: row.role,
    regionCode: row.region_code,
    regionName: row.region_name,
    departmentId: row.department_id,
    departmentName: row.department_name,
    active: row.active,
    canLogin: row.password_hash !== null,
    lockedUntil: row.locked_until && row.locked_until > now ? row.locked_until.toISOString() : null,
    version: row.version,
  };
}

export function presentDepartment(row: DepartmentWithNames): Department {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    regionCode: row.region_code,
    regionName: row.region_name,
    userCount: row.user_count,
    version: row.version,
  };
}
