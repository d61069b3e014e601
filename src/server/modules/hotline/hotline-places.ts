import { type LocalizedText, labelWithCode } from '../../../shared/errors.ts';
import { REGION_LEVEL_LABELS, type RegionSummary } from '../../../shared/territory.ts';
import type { Actor } from '../people/actor.ts';
import { regionScope, scopeHoldsRegion } from '../people/scope.ts';
import { cachedRegion, type RegionCache } from '../territory/region-cache.ts';
import { createRegionNameLookup, looksLikeRegionCode } from '../territory/region-names.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import type { ParsedHotlineRow } from './hotline-import.ts';
import { localized } from './hotline-texts.ts';

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

  const lookUpName = createRegionNameLookup(territory, actor);
  const byName = async (name: string): Promise<Place> => {
    const found = await lookUpName(name);
    return 'problem' in found ? found : { code: found.code };
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
    if (!looksLikeRegionCode(parsed.region)) return byName(parsed.region);
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
