import { describe, expect, it } from 'vitest';
import type { AreaGeometry, Position } from '../../../shared/territory.ts';
import { type BoundaryLocale, checkChildren, checkGeometry } from './boundary-validation.ts';
import { areaSquareMetres } from './coordinates.ts';
import { pointInGeometry } from './grid-locator.ts';

const GRID = '440605121015001001';
const OTHER_GRID = '440605121015001002';
const VILLAGE = '440605121015';
const LOCALES: BoundaryLocale[] = ['zh-CN', 'en-US'];

function polygon(...ring: Position[]): AreaGeometry {
  return { type: 'Polygon', coordinates: [ring] };
}

/** A rectangle with its corners given in hundredths of a degree from 113.00E 22.80N. */
function box(west: number, south: number, east: number, north: number): AreaGeometry {
  const lon = (hundredths: number) => 113 + hundredths / 100;
  const lat = (hundredths: number) => 22.8 + hundredths / 100;
  return polygon(
    [lon(west), lat(south)],
    [lon(east), lat(south)],
    [lon(east), lat(north)],
    [lon(west), lat(north)],
    [lon(west), lat(south)],
  );
}

describe('checkGeometry', () => {
  it('accepts a plain square', () => {
    expect(checkGeometry(GRID, box(0, 0, 1, 1), 'zh-CN')).toEqual([]);
  });

  it.each(LOCALES)('reports an unclosed ring with the grid code (%s)', (locale) => {
    const open = polygon([113, 22.8], [113.01, 22.8], [113.01, 22.81], [113, 22.81]);
    const issues = checkGeometry(GRID, open, locale);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ kind: 'invalidPolygon', code: GRID });
    expect(issues[0]?.message).toContain(GRID);
    expect(issues[0]?.message).toMatch(locale === 'zh-CN' ? /网格.*没有闭合/ : /grid .* not closed/);
  });

  it.each(LOCALES)('reports a bow-tie as self-intersecting where its edges cross (%s)', (locale) => {
    const bowTie = polygon([113, 22.8], [113.01, 22.81], [113.01, 22.8], [113, 22.81], [113, 22.8]);
    const issues = checkGeometry(GRID, bowTie, locale);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ kind: 'selfIntersection', code: GRID });
    expect(issues[0]?.at?.[0]).toBeCloseTo(113.005, 6);
    expect(issues[0]?.at?.[1]).toBeCloseTo(22.805, 6);
    expect(issues[0]?.message).toContain(GRID);
    expect(issues[0]?.message).toContain('113.00500, 22.80500');
    expect(issues[0]?.message).toMatch(locale === 'zh-CN' ? /自相交/ : /crosses itself/);
  });

  it('reports too few positions and impossible coordinates, one issue a ring', () => {
    const issues = checkGeometry(
      GRID,
      {
        type: 'MultiPolygon',
        coordinates: [
          [
            [
              [113, 22.8],
              [113.01, 22.8],
              [113, 22.8],
            ],
          ],
          [
            [
              [113, 22.8],
              [113.01, 95],
              [113, 22.81],
              [113, 22.8],
            ],
          ],
          [
            [
              [113, 22.8],
              [Number.NaN, 22.8],
              [113, 22.81],
              [113, 22.8],
            ],
          ],
          [
            [
              [113, 22.8],
              [113.01, 22.8],
              [113, 22.81],
              [113, 22.8],
            ],
          ],
        ],
      },
      'en-US',
    );
    expect(issues.map((issue) => issue.kind)).toEqual(Array(3).fill('invalidPolygon'));
    expect(issues[0]?.message).toMatch(/^The outer ring of part 1 of grid .* only 3 positions/);
    expect(issues[1]?.message).toMatch(/Position 2 of the outer ring of part 2 of grid .*95/);
    expect(issues[2]?.message).toMatch(/part 3.*NaN/);
  });

  it('reports a ring whose positions lie on one line as having no area', () => {
    const flat = polygon([113, 22.8], [113.01, 22.81], [113.02, 22.82], [113, 22.8]);
    const [issue, ...more] = checkGeometry(GRID, flat, 'zh-CN');
    expect(more).toEqual([]);
    expect(issue).toMatchObject({ kind: 'invalidPolygon', code: GRID });
    expect(issue?.message).toContain('面积为零');
  });

  it('names a village as a village', () => {
    const [issue] = checkGeometry(VILLAGE, polygon([113, 22.8], [113.01, 22.8], [113, 22.8]), 'zh-CN');
    expect(issue?.message).toContain(`村居（社区） ${VILLAGE}`);
  });
});

