import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { JobTable } from './job.table.ts';

/** The jobs' rows, created for the names given (a new job gets its row at the first start that knows it). */
export async function ensureJobs(db: Db, names: readonly string[]): Promise<void> {
  if (!names.length) return;
  await db
    .insertInto('jobs')
    .values(names.map((name) => ({ name })))
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

/**
 * Claims the job's next run: true when it last started at least `intervalMs` before `now` (or never), in which
 * case its start is moved to `now` in the same statement, so of several processes ticking together one wins.
 */
export async function claimRun(
  db: Db,
  options: { name: string; now: Date; intervalMs: number },
): Promise<boolean> {
  const due = new Date(options.now.getTime() - options.intervalMs);
  const claimed = await db
    .updateTable('jobs')
    .set({ last_started_at: options.now })
    .where('name', '=', options.name)
    .where((eb) => eb.or([eb('last_started_at', 'is', null), eb('last_started_at', '<=', due)]))
    .returning('name')
    .executeTakeFirst();
  return claimed !== undefined;
}

export async function recordRun(
  db: Db,
  options: { name: string; finishedAt: Date; ms: number; error: string | null },
): Promise<void> {
  await db
    .updateTable('jobs')
    .set((eb) => ({
      last_finished_at: options.finishedAt,
      last_status: options.error === null ? 'ok' : 'failed',
      last_error: options.error,
      last_ms: options.ms,
      runs: eb('runs', '+', 1),
      failures: options.error === null ? eb.ref('failures') : eb('failures', '+', 1),
    }))
    .where('name', '=', options.name)
    .execute();
}

export async function listJobs(db: Db): Promise<Selectable<JobTable>[]> {
  return db.selectFrom('jobs').selectAll().orderBy('name').execute();
}

/**
 * Runs `work` while holding a PostgreSQL session advisory lock named after the job, on a connection of its own;
 * answers null without running it when another process holds the lock. The server releases the lock if this
 * process dies, so a crash never leaves a job locked.
 */
export async function withAdvisoryLock<T>(db: Db, name: string, work: () => Promise<T>): Promise<T | null> {
  return db.connection().execute(async (connection) => {
    const key = sql`hashtext(${`gridgov.job.${name}`})`;
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${key}) as locked`.execute(
      connection,
    );
    if (!rows[0]?.locked) return null;
    try {
      return await work();
    } finally {
      await sql`select pg_advisory_unlock(${key})`.execute(connection);
    }
  });
}
