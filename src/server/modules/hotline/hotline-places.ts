import { type LocalizedText, labelWithCode } from '../../../shared/errors.ts';
import { REGION_LEVEL_LABELS, type RegionSummary, type RegionTreeNode } from '../../../shared/territory.ts';
import type { Actor } from '../people/actor.ts';
import { regionScope, scopeHoldsRegion } from '../people/scope.ts';
import { cachedRegion, type RegionCache } from '../territory/region-cache.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import type { ParsedHotlineRow } from './hotline-import.ts';
import { listOf, localized } from './hotline-texts.ts';

/** The grid or village a 12345 order lands in, within the importer's data scope. */

const PLACE_TEXT = {
  outside: {
    zh: '经纬度 {lon}, {lat} 不在任何网格内（请核对坐标系与经纬度是否填反）',
    en: 'the point {lon}, {lat} is not inside any grid (check the coordinate system and that lon/lat are not swapped)',
  },
  unknownRegionCode: {
    zh: '网格（村居）代码 {code} 不存在',
    en: 'grid or village code {code} does not exist',
  },
  regionLevel: {
    zh: '{region} 是{level}，请填写村居或网格',
    en: '{region} is a {level}: give a village or a grid',
  },
  unknownRegionName: {
    zh: '在您的数据范围（{scope}）内找不到名为“{name}”的村居或网格',
    en: 'no village or grid named "{name}" in your data scope ({scope})',
  },
  ambiguousRegionName: {
    zh: '名称“{name}”对应多个网格（村居）：{candidates}，请填写代码',
    en: 'the name "{name}" matches several grids or villages: {candidates}; give the code',
  },
  outOfScope: {
    zh: '{region} 不在您的数据范围（{scope}）内',
    en: '{region} is outside your data scope ({scope})',
  },
} as const;

/** Where a row lands, or why it cannot. */
type Place = { code: string } | { problem: LocalizedText };

/** The region a row lands in: the leaf grid of its point, else its grid or village by code or by name. */
export function placeResolver(
  territory: Pick<TerritoryService, 'locateCode' | 'getRegionSummary' | 'getRegionTree'>,
  actor: Actor,
) {
  const regions: RegionCache = new Map();
  let names: Promise<Map<string, RegionSummary[]>> | null = null;

  const regionOf = (code: string) => cachedRegion(territory, regions, code);

  const scope = regionScope(actor);
  const inScope = (region: RegionSummary): Place =>
    scopeHoldsRegion(scope, region.code)
      ? { code: region.code }
      : {
          problem: localized(PLACE_TEXT.outOfScope, {
            region: labelWithCode(region.name, region.code),
            scope: actor.scopeName,
          }),
        };

  const byName = async (name: string): Promise<Place> => {
    // Names are looked up only inside the actor's scope, where they are most likely to be unique.
    names ??= territory.getRegionTree(actor, { depth: 8 }).then(indexPlaces);
    const matches = (await names).get(normalizePlaceName(name)) ?? [];
    if (matches.length === 1 && matches[0]) return { code: matches[0].code };
    if (matches.length === 0) {
      return { problem: localized(PLACE_TEXT.unknownRegionName, { name, scope: actor.scopeName }) };
    }
    return { problem: localized(PLACE_TEXT.ambiguousRegionName, { name, candidates: listOf(matches) }) };
  };

  return async (parsed: ParsedHotlineRow): Promise<Place | null> => {
    if (parsed.point) {
      const code = await territory.locateCode(parsed.point.lon, parsed.point.lat);
      if (!code) {
        return {
          problem: localized(PLACE_TEXT.outside, {
            lon: parsed.point.lon.toFixed(6),
            lat: parsed.point.lat.toFixed(6),
          }),
        };
      }
      const grid = await regionOf(code);
      return grid ? inScope(grid) : null;
    }
    if (!parsed.region) return null;
    if (!/^\d{12,21}$/.test(parsed.region)) return byName(parsed.region);
    const region = await regionOf(parsed.region);
    if (!region) return { problem: localized(PLACE_TEXT.unknownRegionCode, { code: parsed.region }) };
    if (region.level !== 'village' && region.level !== 'grid') {
      return {
        problem: localized(PLACE_TEXT.regionLevel, {
          region: labelWithCode(region.name, region.code),
          level: REGION_LEVEL_LABELS[region.level],
        }),
      };
    }
    return inScope(region);
  };
}

/** "河清社区居委会" and "河清社区" name the same village: the committee suffix is dropped before comparing. */
function normalizePlaceName(name: string): string {
  return name.replace(/\s/g, '').replace(/(居民委员会|村民委员会|居委会|村委会)$/, '');
}

function indexPlaces(root: RegionTreeNode): Map<string, RegionSummary[]> {
  const index = new Map<string, RegionSummary[]>();
  const visit = (node: RegionTreeNode) => {
    if (node.level === 'village' || node.level === 'grid') {
      const key = normalizePlaceName(node.name);
      index.set(key, [...(index.get(key) ?? []), node]);
    }
    node.children.forEach(visit);
  };
  visit(root);
  return index;
}
