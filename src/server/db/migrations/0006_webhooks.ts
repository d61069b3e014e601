import { type Kysely, sql } from 'kysely';

/**
 * Outgoing webhooks and their delivery outbox, and the SMS copy of inbox messages. Deliveries and SMS copies
 * are written in the transaction of the change they announce and sent afterwards by a worker, so a rolled-back
 * change sends nothing and a crash loses nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table webhooks (
      id integer generated always as identity primary key,
      name text not null,
      url text not null,
      secret text not null,
      events text[] not null,
      region_code text not null,
      active boolean not null default true,
      created_by integer references users (id) on delete set null,
      created_at timestamptz not null,
      version integer not null default 1
    )`.execute(db);

  await sql`
    create table webhook_deliveries (
      id uuid primary key,
      webhook_id integer not null references webhooks (id) on delete cascade,
      event_type text not null,
      case_id bigint references cases (id),
      payload jsonb not null,
      status text not null check (status in ('pending', 'delivered', 'failed', 'dead')),
      attempts integer not null default 0,
      next_attempt_at timestamptz,
      last_status_code integer,
      last_error text,
      created_at timestamptz not null,
      delivered_at timestamptz
    )`.execute(db);
  // The worker's scan: only rows still to be sent are in it, so it stays small however long the log grows.
  await sql`
    create index webhook_deliveries_due on webhook_deliveries (next_attempt_at)
    where status in ('pending', 'failed')`.execute(db);
  await sql`create index webhook_deliveries_log on webhook_deliveries (webhook_id, created_at desc)`.execute(
    db,
  );

  // The number a message is also texted to, chosen when it is written; null = inbox only.
  await sql`alter table notifications add column sms_phone text`.execute(db);
  await sql`alter table notifications add column sms_sent_at timestamptz`.execute(db);
  await sql`
    create index notifications_sms_due on notifications (id)
    where sms_phone is not null and sms_sent_at is null`.execute(db);
}
