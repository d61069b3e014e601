import { REGISTRY_ENTITIES, type RegistryEntity, type RelocationResult } from '../../../shared/registry.ts';
import { type Db, withLongStatements } from '../../db/database.ts';
import { systemActor } from '../people/actor.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import * as addresses from './address.repository.ts';
import * as registry from './registry.repository.ts';
import { kindOf } from './registry-kinds.ts';
import { createPlacer, PlaceProblem } from './registry-place.ts';
import { normalizeSearchText, searchGrams } from './registry-search.ts';

const RELOCATE_PAGE = 2_000;

/**
 * Places every record again after grid boundaries changed: records with a point are located anew, the others
 * follow their address, residents their house. Says how many moved.
 */
export async function relocateRecords(deps: {
  db: Db;
  territory: TerritoryService;
  now: Date;
}): Promise<RelocationResult> {
  const { db, territory, now } = deps;
  // Boundaries are the territory's to change; records follow wherever they now lie, in anyone's scope.
  const placer = createPlacer(territory, systemActor('relocation'));
  let conflicts = 0;
  let outside = 0;
  const moved = Object.fromEntries(REGISTRY_ENTITIES.map((e) => [e, 0])) as Record<RegistryEntity, number>;
  for (const entity of REGISTRY_ENTITIES) {
    const table = kindOf(entity).pointTable;
    if (!table) continue;
    let afterId = 0;
    for (;;) {
      const page = await registry.listPointed(db, table, afterId, RELOCATE_PAGE);
      if (page.length === 0) break;
      afterId = page[page.length - 1]?.id ?? afterId;
      const moves: { id: number; regionCode: string; villageName: string }[] = [];
      for (const record of page) {
        const code = await territory.locateCode(record.lon, record.lat);
        if (!code) outside++;
        else if (code !== record.region_code) {
          const place = await placer.placeOfRegion(code);
          if (!(place instanceof PlaceProblem))
            moves.push({ id: record.id, regionCode: code, villageName: place.villageName });
        }
      }
      if (moves.length === 0) continue;
      if (table === 'registry_addresses') {
        // An address's key is its text in its village: moving it may clash with one already there.
        const rows = await addresses.findAddressRows(
          db,
          moves.map((m) => m.id),
        );
        const canonical = new Map(rows.map((r) => [r.id, r.canonical_text]));
        const result = await registry.moveAddresses(
          db,
          moves.map((m) => {
            const searchText = normalizeSearchText(`${m.villageName}${canonical.get(m.id) ?? ''}`);
            return { id: m.id, regionCode: m.regionCode, searchText, grams: searchGrams(searchText) };
          }),
          now,
        );
        moved.address += result.moved;
        conflicts += result.conflicts;
      } else {
        moved[entity] += await registry.moveRecords(db, table, moves, now);
      }
    }
  }
  // One statement per table over every record: a job's length, not a request's.
  const followed = await withLongStatements(db, (trx) => registry.followAddresses(trx, now));
  moved.building += followed.buildings;
  moved.house += followed.houses;
  moved.resident += followed.residents;
  moved.organisation += followed.organisations;
  return { moved, conflicts, outside };
}
