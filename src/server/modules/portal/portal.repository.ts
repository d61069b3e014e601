import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

const FORM_SECRET = 'portal.secret';

/**
 * The portal's signing secret (form tokens, rating keys), made on first use and kept in `settings`, so every
 * server process on one database signs and checks alike and tokens survive a restart.
 */
export async function readSecret(db: Db): Promise<string> {
  await db
    .insertInto('settings')
    .values({ key: FORM_SECRET, value: JSON.stringify(randomBytes(32).toString('hex')) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', FORM_SECRET)
    .executeTakeFirst();
  if (typeof row?.value !== 'string') throw new Error('portal secret missing from settings');
  return row.value;
}

/**
 * Records a form token as used by a report (with the report's client key). `first` when no report used it
 * before; `retry` when the same report (same client key) used it, as a resend after a lost answer does; `used`
 * when another report did. One statement, so two processes taking the same token cannot both get `first`.
 */
export async function spendFormToken(
  db: Db,
  use: { signature: string; clientKey: string | null; at: Date },
): Promise<'first' | 'retry' | 'used'> {
  const inserted = await sql<{ signature: string }>`
    insert into portal_form_tokens (signature, client_key, used_at)
    values (${use.signature}, ${use.clientKey}, ${use.at})
    on conflict (signature) do nothing
    returning signature`.execute(db);
  if (inserted.rows.length > 0) return 'first';
  const earlier = await sql<{ client_key: string | null }>`
    select client_key from portal_form_tokens where signature = ${use.signature}`.execute(db);
  const key = earlier.rows[0]?.client_key ?? null;
  return key !== null && key === use.clientKey ? 'retry' : 'used';
}

/** Forgets tokens used before `before`: by then the age check refuses them anyway. */
export async function pruneFormTokens(db: Db, before: Date): Promise<void> {
  await sql`delete from portal_form_tokens where used_at < ${before}`.execute(db);
}
