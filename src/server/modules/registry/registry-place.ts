import type { LocalizedText } from '../../../shared/errors.ts';
import { CODE_LENGTH, type RegionSummary } from '../../../shared/territory.ts';
import { AppError } from '../../errors.ts';
import { inScope } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';
import { gcj02ToWgs84 } from '../territory/coordinates.ts';
import { cachedRegion, type RegionCache } from '../territory/region-cache.ts';
import { createRegionNameLookup, looksLikeRegionCode } from '../territory/region-names.ts';
import type { TerritoryService } from '../territory/territory.service.ts';

export type { RegionCache };

/** Where a record lies, as stored with it. */
export interface Place {
  regionCode: string;
  countyCode: string;
  villageCode: string;
  /** The village's short name (河清社区), part of addresses' full text and search text. */
  villageName: string;
}

export interface PlaceInput {
  lon?: number | null | undefined;
  lat?: number | null | undefined;
  regionCode?: string | null | undefined;
}

export const PLACE_TEXT = {
  outside: {
    zh: '经纬度 {lon}, {lat} 不在任何网格内（请核对坐标系，以及经纬度是否填反）',
    en: 'the point {lon}, {lat} is not inside any grid (check the coordinate system and that lon/lat are not swapped)',
  },
  halfPoint: { zh: '经度和纬度须同时填写', en: 'give both longitude and latitude, or neither' },
  unknownRegion: { zh: '网格（村居）代码 {code} 不存在', en: 'grid or village code {code} does not exist' },
  notGridOrVillage: {
    zh: '{region} 不是村居或网格，请填写村居或网格代码',
    en: '{region} is not a village or grid: give a village or grid code',
  },
  noPlace: {
    zh: '缺少位置：请填写经纬度或所属网格（村居）代码',
    en: 'no location: give lon/lat or the grid or village code',
  },
  outOfScope: {
    zh: '{region} 不在您的数据范围（{scope}）内',
    en: '{region} is outside your data scope ({scope})',
  },
} as const satisfies Record<string, LocalizedText>;

/** A problem placing a record, with its message parameters: a row's reason or a request's 400. */
export class PlaceProblem {
  constructor(
    readonly text: LocalizedText,
    readonly params: Record<string, string | number> = {},
  ) {}

  toError(): AppError {
    return new AppError('VALIDATION_FAILED', { summary: this.localized() });
  }

  localized(): LocalizedText {
    const fill = (text: string) => text.replace(/\{(\w+)\}/g, (_, k: string) => String(this.params[k] ?? ''));
    return { zh: fill(this.text.zh), en: fill(this.text.en) };
  }
}

/** 河清社区居委会 → 河清社区, 上西村委会 → 上西村: how a village is named inside an address. */
export function shortVillageName(name: string): string {
  return name.replace(/居委会$/, '').replace(/村委会$/, '村');
}

/**
 * Places records into grids for one operation (a request, an import): points through the territory's locator,
 * codes checked against the region tree, each region read once. Every place is checked against the actor's scope.
 */
