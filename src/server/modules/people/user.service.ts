import type { z } from 'zod';
import { labelWithCode } from '../../../shared/errors.ts';
import type {
  createDepartmentSchema,
  createUserSchema,
  Department,
  User,
  updateDepartmentSchema,
  updateUserSchema,
} from '../../../shared/people.ts';
import type { Role } from '../../../shared/roles.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { AppError, conflict, ENTITY, notFound } from '../../errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import { assertInScope, assertRole } from './access.policy.ts';
import type { Actor } from './actor.ts';
import * as departments from './department.repository.ts';
import * as failures from './login-failure.repository.ts';
import { hashPassword } from './password.ts';
import { assertStrongPassword } from './password-policy.ts';
import { presentDepartment, presentUser } from './people.presenter.ts';
import { regionScope } from './scope.ts';
import type { SessionCache } from './session-cache.ts';
import * as users from './user.repository.ts';

const MANAGE_USERS = { zh: '管理用户和部门', en: 'manage users and departments' };

export type CreateUserInput = z.infer<typeof createUserSchema>;
export type UpdateUserInput = z.infer<typeof updateUserSchema>;
export type CreateDepartmentInput = z.infer<typeof createDepartmentSchema>;
export type UpdateDepartmentInput = z.infer<typeof updateDepartmentSchema>;

export interface PeopleServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  territory: Pick<TerritoryService, 'getRegionSummary'>;
  sessions: SessionCache;
}

export type PeopleService = ReturnType<typeof createPeopleService>;

