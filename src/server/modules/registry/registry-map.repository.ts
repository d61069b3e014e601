import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { regionCondition, type Scope } from '../people/scope.ts';

/** A box in WGS-84 degrees: west, south, east, north. */
export interface LonLatBox {
  west: number;
  south: number;
  east: number;
  north: number;
}

export interface PlacePointRow {
  kind: 'address' | 'building';
  id: number;
  label: string;
  lon: number;
  lat: number;
}

/**
 * Standard addresses and buildings with a point inside the box, in the scope, at most `limit` (the map asks
 * only at street zoom, where a box holds a few hundred). Addresses come first: a building usually stands on
 * one and repeats its point.
 */
export async function listPlacePointsInBox(
  db: Db,
  options: { scope: Scope; box: LonLatBox; limit: number },
): Promise<PlacePointRow[]> {
  const { scope, box, limit } = options;
  const addresses = await db
    .selectFrom('registry_addresses')
    .select(['id', 'canonical_text as label', 'lon', 'lat'])
    .where('lon', '>=', box.west)
    .where('lon', '<=', box.east)
    .where('lat', '>=', box.south)
    .where('lat', '<=', box.north)
    .where((eb) => regionCondition(eb, 'region_code', scope))
    .orderBy('id')
    .limit(limit)
    .execute();
  const rest = limit - addresses.length;
  const buildings =
    rest > 0
      ? await db
          .selectFrom('registry_buildings')
          .select(['id', sql<string>`name`.as('label'), 'lon', 'lat'])
          .where('lon', '>=', box.west)
          .where('lon', '<=', box.east)
          .where('lat', '>=', box.south)
          .where('lat', '<=', box.north)
          .where('address_id', 'is', null)
          .where((eb) => regionCondition(eb, 'region_code', scope))
          .orderBy('id')
          .limit(rest)
          .execute()
      : [];
  const point =
    (kind: PlacePointRow['kind']) =>
    (row: { id: number; label: string; lon: number | null; lat: number | null }) => ({
      kind,
      id: Number(row.id),
      label: row.label,
      lon: row.lon as number,
      lat: row.lat as number,
    });
  return [...addresses.map(point('address')), ...buildings.map(point('building'))];
}
