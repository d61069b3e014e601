import { type Kysely, sql } from 'kysely';

/**
 * The overdue sweep flags each newly overdue case, and every index holding the case's new row version gets
 * an entry: the indexes added since (a category's cases, the public ticket code) made the sweep a third
 * slower. An overdue step is never warned afterwards (its due time has passed), so the yellow-light index
 * leaves overdue rows out, and a flagged row no longer enters it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop index cases_open_warn`.execute(db);
  await sql`
    create index cases_open_warn on cases (step_warn_at)
    where closed_at is null and not warned and not overdue and suspended_at is null`.execute(db);
}
