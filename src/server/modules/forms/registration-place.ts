import type { LocalizedText } from '../../../shared/errors.ts';
import { nfkc } from '../../../shared/registry-validation.ts';
import { CODE_LENGTH, type RegionTreeNode } from '../../../shared/territory.ts';
import { systemActor } from '../people/actor.ts';
import type { RegistryService } from '../registry/registry.service.ts';
import { shortVillageName } from '../registry/registry-place.ts';
import type { TerritoryService } from '../territory/territory.service.ts';

/**
 * Where a registrant is going, as a region: the leaf grid of the point they gave (GPS or a tap on the map), else
 * the place of the registry's standard address their text names, else the village their text names. Nothing
 * found is the registrant's to fix (pick the place on the map), never a guess.
 */

export type Destination = { regionCode: string; villageCode: string } | { problem: LocalizedText };

export const PLACE_TEXT = {
  outside: {
    zh: '所选位置不在本镇任何社区（村）的网格内，请在地图上重新选择',
    en: 'The chosen place is not inside any community of this town: pick it again on the map',
  },
  unknownAddress: {
    zh: '未能根据地址找到所属社区（村），请写明社区（村）名称，或使用定位、在地图上选择',
    en: 'The address could not be placed in a community: name the community (village), use your position or pick it on the map',
  },
} satisfies Record<string, LocalizedText>;

const VILLAGE_CACHE_MS = 5 * 60_000;
/** The registry is read as the system: the registrant sees only the region found, never the records. */
const PLACER = systemActor('public-registration');

export interface DestinationPlacerDeps {
  territory: Pick<TerritoryService, 'locateCode' | 'getRegionTree'>;
  registry: Pick<RegistryService, 'search'>;
}

export function createDestinationPlacer(deps: DestinationPlacerDeps) {
  const { territory, registry } = deps;
  let villages: { at: number; value: Promise<{ code: string; names: string[] }[]> } | null = null;

  /** Every village with the names an address may call it by (河清社区居委会, 河清社区), longest first. */
  function listVillages() {
    const now = Date.now();
    if (!villages || now - villages.at > VILLAGE_CACHE_MS) {
      const value = (async () => {
        const top = await territory.getRegionTree(PLACER, { depth: 0 });
        const depth = Math.max(0, Math.ceil((CODE_LENGTH.village - top.code.length) / 3));
        const tree = await territory.getRegionTree(PLACER, { root: top.code, depth });
        const found: { code: string; names: string[] }[] = [];
        const walk = (node: RegionTreeNode) => {
          if (node.level === 'village') {
            const names = [...new Set([node.name, shortVillageName(node.name)].map(nfkc))];
            found.push({ code: node.code, names: names.filter((n) => n.length >= 2) });
          }
          for (const child of node.children) walk(child);
        };
        walk(tree);
        return found;
      })();
      value.catch(() => {
        villages = null;
      });
      villages = { at: now, value };
    }
    return villages.value;
  }

  async function byAddress(address: string): Promise<Destination> {
    const text = nfkc(address);
    const hits = await registry.search(PLACER, {
      q: address.slice(0, 100),
      entities: 'address',
      page: 1,
      pageSize: 1,
    });
    const hit = hits.items[0];
    if (hit) return { regionCode: hit.regionCode, villageCode: hit.regionCode.slice(0, CODE_LENGTH.village) };
    // The longest name wins, so 河清社区 is not taken for a village called 河清 elsewhere.
    let best: { code: string; length: number } | null = null;
    for (const village of await listVillages()) {
      for (const name of village.names) {
        if (text.includes(name) && (!best || name.length > best.length)) {
          best = { code: village.code, length: name.length };
        }
      }
    }
    return best ? { regionCode: best.code, villageCode: best.code } : { problem: PLACE_TEXT.unknownAddress };
  }

  /** The destination of a registration: by its point when it has one, else by its address. */
  async function place(input: { address: string; lon?: number | undefined; lat?: number | undefined }) {
    if (input.lon !== undefined && input.lat !== undefined) {
      const code = await territory.locateCode(input.lon, input.lat);
      if (!code) return { problem: PLACE_TEXT.outside };
      return { regionCode: code, villageCode: code.slice(0, CODE_LENGTH.village) };
    }
    return byAddress(input.address);
  }

  return { place };
}
