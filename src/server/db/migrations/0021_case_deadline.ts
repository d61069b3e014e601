import { type Kysely, sql } from 'kysely';

/**
 * A rectification deadline (整改期限) fixed when the case is reported, e.g. by an inspection: the due time of
 * its handling step instead of the category's limit. Null for every other case.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table cases add column handling_deadline timestamptz`.execute(db);
}
