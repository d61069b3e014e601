import { type Kysely, sql } from 'kysely';

/**
 * A checkpoint entry keeps the form version its checks were validated against. A checkpoint's form gets new
 * versions, and the checkpoint may change form: without the version, an entry's answers would be read by
 * questions it was never asked (the export labelled them by the form of today).
 *
 * Entries stored before this migration get the version the server checked them against then: the newest version
 * of the checkpoint's form published by the time the entry was stored. That is exact unless the checkpoint has
 * since been given another form, which the database does not remember; an entry at a checkpoint without a form
 * keeps null.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table checkpoint_entries
      add column form_version_id integer references form_versions (id)`.execute(db);
  await sql`
    update checkpoint_entries as e
    set form_version_id = (
      select v.id
      from form_versions as v
      where v.form_id = c.form_id and v.published_at is not null and v.published_at <= e.created_at
      order by v.version desc
      limit 1)
    from checkpoints as c
    where c.id = e.checkpoint_id and c.form_id is not null`.execute(db);
  // Foreign keys are indexed (0018): a version's entries are found without reading every entry.
  await sql`
    create index checkpoint_entries_form_version on checkpoint_entries (form_version_id)
    where form_version_id is not null`.execute(db);
}
