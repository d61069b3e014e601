/** How many state-changing requests one signed-in user may make. */
export interface WriteLimit {
  /** Sustained rate. */
  perMinute: number;
  /**
   * Writes allowed at once on top of the rate: a field worker's outbox replaying a day offline, or a load test
   * driving one account, arrive in a burst that a person clicking never reaches.
   */
  burst: number;
}

export const DEFAULT_WRITE_LIMIT: WriteLimit = { perMinute: 600, burst: 10_000 };

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per user, kept in this process: a stolen or runaway session cannot flood the database with
 * writes, while a person never notices the limit. Several processes each count on their own.
 */
export function createWriteLimiter(limit: WriteLimit = DEFAULT_WRITE_LIMIT, now: () => number = Date.now) {
  const buckets = new Map<number, Bucket>();
  const perMs = limit.perMinute / 60_000;
  return {
    /** Spends one write of `userId`; false when none is left. */
    take(userId: number): boolean {
      const t = now();
      const bucket = buckets.get(userId) ?? { tokens: limit.burst, at: t };
      bucket.tokens = Math.min(limit.burst, bucket.tokens + (t - bucket.at) * perMs);
      bucket.at = t;
      buckets.set(userId, bucket);
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
  };
}
