import { z } from 'zod';
import { bilingual } from './errors.ts';
import { GRID_DUTIES } from './roles.ts';

/** Levels of the region tree, top to bottom. Grids hang under villages at grid levels 1–3. */
export const REGION_LEVELS = ['province', 'city', 'county', 'town', 'village', 'grid'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

export const REGION_LEVEL_LABELS: Record<RegionLevel, { zh: string; en: string }> = {
  province: { zh: '省', en: 'Province' },
  city: { zh: '市', en: 'City' },
  county: { zh: '区县', en: 'District' },
  town: { zh: '镇街', en: 'Town' },
  village: { zh: '村居（社区）', en: 'Village' },
  grid: { zh: '网格', en: 'Grid' },
};

/** Code length of each level in the national statistical division code; grids add 3 digits a level. */
export const CODE_LENGTH: Record<Exclude<RegionLevel, 'grid'>, number> = {
  province: 2,
  city: 4,
  county: 6,
  town: 9,
  village: 12,
};
export const GRID_CODE_DIGITS_PER_LEVEL = 3;
export const MAX_GRID_LEVEL = 3;

export function expectedCodeLength(level: RegionLevel, gridLevel?: number | null): number {
  if (level === 'grid') return CODE_LENGTH.village + GRID_CODE_DIGITS_PER_LEVEL * (gridLevel ?? 1);
  return CODE_LENGTH[level];
}

export const regionCodeSchema = z
  .string()
  .regex(/^\d{2,21}$/, bilingual('区划代码应为 2–21 位数字', 'a region code is 2 to 21 digits'))
  .describe('Statistical division code; grid codes extend their village code by 3 digits a level');

const position = z.tuple([z.number().finite(), z.number().finite()]).rest(z.number());
const ring = z.array(position);
export const polygonSchema = z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1) });
export const multiPolygonSchema = z.object({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(z.array(ring).min(1)).min(1),
});
export const areaGeometrySchema = z.discriminatedUnion('type', [polygonSchema, multiPolygonSchema]);
export type AreaGeometry = z.infer<typeof areaGeometrySchema>;
export type Position = [number, number, ...number[]];

export const gridDutySchema = z.enum(GRID_DUTIES);

export const responsiblePersonSchema = z.object({
  userId: z.number().int(),
  duty: gridDutySchema,
  name: z.string(),
  phone: z.string().nullable(),
});
export type ResponsiblePerson = z.infer<typeof responsiblePersonSchema>;

export const regionSummarySchema = z.object({
  code: regionCodeSchema,
  name: z.string(),
  level: z.enum(REGION_LEVELS),
  gridLevel: z.number().int().min(1).max(MAX_GRID_LEVEL).nullable(),
  parentCode: regionCodeSchema.nullable(),
});
export type RegionSummary = z.infer<typeof regionSummarySchema>;

export const regionDetailSchema = regionSummarySchema.extend({
  ancestors: z.array(regionSummarySchema).describe('From the root down to the parent'),
  children: z.array(regionSummarySchema.extend({ childCount: z.number().int() })),
  boundary: areaGeometrySchema.nullable(),
  synthetic: z.boolean().describe('True when the boundary is made up for the demo, not an official one'),
  people: z.array(responsiblePersonSchema),
  version: z.number().int(),
});
export type RegionDetail = z.infer<typeof regionDetailSchema>;

// Recursive schemas need an id so the OpenAPI document can refer to them as a component.
export const regionTreeNodeSchema: z.ZodType<RegionTreeNode> = z
  .lazy(() =>
    regionSummarySchema.extend({ childCount: z.number().int(), children: z.array(regionTreeNodeSchema) }),
  )
  .meta({ id: 'RegionTreeNode' });
export interface RegionTreeNode extends RegionSummary {
  childCount: number;
  children: RegionTreeNode[];
}

export const locateQuerySchema = z.object({
  lon: z.coerce.number().min(-180).max(180),
  lat: z.coerce.number().min(-90).max(90),
});

/**
 * Kinds of grid. Comprehensive grids (综合网格) are the region tree's grids; every other kind is a tree of its own
 * over the same villages (see docs/party.md), coded with its letter before digits.
 */
export const GRID_KINDS = ['comprehensive', 'party', 'special'] as const;
export type GridKind = (typeof GRID_KINDS)[number];
export type LayerGridKind = Exclude<GridKind, 'comprehensive'>;
export const LAYER_GRID_KINDS = ['party', 'special'] as const satisfies readonly LayerGridKind[];
export const GRID_KIND_LABELS: Record<GridKind, { zh: string; en: string }> = {
  comprehensive: { zh: '综合网格', en: 'Comprehensive grid' },
  party: { zh: '党建网格', en: 'Party grid' },
  special: { zh: '专属网格', en: 'Special grid' },
};
export const LAYER_CODE_LETTER: Record<LayerGridKind, string> = { party: 'P', special: 'S' };

