import { type Kysely, sql } from 'kysely';

/**
 * Bulletins (通报): one row per bulletin of a town or village. `content` holds the figures and tables as they
 * were computed, `text` the prose a reviewer edits; at publication both are frozen (with the publishing
 * instant, which the downloads print and stamp into their metadata), so a published bulletin's files are the
 * same bytes whenever they are made. Numbers (期号) run per area and year.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table bulletins (
      id integer generated always as identity primary key,
      region_code text not null,
      county_code text not null,
      year integer not null,
      seq integer not null,
      period_from date not null,
      period_to date not null,
      status text not null default 'draft' check (status in ('draft', 'published')),
      content jsonb not null,
      text jsonb not null,
      version integer not null default 1,
      created_by integer references users (id),
      created_by_name text not null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      published_at timestamptz,
      published_by_name text,
      unique (region_code, year, seq),
      check ((status = 'published') = (published_at is not null))
    )`.execute(db);
  await sql`create index bulletins_region on bulletins (region_code text_pattern_ops, id desc)`.execute(db);
  await sql`create index bulletins_created_by on bulletins (created_by)`.execute(db);
}
