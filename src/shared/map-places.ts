import { z } from 'zod';
import { bilingual } from './errors.ts';
import { type AreaGeometry, regionCodeSchema } from './territory.ts';

/*
 * What every map asks the server besides grids: the registry's addresses and buildings on screen at street
 * zoom, and a search box over addresses, then villages and grids.
 */

/** The widest box (degrees) the places layer asks for: a street-zoom screen is about 0.03° wide. */
export const PLACE_BOX_MAX_DEGREES = 0.2;
/** The most places one box answers: beyond it the layer says "zoom in". */
export const PLACE_LIMIT = 500;
/** The zoom from which maps show the places layer. */
export const PLACE_MIN_ZOOM = 15;

export type LonLatBox = [west: number, south: number, east: number, north: number];

export const placeBoxQuerySchema = z.object({
  bbox: z
    .string()
    .max(120)
    .transform((text, context): LonLatBox => {
      const numbers = text.split(',').map(Number);
      const [west, south, east, north] = numbers as LonLatBox;
      const valid =
        numbers.length === 4 &&
        numbers.every(Number.isFinite) &&
        west >= -180 &&
        east <= 180 &&
        south >= -90 &&
        north <= 90 &&
        west < east &&
        south < north;
      if (!valid) {
        context.addIssue({
          code: 'custom',
          message: bilingual('应为 西,南,东,北 四个经纬度', 'must be west,south,east,north in degrees'),
        });
        return z.NEVER;
      }
      if (east - west > PLACE_BOX_MAX_DEGREES || north - south > PLACE_BOX_MAX_DEGREES) {
        context.addIssue({
          code: 'custom',
          message: bilingual(
            `范围过大：请放大地图（每边至多 ${PLACE_BOX_MAX_DEGREES} 度）`,
            `the box is too large: zoom in (at most ${PLACE_BOX_MAX_DEGREES} degrees a side)`,
          ),
        });
        return z.NEVER;
      }
      return [west, south, east, north];
    })
    .describe('The box on screen: west,south,east,north (WGS-84 degrees)'),
});

export const PLACE_KINDS = ['address', 'building'] as const;
export const placePointSchema = z.object({
  kind: z.enum(PLACE_KINDS),
  id: z.number().int(),
  label: z.string(),
  lon: z.number(),
  lat: z.number(),
});
export type PlacePoint = z.infer<typeof placePointSchema>;
export const placePointsSchema = z.object({
  items: z.array(placePointSchema),
  more: z.boolean().describe('True when the box holds more than were sent: zoom in to see them all'),
});
export type PlacePoints = z.infer<typeof placePointsSchema>;

export const mapSearchQuerySchema = z.object({
  q: z.string().trim().min(1).max(50).describe('Words of an address, a building, a village or a grid name'),
});

export const MAP_SEARCH_KINDS = ['address', 'building', 'village', 'grid'] as const;
export const mapSearchHitSchema = z.object({
  kind: z.enum(MAP_SEARCH_KINDS),
  label: z.string(),
  detail: z.string().describe('Where it is: the grid and village, or the village of a grid'),
  regionCode: regionCodeSchema,
  lon: z.number(),
  lat: z.number(),
  bbox: z
    .tuple([z.number(), z.number(), z.number(), z.number()])
    .nullable()
    .describe('A village or grid: its extent, to frame it'),
});
export type MapSearchHit = z.infer<typeof mapSearchHitSchema>;
export const mapSearchResultSchema = z.object({ items: z.array(mapSearchHitSchema) });

/** The extent of a polygon's outer rings, or null for none. */
export function boxOfGeometry(geometry: AreaGeometry | null): LonLatBox | null {
  if (!geometry) return null;
  const box: LonLatBox = [Infinity, Infinity, -Infinity, -Infinity];
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (const polygon of polygons) {
    for (const [lon, lat] of polygon[0] ?? []) {
      box[0] = Math.min(box[0], lon);
      box[1] = Math.min(box[1], lat);
      box[2] = Math.max(box[2], lon);
      box[3] = Math.max(box[3], lat);
    }
  }
  return Number.isFinite(box[0]) ? box : null;
}
