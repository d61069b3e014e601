import type { findSessionWithUser } from './user.repository.ts';

type FoundSession = NonNullable<Awaited<ReturnType<typeof findSessionWithUser>>>;

// Long enough that a phone's burst of reports reads its session once, short enough that a change made by
// another server process (a logout, a user disabled there) takes effect here almost at once.
const TTL_MS = 2_000;
// A district has tens of thousands of users; past this many live entries the cache starts over.
const MAX_ENTRIES = 50_000;

/**
 * The sessions this process read in the last two seconds. Every API request reads its session, and at intake
 * rates that read is half the database work of a report. A session ended, or a user changed, through this
 * process is dropped at once; anything else is read again within TTL_MS.
 */
export function createSessionCache() {
  const entries = new Map<string, { found: FoundSession; readAt: number }>();

  return {
    get(sessionId: string): FoundSession | undefined {
      const entry = entries.get(sessionId);
      if (!entry) return undefined;
      if (performance.now() - entry.readAt <= TTL_MS) return entry.found;
      entries.delete(sessionId);
      return undefined;
    },
    set(sessionId: string, found: FoundSession): void {
      if (entries.size >= MAX_ENTRIES) entries.clear();
      entries.set(sessionId, { found, readAt: performance.now() });
    },
    forgetSession(sessionId: string): void {
      entries.delete(sessionId);
    },
    /** After a user's rights, password or sessions change. */
    forgetUser(userId: number): void {
      for (const [sessionId, entry] of entries) if (entry.found.user.id === userId) entries.delete(sessionId);
    },
  };
}

export type SessionCache = ReturnType<typeof createSessionCache>;
