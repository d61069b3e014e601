import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

const BASEMAP_KEY = 'map.basemap';

/** The basemap an administrator set (unchecked JSON: the service parses it), or undefined when none was set. */
export async function findBasemapSetting(db: Db): Promise<unknown> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', BASEMAP_KEY)
    .executeTakeFirst();
  return row?.value;
}

export async function saveBasemapSetting(db: Db, value: object): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key: BASEMAP_KEY, value: JSON.stringify(value) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: sql`excluded.value` }))
    .execute();
}

export async function deleteBasemapSetting(db: Db): Promise<void> {
  await db.deleteFrom('settings').where('key', '=', BASEMAP_KEY).execute();
}
