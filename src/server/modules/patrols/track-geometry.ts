/**
 * The geometry of a patrol track, pure: thinning, length, time and distance per grid, and the share of a grid's
 * area within a set distance of the track. Tracks are short (a village, a few kilometres), so a local
 * equirectangular projection around the track is accurate to well under a metre per kilometre, and lets every
 * test be plain planar arithmetic in metres.
 */
import Flatbush from 'flatbush';
import type { AreaGeometry, Position } from '../../../shared/territory.ts';
import { pointInGeometry } from '../territory/grid-locator.ts';

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;
/** The R2 sequence's steps (1/φ₂ and 1/φ₂², φ₂ the plastic number): evenly spread points in a square. */
const R2_X = 0.7548776662466927;
const R2_Y = 0.5698402909980532;

/** One recorded point: WGS-84 degrees and the time in epoch seconds. */
export interface TrackPoint {
  lon: number;
  lat: number;
  t: number;
}

/** Great-circle distance in metres between two points (haversine). */
export function haversine(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLon = (b.lon - a.lon) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Track length in metres: the sum of its legs. */
export function trackLength(points: readonly TrackPoint[]): number {
  let total = 0;
  for (let i = 1; i < points.length; i++)
    total += haversine(points[i - 1] as TrackPoint, points[i] as TrackPoint);
  return total;
}

/** A local projection to metres around a reference latitude and longitude. */
export interface Projection {
  x(lon: number): number;
  y(lat: number): number;
  lon(x: number): number;
  lat(y: number): number;
}

export function projectionAt(lon0: number, lat0: number): Projection {
  const ky = EARTH_RADIUS_M * RAD;
  const kx = ky * Math.cos(lat0 * RAD);
  return {
    x: (lon) => (lon - lon0) * kx,
    y: (lat) => (lat - lat0) * ky,
    lon: (x) => lon0 + x / kx,
    lat: (y) => lat0 + y / ky,
  };
}

/** Distance from (px, py) to the segment (ax, ay)–(bx, by), planar. */
function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / length2));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

export interface ThinOptions {
  /** Points closer than this to the last kept point are GPS jitter while standing still. */
  minGapM?: number;
  /** Douglas–Peucker tolerance: a point within this of the simplified line adds nothing to the map. */
  toleranceM?: number;
}

/**
 * Drops points within `minGapM` of the last kept one: GPS jitter while the worker stands still. The first and
 * last points are always kept, so the patrol's time span survives. Distances and times are measured on this.
 */
export function dropJitter(points: readonly TrackPoint[], minGapM = 3): TrackPoint[] {
  if (points.length <= 2) return [...points];
  const spaced: TrackPoint[] = [points[0] as TrackPoint];
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i] as TrackPoint;
    if (haversine(spaced[spaced.length - 1] as TrackPoint, p) >= minGapM) spaced.push(p);
  }
  spaced.push(points[points.length - 1] as TrackPoint);
  return spaced;
}

/**
 * Thins a track for keeping and drawing: dropJitter, then Douglas–Peucker with a tolerance in metres (a point
 * within it of the simplified line adds nothing visible on the map). First and last points are kept.
 */
export function thinTrack(points: readonly TrackPoint[], options: ThinOptions = {}): TrackPoint[] {
  const tolerance = options.toleranceM ?? 5;
  const spaced = dropJitter(points, options.minGapM ?? 3);
  if (spaced.length <= 2) return spaced;
  const first = spaced[0] as TrackPoint;
  const proj = projectionAt(first.lon, first.lat);
  const xs = spaced.map((p) => proj.x(p.lon));
  const ys = spaced.map((p) => proj.y(p.lat));
  const keep = new Uint8Array(spaced.length);
  keep[0] = 1;
  keep[spaced.length - 1] = 1;
  // Iterative, so a track of thousands of points cannot overflow the stack.
  const stack: [number, number][] = [[0, spaced.length - 1]];
  while (stack.length > 0) {
    const [from, to] = stack.pop() as [number, number];
    let worst = -1;
    let worstDistance = tolerance;
    for (let i = from + 1; i < to; i++) {
      const d = segmentDistance(
        xs[i] as number,
        ys[i] as number,
        xs[from] as number,
        ys[from] as number,
        xs[to] as number,
        ys[to] as number,
      );
      if (d > worstDistance) {
        worst = i;
        worstDistance = d;
      }
    }
    if (worst > 0) {
      keep[worst] = 1;
      stack.push([from, worst], [worst, to]);
    }
  }
  return spaced.filter((_, i) => keep[i] === 1);
}

/** The bounding box of a geometry, [west, south, east, north]. */
export function geometryBounds(geometry: AreaGeometry): [number, number, number, number] {
  const polygons: Position[][][] =
    geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (const polygon of polygons)
    for (const ring of polygon)
      for (const [lon, lat] of ring) {
        west = Math.min(west, lon);
        east = Math.max(east, lon);
        south = Math.min(south, lat);
        north = Math.max(north, lat);
      }
  return [west, south, east, north];
}

export interface CoverageOptions {
  /** A lattice point counts as covered within this distance of the track (metres). */
  distanceM: number;
  /** Lattice spacing (metres): the grid's area is sampled at the centres of cells this size. */
  cellM?: number;
}

