import { type Kysely, sql } from 'kysely';

/**
 * Form definitions (表单): a form is a code and a title owned by a region; its content lives in numbered
 * versions. The newest version may be a draft that is edited in place; publishing freezes it (a published
 * version never changes, so every submission can be read against exactly the questions it answered), and the
 * next edit starts a new draft version.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table forms (
      id integer generated always as identity primary key,
      code text not null unique,
      -- {zh, en?}: the form's name in the console and on the phone.
      title jsonb not null,
      -- The owner: its subtree edits the form; the subtree and the regions above it read it.
      region_code text not null,
      county_code text not null,
      created_by integer references users (id),
      -- Loaded by the demo: shown as 演示数据.
      synthetic boolean not null default false,
      -- Optimistic concurrency for edits and publishing.
      row_version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`create index forms_region on forms (region_code text_pattern_ops)`.execute(db);

  await sql`
    create table form_versions (
      id integer generated always as identity primary key,
      form_id integer not null references forms (id) on delete cascade,
      version integer not null,
      title jsonb not null,
      -- {questions: [...]}, as src/shared/forms.ts describes it; checked before it is written.
      definition jsonb not null,
      -- Null while a draft; once set the row is never updated again.
      published_at timestamptz,
      created_by integer references users (id),
      created_at timestamptz not null,
      unique (form_id, version)
    )`.execute(db);
  await sql`create index form_versions_created_by on form_versions (created_by)`.execute(db);
  await sql`create index forms_created_by on forms (created_by)`.execute(db);
}
