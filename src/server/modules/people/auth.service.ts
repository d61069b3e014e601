import { createHash, randomBytes } from 'node:crypto';
import { DEFAULT_LOCALE, type Locale } from '../../../shared/errors.ts';
import type { Clock } from '../../clock.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { AppError, ENTITY, notFound } from '../../errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Actor, VolunteerTask } from './actor.ts';
import * as failures from './login-failure.repository.ts';
import {
  accountShouldLock,
  addressRefusedUntil,
  loginThrottleOf,
  throttleAddress,
} from './login-throttle.ts';
import { decoyPasswordHash, verifyPassword } from './password.ts';
import type { SessionCache } from './session-cache.ts';
import * as users from './user.repository.ts';

export interface AuthServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  config: Pick<Config, 'sessionHours' | 'maxFailedLogins' | 'lockMinutes'>;
  sessions: SessionCache;
  /**
   * The request a volunteer is signed in to now (the volunteers module decides, reached through a function so
   * people does not depend on it): a volunteer's scope is that request's community, and nothing without one.
   */
  volunteerTaskOf?: (userId: number) => Promise<VolunteerTask | null>;
}

export interface LoginOptions {
  username: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
  locale: Locale;
}

export interface AuthenticatedSession {
  sessionId: string;
  csrfToken: string;
  actor: Actor;
}

// A session's last-seen time is refreshed at most this often, so reads do not each cost a write.
const TOUCH_INTERVAL_MS = 60_000;

export type AuthService = ReturnType<typeof createAuthService>;

export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function actorOf(row: users.UserWithNames, locale: Locale): Actor {
  return {
    id: row.id,
    username: row.username,
    name: row.display_name,
    role: row.role,
    scopeCode: row.region_code,
    scopeName: row.region_name,
    departmentId: row.department_id,
    locale,
  };
}

