import { type Kysely, sql } from 'kysely';

/**
 * Evaluation by worker and by patrol, and the inspection score rate:
 *
 * - `case_facts.worker_id`: the grid worker or inspector who found the case (null: nobody on the staff — a
 *   resident, the hotline, an outside client), and `evaluation_worker_counts`, the counts of the cases staff
 *   found per day and month, grid, worker and source, so a ranking of workers reads kept counts like a ranking
 *   of villages. A table of their own: the other rankings read `evaluation_counts` at the size it had.
 * - A case a grid worker reports while one of their patrols is running counts under the source `patrol`. Which
 *   patrol was running is known only once the phone has sent it (it may be offline), so writing a patrol's
 *   start or end queues that worker's cases of the span for the facts job, as a timeline entry does.
 * - `inspection_visits (visited_at)`: the score rate of a period reads the visits of its days.
 *
 * The facts and counts of every case are recomputed by the job after the upgrade (the counts are emptied and
 * every case queued), so the new columns are right for the history too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table case_facts add column worker_id int`.execute(db);
  await sql`
    create table evaluation_worker_counts (like evaluation_counts including defaults including constraints)`.execute(
    db,
  );
  await sql`alter table evaluation_worker_counts drop column department_id`.execute(db);
  await sql`alter table evaluation_worker_counts add column worker_id int not null`.execute(db);
  await sql`alter table evaluation_worker_counts
    add primary key (granularity, bucket, region_code, worker_id, source)`.execute(db);

  await sql`
    create function queue_patrol_cases() returns trigger language plpgsql as $$
    begin
      insert into case_fact_queue (case_id)
      select id from cases
      where reporter_id = new.user_id
        and created_at >= least(new.started_at, coalesce(old.started_at, new.started_at))
        and (new.ended_at is null or old.ended_at is null
          or created_at <= greatest(new.ended_at, old.ended_at))
      on conflict do nothing;
      return null;
    end $$`.execute(db);
  // Row by row: a patrol is started and ended a few times a day per worker, and its points (written often)
  // do not fire it.
  await sql`
    create trigger patrols_queue_insert after insert on patrols
    for each row execute function queue_patrol_cases()`.execute(db);
  await sql`
    create trigger patrols_queue_update after update of started_at, ended_at on patrols
    for each row
    when (old.started_at is distinct from new.started_at or old.ended_at is distinct from new.ended_at)
    execute function queue_patrol_cases()`.execute(db);

  await sql`create index inspection_visits_visited on inspection_visits (visited_at)`.execute(db);

  await sql`delete from evaluation_counts`.execute(db);
  await sql`delete from case_facts`.execute(db);
  await sql`insert into case_fact_queue (case_id) select id from cases on conflict do nothing`.execute(db);
}