describe('checkChildren', () => {
  const parent = { code: VILLAGE, geometry: box(0, 0, 10, 10) };
  const parentArea = areaSquareMetres(parent.geometry);

  it('accepts children that tile the parent', () => {
    const children = [
      { code: GRID, geometry: box(0, 0, 4, 10) },
      { code: OTHER_GRID, geometry: box(4, 0, 10, 10) },
    ];
    expect(checkChildren({ parent, children, locale: 'zh-CN' })).toEqual([]);
  });

  it.each(LOCALES)(
    'reports two overlapping siblings by code, with the overlap area and a point in it (%s)',
    (locale) => {
      const children = [
        { code: GRID, geometry: box(0, 0, 6, 10) },
        { code: OTHER_GRID, geometry: box(4, 0, 10, 10) },
      ];
      const issues = checkChildren({ parent, children, locale });
      expect(issues).toHaveLength(1);
      const [overlap] = issues;
      expect(overlap).toMatchObject({ kind: 'overlap', code: GRID, otherCode: OTHER_GRID });
      expect(overlap?.areaSquareMetres).toBeCloseTo(parentArea * 0.2, -2);
      const [lon = 0, lat = 0] = overlap?.at ?? [];
      expect(pointInGeometry(box(4, 0, 6, 10), lon, lat)).toBe(true);
      expect(overlap?.message).toContain(GRID);
      expect(overlap?.message).toContain(OTHER_GRID);
      expect(overlap?.message).toMatch(
        locale === 'zh-CN' ? /重叠约 [\d,]+ 平方米/ : /overlap by about [\d,]+ m²/,
      );
    },
  );

  it('reports the gap children leave in their parent', () => {
    const children = [
      { code: GRID, geometry: box(0, 0, 4, 10) },
      { code: OTHER_GRID, geometry: box(6, 0, 10, 10) },
    ];
    const issues = checkChildren({ parent, children, locale: 'en-US' });
    expect(issues).toHaveLength(1);
    const [gap] = issues;
    expect(gap).toMatchObject({ kind: 'uncovered', code: VILLAGE });
    expect(gap?.areaSquareMetres).toBeCloseTo(parentArea * 0.2, -2);
    const [lon = 0, lat = 0] = gap?.at ?? [];
    expect(pointInGeometry(box(4, 0, 6, 10), lon, lat)).toBe(true);
    expect(gap?.message).toContain(`village ${VILLAGE} is not covered`);
  });

  it('reports the child sticking out of its parent, and only that child', () => {
    const children = [
      { code: GRID, geometry: box(0, 0, 5, 10) },
      { code: OTHER_GRID, geometry: box(5, 0, 12, 10) },
    ];
    const issues = checkChildren({ parent, children, locale: 'zh-CN' });
    expect(issues).toHaveLength(1);
    const [outside] = issues;
    expect(outside).toMatchObject({ kind: 'outsideParent', code: OTHER_GRID, otherCode: VILLAGE });
    expect(outside?.areaSquareMetres).toBeCloseTo(parentArea * 0.2, -2);
    const [lon = 0, lat = 0] = outside?.at ?? [];
    expect(pointInGeometry(box(10, 0, 12, 10), lon, lat)).toBe(true);
    expect(outside?.message).toContain(`超出上级村居（社区） ${VILLAGE} 的边界`);
  });

  it('ignores slivers below the tolerance', () => {
    // 1e-8° of overlap along a 0.1° edge is about 11 m².
    const children = [
      { code: GRID, geometry: box(0, 0, 5.000001, 10) },
      { code: OTHER_GRID, geometry: box(5, 0, 10, 10) },
    ];
    expect(checkChildren({ parent, children, locale: 'en-US', minAreaSquareMetres: 20 })).toEqual([]);
    expect(checkChildren({ parent, children, locale: 'en-US' }).map((issue) => issue.kind)).toEqual([
      'overlap',
    ]);
  });

  it('reports an invalid child and checks the rest without it', () => {
    const bowTie = polygon([113.05, 22.8], [113.1, 22.9], [113.1, 22.8], [113.05, 22.9], [113.05, 22.8]);
    const children = [
      { code: GRID, geometry: box(0, 0, 5, 10) },
      { code: OTHER_GRID, geometry: bowTie },
    ];
    const issues = checkChildren({ parent, children, locale: 'en-US' });
    expect(issues.map((issue) => [issue.kind, issue.code])).toEqual([
      ['selfIntersection', OTHER_GRID],
      ['uncovered', VILLAGE],
    ]);
  });

  it('checks only siblings when the parent has no boundary', () => {
    const children = [
      { code: GRID, geometry: box(0, 0, 6, 10) },
      { code: OTHER_GRID, geometry: box(4, 0, 12, 10) },
    ];
    const issues = checkChildren({ parent: { code: VILLAGE, geometry: null }, children, locale: 'en-US' });
    expect(issues.map((issue) => issue.kind)).toEqual(['overlap']);
  });
});
