import { describe, expect, it } from 'vitest';
import type { AreaGeometry } from '../../../shared/territory.ts';
import { generateLattice } from './demo-territory.ts';
import { buildGridLocator, type LeafGrid, locateNaive, pointInGeometry } from './grid-locator.ts';

type PolygonGeometry = Extract<AreaGeometry, { type: 'Polygon' }>;

function rectangle(west: number, south: number, east: number, north: number): PolygonGeometry {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [west, south],
        [east, south],
        [east, north],
        [west, north],
        [west, south],
      ],
    ],
  };
}

describe('pointInGeometry', () => {
  const square = rectangle(113, 22.8, 113.01, 22.81);

  it('finds a point inside a square and not one outside it', () => {
    expect(pointInGeometry(square, 113.005, 22.805)).toBe(true);
    expect(pointInGeometry(square, 113.015, 22.805)).toBe(false);
    expect(pointInGeometry(square, 113.005, 22.795)).toBe(false);
  });

  it('treats edges as half-open: the west and south edges are in, the east and north edges out', () => {
    expect(pointInGeometry(square, 113, 22.805)).toBe(true);
    expect(pointInGeometry(square, 113.005, 22.8)).toBe(true);
    expect(pointInGeometry(square, 113.01, 22.805)).toBe(false);
    expect(pointInGeometry(square, 113.005, 22.81)).toBe(false);
  });

  it('leaves a point in a hole outside the polygon', () => {
    const withHole: AreaGeometry = {
      type: 'Polygon',
      coordinates: [
        ...rectangle(113, 22.8, 113.03, 22.83).coordinates,
        // Holes wind clockwise; the test must not depend on it, so this one does too.
        [
          [113.01, 22.81],
          [113.01, 22.82],
          [113.02, 22.82],
          [113.02, 22.81],
          [113.01, 22.81],
        ],
      ],
    };
    expect(pointInGeometry(withHole, 113.015, 22.815)).toBe(false);
    expect(pointInGeometry(withHole, 113.005, 22.815)).toBe(true);
  });

  it('finds a point in any part of a MultiPolygon and not between the parts', () => {
    const twoParts: AreaGeometry = {
      type: 'MultiPolygon',
      coordinates: [
        rectangle(113, 22.8, 113.01, 22.81).coordinates,
        rectangle(113.02, 22.8, 113.03, 22.81).coordinates,
      ],
    };
    expect(pointInGeometry(twoParts, 113.025, 22.805)).toBe(true);
    expect(pointInGeometry(twoParts, 113.005, 22.805)).toBe(true);
    expect(pointInGeometry(twoParts, 113.015, 22.805)).toBe(false);
  });
});

describe('buildGridLocator', () => {
  // Four squares meeting at (113.01, 22.81).
  const quadrants: LeafGrid[] = [
    { code: 'sw', geometry: rectangle(113, 22.8, 113.01, 22.81) },
    { code: 'se', geometry: rectangle(113.01, 22.8, 113.02, 22.81) },
    { code: 'nw', geometry: rectangle(113, 22.81, 113.01, 22.82) },
    { code: 'ne', geometry: rectangle(113.01, 22.81, 113.02, 22.82) },
  ];
  const locator = buildGridLocator(quadrants);

  it('returns the grid holding the point', () => {
    expect(locator.size).toBe(4);
    expect(locator.locate(113.005, 22.805)).toBe('sw');
    expect(locator.locate(113.015, 22.815)).toBe('ne');
  });

  it('returns null for a point outside every grid', () => {
    expect(locator.locate(113.05, 22.805)).toBeNull();
    expect(locator.locate(112.99, 22.83)).toBeNull();
    expect(buildGridLocator([]).locate(113.005, 22.805)).toBeNull();
  });

  it('gives a point on a shared edge to the grid east of it, or north of an east–west edge', () => {
    expect(locator.locate(113.01, 22.805)).toBe('se');
    expect(locator.locate(113.005, 22.81)).toBe('nw');
    expect(locator.locate(113.01, 22.81)).toBe('ne');
  });

  it('agrees with the naive loop on 10,000 random points over a jittered lattice', () => {
    const cells = generateLattice({ box: [112.95, 22.8, 113.05, 22.87], columns: 30, rows: 20, seed: 3 });
    const latticeLocator = buildGridLocator(cells);
    let state = 12345;
    const random = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
    let located = 0;
    const disagreements: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const lon = 112.94 + random() * 0.12;
      const lat = 22.79 + random() * 0.09;
      const expected = locateNaive(cells, lon, lat);
      const actual = latticeLocator.locate(lon, lat);
      if (actual !== expected) disagreements.push(`${lon}, ${lat}: ${actual} instead of ${expected}`);
      if (expected !== null) located++;
    }
    expect(disagreements).toEqual([]);
    // The points spill over the lattice on purpose, so both answers occur.
    expect(located).toBeGreaterThan(5_000);
    expect(located).toBeLessThan(10_000);
  });

  it('puts every shared lattice vertex in exactly one grid', () => {
    const cells = generateLattice({ box: [112.95, 22.8, 113.05, 22.87], columns: 12, rows: 9, seed: 8 });
    const latticeLocator = buildGridLocator(cells);
    for (const cell of cells) {
      if (cell.column === 0 || cell.row === 0) continue;
      // The north-west corner of a cell not on the outline is shared by four cells.
      const [lon, lat] = cell.geometry.coordinates[0]?.[0] ?? [0, 0];
      const holders = cells.filter((other) => pointInGeometry(other.geometry, lon, lat));
      expect(holders).toHaveLength(1);
      expect(latticeLocator.locate(lon, lat)).toBe(holders[0]?.code);
    }
  });
});