export const layerGridCodeSchema = z
  .string()
  .regex(/^[PS]\d{9,24}$/, bilingual('网格编码应为 P 或 S 加数字', 'a layer grid code is P or S and digits'))
  .describe('A party (P…) or special (S…) grid code');

export const layerGridSummarySchema = z.object({
  code: layerGridCodeSchema,
  kind: z.enum(LAYER_GRID_KINDS),
  name: z.string(),
  gridLevel: z.number().int().min(1).max(MAX_GRID_LEVEL),
  parentCode: layerGridCodeSchema.nullable(),
  regionCode: regionCodeSchema.describe('The lowest region holding the grid whole: its village, or the town'),
  regionName: z.string(),
  synthetic: z.boolean(),
});
export type LayerGridSummary = z.infer<typeof layerGridSummarySchema>;

export const layerGridListSchema = z.object({
  kind: z.enum(LAYER_GRID_KINDS),
  counts: z.array(z.object({ gridLevel: z.number().int(), count: z.number().int() })),
  grids: z.array(
    layerGridSummarySchema.extend({ childCount: z.number().int(), people: z.array(responsiblePersonSchema) }),
  ),
});
export type LayerGridList = z.infer<typeof layerGridListSchema>;

export const layerGridDetailSchema = layerGridSummarySchema.extend({
  ancestors: z.array(layerGridSummarySchema),
  children: z.array(layerGridSummarySchema.extend({ childCount: z.number().int() })),
  boundary: areaGeometrySchema.nullable(),
  people: z.array(responsiblePersonSchema),
  version: z.number().int(),
});
export type LayerGridDetail = z.infer<typeof layerGridDetailSchema>;

/** Where a point lies in one grid layer: its leaf grid, that grid's ancestors in the layer, its people. */
export const layerLocationSchema = z.object({
  kind: z.enum(LAYER_GRID_KINDS),
  grid: layerGridSummarySchema,
  ancestors: z.array(layerGridSummarySchema),
  people: z.array(responsiblePersonSchema),
});
export type LayerLocation = z.infer<typeof layerLocationSchema>;

export const locateResultSchema = z.discriminatedUnion('found', [
  z.object({
    found: z.literal(true),
    grid: regionSummarySchema,
    ancestors: z.array(regionSummarySchema),
    people: z.array(responsiblePersonSchema),
    layers: z
      .array(layerLocationSchema)
      .describe('The grid of each other layer (party, special) holding the point, one per kind'),
  }),
  z.object({ found: z.literal(false), message: z.string() }),
]);
export type LocateResult = z.infer<typeof locateResultSchema>;

export const setGridPeopleSchema = z.object({
  version: z.number().int().describe('The grid version you read; a stale one is refused with 409'),
  people: z.array(z.object({ userId: z.number().int(), duty: gridDutySchema })).max(50),
});

/** One problem found by boundary validation; `code` names the grid or village it concerns. */
export const TERRITORY_ISSUE_KINDS = [
  'invalidPolygon',
  'selfIntersection',
  'overlap',
  'uncovered',
  'outsideParent',
] as const;
export const territoryIssueSchema = z.object({
  kind: z.enum(TERRITORY_ISSUE_KINDS),
  code: regionCodeSchema,
  otherCode: regionCodeSchema.optional(),
  message: z.string(),
  areaSquareMetres: z.number().optional(),
  at: z.tuple([z.number(), z.number()]).optional().describe('A point where the problem is, [lon, lat]'),
});
export type TerritoryIssue = z.infer<typeof territoryIssueSchema>;

/** One rejected line of an import file. Line numbers count the header as line 1. */
export const importRowErrorSchema = z.object({
  line: z.number().int(),
  code: z.string().optional(),
  reason: z.string(),
});
export type ImportRowError = z.infer<typeof importRowErrorSchema>;

export const importReportSchema = z.object({
  applied: z.boolean(),
  total: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  errors: z.array(importRowErrorSchema),
});
export type ImportReport = z.infer<typeof importReportSchema>;

export const boundaryImportReportSchema = z.object({
  applied: z.boolean(),
  total: z.number().int(),
  updated: z.number().int(),
  errors: z.array(importRowErrorSchema),
  issues: z.array(territoryIssueSchema),
  relocated: z
    .record(z.string(), z.number().int())
    .optional()
    .describe('Registry records re-placed into other grids by the new boundaries, per type'),
});
export type BoundaryImportReport = z.infer<typeof boundaryImportReportSchema>;

/**
 * Great-circle distance in metres between two WGS-84 points (haversine): how far from the reported place a
 * photo was taken, how near a possible duplicate lies.
 */
export function distanceMeters(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(a)));
}
