import { type Kysely, sql } from 'kysely';

/**
 * Checkpoints (卡点): points on the map with a duty roster, and the log of people and vehicles passing them.
 *
 * Entries are written by phones that may be offline for hours: each carries the client key the phone chose, unique,
 * so a replayed upload stores it once. Daily counts group entries by checkpoint and Asia/Shanghai day, so entries
 * carry that day and are indexed by it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table checkpoints (
      id integer generated always as identity primary key,
      name text not null,
      kind text not null,
      status text not null default 'active',
      lon double precision not null,
      lat double precision not null,
      -- The leaf grid the point lies in (territory locate): who may see and log at the checkpoint.
      grid_code text not null,
      county_code text not null,
      note text not null default '',
      -- A form of the forms module whose questions are the checkpoint's extra checks.
      form_id integer,
      synthetic boolean not null default false,
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`create index checkpoints_grid on checkpoints (grid_code text_pattern_ops)`.execute(db);

  await sql`
    create table checkpoint_duties (
      checkpoint_id integer not null references checkpoints (id) on delete cascade,
      weekday smallint not null,
      shift text not null,
      seq smallint not null,
      -- A user of the checkpoint's village, or null for outside staff (police, volunteers) named in "name".
      user_id integer references users (id),
      name text not null,
      primary key (checkpoint_id, weekday, shift, seq)
    )`.execute(db);
  await sql`create index checkpoint_duties_user on checkpoint_duties (user_id)`.execute(db);

  await sql`
    create table checkpoint_entries (
      id integer generated always as identity primary key,
      client_key text not null unique,
      checkpoint_id integer not null references checkpoints (id) on delete cascade,
      -- The checkpoint's grid when the entry was made: the scope it is read in.
      grid_code text not null,
      at timestamptz not null,
      day date not null,
      direction text not null,
      subject text not null,
      plate text,
      id_number text,
      temperature real,
      checks jsonb not null default '{}',
      outcome text not null,
      reason text,
      recorded_by integer not null references users (id),
      synthetic boolean not null default false,
      created_at timestamptz not null
    )`.execute(db);
  await sql`create index checkpoint_entries_checkpoint_day on checkpoint_entries (checkpoint_id, day)`.execute(
    db,
  );
  await sql`create index checkpoint_entries_grid_day on checkpoint_entries (grid_code text_pattern_ops, day)`.execute(
    db,
  );
  await sql`create index checkpoint_entries_recorded_by on checkpoint_entries (recorded_by)`.execute(db);
}
