import { type Kysely, sql } from 'kysely';

/** 12345 hotline import: the order number on each case, and one row per import for its error report. */
export async function up(db: Kysely<unknown>): Promise<void> {
  // The number a case has in the system it came from (the 12345 工单编号), read out when the hotline calls back.
  await sql`alter table cases add column external_ref text`.execute(db);
  await sql`
    create table hotline_imports (
      id bigint generated always as identity primary key,
      file_name text not null,
      actor_id integer references users (id),
      actor_name text not null,
      -- The importer's data scope: who else may download the error report.
      scope_code text not null,
      total integer not null,
      created integer not null,
      already_imported integer not null,
      rejected integer not null,
      headers jsonb not null,
      -- Each rejected row as read, with its reasons in both languages: the downloadable error report.
      rejected_rows jsonb not null,
      created_at timestamptz not null
    )`.execute(db);
}
