import { sql } from 'kysely';
import type { Role } from '../../../shared/roles.ts';
import type { Db } from '../../db/database.ts';
import { likeContaining } from '../../db/like.ts';
import { regionCondition, type Scope } from './scope.ts';
import type { NewUserRow, SessionRow, UserRow } from './user.table.ts';

/** A user row with the names the UI shows beside the codes. */
export type UserWithNames = UserRow & { region_name: string; department_name: string | null };

function usersWithNames(db: Db) {
  return db
    .selectFrom('users')
    .innerJoin('regions', 'regions.code', 'users.region_code')
    .leftJoin('departments', 'departments.id', 'users.department_id')
    .selectAll('users')
    .select(['regions.name as region_name', 'departments.name as department_name']);
}

export async function findUserById(db: Db, id: number): Promise<UserWithNames | undefined> {
  return usersWithNames(db).where('users.id', '=', id).executeTakeFirst();
}

/** Display names and regions of users by id (the ones that exist). */
export async function findUserNames(
  db: Db,
  ids: readonly number[],
): Promise<{ id: number; name: string; region_code: string }[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('users')
    .select(['id', 'display_name as name', 'region_code'])
    .where('id', 'in', [...ids])
    .execute();
}

export async function findUserByUsername(db: Db, username: string): Promise<UserWithNames | undefined> {
  return usersWithNames(db)
    .where(sql<string>`lower(users.username)`, '=', username.toLowerCase())
    .executeTakeFirst();
}

export interface UserListFilter {
  /** The users placed in these regions. */
  scope: Scope;
  q?: string | undefined;
  role?: Role | undefined;
  ids?: number[] | undefined;
  limit: number;
  offset: number;
}

export async function listUsers(
  db: Db,
  filter: UserListFilter,
): Promise<{ rows: UserWithNames[]; total: number }> {
  let query = usersWithNames(db).where((eb) => regionCondition(eb, 'users.region_code', filter.scope));
  if (filter.q) {
    const pattern = likeContaining(filter.q);
    query = query.where((eb) =>
      eb.or([eb('users.username', 'ilike', pattern), eb('users.display_name', 'ilike', pattern)]),
    );
  }
  if (filter.role) query = query.where('users.role', '=', filter.role);
  if (filter.ids) query = query.where('users.id', 'in', filter.ids.length ? filter.ids : [-1]);
  const [rows, count] = await Promise.all([
    query.orderBy('users.id').limit(filter.limit).offset(filter.offset).execute(),
    query
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: count.n };
}

export async function insertUser(db: Db, row: NewUserRow): Promise<number> {
  const { id } = await db.insertInto('users').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export type UserChanges = Partial<
  Pick<
    UserRow,
    | 'display_name'
    | 'phone'
    | 'role'
    | 'region_code'
    | 'department_id'
    | 'active'
    | 'password_hash'
    | 'failed_logins'
    | 'locked_until'
    | 'locale'
  >
>;

/** Updates when the version matches; returns false when someone else changed the row first. */
export async function updateUserAtVersion(
  db: Db,
  id: number,
  version: number,
  changes: UserChanges,
): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ ...changes, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Login bookkeeping does not bump the version: it must not make an admin's open edit form stale. */
export async function setLoginState(
  db: Db,
  id: number,
  state: { failed_logins: number; locked_until: Date | null },
): Promise<void> {
  await db.updateTable('users').set(state).where('id', '=', id).execute();
}

export async function insertSession(
  db: Db,
  session: Omit<SessionRow, 'created_at' | 'last_seen_at'>,
): Promise<void> {
  await db.insertInto('sessions').values(session).execute();
}

/**
 * A session with its user, in one query: every request asks this, so one round trip rather than two.
 */
export async function findSessionWithUser(
  db: Db,
  id: string,
): Promise<
  { session: Pick<SessionRow, 'csrf_token' | 'expires_at' | 'last_seen_at'>; user: UserWithNames } | undefined
> {
  const row = await usersWithNames(db)
    .innerJoin('sessions', 'sessions.user_id', 'users.id')
    .select([
      'sessions.csrf_token as session_csrf_token',
      'sessions.expires_at as session_expires_at',
      'sessions.last_seen_at as session_last_seen_at',
    ])
    .where('sessions.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const { session_csrf_token, session_expires_at, session_last_seen_at, ...user } = row;
  return {
    user,
    session: {
      csrf_token: session_csrf_token,
      expires_at: session_expires_at,
      last_seen_at: session_last_seen_at,
    },
  };
}

export async function touchSession(db: Db, id: string, at: Date): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteSessionsOfUser(db: Db, userId: number): Promise<number> {
  const result = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