export function createPeopleService(deps: PeopleServiceDeps) {
  const { db, clock, audit, territory, sessions } = deps;

  async function getManagedUser(actor: Actor, id: number) {
    assertRole(actor, ['administrator'], MANAGE_USERS);
    const row = await users.findUserById(db, id);
    if (!row) throw notFound(ENTITY.user, id);
    assertInScope(actor, row.region_code, labelWithCode(row.display_name, row.username));
    return row;
  }

  /** A user may be placed only inside the administrator's own scope: no one grants more than they have. */
  async function checkPlacement(actor: Actor, regionCode: string, departmentId: number | null | undefined) {
    const region = await territory.getRegionSummary(regionCode);
    assertInScope(actor, region.code, labelWithCode(region.name, region.code));
    if (departmentId != null) {
      const department = await departments.findDepartmentById(db, departmentId);
      if (!department) throw notFound(ENTITY.department, departmentId);
      assertInScope(actor, department.region_code, department.name);
    }
  }

  async function listUsers(
    actor: Actor,
    options: { q?: string | undefined; role?: Role | undefined; page: number; pageSize: number },
  ) {
    assertRole(actor, ['administrator'], MANAGE_USERS);
    const { rows, total } = await users.listUsers(db, {
      scope: regionScope(actor),
      q: options.q,
      role: options.role,
      limit: options.pageSize,
      offset: (options.page - 1) * options.pageSize,
    });
    const now = clock.now();
    return {
      items: rows.map((r) => presentUser(r, now)),
      total,
      page: options.page,
      pageSize: options.pageSize,
    };
  }

  async function getUser(actor: Actor, id: number): Promise<User> {
    return presentUser(await getManagedUser(actor, id), clock.now());
  }

  /** The actor's own account, which every role may read. */
  async function getSelf(actor: Actor): Promise<User> {
    const row = await users.findUserById(db, actor.id);
    if (!row) throw notFound(ENTITY.user, actor.id);
    return presentUser(row, clock.now());
  }

  async function createUser(actor: Actor, input: CreateUserInput): Promise<User> {
    assertRole(actor, ['administrator'], MANAGE_USERS);
    await checkPlacement(actor, input.regionCode, input.departmentId);
    if (await users.findUserByUsername(db, input.username)) {
      throw new AppError('ALREADY_EXISTS', { entity: ENTITY.user, id: input.username });
    }
    if (input.password) assertStrongPassword(input.password, input.username, actor.locale);
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    const id = await db.transaction().execute(async (trx) => {
      const newId = await users.insertUser(trx, {
        username: input.username,
        display_name: input.displayName,
        phone: input.phone ?? null,
        password_hash: passwordHash,
        role: input.role,
        region_code: input.regionCode,
        department_id: input.departmentId ?? null,
        locked_until: null,
        locale: null,
      });
      await audit.record(trx, {
        actor,
        action: 'user.create',
        entityType: 'user',
        entityId: newId,
        details: {
          username: input.username,
          role: input.role,
          regionCode: input.regionCode,
          departmentId: input.departmentId ?? null,
        },
      });
      return newId;
    });
    return getUser(actor, id);
  }

  /** Changes a user; role, scope, department and activation changes are permission changes and audited as such. */
  async function updateUser(actor: Actor, id: number, input: UpdateUserInput): Promise<User> {
    const row = await getManagedUser(actor, id);
    if (input.regionCode !== undefined || input.departmentId !== undefined) {
      await checkPlacement(actor, input.regionCode ?? row.region_code, input.departmentId);
    }
    const changes: users.UserChanges = {};
    if (input.displayName !== undefined) changes.display_name = input.displayName;
    if (input.phone !== undefined) changes.phone = input.phone;
    if (input.role !== undefined) changes.role = input.role;
    if (input.regionCode !== undefined) changes.region_code = input.regionCode;
    if (input.departmentId !== undefined) changes.department_id = input.departmentId;
    if (input.active !== undefined) changes.active = input.active;
    const permissionChanges = Object.fromEntries(
      (['role', 'region_code', 'department_id', 'active'] as const)
        .filter((k) => changes[k] !== undefined && changes[k] !== row[k])
        .map((k) => [k, { from: row[k], to: changes[k] }]),
    );
    await db.transaction().execute(async (trx) => {
      if (!(await users.updateUserAtVersion(trx, id, input.version, changes)))
        throw conflict(ENTITY.user, row.version);
      // A user whose rights shrink must not keep acting on open sessions with the old ones.
      if (Object.keys(permissionChanges).length) await users.deleteSessionsOfUser(trx, id);
      await audit.record(trx, {
        actor,
        action: Object.keys(permissionChanges).length ? 'user.permissions.change' : 'user.update',
        entityType: 'user',
        entityId: id,
        details: { changes: permissionChanges },
      });
    });
    sessions.forgetUser(id);
    return getUser(actor, id);
  }

  async function resetPassword(actor: Actor, id: number, password: string): Promise<void> {
    const row = await getManagedUser(actor, id);
    assertStrongPassword(password, row.username, actor.locale);
    const passwordHash = await hashPassword(password);
    await db.transaction().execute(async (trx) => {
      if (
        !(await users.updateUserAtVersion(trx, id, row.version, {
          password_hash: passwordHash,
          failed_logins: 0,
          locked_until: null,
        }))
      ) {
        throw conflict(ENTITY.user, row.version);
      }
      await users.deleteSessionsOfUser(trx, id);
      await failures.clearFailuresAgainstAccount(trx, row.username.toLowerCase());
      await audit.record(trx, { actor, action: 'user.password.reset', entityType: 'user', entityId: id });
    });
    sessions.forgetUser(id);
  }

  async function unlockUser(actor: Actor, id: number): Promise<User> {
    const row = await getManagedUser(actor, id);
    await db.transaction().execute(async (trx) => {
      await users.setLoginState(trx, id, { failed_logins: 0, locked_until: null });
      // Failures before the unlock must not lock the account again at the next typo.
      await failures.clearFailuresAgainstAccount(trx, row.username.toLowerCase());
      await audit.record(trx, {
        actor,
        action: 'user.unlock',
        entityType: 'user',
        entityId: id,
        details: { wasLockedUntil: row.locked_until?.toISOString() ?? null },
      });
    });
    return getUser(actor, id);
  }

  async function listDepartments(
    actor: Actor,
    options: { q?: string | undefined; page: number; pageSize: number },
  ) {
    const { rows, total } = await departments.listDepartments(db, {
      scope: regionScope(actor),
      q: options.q,
      limit: options.pageSize,
      offset: (options.page - 1) * options.pageSize,
    });
    return { items: rows.map(presentDepartment), total, page: options.page, pageSize: options.pageSize };
  }

  async function getDepartment(actor: Actor, id: number): Promise<Department> {
    const row = await departments.findDepartmentById(db, id);
    if (!row) throw notFound(ENTITY.department, id);
    assertInScope(actor, row.region_code, row.name);
    return presentDepartment(row);
  }

  /** Every department's id, code and name, for other modules that resolve or show department codes. */
  async function listDepartmentRefs() {
    return departments.listDepartmentRefs(db);
  }

  /** Users' display names and regions by id, for other modules that show who did something (a ranking of workers). */
  async function getUserNames(
    ids: readonly number[],
  ): Promise<Map<number, { name: string; regionCode: string }>> {
    const rows = await users.findUserNames(db, ids);
    return new Map(rows.map((r) => [r.id, { name: r.name, regionCode: r.region_code }]));
  }

  async function createDepartment(actor: Actor, input: CreateDepartmentInput): Promise<Department> {
    assertRole(actor, ['administrator'], MANAGE_USERS);
    await checkPlacement(actor, input.regionCode, null);
    if (await departments.findDepartmentByCode(db, input.code)) {
      throw new AppError('ALREADY_EXISTS', { entity: ENTITY.department, id: input.code });
    }
    const id = await db.transaction().execute(async (trx) => {
      const newId = await departments.insertDepartment(trx, {
        code: input.code,
        name: input.name,
        region_code: input.regionCode,
      });
      await audit.record(trx, {
        actor,
        action: 'department.create',
        entityType: 'department',
        entityId: newId,
        details: { ...input },
      });
      return newId;
    });
    return getDepartment(actor, id);
  }

  async function updateDepartment(
    actor: Actor,
    id: number,
    input: UpdateDepartmentInput,
  ): Promise<Department> {
    assertRole(actor, ['administrator'], MANAGE_USERS);
    const current = await getDepartment(actor, id);
    if (input.regionCode) await checkPlacement(actor, input.regionCode, null);
    if (
      input.code &&
      input.code !== current.code &&
      (await departments.findDepartmentByCode(db, input.code))
    ) {
      throw new AppError('ALREADY_EXISTS', { entity: ENTITY.department, id: input.code });
    }
    await db.transaction().execute(async (trx) => {
      const ok = await departments.updateDepartmentAtVersion(trx, id, input.version, {
        ...(input.code ? { code: input.code } : {}),
        ...(input.name ? { name: input.name } : {}),
        ...(input.regionCode ? { region_code: input.regionCode } : {}),
      });
      if (!ok) throw conflict(ENTITY.department, current.version);
      await audit.record(trx, {
        actor,
        action: 'department.update',
        entityType: 'department',
        entityId: id,
        details: { ...input },
      });
    });
    return getDepartment(actor, id);
  }

  return {
    listUsers,
    getUser,
    getSelf,
    createUser,
    updateUser,
    resetPassword,
    unlockUser,
    listDepartments,
    getDepartment,
    listDepartmentRefs,
    getUserNames,
    createDepartment,
    updateDepartment,
  };
}
