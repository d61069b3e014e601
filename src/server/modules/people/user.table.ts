import type { Generated, Insertable, Selectable } from 'kysely';
import type { Locale } from '../../../shared/errors.ts';
import type { Role } from '../../../shared/roles.ts';

export interface UserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  phone: string | null;
  /** Null for people recorded as responsible persons who have no login. */
  password_hash: string | null;
  role: Role;
  region_code: string;
  department_id: number | null;
  active: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  locale: Locale | null;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type UserRow = Selectable<UserTable>;
export type NewUserRow = Insertable<UserTable>;

export interface SessionTable {
  /** SHA-256 of the cookie token: a leaked table does not hand out live sessions. */
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: Generated<Date>;
  expires_at: Date;
  last_seen_at: Generated<Date>;
  ip: string | null;
  user_agent: string | null;
}
export type SessionRow = Selectable<SessionTable>;

export interface DepartmentTable {
  id: Generated<number>;
  code: string;
  name: string;
  region_code: string;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type DepartmentRow = Selectable<DepartmentTable>;

/** One failed login: from which address, for which name (lower-cased, whether or not it exists). */
export interface LoginFailureTable {
  id: Generated<string>;
  at: Date;
  ip: string;
  username: string;
  /** Past a successful login, an unlock or a new password: counts for the address only. */
  cleared: Generated<boolean>;
}
