import { describe, expect, it } from 'vitest';
import type { AreaGeometry } from '../../../shared/territory.ts';
import { areaSquareMetres, boundingBox, gcj02ToWgs84, gcj02ToWgs84Geometry } from './coordinates.ts';

function metresBetween([lon1, lat1]: [number, number], [lon2, lat2]: [number, number]): number {
  const radians = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * radians) / 2) ** 2 +
    Math.cos(lat1 * radians) * Math.cos(lat2 * radians) * Math.sin(((lon2 - lon1) * radians) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(a));
}

describe('gcj02ToWgs84', () => {
  it('moves the Jiujiang town centre a few hundred metres west and north', () => {
    const gcj: [number, number] = [112.993516, 22.831182];
    const wgs = gcj02ToWgs84(...gcj);
    const shift = metresBetween(gcj, wgs);
    expect(shift).toBeGreaterThan(200);
    expect(shift).toBeLessThan(700);
    // In Guangdong the GCJ-02 offset points east and south, so undoing it goes west and north.
    expect(wgs[0]).toBeLessThan(gcj[0]);
    expect(wgs[1]).toBeGreaterThan(gcj[1]);
  });

  it('leaves a point outside China where it is', () => {
    expect(gcj02ToWgs84(2.35, 48.85)).toEqual([2.35, 48.85]);
  });
});

describe('gcj02ToWgs84Geometry', () => {
  const input: AreaGeometry = {
    type: 'MultiPolygon',
    coordinates: [
      [
        [
          [112.99, 22.83, 12],
          [113, 22.83, 12],
          [113, 22.84, 15],
          [112.99, 22.83, 12],
        ],
      ],
    ],
  };

  it('converts every position, keeps altitudes and leaves the input untouched', () => {
    const before = JSON.stringify(input);
    const output = gcj02ToWgs84Geometry(input);
    expect(JSON.stringify(input)).toBe(before);
    if (output.type !== 'MultiPolygon') throw new Error('a MultiPolygon should stay one');
    const [first] = output.coordinates[0]?.[0] ?? [];
    expect(first?.slice(0, 2)).toEqual(gcj02ToWgs84(112.99, 22.83));
    expect(first?.[2]).toBe(12);
    expect(output.coordinates[0]?.[0]?.[2]?.[2]).toBe(15);
  });
});

describe('boundingBox', () => {
  it('covers every part of a MultiPolygon', () => {
    const geometry: AreaGeometry = {
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [113, 22.8],
            [113.01, 22.8],
            [113, 22.81],
            [113, 22.8],
          ],
        ],
        [
          [
            [113.05, 22.7],
            [113.06, 22.7],
            [113.05, 22.71],
            [113.05, 22.7],
          ],
        ],
      ],
    };
    expect(boundingBox(geometry)).toEqual([113, 22.7, 113.06, 22.81]);
  });
});

describe('areaSquareMetres', () => {
  const square = (
    west: number,
    south: number,
    east: number,
    north: number,
  ): Extract<AreaGeometry, { type: 'Polygon' }> => ({
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
  });

  it('is within 0.5 % of the WGS-84 ellipsoid for a 0.01° square at 22.84°N', () => {
    // Reference: the ellipsoid's meridian and prime-vertical radii at the square's latitude.
    const a = 6_378_137;
    const e2 = 0.00669437999014;
    const lat = (22.845 * Math.PI) / 180;
    const w = 1 - e2 * Math.sin(lat) ** 2;
    const meridian = (a * (1 - e2)) / w ** 1.5;
    const primeVertical = a / Math.sqrt(w);
    const step = (0.01 * Math.PI) / 180;
    const reference = meridian * step * primeVertical * Math.cos(lat) * step;
    const area = areaSquareMetres(square(113, 22.84, 113.01, 22.85));
    expect(Math.abs(area / reference - 1)).toBeLessThan(0.005);
  });

  it('adds up: two halves have the area of the whole', () => {
    const whole = areaSquareMetres(square(113, 22.84, 113.02, 22.85));
    const halves =
      areaSquareMetres(square(113, 22.84, 113.01, 22.85)) +
      areaSquareMetres(square(113.01, 22.84, 113.02, 22.85));
    expect(Math.abs(whole - halves)).toBeLessThan(1e-3);
  });

  it('subtracts holes', () => {
    const outer = square(113, 22.84, 113.02, 22.86);
    const inner = square(113.005, 22.845, 113.015, 22.855);
    const withHole: AreaGeometry = {
      type: 'Polygon',
      coordinates: [...outer.coordinates, ...inner.coordinates],
    };
    expect(areaSquareMetres(withHole)).toBeCloseTo(areaSquareMetres(outer) - areaSquareMetres(inner), 3);
  });
});
