import { type Kysely, sql } from 'kysely';

/**
 * The registry (四标四实): standard addresses, buildings, houses, residents, organisations, facilities, and the
 * imports that fill them. Every record carries its located region (`region_code`, the leaf grid, prefix-indexed
 * for data scope) and its county code (the distribution key of the scale path). Searchable text is kept as an
 * array of character bigrams with a GIN index, which finds Chinese fragments of two characters ("河清", "3号")
 * on both backends without an extension (see docs/ARCHITECTURE.md "Registry search").
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table registry_addresses (
      id bigint generated always as identity primary key,
      county_code text not null,
      -- The natural key is the canonical text within the village.
      village_code text not null,
      region_code text not null,
      road text not null,
      number text not null,
      building text,
      unit text,
      room text,
      canonical_text text not null,
      search_text text not null,
      search_grams text[] not null,
      lon double precision,
      lat double precision,
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (village_code, canonical_text)
    )`.execute(db);
  await sql`create index registry_addresses_region on registry_addresses (region_code text_pattern_ops)`.execute(
    db,
  );
  await sql`create index registry_addresses_canonical on registry_addresses (canonical_text)`.execute(db);
  await sql`create index registry_addresses_grams on registry_addresses using gin (search_grams)`.execute(db);

  await sql`
    create table registry_buildings (
      id bigint generated always as identity primary key,
      county_code text not null,
      region_code text not null,
      -- Grid code + 4-digit sequence, assigned once: the building keeps it when boundaries move.
      code text not null unique,
      name text not null,
      floors smallint,
      address_id bigint unique references registry_addresses (id),
      lon double precision,
      lat double precision,
      search_text text not null,
      search_grams text[] not null,
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`create index registry_buildings_region on registry_buildings (region_code text_pattern_ops)`.execute(
    db,
  );
  await sql`create index registry_buildings_grams on registry_buildings using gin (search_grams)`.execute(db);

  await sql`
    create table registry_houses (
      id bigint generated always as identity primary key,
      county_code text not null,
      region_code text not null,
      address_id bigint not null unique references registry_addresses (id),
      building_id bigint references registry_buildings (id),
      use text not null check (use in ('selfOccupied', 'rental', 'vacant', 'commercial')),
      area_m2 double precision,
      landlord_name text,
      landlord_phone text,
      landlord_id_number text,
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`create index registry_houses_region on registry_houses (region_code text_pattern_ops)`.execute(
    db,
  );
  await sql`create index registry_houses_building on registry_houses (building_id)`.execute(db);
  // Search looks landlords up by exact ID number or phone.
  await sql`
    create index registry_houses_landlord_id on registry_houses (landlord_id_number)
    where landlord_id_number is not null`.execute(db);
  await sql`
    create index registry_houses_landlord_phone on registry_houses (landlord_phone)
    where landlord_phone is not null`.execute(db);

  await sql`
    create table registry_residents (
      id bigint generated always as identity primary key,
      county_code text not null,
      region_code text not null,
      id_number text not null unique,
      name text not null,
      sex text not null check (sex in ('male', 'female')),
      birth_date date not null,
      phone text,
      kind text not null check (kind in ('registered', 'floating')),
      house_id bigint not null references registry_houses (id),
      household_no text,
      relation text,
      care_tags text[] not null default '{}',
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`create index registry_residents_region on registry_residents (region_code text_pattern_ops)`.execute(
    db,
  );
  // Names are searched from their start (a whole name, or a surname and more), so a pattern index serves them.
  await sql`create index registry_residents_name on registry_residents (name text_pattern_ops)`.execute(db);
  await sql`create index registry_residents_phone on registry_residents (phone)`.execute(db);
  await sql`create index registry_residents_house on registry_residents (house_id)`.execute(db);
  // Few residents carry care tags; roles that may not see them filter them out, roles that may list them.
  await sql`
    create index registry_residents_cared on registry_residents (region_code text_pattern_ops)
    where care_tags <> '{}'`.execute(db);

  await sql`
    create table registry_organisations (
      id bigint generated always as identity primary key,
      county_code text not null,
      region_code text not null,
      name text not null,
      type text not null,
      uscc text unique,
      address_id bigint references registry_addresses (id),
      contact_name text,
      contact_phone text,
      lon double precision,
      lat double precision,
      search_text text not null,
      search_grams text[] not null,
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`
    create index registry_organisations_region on registry_organisations (region_code text_pattern_ops)`.execute(
    db,
  );
  // Without a credit code (a stall, a small shop) an organisation is known by its name at its address.
  await sql`
    create index registry_organisations_name on registry_organisations (name, address_id)
    where uscc is null`.execute(db);
  await sql`create index registry_organisations_grams on registry_organisations using gin (search_grams)`.execute(
    db,
  );
  await sql`
    create index registry_organisations_phone on registry_organisations (contact_phone)
    where contact_phone is not null`.execute(db);

  await sql`
    create table registry_facilities (
      id bigint generated always as identity primary key,
      county_code text not null,
      region_code text not null,
      code text not null unique,
      type text not null,
      name text,
      status text not null check (status in ('normal', 'faulty', 'outOfService')),
      last_checked_on date,
      address_id bigint references registry_addresses (id),
      lon double precision not null,
      lat double precision not null,
      search_text text not null,
      search_grams text[] not null,
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`create index registry_facilities_region on registry_facilities (region_code text_pattern_ops)`.execute(
    db,
  );
  await sql`create index registry_facilities_grams on registry_facilities using gin (search_grams)`.execute(
    db,
  );

  await sql`
    create table registry_imports (
      id bigint generated always as identity primary key,
      entity text not null,
      file_name text not null,
      actor_id integer references users (id),
      actor_name text not null,
      -- The importer's data scope: who else may read the import and its error report.
      scope_code text not null,
      status text not null check (status in ('running', 'done', 'failed')),
      total integer not null default 0,
      created integer not null default 0,
      updated integer not null default 0,
      unchanged integer not null default 0,
      rejected integer not null default 0,
      headers jsonb not null default '[]',
      failure text,
      started_at timestamptz not null,
      finished_at timestamptz
    )`.execute(db);
  await sql`create index registry_imports_scope on registry_imports (scope_code text_pattern_ops, id desc)`.execute(
    db,
  );
  // Rejected rows as read, with their reasons in both languages: the downloadable error report.
  await sql`
    create table registry_import_rejects (
      import_id bigint not null references registry_imports (id) on delete cascade,
      row_number integer not null,
      cells jsonb not null,
      reasons jsonb not null,
      primary key (import_id, row_number)
    )`.execute(db);

  // Entries about many records at once (an import batch lists the records it created in details.ids): a record's
  // history reads those of its type.
  await sql`create index audit_log_batches on audit_log (entity_type, id) where entity_id = '*'`.execute(db);
  // The administrators' log of personal data shown in clear: a small slice of a large table.
  await sql`
    create index audit_log_personal_data on audit_log (id desc)
    where action in ('registry.reveal', 'registry.read', 'registry.export')`.execute(db);
}
