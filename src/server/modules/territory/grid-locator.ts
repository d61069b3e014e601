import Flatbush from 'flatbush';
import type { AreaGeometry, Position } from '../../../shared/territory.ts';
import { polygonsOf } from './coordinates.ts';

/** A grid at the bottom of the tree: the unit every located point is assigned to. */
export interface LeafGrid {
  code: string;
  geometry: AreaGeometry;
}

/*
 * The edge rule, shared by pointInGeometry and the locator so both give the same answer.
 *
 * Edges are half-open, like pixels: a ray goes east from the point, an edge counts for latitudes in
 * [lower end, upper end), and a point exactly on an edge is never to its west. So a point on a shared
 * edge belongs to the grid east of it, or north of it when the edge runs east–west, and a point on a
 * shared corner to exactly one of the grids around it. Grids that tile an area therefore never both
 * claim a point and never both miss one. Each edge is evaluated with its endpoints ordered by
 * latitude, never by the ring's winding, so the two grids sharing it compute bit-identical floating
 * point and cannot disagree through rounding.
 */

/** Whether the point crosses an edge given lower end (ax, ay) and upper end (bx, by). */
function crossesEdge(ax: number, ay: number, bx: number, by: number, lon: number, lat: number): boolean {
  return lat >= ay && lat < by && (bx - ax) * (lat - ay) - (by - ay) * (lon - ax) > 0;
}

function ringsContain(rings: readonly Position[][], lon: number, lat: number): boolean {
  let inside = false;
  for (const ring of rings) {
    // Pairing the first position with the last closes an unclosed ring; on a closed one that edge is empty.
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const previous = ring[j] as Position;
      const px = previous[0];
      const py = previous[1];
      const current = ring[i] as Position;
      const cx = current[0];
      const cy = current[1];
      if (
        py < cy ? crossesEdge(px, py, cx, cy, lon, lat) : cy < py && crossesEdge(cx, cy, px, py, lon, lat)
      ) {
        inside = !inside;
      }
    }
  }
  return inside;
}

/** Even-odd test over all rings of each polygon, so holes are outside; see the edge rule above. */
export function pointInGeometry(geometry: AreaGeometry, lon: number, lat: number): boolean {
  if (geometry.type === 'Polygon') return ringsContain(geometry.coordinates, lon, lat);
  for (const rings of geometry.coordinates) {
    if (ringsContain(rings, lon, lat)) return true;
  }
  return false;
}

export interface GridLocator {
  readonly size: number;
  /** The code of the grid holding the point, or null when no grid does. */
  locate(lon: number, lat: number): string | null;
}

/**
 * Indexes leaf grids for locating points: an R-tree of polygon bounding boxes, then the exact test on
 * candidates until one holds the point. Each polygon's edges are packed once into one Float64Array with
 * their ends ordered by latitude and east–west edges (which never count) dropped, so a lookup
 * allocates only flatbush's small traversal stack. Grids that tile have exactly one answer per point
 * (see the edge rule). Where grids overlap, which validation reports, the answer is one of them, the
 * same one every time for the same grid list, though not necessarily the first listed as in
 * locateNaive: stopping at the first hit is what makes the lookup fast.
 */
export function buildGridLocator(grids: readonly LeafGrid[]): GridLocator {
  const parts: { grid: number; edges: number[]; box: [number, number, number, number] }[] = [];
  grids.forEach((grid, gridIndex) => {
    for (const rings of polygonsOf(grid.geometry)) {
      const edges: number[] = [];
      let minLon = Number.POSITIVE_INFINITY;
      let minLat = Number.POSITIVE_INFINITY;
      let maxLon = Number.NEGATIVE_INFINITY;
      let maxLat = Number.NEGATIVE_INFINITY;
      for (const ring of rings) {
        let previous = ring[ring.length - 1];
        for (const current of ring) {
          const [cx, cy] = current;
          minLon = Math.min(minLon, cx);
          minLat = Math.min(minLat, cy);
          maxLon = Math.max(maxLon, cx);
          maxLat = Math.max(maxLat, cy);
          if (previous !== undefined) {
            const [px, py] = previous;
            if (py < cy) edges.push(px, py, cx, cy);
            else if (cy < py) edges.push(cx, cy, px, py);
          }
          previous = current;
        }
      }
      if (edges.length > 0) parts.push({ grid: gridIndex, edges, box: [minLon, minLat, maxLon, maxLat] });
    }
  });

  if (parts.length === 0) return { size: grids.length, locate: () => null };

  const edgeCount = parts.reduce((sum, part) => sum + part.edges.length, 0);
  const edges = new Float64Array(edgeCount);
  const edgeStart = new Uint32Array(parts.length + 1);
  const partGrid = new Uint32Array(parts.length);
  const index = new Flatbush(parts.length);
  let offset = 0;
  parts.forEach((part, partIndex) => {
    edges.set(part.edges, offset);
    edgeStart[partIndex] = offset;
    offset += part.edges.length;
    partGrid[partIndex] = part.grid;
    index.add(...part.box);
  });
  edgeStart[parts.length] = offset;
  index.finish();
  const codes = grids.map((grid) => grid.code);

  // The query point and the answer live here rather than in per-call closures, keeping locate
  // allocation-free apart from flatbush's small traversal stack.
  let queryLon = 0;
  let queryLat = 0;
  let found = -1;
  const testPart = (partIndex: number): boolean => {
    const end = edgeStart[partIndex + 1] as number;
    let inside = false;
    for (let e = edgeStart[partIndex] as number; e < end; e += 4) {
      const ay = edges[e + 1] as number;
      const by = edges[e + 3] as number;
      if (queryLat < ay || queryLat >= by) continue;
      const ax = edges[e] as number;
      const bx = edges[e + 2] as number;
      if ((bx - ax) * (queryLat - ay) - (by - ay) * (queryLon - ax) > 0) inside = !inside;
    }
    if (inside) found = partGrid[partIndex] as number;
    return inside;
  };

  return {
    size: grids.length,
    locate(lon: number, lat: number): string | null {
      queryLon = lon;
      queryLat = lat;
      found = -1;
      index.collides(lon, lat, lon, lat, testPart);
      return found === -1 ? null : (codes[found] ?? null);
    },
  };
}

/** The baseline the index is measured against: every grid tested in turn, no index. */
export function locateNaive(grids: readonly LeafGrid[], lon: number, lat: number): string | null {
  for (const grid of grids) {
    if (pointInGeometry(grid.geometry, lon, lat)) return grid.code;
  }
  return null;
}
