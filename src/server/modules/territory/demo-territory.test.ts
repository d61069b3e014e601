import { describe, expect, it } from 'vitest';
import type { TerritoryIssue } from '../../../shared/territory.ts';
import { checkChildren } from './boundary-validation.ts';
import { type DemoTerritoryOptions, generateDemoTerritory, generateLattice } from './demo-territory.ts';
import { pointInGeometry } from './grid-locator.ts';

const TOWN = '440605121';
const TOWN_BOX: DemoTerritoryOptions['townBox'] = [112.94, 22.8, 113.05, 22.87];

function demoOptions(overrides: Partial<DemoTerritoryOptions> = {}): DemoTerritoryOptions {
  return {
    townBox: TOWN_BOX,
    villages: Array.from({ length: 20 }, (_, i) => ({ code: `${TOWN}${String(i + 1).padStart(3, '0')}` })),
    leafTarget: 426,
    level2Target: 60,
    seed: 1,
    ...overrides,
  };
}

describe('generateDemoTerritory', () => {
  const territory = generateDemoTerritory(demoOptions());
  const leaves = territory.grids.filter((grid) => grid.gridLevel === 3);

  it('gives the same output for the same seed, and another for another seed', () => {
    const again = JSON.stringify(generateDemoTerritory(demoOptions()));
    expect(again).toBe(JSON.stringify(territory));
    expect(JSON.stringify(generateDemoTerritory(demoOptions({ seed: 2 })))).not.toBe(again);
  });

  it('makes exactly the leaves and level-2 grids asked for, and one level-1 grid a village', () => {
    expect(leaves).toHaveLength(426);
    expect(territory.grids.filter((grid) => grid.gridLevel === 2)).toHaveLength(60);
    expect(territory.grids.filter((grid) => grid.gridLevel === 1).map((grid) => grid.code)).toEqual(
      territory.villages.map((village) => `${village.code}001`),
    );
  });

  it('builds each code from its parent code and a 3-digit sequence number', () => {
    const known = new Set([...territory.villages.map((village) => village.code)]);
    for (const grid of territory.grids) {
      expect(known.has(grid.parentCode)).toBe(true);
      expect(grid.code).toBe(`${grid.parentCode}${String(grid.seq).padStart(3, '0')}`);
      expect(grid.code).toHaveLength(12 + 3 * grid.gridLevel);
      known.add(grid.code);
    }
  });

  it('gives every village at least 3 leaves, all in one piece', () => {
    for (const village of territory.villages) {
      expect(leaves.filter((leaf) => leaf.code.startsWith(village.code)).length).toBeGreaterThanOrEqual(3);
      expect(village.geometry.type).toBe('Polygon');
    }
  });

  it('passes boundary validation at every level', () => {
    const issues: TerritoryIssue[] = checkChildren({
      parent: { code: TOWN, geometry: territory.town },
      children: territory.villages,
      locale: 'en-US',
    });
    for (const parent of [...territory.villages, ...territory.grids.filter((grid) => grid.gridLevel < 3)]) {
      const children = territory.grids.filter((grid) => grid.parentCode === parent.code);
      expect(children.length).toBeGreaterThan(0);
      issues.push(...checkChildren({ parent, children, locale: 'en-US' }));
    }
    expect(issues).toEqual([]);
  });

  it('places villages with a known centre over that centre', () => {
    const centres: [number, number][] = [
      [112.96, 22.82],
      [113.03, 22.82],
      [112.96, 22.855],
      [113.03, 22.855],
      [112.995, 22.835],
    ];
    const withCentres = generateDemoTerritory(
      demoOptions({
        villages: [
          ...centres.map((centre, i) => ({ code: `${TOWN}${String(i + 1).padStart(3, '0')}`, centre })),
          { code: `${TOWN}006` },
          { code: `${TOWN}007` },
        ],
        leafTarget: 120,
        level2Target: 14,
      }),
    );
    centres.forEach((centre, i) => {
      const village = withCentres.villages[i];
      expect(village && pointInGeometry(village.geometry, ...centre)).toBe(true);
    });
  });

  it('refuses too few leaves for its villages', () => {
    expect(() => generateDemoTerritory(demoOptions({ leafTarget: 60 }))).toThrow(RangeError);
  });
});

describe('generateLattice', () => {
  it('makes columns × rows cells that share their corners with their neighbours', () => {
    const cells = generateLattice({ box: TOWN_BOX, columns: 5, rows: 4, seed: 9 });
    expect(cells).toHaveLength(20);
    const at = (column: number, row: number) =>
      cells.find((cell) => cell.column === column && cell.row === row);
    // Rings run NW, SW, SE, NE: a cell's NE corner is its eastern neighbour's NW corner.
    expect(at(1, 1)?.geometry.coordinates[0]?.[3]).toEqual(at(2, 1)?.geometry.coordinates[0]?.[0]);
    expect(at(1, 1)?.geometry.coordinates[0]?.[1]).toEqual(at(1, 2)?.geometry.coordinates[0]?.[0]);
  });
});
