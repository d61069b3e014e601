import { type Kysely, sql } from 'kysely';

/** The working-time calendar, case categories, routing rules, cases, their history and evidence. */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Days that differ from the plain Mon–Fri week: weekday holidays and weekend make-up workdays (调休).
  await sql`
    create table calendar_days (
      day date primary key,
      workday boolean not null,
      name text,
      source text not null default 'chinese-days'
    )`.execute(db);
  // Years whose official schedule is loaded; a deadline in any other year is flagged, not guessed.
  await sql`
    create table calendar_years (
      year integer primary key,
      source text not null,
      loaded_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table categories (
      id integer generated always as identity primary key,
      kind text not null check (kind in ('component', 'matter')),
      code text not null,
      name text not null,
      parent_id integer references categories (id),
      limits jsonb not null default '{}',
      default_department_id integer references departments (id),
      on_the_spot boolean not null default false,
      public boolean not null default true,
      active boolean not null default true,
      version integer not null default 1,
      unique (kind, code)
    )`.execute(db);

  await sql`
    create table routing_rules (
      id integer generated always as identity primary key,
      category_id integer references categories (id) on delete cascade,
      region_code text not null,
      department_id integer not null references departments (id),
      created_at timestamptz not null default now()
    )`.execute(db);

  // Case numbers people read out on the phone: the report date (Beijing time) and a running number, padded
  // to six digits and never cut (lpad would truncate the millionth case into a duplicate).
  await sql`create sequence case_number_seq`.execute(db);
  await sql`
    create function next_case_number() returns text language sql volatile as $$
      select to_char(now() at time zone 'Asia/Shanghai', 'YYYYMMDD')
        || case when n < 1000000 then lpad(n::text, 6, '0') else n::text end
      from (select nextval('case_number_seq') as n) as next
    $$`.execute(db);
  await sql`
    create table cases (
      id bigint generated always as identity primary key,
      case_number text not null unique default next_case_number(),
      county_code text not null,
      client_key text unique,
      source text not null,
      category_id integer not null references categories (id),
      region_code text not null references regions (code),
      lon double precision,
      lat double precision,
      address text,
      description text not null,
      state text not null,
      step text,
      step_started_at timestamptz,
      step_due_at timestamptz,
      step_beyond_calendar boolean not null default false,
      suspended_at timestamptz,
      lead_department_id integer references departments (id),
      reporter_id integer references users (id),
      reporter_name text,
      reporter_phone text,
      merged_into bigint references cases (id),
      return_count integer not null default 0,
      rework_count integer not null default 0,
      extension_count integer not null default 0,
      supervised boolean not null default false,
      overdue boolean not null default false,
      satisfaction smallint,
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      closed_at timestamptz
    )`.execute(db);
  // The queue's order (earliest due first, undated last, newest first among equals), so the first page of
  // a million cases is read off the index instead of sorted.
  await sql`create index cases_queue_order on cases (step_due_at asc nulls last, id desc)`.execute(db);
  await sql`create index cases_queue on cases (state, step_due_at asc nulls last, id desc)`.execute(db);
  await sql`create index cases_region on cases (region_code text_pattern_ops, created_at desc)`.execute(db);
  await sql`create index cases_department on cases (lead_department_id, state)`.execute(db);
  await sql`create index cases_open_due on cases (step_due_at) where closed_at is null and not overdue`.execute(
    db,
  );

  await sql`
    create table case_departments (
      case_id bigint not null references cases (id) on delete cascade,
      department_id integer not null references departments (id),
      role text not null check (role in ('lead', 'assist')),
      primary key (case_id, department_id)
    )`.execute(db);

  await sql`
    create table case_events (
      id bigint generated always as identity primary key,
      case_id bigint not null references cases (id) on delete cascade,
      action text not null,
      from_state text,
      to_state text not null,
      actor_id integer,
      actor_name text not null,
      note text,
      data jsonb not null default '{}',
      at timestamptz not null
    )`.execute(db);
  await sql`create index case_events_case on case_events (case_id, id)`.execute(db);
}
