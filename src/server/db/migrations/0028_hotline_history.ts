import { type Kysely, sql } from 'kysely';

/**
 * Work-order history imports: which department each agency of a source's exports stands for, remembered so
 * that the next file from the same source is mapped already; and how many orders an import updated.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table hotline_agency_mappings (
      -- The system the files come from, as the importer names it (e.g. 12345, nyc311).
      source text not null,
      -- The agency as the files write it (承办单位), compared trimmed and case-insensitively.
      agency text not null,
      department_id integer not null references departments (id) on delete cascade,
      updated_by_name text not null,
      updated_at timestamptz not null,
      primary key (source, agency)
    )`.execute(db);
  await sql`create index hotline_agency_mappings_department on hotline_agency_mappings (department_id)`.execute(
    db,
  );
  await sql`alter table hotline_imports add column updated integer not null default 0`.execute(db);
  await sql`alter table hotline_imports add column source text`.execute(db);
}
