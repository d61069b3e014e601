import { type Kysely, sql } from 'kysely';

/**
 * A client's update_id names an update of one request: clients that number updates per request (1, 2, … on
 * each) reuse an id on another request, and that is a new update, not a repeat of the first. Idempotency is
 * kept per key, request and update_id.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table open311_client_updates
    drop constraint open311_client_updates_key_id_client_update_id_key`.execute(db);
  await sql`alter table open311_client_updates
    add constraint open311_client_updates_key_case_update unique (key_id, case_id, client_update_id)`.execute(
    db,
  );
}
