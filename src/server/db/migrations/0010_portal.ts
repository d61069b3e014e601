import { type Kysely, sql } from 'kysely';

/**
 * The public resident portal. Moderation: a case's description or one of its photos hidden from the public
 * (portal and Open311), with the reason and who hid it. Portal reports are cases with source `resident`; the
 * key that lets their reporter rate them is derived from a secret kept in `settings`, so nothing else is stored.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // target: 'description', or the evidence id (SHA-256) of a photo of the case.
  await sql`
    create table case_moderation (
      case_id bigint not null references cases (id) on delete cascade,
      target text not null check (target = 'description' or target ~ '^[0-9a-f]{64}$'),
      reason text not null,
      hidden_by integer references users (id) on delete set null,
      hidden_by_name text not null,
      hidden_at timestamptz not null,
      primary key (case_id, target)
    )`.execute(db);
}
