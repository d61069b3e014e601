import kinks from '@turf/kinks';
import Flatbush from 'flatbush';
import { difference, intersection, union } from 'polyclip-ts';
import {
  type AreaGeometry,
  CODE_LENGTH,
  type Position,
  REGION_LEVEL_LABELS,
  type RegionLevel,
  type TerritoryIssue,
} from '../../../shared/territory.ts';
import { areaSquareMetres, boundingBox, polygonsOf, ringAreaSquareMetres } from './coordinates.ts';

export type BoundaryLocale = 'zh-CN' | 'en-US';

/** Below this a ring's area is rounding noise of collinear or repeated positions, not a shape. */
const ZERO_AREA_SQUARE_METRES = 1e-4;
const DEFAULT_MIN_AREA_SQUARE_METRES = 1;

type ClipPolygon = [number, number][][];

function regionLevelOfCode(code: string): RegionLevel | null {
  const level = (Object.keys(CODE_LENGTH) as (keyof typeof CODE_LENGTH)[]).find(
    (candidate) => CODE_LENGTH[candidate] === code.length,
  );
  if (level !== undefined) return level;
  return code.length > CODE_LENGTH.village ? 'grid' : null;
}

/** "网格 4406…" / "grid 4406…": the level is read from the code's length, as the codes are built. */
function regionName(code: string, locale: BoundaryLocale): string {
  const level = regionLevelOfCode(code);
  if (locale === 'zh-CN') return `${level === null ? '区域' : REGION_LEVEL_LABELS[level].zh} ${code}`;
  return `${level === null ? 'region' : REGION_LEVEL_LABELS[level].en.toLowerCase()} ${code}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Five decimals is about a metre: enough to find the spot on a map. */
function formatPoint([lon, lat]: readonly [number, number]): string {
  return `${lon.toFixed(5)}, ${lat.toFixed(5)}`;
}

/** Three significant digits: the message says "about", and drawing precision allows no more. */
function formatArea(squareMetres: number, locale: BoundaryLocale): string {
  return new Intl.NumberFormat(locale, { maximumSignificantDigits: 3 }).format(squareMetres);
}

function ringName(polygonIndex: number, ringIndex: number, multi: boolean, locale: BoundaryLocale): string {
  if (locale === 'zh-CN') {
    const part = multi ? `第 ${polygonIndex + 1} 块的` : '';
    return `${part}${ringIndex === 0 ? '外环' : `第 ${ringIndex} 个内环（洞）`}`;
  }
  const part = multi ? ` of part ${polygonIndex + 1}` : '';
  return `${ringIndex === 0 ? 'the outer ring' : `hole ${ringIndex}`}${part}`;
}

function isValidPosition(position: Position): boolean {
  const [lon, lat] = position;
  return Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lon) <= 180 && Math.abs(lat) <= 90;
}

/** What is wrong with the shape of one ring, or null; later checks assume the earlier ones passed. */
function ringProblem(
  ring: readonly Position[],
  where: string,
  name: string,
  locale: BoundaryLocale,
): string | null {
  const zh = locale === 'zh-CN';
  if (ring.length < 4) {
    return zh
      ? `${name} 的边界${where}只有 ${ring.length} 个点，闭合的环至少需要 4 个（末点重复首点）`
      : `${capitalise(where)} of ${name} has only ${ring.length} positions; a closed ring needs at least 4 (the last repeating the first)`;
  }
  const badIndex = ring.findIndex((position) => !isValidPosition(position));
  const bad = ring[badIndex];
  if (bad !== undefined) {
    const shown = `${bad[0]}, ${bad[1]}`;
    return zh
      ? `${name} 的边界${where}第 ${badIndex + 1} 个点坐标无效（${shown}）：经度应在 -180 至 180 之间，纬度应在 -90 至 90 之间`
      : `Position ${badIndex + 1} of ${where} of ${name} is not a valid coordinate (${shown}): longitude must be within -180…180 and latitude within -90…90`;
  }
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (first !== undefined && last !== undefined && (first[0] !== last[0] || first[1] !== last[1])) {
    return zh
      ? `${name} 的边界${where}没有闭合：末点（${formatPoint([last[0], last[1]])}）与首点（${formatPoint([first[0], first[1]])}）不同`
      : `${capitalise(where)} of ${name} is not closed: its last position (${formatPoint([last[0], last[1]])}) differs from its first (${formatPoint([first[0], first[1]])})`;
  }
  return null;
}

/** Checked after self-intersection, as a symmetric bow-tie also adds up to no area. */
function zeroAreaProblem(
  ring: readonly Position[],
  where: string,
  name: string,
  locale: BoundaryLocale,
): string | null {
  if (ringAreaSquareMetres(ring) >= ZERO_AREA_SQUARE_METRES) return null;
  return locale === 'zh-CN'
    ? `${name} 的边界${where}面积为零（各点共线或重合）`
    : `${capitalise(where)} of ${name} has no area (its positions are collinear or repeated)`;
}

/**
 * Checks one boundary on its own: every ring has at least 4 positions, real coordinates and is closed
 * (kind `invalidPolygon`, one issue per bad ring); then, only if all rings pass, that no edge crosses
 * another (kind `selfIntersection`, one issue at the first crossing found); then that every ring has
 * some area (`invalidPolygon`). The crossing search compares every pair of edges, fine for boundaries
 * of a few thousand positions.
 */
export function checkGeometry(
  code: string,
  geometry: AreaGeometry,
  locale: BoundaryLocale,
): TerritoryIssue[] {
  const name = regionName(code, locale);
  const polygons = polygonsOf(geometry);
  const multi = geometry.type === 'MultiPolygon';
  const emptyMessage =
    locale === 'zh-CN' ? `${name} 的边界没有任何坐标` : `The boundary of ${name} has no coordinates`;
  if (polygons.length === 0 || polygons.some((rings) => rings.length === 0)) {
    return [{ kind: 'invalidPolygon', code, message: emptyMessage }];
  }

  const ringIssues = (problemOf: typeof ringProblem): TerritoryIssue[] =>
    polygons.flatMap((rings, polygonIndex) =>
      rings.flatMap((ring, ringIndex) => {
        const problem = problemOf(ring, ringName(polygonIndex, ringIndex, multi, locale), name, locale);
        return problem === null ? [] : [{ kind: 'invalidPolygon' as const, code, message: problem }];
      }),
    );
  const shapeIssues = ringIssues(ringProblem);
  if (shapeIssues.length > 0) return shapeIssues;

  const crossing = kinks(geometry).features[0];
  if (crossing !== undefined) {
    const [lon = 0, lat = 0] = crossing.geometry.coordinates;
    const at: [number, number] = [lon, lat];
    return [
      {
        kind: 'selfIntersection',
        code,
        message:
          locale === 'zh-CN'
            ? `${name} 的边界自相交（约在 ${formatPoint(at)}）`
            : `The boundary of ${name} crosses itself (near ${formatPoint(at)})`,
        at,
      },
    ];
  }
  return ringIssues(zeroAreaProblem);
}

function toClip(geometry: AreaGeometry): ClipPolygon[] {
  return polygonsOf(geometry).map((rings) => rings.map((ring) => ring.map(([lon, lat]) => [lon, lat])));
}

function fromClip(polygons: ClipPolygon[]): AreaGeometry | null {
  const [only, ...more] = polygons;
  if (only === undefined) return null;
  return more.length === 0
    ? { type: 'Polygon', coordinates: only }
    : { type: 'MultiPolygon', coordinates: polygons };
}

/** The union of valid boundaries as one geometry (null when empty), e.g. a village from its grids. */
export function unionGeometries(geometries: readonly AreaGeometry[]): AreaGeometry | null {
  const [first, ...rest] = geometries.map(toClip);
  if (first === undefined) return null;
  return fromClip(union(first, ...rest));
}

/**
 * A point inside the polygon, for pointing a user at a problem: the middle of the widest stretch of the
 * scan line across the middle of its bounding box, which works for slivers and concave shapes where
 * a centroid can fall outside.
 */
function pointInside(rings: ClipPolygon): [number, number] {
  const [, minLat, , maxLat] = boundingBox({ type: 'Polygon', coordinates: rings });
  const lat = (minLat + maxLat) / 2;
  const crossings: number[] = [];
  for (const ring of rings) {
    let previous = ring[ring.length - 1];
    for (const current of ring) {
      if (previous !== undefined) {
        const [lon1, lat1] = previous;
        const [lon2, lat2] = current;
        if (lat1 <= lat !== lat2 <= lat)
          crossings.push(lon1 + ((lat - lat1) / (lat2 - lat1)) * (lon2 - lon1));
      }
      previous = current;
    }
  }
  crossings.sort((a, b) => a - b);
  let best: [number, number] | null = null;
  let widest = -1;
  for (let i = 0; i + 1 < crossings.length; i += 2) {
    const west = crossings[i] as number;
    const east = crossings[i + 1] as number;
    if (east - west > widest) {
      widest = east - west;
      best = [(west + east) / 2, lat];
    }
  }
  const fallback = rings[0]?.[0] ?? [0, 0];
  return best ?? [fallback[0], fallback[1]];
}

interface ClipArea {
  squareMetres: number;
  at: [number, number];
}

/** Total area of a clipping result and a point inside its largest piece, or null when it is empty. */
function measure(polygons: ClipPolygon[]): ClipArea | null {
  let squareMetres = 0;
  let largest: { area: number; rings: ClipPolygon } | null = null;
  for (const rings of polygons) {
    const area = areaSquareMetres({ type: 'Polygon', coordinates: rings });
    squareMetres += area;
    if (largest === null || area > largest.area) largest = { area, rings };
  }
  return largest === null ? null : { squareMetres, at: pointInside(largest.rings) };
}

export interface CheckChildrenOptions {
  parent: { code: string; geometry: AreaGeometry | null };
  children: { code: string; geometry: AreaGeometry }[];
  locale: BoundaryLocale;
  /** Overlaps, gaps and overhangs up to this size are taken as drawing noise; 1 m² unless given. */
  minAreaSquareMetres?: number;
}

/**
 * Checks how the children of one region fit it: each child's own geometry (checkGeometry), then, among
 * the valid children, every pair that overlaps (`overlap`), every child reaching outside the parent
 * (`outsideParent`) and every piece of the parent no child covers (`uncovered`). Calling it for each
 * region validates a whole tree once, as every region is a child exactly once; the parent's own
 * geometry is checked by its parent's call, and when it is missing or invalid only the sibling
 * checks run.
 *
 * Clipping with polyclip-ts is exact but slow, so the valid case is proven with three operations: the
 * union of the children, its difference from the parent and the reverse. Sibling overlap is the sum of
 * the children's areas minus the union's; only when that or the overhang exceeds the tolerance are
 * pairs (prefiltered by bounding box) or single children clipped to find the culprits.
 */
export function checkChildren(options: CheckChildrenOptions): TerritoryIssue[] {
  const { parent, locale } = options;
  const tolerance = options.minAreaSquareMetres ?? DEFAULT_MIN_AREA_SQUARE_METRES;
  const zh = locale === 'zh-CN';
  const issues: TerritoryIssue[] = [];

  const children: { code: string; clip: ClipPolygon[]; area: number }[] = [];
  for (const child of options.children) {
    const childIssues = checkGeometry(child.code, child.geometry, locale);
    issues.push(...childIssues);
    if (childIssues.length === 0) {
      children.push({
        code: child.code,
        clip: toClip(child.geometry),
        area: areaSquareMetres(child.geometry),
      });
    }
  }
  const parentClip =
    parent.geometry !== null && checkGeometry(parent.code, parent.geometry, locale).length === 0
      ? toClip(parent.geometry)
      : null;
  const [firstChild, ...otherChildren] = children;
  if (firstChild === undefined) {
    if (parentClip !== null) {
      const whole = measure(parentClip);
      if (whole !== null && whole.squareMetres > tolerance) issues.push(uncoveredIssue(whole));
    }
    return issues;
  }
  const childUnion = union(firstChild.clip, ...otherChildren.map((child) => child.clip));
  const unionArea = measure(childUnion)?.squareMetres ?? 0;

  const overlapTotal = children.reduce((sum, child) => sum + child.area, 0) - unionArea;
  if (overlapTotal > tolerance) issues.push(...findOverlaps());

  if (parentClip !== null) {
    const overhang = measure(difference(childUnion, parentClip));
    if (overhang !== null && overhang.squareMetres > tolerance) {
      for (const child of children) {
        const outside = measure(difference(child.clip, parentClip));
        if (outside === null || outside.squareMetres <= tolerance) continue;
        const childName = regionName(child.code, locale);
        const parentName = regionName(parent.code, locale);
        const area = formatArea(outside.squareMetres, locale);
        issues.push({
          kind: 'outsideParent',
          code: child.code,
          otherCode: parent.code,
          message: zh
            ? `${childName} 有约 ${area} 平方米超出上级${parentName} 的边界（约在 ${formatPoint(outside.at)}）`
            : `About ${area} m² of ${childName} lies outside its parent ${parentName} (near ${formatPoint(outside.at)})`,
          areaSquareMetres: outside.squareMetres,
          at: outside.at,
        });
      }
    }
    for (const gap of difference(parentClip, childUnion)) {
      const uncovered = measure([gap]);
      if (uncovered !== null && uncovered.squareMetres > tolerance) issues.push(uncoveredIssue(uncovered));
    }
  }
  return issues;

  function uncoveredIssue(uncovered: ClipArea): TerritoryIssue {
    const parentName = regionName(parent.code, locale);
    const area = formatArea(uncovered.squareMetres, locale);
    return {
      kind: 'uncovered',
      code: parent.code,
      message: zh
        ? `${parentName} 有约 ${area} 平方米不属于任何下级区域（约在 ${formatPoint(uncovered.at)}）`
        : `About ${area} m² of ${parentName} is not covered by any of its children (near ${formatPoint(uncovered.at)})`,
      areaSquareMetres: uncovered.squareMetres,
      at: uncovered.at,
    };
  }

  function findOverlaps(): TerritoryIssue[] {
    const found: TerritoryIssue[] = [];
    const index = new Flatbush(children.length);
    for (const child of children) {
      index.add(...boundingBox({ type: 'MultiPolygon', coordinates: child.clip }));
    }
    index.finish();
    children.forEach((child, i) => {
      const [minLon, minLat, maxLon, maxLat] = boundingBox({ type: 'MultiPolygon', coordinates: child.clip });
      const candidates = index.search(minLon, minLat, maxLon, maxLat, (j) => j > i).sort((a, b) => a - b);
      for (const j of candidates) {
        const other = children[j];
        if (other === undefined) continue;
        const overlap = measure(intersection(child.clip, other.clip));
        if (overlap === null || overlap.squareMetres <= tolerance) continue;
        const area = formatArea(overlap.squareMetres, locale);
        const childName = regionName(child.code, locale);
        const otherName = regionName(other.code, locale);
        found.push({
          kind: 'overlap',
          code: child.code,
          otherCode: other.code,
          message: zh
            ? `${childName} 与${otherName} 重叠约 ${area} 平方米（约在 ${formatPoint(overlap.at)}）`
            : `${capitalise(childName)} and ${otherName} overlap by about ${area} m² (near ${formatPoint(overlap.at)})`,
          areaSquareMetres: overlap.squareMetres,
          at: overlap.at,
        });
      }
    });
    return found;
  }
}
