import { boxOfGeometry, type MapSearchHit } from '../../../shared/map-places.ts';
import type { Actor } from '../people/actor.ts';
import { mayRead } from '../registry/registry.policy.ts';
import type { RegistryService } from '../registry/registry.service.ts';
import type { TerritoryService } from '../territory/territory.service.ts';

/** Hits a search box shows: enough to choose from on a phone. */
const HITS = 10;

export interface MapSearchDeps {
  registry: Pick<RegistryService, 'search'>;
  territory: Pick<TerritoryService, 'searchRegions'>;
}

/**
 * The search box of every map: the registry's standard addresses and buildings first (what people give on
 * the phone: "河清村 3号"), then villages and grids by name, all in the actor's scope. Only hits with a place
 * on the map are kept: a pin needs a point.
 */
export function createMapSearch(deps: MapSearchDeps) {
  async function searchMap(actor: Actor, q: string): Promise<{ items: MapSearchHit[] }> {
    const entities = (['address', 'building'] as const).filter((entity) => mayRead(actor, entity));
    const [places, regions] = await Promise.all([
      entities.length
        ? deps.registry.search(actor, { q, entities: entities.join(','), page: 1, pageSize: HITS })
        : { items: [] },
      deps.territory.searchRegions(actor, { text: q, limit: HITS }),
    ]);
    const items: MapSearchHit[] = [];
    for (const hit of places.items) {
      if (hit.lon === null || hit.lat === null) continue;
      if (hit.entity !== 'address' && hit.entity !== 'building') continue;
      items.push({
        kind: hit.entity,
        label: hit.title,
        detail: [hit.villageName, hit.regionName].filter(Boolean).join(' · '),
        regionCode: hit.regionCode,
        lon: hit.lon,
        lat: hit.lat,
        bbox: null,
      });
    }
    for (const region of regions) {
      const box = boxOfGeometry(region.boundary);
      if (!box) continue;
      items.push({
        kind: region.level === 'village' ? 'village' : 'grid',
        label: region.name,
        detail: region.code,
        regionCode: region.code,
        lon: (box[0] + box[2]) / 2,
        lat: (box[1] + box[3]) / 2,
        bbox: box,
      });
    }
    return { items: items.slice(0, HITS) };
  }
  return { searchMap };
}
