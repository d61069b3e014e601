import { type Kysely, sql } from 'kysely';

/**
 * Settled deliveries (delivered, or given up) are deleted once older than the retention period
 * (GRIDGOV_WEBHOOK_KEEP_DAYS): this index finds them by age without reading the rest of the log, which at a
 * district's volume gains millions of rows a year.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index webhook_deliveries_settled on webhook_deliveries ((coalesce(delivered_at, created_at)))
    where status in ('delivered', 'dead')`.execute(db);
}
