import { type Kysely, sql } from 'kysely';

/**
 * The number of a campaign's report (专项检查情况报告, BG-2026-0007), taken from the document counters when the
 * report is first printed and kept, so every later print carries the number the office filed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table inspection_campaigns add column report_number text unique`.execute(db);
}
