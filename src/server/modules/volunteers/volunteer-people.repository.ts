import type { Db } from '../../db/database.ts';

/*
 * What the volunteer service reads of other modules' tables (users, regions): read here, never written.
 */

export async function findUser(
  db: Db,
  id: number,
): Promise<{ id: number; role: string; region_code: string } | undefined> {
  return db
    .selectFrom('users')
    .select(['id', 'role', 'region_code'])
    .where('id', '=', id)
    .where('active', '=', true)
    .executeTakeFirst();
}

export async function regionName(db: Db, code: string): Promise<string | undefined> {
  const row = await db.selectFrom('regions').select('name').where('code', '=', code).executeTakeFirst();
  return row?.name;
}
