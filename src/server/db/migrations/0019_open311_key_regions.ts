import { type Kysely, sql } from 'kysely';

/**
 * Open311 keys issued from the command line before keys carried a region were stored with an empty one, which
 * used to read as "everything" and now, as every empty scope, as nothing. They keep working as they did: their
 * region becomes the root of the region tree, which holds every region.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    update open311_keys
    set region_code = (select code from regions where parent_code is null order by code limit 1)
    where region_code = '' and exists (select 1 from regions where parent_code is null)`.execute(db);
}
