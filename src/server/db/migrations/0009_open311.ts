import { type Kysely, sql } from 'kysely';

/**
 * The Open311 GeoReport v2 server: the extra fields of a category (its service definition), the api keys
 * issued to client applications, what a client sent with a report that is not the case itself (kept
 * privately), reports queued until a person places them, and updates posted by clients. Updates the other
 * way are derived from case history (their update_id is the history entry's id).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table category_attributes (
      id integer generated always as identity primary key,
      category_id integer not null references categories (id) on delete cascade,
      code text not null,
      datatype text not null
        check (datatype in ('string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist')),
      variable boolean not null default true,
      required boolean not null default false,
      description text not null,
      datatype_description text,
      position integer not null check (position > 0),
      "values" jsonb not null default '[]',
      unique (category_id, code),
      unique (category_id, position)
    )`.execute(db);

  await sql`
    create table open311_keys (
      id integer generated always as identity primary key,
      name text not null,
      prefix text not null unique,
      key_hash text not null unique,
      region_code text not null,
      rate_limit_per_minute integer not null check (rate_limit_per_minute > 0),
      created_by integer references users (id) on delete set null,
      created_at timestamptz not null,
      revoked_at timestamptz,
      revoked_by integer references users (id) on delete set null
    )`.execute(db);

  // One row per case reported through Open311: never shown publicly (email, names, phone, device).
  await sql`
    create table open311_requests (
      case_id bigint primary key references cases (id) on delete cascade,
      key_id integer not null references open311_keys (id),
      attributes jsonb not null default '{}',
      media_url text,
      address_id text,
      email text,
      first_name text,
      last_name text,
      phone text,
      account_id text,
      device_id text,
      created_at timestamptz not null
    )`.execute(db);

  // A report whose place cannot be found (an address_string alone) waits here until a dispatcher places it.
  await sql`
    create table open311_pending (
      token text primary key,
      key_id integer not null references open311_keys (id),
      jurisdiction text,
      request jsonb not null,
      created_at timestamptz not null,
      case_id bigint references cases (id),
      placed_at timestamptz
    )`.execute(db);
  await sql`create index open311_pending_open on open311_pending (created_at) where case_id is null`.execute(
    db,
  );

  // Updates posted by clients (servicerequestupdates), idempotent per key by the client's own update_id.
  await sql`
    create table open311_client_updates (
      id bigint generated always as identity primary key,
      key_id integer not null references open311_keys (id),
      client_update_id text not null,
      case_id bigint not null references cases (id) on delete cascade,
      case_event_id bigint not null,
      status text not null,
      created_at timestamptz not null,
      unique (key_id, client_update_id)
    )`.execute(db);

  // GET servicerequestupdates reads history by time.
  await sql`create index case_events_at on case_events (at, id)`.execute(db);
  await sql`create index cases_created on cases (created_at, id)`.execute(db);
}
