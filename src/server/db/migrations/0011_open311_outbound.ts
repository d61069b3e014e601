import { type Kysely, sql } from 'kysely';

/**
 * Open311 outbound: a department that keeps its own system is reached over GeoReport v2. Cases dispatched to it
 * (of the endpoint's categories) are queued in the dispatch's transaction (the outbox) and posted by a worker;
 * the remote system's updates are pulled back into the case timeline, each remote update once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table open311_endpoints (
      id integer generated always as identity primary key,
      name text not null,
      department_id integer not null references departments (id) on delete cascade,
      base_url text not null,
      api_key text not null,
      jurisdiction_id text,
      category_ids integer[] not null default '{}',
      active boolean not null default true,
      pulled_until timestamptz not null,
      last_pull_at timestamptz,
      last_pull_error text,
      created_by integer references users (id) on delete set null,
      created_at timestamptz not null,
      version integer not null default 1
    )`.execute(db);
  await sql`create index open311_endpoints_department on open311_endpoints (department_id) where active`.execute(
    db,
  );

  await sql`
    create table open311_outbound (
      id bigint generated always as identity primary key,
      case_id bigint not null references cases (id),
      endpoint_id integer not null references open311_endpoints (id) on delete cascade,
      status text not null check (status in ('pending', 'sent', 'failed', 'dead')),
      attempts integer not null default 0,
      next_attempt_at timestamptz,
      last_error text,
      remote_request_id text,
      remote_token text,
      created_at timestamptz not null,
      sent_at timestamptz,
      unique (case_id, endpoint_id)
    )`.execute(db);
  // The worker's scan holds only rows still to be sent.
  await sql`
    create index open311_outbound_due on open311_outbound (next_attempt_at)
    where status in ('pending', 'failed')`.execute(db);
  await sql`
    create index open311_outbound_remote on open311_outbound (endpoint_id, remote_request_id)`.execute(db);

  // The remote updates already put on a timeline: a pull that overlaps the last one records nothing twice.
  await sql`
    create table open311_outbound_updates (
      endpoint_id integer not null references open311_endpoints (id) on delete cascade,
      update_id text not null,
      case_id bigint not null references cases (id),
      case_event_id bigint,
      created_at timestamptz not null,
      primary key (endpoint_id, update_id)
    )`.execute(db);
}
