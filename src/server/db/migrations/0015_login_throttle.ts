import { type Kysely, sql } from 'kysely';

/**
 * Failed logins, one row each, so throttling holds across every gridgov process on one database: an address
 * with too many recent failures is refused before any password is checked, and an account locks only when
 * failures against it since its last successful login come from more than one address (see
 * people/login-throttle.ts). Rows older than a day are deleted as new ones arrive.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table login_failures (
      id bigint generated always as identity primary key,
      at timestamptz not null,
      ip text not null,
      username text not null,
      -- Set by a successful login, an unlock or a new password: no longer counts towards the account's lock,
      -- but still towards the address's throttle (a guesser's count must not reset when the victim logs in).
      cleared boolean not null default false
    )`.execute(db);
  await sql`create index login_failures_ip on login_failures (ip, at)`.execute(db);
  await sql`create index login_failures_username on login_failures (username, at)`.execute(db);
  await sql`create index login_failures_at on login_failures (at)`.execute(db);
}
