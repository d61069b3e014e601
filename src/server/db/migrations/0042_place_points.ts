import { type Kysely, sql } from 'kysely';

/**
 * The map shows the registry's standard addresses and buildings at street zoom, asked for by the box on
 * screen: an index on the longitude narrows a district's millions of addresses to a strip of the town.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index registry_addresses_point on registry_addresses (lon, lat)`.execute(db);
  await sql`create index registry_buildings_point on registry_buildings (lon, lat)`.execute(db);
}
