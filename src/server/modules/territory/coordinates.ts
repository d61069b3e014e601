import gcoord from 'gcoord';
import type { AreaGeometry, Position } from '../../../shared/territory.ts';

export type BoundingBox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

/**
 * Converts one GCJ-02 point (Amap, Tencent) to WGS-84. GCJ-02 has no closed-form inverse; gcoord iterates
 * to about 0.1 m, far below what a hand-drawn boundary is good for. Points outside China are unchanged,
 * since GCJ-02 only shifts points inside it.
 */
export function gcj02ToWgs84(lon: number, lat: number): [number, number] {
  const [wgsLon, wgsLat] = gcoord.transform([lon, lat], gcoord.GCJ02, gcoord.WGS84);
  return [wgsLon, wgsLat];
}

/** Returns a converted copy; extra ordinates (an altitude) are carried over untouched. */
export function gcj02ToWgs84Geometry(geometry: AreaGeometry): AreaGeometry {
  const convertRing = (ring: Position[]): Position[] =>
    ring.map(([lon, lat, ...rest]) => [...gcj02ToWgs84(lon, lat), ...rest]);
  if (geometry.type === 'Polygon') {
    return { type: 'Polygon', coordinates: geometry.coordinates.map(convertRing) };
  }
  return {
    type: 'MultiPolygon',
    coordinates: geometry.coordinates.map((polygon) => polygon.map(convertRing)),
  };
}

/** The box around every ring (holes included, so a malformed hole outside its shell still counts). */
export function boundingBox(geometry: AreaGeometry): BoundingBox {
  let minLon = Number.POSITIVE_INFINITY;
  let minLat = Number.POSITIVE_INFINITY;
  let maxLon = Number.NEGATIVE_INFINITY;
  let maxLat = Number.NEGATIVE_INFINITY;
  for (const polygon of polygonsOf(geometry)) {
    for (const ring of polygon) {
      for (const [lon, lat] of ring) {
        if (lon < minLon) minLon = lon;
        if (lat < minLat) minLat = lat;
        if (lon > maxLon) maxLon = lon;
        if (lat > maxLat) maxLat = lat;
      }
    }
  }
  return [minLon, minLat, maxLon, maxLat];
}

/** A Polygon seen as a MultiPolygon of one, so callers need a single loop. */
export function polygonsOf(geometry: AreaGeometry): Position[][][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** The radius of the sphere with the WGS-84 ellipsoid's surface area. */
const AUTHALIC_RADIUS_METRES = 6_371_007.2;
const RADIANS_PER_DEGREE = Math.PI / 180;

/**
 * The area of one ring in m², positive whatever its winding.
 *
 * Edges are taken as straight in lon/lat (as drawn on a web map and as polyclip-ts cuts them), and the
 * area under each such edge is integrated exactly on a sphere of the authalic radius. Exact per edge
 * means that splitting an edge at a collinear vertex changes nothing, so the areas of pieces add up to
 * the area of their union to within rounding — the boundary checks compare such sums at a 1 m²
 * tolerance. Against the WGS-84 ellipsoid this reads about 0.25 % high at 20–25°N, the latitudes of
 * Guangdong. Rings crossing the antimeridian are not supported.
 */
export function ringAreaSquareMetres(ring: readonly Position[]): number {
  let sum = 0;
  let previous = ring[ring.length - 1];
  for (const current of ring) {
    if (previous !== undefined) {
      const lon1 = previous[0] * RADIANS_PER_DEGREE;
      const lat1 = previous[1] * RADIANS_PER_DEGREE;
      const lon2 = current[0] * RADIANS_PER_DEGREE;
      const lat2 = current[1] * RADIANS_PER_DEGREE;
      const halfDeltaLat = (lat2 - lat1) / 2;
      const sinc = halfDeltaLat === 0 ? 1 : Math.sin(halfDeltaLat) / halfDeltaLat;
      sum += (lon2 - lon1) * Math.sin((lat1 + lat2) / 2) * sinc;
    }
    previous = current;
  }
  return Math.abs(sum) * AUTHALIC_RADIUS_METRES * AUTHALIC_RADIUS_METRES;
}

/** Shells minus holes, in m²; see ringAreaSquareMetres for the model and its accuracy. */
export function areaSquareMetres(geometry: AreaGeometry): number {
  let area = 0;
  for (const [shell, ...holes] of polygonsOf(geometry)) {
    if (shell === undefined) continue;
    area += ringAreaSquareMetres(shell);
    for (const hole of holes) area -= ringAreaSquareMetres(hole);
  }
  return area;
}
