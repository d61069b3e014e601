import { type Kysely, sql } from 'kysely';

/**
 * Indicators read the cases closed in a period within a region: closed cases by closing time, with the region
 * code beside it so the scope's prefix is checked in the index instead of on every row of the period.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index cases_closed_in on cases (closed_at, region_code text_pattern_ops)
    where state = 'closed'`.execute(db);
}
