import { type Kysely, sql } from 'kysely';

/**
 * Volunteer service (志愿服务): the member units of a town's 大党委 and other bodies, their volunteers, the
 * communities' requests for people on a day, the named volunteers units send, and their sign-ins.
 *
 * Person-times and hours are counted from `volunteer_assignments` rows that were signed in: one row is one
 * person on one request (a day), so the figures need no separate counts table at a town's scale (thousands a
 * year). `party_member_id` is a plain integer: the party module may link a volunteer to a party member later,
 * and this table does not depend on its schema.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table volunteer_units (
      id integer generated always as identity primary key,
      name text not null,
      kind text not null check (kind in ('department', 'enterprise', 'institution', 'socialOrg', 'other')),
      -- The region whose 大党委 (or body) the unit belongs to: who administers it and where it sends people.
      region_code text not null references regions (code),
      county_code text not null,
      contact_name text,
      contact_phone text,
      synthetic boolean not null default false,
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`create unique index volunteer_units_name on volunteer_units (region_code, name)`.execute(db);
  await sql`create index volunteer_units_region on volunteer_units (region_code text_pattern_ops)`.execute(
    db,
  );

  // The accounts that manage a unit (联络员); a user may look after several units.
  await sql`
    create table volunteer_unit_contacts (
      unit_id integer not null references volunteer_units (id) on delete cascade,
      user_id integer not null references users (id) on delete cascade,
      primary key (unit_id, user_id)
    )`.execute(db);
  await sql`create index volunteer_unit_contacts_user on volunteer_unit_contacts (user_id)`.execute(db);

  await sql`
    create table volunteers (
      id integer generated always as identity primary key,
      unit_id integer not null references volunteer_units (id),
      name text not null,
      phone text not null,
      id_number text,
      party_member boolean not null default false,
      -- A party member record of the party module, once linked (no foreign key on purpose, see above).
      party_member_id integer,
      -- The volunteer's own account (role volunteer), when they have one: they then see their tasks.
      user_id integer unique references users (id) on delete set null,
      active boolean not null default true,
      synthetic boolean not null default false,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`create index volunteers_unit on volunteers (unit_id, name)`.execute(db);

  await sql`
    create table volunteer_requests (
      id integer generated always as identity primary key,
      -- The community (village) asking: its staff see the request and sign volunteers in at it.
      region_code text not null references regions (code),
      county_code text not null,
      kind text not null check (kind in ('doorToDoor', 'checkpoint', 'cleanUp', 'other')),
      title text not null,
      place text not null,
      day date not null,
      start_time text not null,
      end_time text not null,
      wanted integer not null check (wanted between 1 and 500),
      note text not null default '',
      cancelled boolean not null default false,
      created_by integer references users (id),
      synthetic boolean not null default false,
      created_at timestamptz not null
    )`.execute(db);
  await sql`create index volunteer_requests_region on volunteer_requests (region_code text_pattern_ops, day)`.execute(
    db,
  );
  await sql`create index volunteer_requests_day on volunteer_requests (day)`.execute(db);

  await sql`
    create table volunteer_assignments (
      id integer generated always as identity primary key,
      request_id integer not null references volunteer_requests (id) on delete cascade,
      unit_id integer not null references volunteer_units (id),
      volunteer_id integer not null references volunteers (id),
      assigned_by integer references users (id),
      assigned_at timestamptz not null,
      signed_in_at timestamptz,
      signed_in_by integer references users (id),
      signed_out_at timestamptz,
      signed_out_by integer references users (id),
      unique (request_id, volunteer_id)
    )`.execute(db);
  await sql`create index volunteer_assignments_unit on volunteer_assignments (unit_id)`.execute(db);
  await sql`create index volunteer_assignments_volunteer on volunteer_assignments (volunteer_id)`.execute(db);
}
