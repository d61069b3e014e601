import { type Kysely, sql } from 'kysely';

/**
 * The offline client key (a field report's idempotency key) is unique among the cases that have one, and most
 * cases have none (desk, hotline, imports, inspections). A plain unique index holds an entry for every null
 * too, which each new row version writes: the overdue sweep flags a case by writing a new version, so every
 * index entry a row carries is a cost of the sweep (and of intake). The partial index keeps only real keys.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table cases drop constraint cases_client_key_key`.execute(db);
  await sql`create unique index cases_client_key on cases (client_key) where client_key is not null`.execute(
    db,
  );
}
