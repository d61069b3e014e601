import { type Kysely, sql } from 'kysely';

/**
 * One table of yearly running numbers for every filed document: the inspections' counter rows (检查意见书
 * JC-2026-000123, migration 0020) become `number_counters`, and mediations take theirs from it too — 调字 for a
 * mediation's register number, 调协字 for its agreement. They were a count of the year's numbers plus one, which
 * two mediations opened at the same instant on the PostgreSQL server both read, so the second failed on the
 * unique number. The counter row is locked by its upsert until the transaction ends, so concurrent opens take
 * consecutive numbers. The counters start from the highest mediation numbers already issued.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table inspection_number_counters rename to number_counters`.execute(db);
  await sql`alter table number_counters rename constraint inspection_number_counters_pkey to number_counters_pkey`.execute(
    db,
  );
  for (const [table, series] of [
    ['mediations', '调字'],
    ['mediation_agreements', '调协字'],
  ] as const) {
    await sql`
      insert into number_counters (kind, year, last)
      select ${series}, substr(number, 2, 4)::int, max(substring(number from '第([0-9]+)号')::int)
      from ${sql.table(table)}
      where number like ${`(____)${series}第%号`}
      group by 1, 2`.execute(db);
  }
}
