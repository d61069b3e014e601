import { type Kysely, sql } from 'kysely';

/** Territory, people, sessions, the audit log and settings. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table regions (
      code text primary key,
      name text not null,
      level text not null check (level in ('province', 'city', 'county', 'town', 'village', 'grid')),
      grid_level smallint check (grid_level between 1 and 3),
      parent_code text references regions (code) on delete restrict,
      county_code text,
      boundary jsonb,
      synthetic boolean not null default false,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((level = 'grid') = (grid_level is not null)),
      check (parent_code is null or starts_with(code, parent_code))
    )`.execute(db);
  await sql`create index regions_parent_code on regions (parent_code)`.execute(db);
  // Subtree queries are prefix matches on the code: a descendant's code always starts with its ancestor's.
  await sql`create index regions_code_prefix on regions (code text_pattern_ops)`.execute(db);

  await sql`
    create table departments (
      id integer generated always as identity primary key,
      code text not null unique,
      name text not null,
      region_code text not null references regions (code),
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table users (
      id integer generated always as identity primary key,
      username text not null,
      display_name text not null,
      phone text,
      password_hash text,
      role text not null,
      region_code text not null references regions (code),
      department_id integer references departments (id),
      active boolean not null default true,
      failed_logins integer not null default 0,
      locked_until timestamptz,
      locale text,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index users_username on users (lower(username))`.execute(db);
  await sql`create index users_region_code on users (region_code text_pattern_ops)`.execute(db);

  await sql`
    create table grid_people (
      grid_code text not null references regions (code) on delete cascade,
      user_id integer not null references users (id) on delete cascade,
      duty text not null check (duty in ('gridWorker', 'gridLeader', 'partySecretary')),
      primary key (grid_code, user_id, duty)
    )`.execute(db);
  await sql`create index grid_people_user on grid_people (user_id)`.execute(db);

  await sql`
    create table sessions (
      id text primary key,
      user_id integer not null references users (id) on delete cascade,
      csrf_token text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      last_seen_at timestamptz not null default now(),
      ip text,
      user_agent text
    )`.execute(db);
  await sql`create index sessions_user on sessions (user_id)`.execute(db);

  await sql`
    create table audit_log (
      id bigint generated always as identity primary key,
      occurred_at timestamptz not null,
      actor_id integer,
      actor_name text not null,
      action text not null,
      entity_type text not null,
      entity_id text not null,
      county_code text,
      details jsonb not null,
      seq bigint unique,
      prev_hash text,
      hash text
    )`.execute(db);
  await sql`create index audit_log_entity on audit_log (entity_type, entity_id)`.execute(db);
  // Entries waiting for the sealer to link them into the chain.
  await sql`create index audit_log_unsealed on audit_log (id) where seq is null`.execute(db);

  await sql`create table settings (key text primary key, value jsonb not null)`.execute(db);
}