export function createAuthService(deps: AuthServiceDeps) {
  const { db, clock, audit, config, sessions } = deps;

  const throttle = loginThrottleOf(config);

  /** The actor of a user row, with a volunteer's open task: checked on each request, so a sign-out ends it. */
  async function actorWithTask(row: users.UserWithNames, locale: Locale): Promise<Actor> {
    const actor = actorOf(row, locale);
    if (actor.role !== 'volunteer' || !deps.volunteerTaskOf) return actor;
    const task = await deps.volunteerTaskOf(actor.id);
    return task
      ? { ...actor, scopeCode: task.regionCode, scopeName: task.regionName, volunteerTask: task }
      : actor;
  }

  /**
   * Checks a password and opens a session, under the throttling rules of login-throttle.ts: an address with
   * too many recent failures is refused before any password is checked; an account locks only after failures
   * from several addresses. An unknown username, a wrong password and a locked account get the same answer
   * after the same work (one password verification), so the answer tells nothing about the account.
   */
  async function login(options: LoginOptions): Promise<{ token: string; session: AuthenticatedSession }> {
    const now = clock.now();
    const ip = throttleAddress(options.ip);
    const username = options.username.toLowerCase();
    const windowStart = new Date(now.getTime() - throttle.windowMs);
    const refusedUntil = addressRefusedUntil(
      throttle,
      await failures.countFailuresFromAddress(db, ip, windowStart),
    );
    if (refusedUntil) {
      const minutes = Math.max(1, Math.ceil((refusedUntil.getTime() - now.getTime()) / 60_000));
      throw new AppError('LOGIN_THROTTLED', { minutes });
    }

    const user = await users.findUserByUsername(db, options.username);
    const passwordMatches = await verifyPassword(
      user?.password_hash ?? (await decoyPasswordHash()),
      options.password,
    );
    const locked = Boolean(user?.locked_until && user.locked_until > now);
    if (!user?.password_hash || !passwordMatches || locked) {
      await db.transaction().execute(async (trx) => {
        await failures.recordLoginFailure(trx, { at: now, ip, username });
        if (!user) return;
        // Failures during or before an earlier lock do not count again once it has ended.
        const since = user.locked_until && user.locked_until > windowStart ? user.locked_until : windowStart;
        const against = await failures.countFailuresAgainstAccount(trx, username, since);
        const lock = !locked && accountShouldLock(throttle, against);
        if (lock) {
          await users.setLoginState(trx, user.id, {
            failed_logins: 0,
            locked_until: new Date(now.getTime() + throttle.lockMs),
          });
        } else if (!locked) {
          await users.setLoginState(trx, user.id, {
            failed_logins: against.count,
            locked_until: user.locked_until,
          });
        }
        await audit.record(trx, {
          actor: { id: user.id, name: user.username },
          action: lock ? 'user.locked' : 'login.failed',
          entityType: 'user',
          entityId: user.id,
          details: { attempts: against.count, addresses: against.addresses, ip: options.ip, locked },
        });
      });
      throw new AppError('LOGIN_FAILED', { lockMinutes: config.lockMinutes });
    }
    if (!user.active) throw new AppError('ACCOUNT_DISABLED');

    const token = randomBytes(32).toString('base64url');
    const sessionId = sessionIdOf(token);
    const csrfToken = randomBytes(24).toString('base64url');
    const locale = user.locale ?? options.locale ?? DEFAULT_LOCALE;
    await db.transaction().execute(async (trx) => {
      await users.setLoginState(trx, user.id, { failed_logins: 0, locked_until: null });
      await failures.clearFailuresAgainstAccount(trx, username);
      await users.insertSession(trx, {
        id: sessionId,
        user_id: user.id,
        csrf_token: csrfToken,
        expires_at: new Date(now.getTime() + config.sessionHours * 3_600_000),
        ip: options.ip,
        user_agent: options.userAgent?.slice(0, 300) ?? null,
      });
      await audit.record(trx, {
        actor: { id: user.id, name: user.username },
        action: 'login',
        entityType: 'user',
        entityId: user.id,
        details: { ip: options.ip },
      });
    });
    return { token, session: { sessionId, csrfToken, actor: await actorWithTask(user, locale) } };
  }

  /** The session of a cookie token, or null when it is unknown, expired, or its user is disabled. */
  async function authenticate(token: string, locale: Locale): Promise<AuthenticatedSession | null> {
    const sessionId = sessionIdOf(token);
    let found = sessions.get(sessionId);
    if (!found) {
      found = await users.findSessionWithUser(db, sessionId);
      if (found) sessions.set(sessionId, found);
    }
    const now = clock.now();
    if (!found || found.session.expires_at <= now || !found.user.active) return null;
    const { session, user } = found;
    if (now.getTime() - session.last_seen_at.getTime() > TOUCH_INTERVAL_MS) {
      await users.touchSession(db, sessionId, now);
      session.last_seen_at = now;
    }
    return { sessionId, csrfToken: session.csrf_token, actor: await actorWithTask(user, locale) };
  }

  async function logout(session: AuthenticatedSession): Promise<void> {
    await users.deleteSession(db, session.sessionId);
    sessions.forgetSession(session.sessionId);
  }

  /** Ends every session of the user, on every device. */
  async function logoutEverywhere(actor: Actor): Promise<number> {
    const ended = await db.transaction().execute(async (trx) => {
      const count = await users.deleteSessionsOfUser(trx, actor.id);
      await audit.record(trx, {
        actor,
        action: 'logout.everywhere',
        entityType: 'user',
        entityId: actor.id,
        details: { sessions: count },
      });
      return count;
    });
    sessions.forgetUser(actor.id);
    return ended;
  }

  /**
   * The actor of a user by username, for command-line work done in a person's name (`--as`): the same role
   * and data scope they have when signed in, and refused when the account is disabled.
   */
  async function actorByUsername(username: string, locale: Locale): Promise<Actor> {
    const user = await users.findUserByUsername(db, username);
    if (!user) throw notFound(ENTITY.user, username);
    if (!user.active) throw new AppError('ACCOUNT_DISABLED');
    return actorWithTask(user, locale);
  }

  return { login, authenticate, logout, logoutEverywhere, actorByUsername };
}
