import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

// Throttling looks back minutes, not days: older failures are only clutter.
const KEEP_MS = 24 * 3_600_000;

/** Records one failed login, and drops failures too old to matter to any window. */
export async function recordLoginFailure(
  db: Db,
  failure: { at: Date; ip: string; username: string },
): Promise<void> {
  await db.insertInto('login_failures').values(failure).execute();
  await db
    .deleteFrom('login_failures')
    .where('at', '<', new Date(failure.at.getTime() - KEEP_MS))
    .execute();
}

/** Failures from one address since `since`, and when the oldest of them happened. */
export async function countFailuresFromAddress(
  db: Db,
  ip: string,
  since: Date,
): Promise<{ count: number; oldest: Date | null }> {
  const row = await db
    .selectFrom('login_failures')
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('at').as('oldest')])
    .where('ip', '=', ip)
    .where('at', '>=', since)
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), oldest: row.oldest ? new Date(row.oldest) : null };
}

/**
 * Failures against one username since `since` and since its last successful login (or unlock, or new
 * password), and from how many addresses they came.
 */
export async function countFailuresAgainstAccount(
  db: Db,
  username: string,
  since: Date,
): Promise<{ count: number; addresses: number }> {
  const row = await db
    .selectFrom('login_failures')
    .select((eb) => [
      eb.fn.countAll<number>().as('count'),
      sql<number>`count(distinct ${sql.ref('ip')})`.as('addresses'),
    ])
    .where('username', '=', username)
    .where('cleared', '=', false)
    .where('at', '>=', since)
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), addresses: Number(row.addresses) };
}

/**
 * Stops counting the failures so far against an account: after a successful login, an unlock or a new
 * password. They still count against the addresses they came from, so a guesser's count does not reset when
 * the person they target logs in.
 */
export async function clearFailuresAgainstAccount(db: Db, username: string): Promise<void> {
  await db
    .updateTable('login_failures')
    .set({ cleared: true })
    .where('username', '=', username)
    .where('cleared', '=', false)
    .execute();
}
