import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import { countHit } from './rate-limit.repository.ts';

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

interface RouteParams {
  groupId?: string;
  routeInfo?: { method?: string | string[]; url?: string };
}

/**
 * A store for @fastify/rate-limit that keeps its counters in the database, so that several gridgov processes
 * behind one proxy enforce one limit rather than one each. Used on the PostgreSQL server; the embedded database
 * admits a single process, whose in-memory store is enough (and cheaper).
 */
export function databaseRateLimitStore(db: Db, clock: Clock) {
  class DatabaseRateLimitStore {
    constructor(
      _params: unknown,
      private readonly prefix = '',
    ) {}

    incr(key: string, callback: Callback, timeWindow: number): void {
      const now = clock.now();
      countHit(db, { key: `${this.prefix}${key}`, now, windowMs: timeWindow })
        .then(({ hits, windowStartedAt }) =>
          callback(null, {
            current: hits,
            ttl: Math.max(0, timeWindow - (now.getTime() - windowStartedAt.getTime())),
          }),
        )
        .catch((error: Error) => callback(error));
    }

    /** Each limited route counts apart, as the in-memory store does. */
    child(routeOptions: object): DatabaseRateLimitStore {
      const params = routeOptions as RouteParams;
      const route =
        params.groupId ?? `${String(params.routeInfo?.method ?? '')} ${params.routeInfo?.url ?? ''}`;
      return new DatabaseRateLimitStore(params, `${route}|`);
    }
  }
  return DatabaseRateLimitStore;
}
