import { randomBytes } from 'node:crypto';
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
