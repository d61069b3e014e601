import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/**
 * Counts a hit on `key` and answers the hits in its window and when the window started: a window older than
 * `windowMs` starts again at `now`. One statement, so hits from several processes add up exactly.
 */
export async function countHit(
  db: Db,
  options: { key: string; now: Date; windowMs: number },
): Promise<{ hits: number; windowStartedAt: Date }> {
  const expired = new Date(options.now.getTime() - options.windowMs);
  const { rows } = await sql<{ hits: number; window_started_at: Date }>`
    insert into rate_limits (key, window_started_at, hits) values (${options.key}, ${options.now}, 1)
    on conflict (key) do update set
      hits = case when rate_limits.window_started_at <= ${expired} then 1 else rate_limits.hits + 1 end,
      window_started_at = case when rate_limits.window_started_at <= ${expired} then ${options.now}
        else rate_limits.window_started_at end
    returning hits, window_started_at`.execute(db);
  const row = rows[0];
  if (!row) throw new Error('rate limit upsert returned no row');
  return { hits: row.hits, windowStartedAt: new Date(row.window_started_at) };
}

/** Deletes counters whose window ended before `before`; returns how many. */
export async function deleteExpiredCounters(db: Db, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('rate_limits')
    .where('window_started_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
