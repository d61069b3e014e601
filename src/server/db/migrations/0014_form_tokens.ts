import { type Kysely, sql } from 'kysely';

/**
 * Portal form tokens used: a token sends one report. Kept in the database so every server process on it
 * refuses a second use; a row is only needed while its token could still pass the age check, so rows older
 * than that are deleted as reports come in (the index finds them).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table portal_form_tokens (
      signature text primary key,
      client_key text,
      used_at timestamptz not null
    )`.execute(db);
  await sql`create index portal_form_tokens_used_at on portal_form_tokens (used_at)`.execute(db);
}
