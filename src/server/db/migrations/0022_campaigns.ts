import { type Kysely, sql } from 'kysely';

/**
 * Campaign samples and re-inspection rounds: the seed a sample was drawn with (drawing again with it repeats
 * the sample), and the targets a re-inspection round (回头看) visits again — those that failed something in the
 * round it follows, fixed when the round is scheduled.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table inspection_campaigns add column sample_seed text`.execute(db);
  await sql`
    alter table campaign_rounds
      add column source_round_id integer references campaign_rounds (id)`.execute(db);
  await sql`
    create table campaign_round_targets (
      round_id integer not null references campaign_rounds (id) on delete cascade,
      target_id integer not null references campaign_targets (id) on delete cascade,
      primary key (round_id, target_id)
    )`.execute(db);
  await sql`create index campaign_round_targets_target on campaign_round_targets (target_id)`.execute(db);
}
