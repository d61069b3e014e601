import { type Kysely, sql } from 'kysely';

/**
 * The minute's sweep finds the steps turning yellow or red through `case_timers`, a small table of the running
 * steps' clocks, instead of two partial indexes on `cases` whose predicates named the `overdue` and `warned`
 * flags. A flag named by any index makes every update that sets it write a new row version with an entry in
 * each of the indexes holding the case (eight or more for an open case); with no index naming them, setting a
 * flag is a heap-only (HOT) update on the same page, which the table's fill factor leaves room for.
 *
 * A case has a timer while its step's clock runs and it is not flagged overdue: open, not suspended, a due
 * time set. `warn_at` is the yellow-light time until the case is warned. Triggers keep the timers: every path
 * that writes a case (intake, actions, deadline moves, imports) keeps them without naming them. The sweep's
 * own flagging does not fire them: it removes the timers it fires itself.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table case_timers (
      case_id bigint primary key references cases (id) on delete cascade,
      due_at timestamptz not null,
      warn_at timestamptz
    )`.execute(db);
  await sql`create index case_timers_due on case_timers (due_at)`.execute(db);
  await sql`create index case_timers_warn on case_timers (warn_at) where warn_at is not null`.execute(db);

  await sql`
    insert into case_timers (case_id, due_at, warn_at)
    select id, step_due_at, case when warned then null else step_warn_at end from cases
    where closed_at is null and suspended_at is null and not overdue and step_due_at is not null`.execute(db);
  await sql`analyze case_timers`.execute(db);

  // New cases, once per statement: an import or the demo's history inserts thousands in one.
  await sql`
    create function time_new_cases() returns trigger language plpgsql as $$
    begin
      insert into case_timers (case_id, due_at, warn_at)
      select id, step_due_at, case when warned then null else step_warn_at end from inserted
      where closed_at is null and suspended_at is null and not overdue and step_due_at is not null;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger cases_timers_insert after insert on cases
    referencing new table as inserted
    for each statement execute function time_new_cases()`.execute(db);

  // A changed case sets its timer afresh. The WHEN clause leaves out the sweep's flagging (overdue or warned
  // turning true, nothing else changed), so a sweep of a thousand cases calls no function.
  await sql`
    create function time_case() returns trigger language plpgsql as $$
    begin
      if new.closed_at is null and new.suspended_at is null and not new.overdue and new.step_due_at is not null then
        insert into case_timers (case_id, due_at, warn_at)
        values (new.id, new.step_due_at, case when new.warned then null else new.step_warn_at end)
        on conflict (case_id) do update set due_at = excluded.due_at, warn_at = excluded.warn_at;
      else
        delete from case_timers where case_id = new.id;
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger cases_timers_update
    after update of step_due_at, step_warn_at, closed_at, suspended_at, overdue, warned on cases
    for each row
    when ((old.step_due_at, old.step_warn_at, old.closed_at, old.suspended_at)
        is distinct from (new.step_due_at, new.step_warn_at, new.closed_at, new.suspended_at)
      or (old.overdue and not new.overdue) or (old.warned and not new.warned))
    execute function time_case()`.execute(db);

  await sql`drop index cases_open_due`.execute(db);
  await sql`drop index cases_open_warn`.execute(db);
  // Room on each page for the flagged versions of its rows (new pages; existing ones as they are rewritten).
  await sql`alter table cases set (fillfactor = 90)`.execute(db);
}
