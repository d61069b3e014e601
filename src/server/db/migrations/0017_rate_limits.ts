import type { Kysely } from 'kysely';

/**
 * Rate-limit counters shared by every gridgov process on one PostgreSQL database (a district behind a proxy):
 * one row per limited key (route and client), counting hits in the current window.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('window_started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rate_limits_window').on('rate_limits').column('window_started_at').execute();
}
