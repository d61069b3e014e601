import { type Kysely, sql } from 'kysely';

/**
 * An inbox item asking for a step that has since moved on (a new task accepted, a case verified) is done by
 * itself: it is marked read, so the bell stops counting it, and done, so the inbox can say why.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table notifications add column done_at timestamptz`.execute(db);
}
