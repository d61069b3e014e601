import { type Kysely, sql } from 'kysely';

/**
 * A case number is dated by the day the case was reported (Asia/Shanghai), not by the day the row was written:
 * a work-order history imported today, the demo town's synthetic months, a report a phone sends after a day
 * without signal all keep their own day (20261103000123). The running number stays global. Set by a trigger
 * from the row's `created_at`, so every path that inserts a case gets it without naming the column.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function next_case_number(at timestamptz) returns text language sql volatile as $$
      select to_char(at at time zone 'Asia/Shanghai', 'YYYYMMDD')
        || case when n < 1000000 then lpad(n::text, 6, '0') else n::text end
      from (select nextval('case_number_seq') as n) as next
    $$`.execute(db);
  await sql`alter table cases alter column case_number drop default`.execute(db);
  await sql`
    create function number_case() returns trigger language plpgsql as $$
    begin
      new.case_number := coalesce(new.case_number, next_case_number(new.created_at));
      return new;
    end $$`.execute(db);
  await sql`
    create trigger cases_number before insert on cases
    for each row execute function number_case()`.execute(db);
  await sql`drop function next_case_number()`.execute(db);
}
