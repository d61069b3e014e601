import { type Kysely, sql } from 'kysely';

/**
 * The public ticket codes (受理查询码, 0030) move from a column of `cases` to a table of their own. A code is
 * random, so its unique index takes each entry on a random page: on `cases`, every new version of a case row
 * entered it, and the minute's overdue sweep writes a new version of every case it flags — at a district's
 * million open cases the code index alone cost the sweep a quarter of its time. A case's code never changes:
 * in `case_tickets` it is written once, when the case is, by a trigger (every path that inserts a case gets one
 * without naming it, as before).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table case_tickets (
      case_id bigint primary key references cases (id) on delete cascade,
      ticket_code text not null unique default new_ticket_code()
    )`.execute(db);
  await sql`insert into case_tickets (case_id, ticket_code) select id, ticket_code from cases`.execute(db);
  await sql`drop trigger cases_ticket_code on cases`.execute(db);
  await sql`drop function code_case()`.execute(db);
  await sql`alter table cases drop column ticket_code`.execute(db);
  // Once per statement, so that a bulk insert (an import, the demo's history) codes its cases in one go.
  await sql`
    create function code_cases() returns trigger language plpgsql as $$
    begin
      insert into case_tickets (case_id) select id from inserted;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger cases_ticket_codes after insert on cases
    referencing new table as inserted
    for each statement execute function code_cases()`.execute(db);
}
