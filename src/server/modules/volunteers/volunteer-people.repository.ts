import type { Db } from '../../db/database.ts';

/*
 * What the volunteer service reads of other modules' tables (users, regions, visit campaigns, checkpoints): read here, never written.
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

/** The area of a visit campaign (region codes, each with its subtree), for the request naming it. */
export async function visitCampaignArea(db: Db, id: number): Promise<readonly string[] | undefined> {
  const row = await db
    .selectFrom('visit_campaigns')
    .select('region_codes')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.region_codes;
}

/** The grid a checkpoint stands in, for the request naming it. */
export async function checkpointGrid(db: Db, id: number): Promise<string | undefined> {
  const row = await db.selectFrom('checkpoints').select('grid_code').where('id', '=', id).executeTakeFirst();
  return row?.grid_code;
}