/**
 * The share (0–1) of a grid's area within `distanceM` of the track: the grid's box is sampled with one point per
 * `cellM`² (those inside the polygon count), and a sample is covered when some track segment passes within the
 * distance; segments are found through a packed R-tree of their boxes. A track of one point covers a disc.
 * With 15 m the error is well under 1 % of the area for a grid of a few hundred metres or more.
 */
export function coverageShare(
  geometry: AreaGeometry,
  track: readonly TrackPoint[],
  options: CoverageOptions,
): { samples: number; covered: number; share: number } {
  const cell = options.cellM ?? 15;
  const distance = options.distanceM;
  const [west, south, east, north] = geometryBounds(geometry);
  const proj = projectionAt((west + east) / 2, (south + north) / 2);
  const x0 = proj.x(west);
  const x1 = proj.x(east);
  const y0 = proj.y(south);
  const y1 = proj.y(north);
  const tx = track.map((p) => proj.x(p.lon));
  const ty = track.map((p) => proj.y(p.lat));
  const segments = Math.max(1, track.length - 1);
  const index = track.length > 0 ? new Flatbush(segments) : null;
  if (index) {
    for (let i = 0; i < segments; i++) {
      const j = Math.min(i + 1, track.length - 1);
      index.add(
        Math.min(tx[i] as number, tx[j] as number),
        Math.min(ty[i] as number, ty[j] as number),
        Math.max(tx[i] as number, tx[j] as number),
        Math.max(ty[i] as number, ty[j] as number),
      );
    }
    index.finish();
  }
  let samples = 0;
  let covered = 0;
  // Sample points from the R2 low-discrepancy sequence over the box (one per cell² of it) rather than a
  // square lattice: a track along a lattice axis would otherwise cover a whole number of lattice columns, an
  // error of up to a cell in the band's width; the sequence has no axis, so a straight band is measured true.
  const count = Math.ceil(((x1 - x0) * (y1 - y0)) / (cell * cell));
  for (let i = 0; i < count; i++) {
    const x = x0 + ((0.5 + i * R2_X) % 1) * (x1 - x0);
    const y = y0 + ((0.5 + i * R2_Y) % 1) * (y1 - y0);
    if (!pointInGeometry(geometry, proj.lon(x), proj.lat(y))) continue;
    samples++;
    if (!index) continue;
    const near = index.search(x - distance, y - distance, x + distance, y + distance, (k) => {
      const j = Math.min(k + 1, track.length - 1);
      return (
        segmentDistance(x, y, tx[k] as number, ty[k] as number, tx[j] as number, ty[j] as number) <= distance
      );
    });
    if (near.length > 0) covered++;
  }
  return { samples, covered, share: samples === 0 ? 0 : covered / samples };
}

/** A leaf grid as coverage sees it. */
export interface GridShape {
  code: string;
  geometry: AreaGeometry;
}

export interface GridFigures {
  code: string;
  coverage: number;
  distanceM: number;
  durationS: number;
}

/** Legs longer than this in time are the phone asleep or the page closed, not patrol time. */
const MAX_LEG_S = 300;

/**
 * Per grid touched by the track: coverage share, and the distance and time of the legs whose midpoint lies in
 * the grid. Grids whose box, widened by the coverage distance, misses the track's box are skipped unexamined;
 * a grid appears when the track covers some of it or has a leg in it.
 */
export function gridFigures(
  grids: readonly GridShape[],
  track: readonly TrackPoint[],
  options: CoverageOptions,
): GridFigures[] {
  if (track.length === 0) return [];
  const lons = track.map((p) => p.lon);
  const lats = track.map((p) => p.lat);
  const pad = options.distanceM / (EARTH_RADIUS_M * RAD);
  const padLon = pad / Math.cos((Math.min(...lats) * RAD + Math.max(...lats) * RAD) / 2);
  const box = [
    Math.min(...lons) - padLon,
    Math.min(...lats) - pad,
    Math.max(...lons) + padLon,
    Math.max(...lats) + pad,
  ];
  const result: GridFigures[] = [];
  for (const grid of grids) {
    const [w, s, e, n] = geometryBounds(grid.geometry);
    if (e < (box[0] as number) || w > (box[2] as number) || n < (box[1] as number) || s > (box[3] as number))
      continue;
    let distanceM = 0;
    let durationS = 0;
    for (let i = 1; i < track.length; i++) {
      const a = track[i - 1] as TrackPoint;
      const b = track[i] as TrackPoint;
      if (!pointInGeometry(grid.geometry, (a.lon + b.lon) / 2, (a.lat + b.lat) / 2)) continue;
      distanceM += haversine(a, b);
      const leg = b.t - a.t;
      if (leg > 0 && leg <= MAX_LEG_S) durationS += leg;
    }
    const { share } = coverageShare(grid.geometry, track, options);
    if (share > 0 || distanceM > 0) result.push({ code: grid.code, coverage: share, distanceM, durationS });
  }
  return result;
}

/** Patrol time in seconds: the legs no longer than MAX_LEG_S (a phone asleep is not patrolling). */
export function activeDuration(track: readonly TrackPoint[]): number {
  let total = 0;
  for (let i = 1; i < track.length; i++) {
    const leg = (track[i] as TrackPoint).t - (track[i - 1] as TrackPoint).t;
    if (leg > 0 && leg <= MAX_LEG_S) total += leg;
  }
  return total;
}
