import { type Kysely, sql } from 'kysely';

/** The in-app inbox: one row per user and message. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table notifications (
      id bigint generated always as identity primary key,
      user_id integer not null references users (id) on delete cascade,
      kind text not null,
      case_id bigint references cases (id) on delete cascade,
      text jsonb not null,
      created_at timestamptz not null,
      read_at timestamptz
    )`.execute(db);
  await sql`create index notifications_inbox on notifications (user_id, id desc)`.execute(db);
  await sql`create index notifications_unread on notifications (user_id) where read_at is null`.execute(db);
}
