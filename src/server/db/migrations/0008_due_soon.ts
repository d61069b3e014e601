import { type Kysely, sql } from 'kysely';

/**
 * The yellow light as an event: when an open step reaches its warning point (a share of its working-time
 * limit) the sweep tells whoever holds it, once per step.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table cases add column step_warn_at timestamptz`.execute(db);
  await sql`alter table cases add column warned boolean not null default false`.execute(db);
  await sql`
    create index cases_open_warn on cases (step_warn_at)
    where closed_at is null and not warned and suspended_at is null`.execute(db);
}