export function createPlacer(
  territory: TerritoryService,
  actor: Actor,
  crs: 'wgs84' | 'gcj02' = 'wgs84',
  /** Regions already read, shared by the placers of one import's batches (points are each batch's own). */
  regions: RegionCache = new Map(),
) {
  const located = new Map<string, Promise<string | null>>();
  const lookUpName = createRegionNameLookup(territory, actor);

  function locate(point: { lon: number; lat: number }): Promise<string | null> {
    const key = `${point.lon},${point.lat}`;
    let code = located.get(key);
    if (!code) {
      code = territory.locateCode(point.lon, point.lat);
      located.set(key, code);
    }
    return code;
  }

  function region(code: string): Promise<RegionSummary | null> {
    return cachedRegion(territory, regions, code);
  }

  /** A village or grid given by code or, as files from outside often do, by name (as the 12345 import does). */
  async function placeOfRegion(codeOrName: string): Promise<Place | PlaceProblem> {
    let code = codeOrName;
    if (!looksLikeRegionCode(codeOrName)) {
      const named = await lookUpName(codeOrName);
      if ('problem' in named) return new PlaceProblem(named.problem);
      code = named.code;
    }
    const summary = await region(code);
    if (!summary) return new PlaceProblem(PLACE_TEXT.unknownRegion, { code });
    if (summary.level !== 'village' && summary.level !== 'grid') {
      return new PlaceProblem(PLACE_TEXT.notGridOrVillage, { region: `${summary.name}（${code}）` });
    }
    const villageCode = code.slice(0, CODE_LENGTH.village);
    const village = villageCode === code ? summary : await region(villageCode);
    if (!inScope(actor, code)) {
      return new PlaceProblem(PLACE_TEXT.outOfScope, {
        region: `${summary.name}（${code}）`,
        scope: actor.scopeName || actor.scopeCode,
      });
    }
    return {
      regionCode: code,
      countyCode: code.slice(0, CODE_LENGTH.county),
      villageCode,
      villageName: shortVillageName(village?.name ?? ''),
    };
  }

  /** The WGS-84 point of an input, converted from GCJ-02 when the operation says so. */
  function pointOf(input: PlaceInput): { lon: number; lat: number } | null | PlaceProblem {
    const hasLon = input.lon !== null && input.lon !== undefined;
    const hasLat = input.lat !== null && input.lat !== undefined;
    if (hasLon !== hasLat) return new PlaceProblem(PLACE_TEXT.halfPoint);
    if (!hasLon || !hasLat) return null;
    const [lon, lat] =
      crs === 'gcj02' ? gcj02ToWgs84(Number(input.lon), Number(input.lat)) : [input.lon, input.lat];
    return { lon: Number(lon), lat: Number(lat) };
  }

  /** The place of a point (its leaf grid) or, without one, of the given grid or village code. */
  async function place(
    input: PlaceInput,
    fallback?: Place | null,
  ): Promise<{ place: Place; point: { lon: number; lat: number } | null } | PlaceProblem> {
    const point = pointOf(input);
    if (point instanceof PlaceProblem) return point;
    if (point) {
      const code = await locate(point);
      if (!code) return new PlaceProblem(PLACE_TEXT.outside, { lon: point.lon, lat: point.lat });
      const placed = await placeOfRegion(code);
      return placed instanceof PlaceProblem ? placed : { place: placed, point };
    }
    if (input.regionCode) {
      const placed = await placeOfRegion(input.regionCode);
      return placed instanceof PlaceProblem ? placed : { place: placed, point: null };
    }
    // The fallback is the place of the record's address, which was checked when it was resolved.
    if (fallback) return { place: fallback, point: null };
    return new PlaceProblem(PLACE_TEXT.noPlace);
  }

  /**
   * Locates the points, resolves the place names and reads the regions of `inputs` ahead, through the territory service's own connection.
   * Writers place records inside their transaction, which on the embedded database holds its only session:
   * everything they ask the placer then must already be known.
   */
  async function prepare(inputs: readonly (PlaceInput | null | undefined)[]): Promise<void> {
    const codes = new Set<string>();
    for (const input of inputs) {
      if (!input) continue;
      const point = pointOf(input);
      if (point && !(point instanceof PlaceProblem)) {
        const code = await locate(point);
        if (code) codes.add(code);
      } else if (input.regionCode) {
        if (looksLikeRegionCode(input.regionCode)) codes.add(input.regionCode);
        else {
          const named = await lookUpName(input.regionCode);
          if (!('problem' in named)) codes.add(named.code);
        }
      }
    }
    for (const code of codes) {
      await region(code);
      await region(code.slice(0, CODE_LENGTH.village));
    }
  }

  return { place, placeOfRegion, pointOf, prepare };
}

export type Placer = ReturnType<typeof createPlacer>;
