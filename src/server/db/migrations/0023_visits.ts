import { type Kysely, sql } from 'kysely';

/**
 * Running numbers of inspection documents per kind and year (检查意见书 JC-2026-000123). A counter row rather
 * than a sequence: numbers restart every year, and a number taken by a transaction that rolls back is given
 * again, so an office's filed notices have no gaps. The row lock serialises concurrent visits of one year.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table inspection_number_counters (
      kind text not null,
      year integer not null,
      last integer not null,
      primary key (kind, year)
    )`.execute(db);
}
