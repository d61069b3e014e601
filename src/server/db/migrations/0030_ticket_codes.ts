import { type Kysely, sql } from 'kysely';

/**
 * A public ticket code (受理查询码) per case: what a resident follows a report by on the portal, instead of the
 * sequential case number, which anyone could guess or count through. Sixteen characters of Crockford base32
 * (no I, L, O, U) drawn from the strong random bytes of gen_random_uuid() — 79 random bits, the uuid's version
 * nibble costs one. Set by a trigger, like the case number, so every path that inserts a case gets one without
 * naming the column; existing cases get theirs here.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function new_ticket_code() returns text language sql volatile as $$
      select string_agg(substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (get_byte(b, i) & 31) + 1, 1), '' order by i)
      from (select decode(replace(gen_random_uuid()::text, '-', ''), 'hex') as b) as random,
        generate_series(0, 15) as i
    $$`.execute(db);
  await sql`alter table cases add column ticket_code text`.execute(db);
  await sql`update cases set ticket_code = new_ticket_code()`.execute(db);
  await sql`alter table cases alter column ticket_code set not null`.execute(db);
  await sql`create unique index cases_ticket_code on cases (ticket_code)`.execute(db);
  await sql`
    create function code_case() returns trigger language plpgsql as $$
    begin
      new.ticket_code := coalesce(new.ticket_code, new_ticket_code());
      return new;
    end $$`.execute(db);
  await sql`
    create trigger cases_ticket_code before insert on cases
    for each row execute function code_case()`.execute(db);
  // A reporter's phone shown on a case is in the administrators' personal data log, as the registry's are.
  await sql`drop index audit_log_personal_data`.execute(db);
  await sql`
    create index audit_log_personal_data on audit_log (id desc)
    where action in ('registry.reveal', 'registry.read', 'registry.export', 'case.reveal')`.execute(db);
}
