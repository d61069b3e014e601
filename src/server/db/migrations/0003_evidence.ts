import { type Kysely, sql } from 'kysely';

/** Evidence files (photos) by content hash; the bytes live in the evidence store, not in the database. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table evidence (
      sha256 text primary key,
      mime text not null,
      size integer not null,
      width integer not null,
      height integer not null,
      -- What the photo says of itself (EXIF): when and where it was taken, when the camera recorded it.
      taken_at timestamptz,
      lon double precision,
      lat double precision,
      thumbnail_sha256 text not null,
      uploaded_by integer references users (id),
      uploaded_at timestamptz not null
    )`.execute(db);
}
