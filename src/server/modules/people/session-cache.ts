import { createTtlCache } from '../../ttl-cache.ts';
import type { findSessionWithUser } from './user.repository.ts';

type FoundSession = NonNullable<Awaited<ReturnType<typeof findSessionWithUser>>>;

/**
 * The sessions this process read in the last two seconds. Every API request reads its session, and at intake
 * rates that read is half the database work of a report. Two seconds: long enough that a phone's burst of
 * reports reads its session once, short enough that a logout or a user disabled through another server
 * process takes effect here almost at once. Changes made through this process drop their entries at once.
 */
export function createSessionCache() {
  const cache = createTtlCache<string, FoundSession>(2_000, 50_000);
  return {
    get: cache.get,
    set: cache.set,
    forgetSession: cache.delete,
    /** After a user's rights, password or sessions change. */
    forgetUser(userId: number): void {
      cache.deleteWhere((found) => found.user.id === userId);
    },
  };
}

export type SessionCache = ReturnType<typeof createSessionCache>;
