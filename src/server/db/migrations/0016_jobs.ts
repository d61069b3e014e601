import { type Kysely, sql } from 'kysely';

/**
 * Background jobs (the overdue sweep, deliveries, pruning, statistics, backups) as rows: when each last started
 * and finished, and how. Several gridgov processes on one database read the same rows, so each job runs once
 * per interval whichever process gets to it first.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('last_started_at', 'timestamptz')
    .addColumn('last_finished_at', 'timestamptz')
    .addColumn('last_status', 'text', (c) => c.check(sql`last_status in ('ok', 'failed')`))
    .addColumn('last_error', 'text')
    .addColumn('last_ms', 'integer')
    .addColumn('runs', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
