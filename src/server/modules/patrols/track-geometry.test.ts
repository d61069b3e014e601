import { describe, expect, it } from 'vitest';
import { rectangle } from '../../testing/factories.ts';
import {
  coverageShare,
  dropJitter,
  gridFigures,
  haversine,
  projectionAt,
  type TrackPoint,
  thinTrack,
  trackLength,
} from './track-geometry.ts';

const LAT = 22.85;
const proj = projectionAt(112.95, LAT);
/** A point `x` metres east and `y` metres north of (112.95, 22.85), at second `t`. */
const at = (x: number, y: number, t = 0): TrackPoint => ({ lon: proj.lon(x), lat: proj.lat(y), t });
/** A square grid `side` metres wide, centred on the origin. */
const square = (side: number) =>
  rectangle(proj.lon(-side / 2), proj.lat(-side / 2), proj.lon(side / 2), proj.lat(side / 2));

describe('track geometry', () => {
  it('measures distance on the sphere: one degree of latitude is about 111.2 km', () => {
    expect(haversine({ lon: 112, lat: 22 }, { lon: 112, lat: 23 })).toBeCloseTo(111_195, -1);
    // 100 m east, measured through the local projection, comes back as 100 m.
    expect(haversine(at(0, 0), at(100, 0))).toBeCloseTo(100, 1);
    expect(trackLength([at(0, 0), at(300, 0), at(300, 400)])).toBeCloseTo(700, 0);
  });

  it('drops jitter while standing still and straight-line points, keeping the corners and both ends', () => {
    const walk = [
      at(0, 0, 0),
      at(1, 0.5, 5), // standing still: within 3 m
      at(0.5, 1, 10),
      ...Array.from({ length: 20 }, (_, i) => at(10 * (i + 1), i % 2 === 0 ? 1 : -1, 15 + 5 * i)), // a street
      at(200, 100, 130), // a turn north
      at(200, 200, 140),
    ];
    expect(dropJitter(walk).length).toBe(walk.length - 2);
    const thin = thinTrack(walk, { toleranceM: 5 });
    expect(thin[0]).toEqual(walk[0]);
    expect(thin[thin.length - 1]).toEqual(walk[walk.length - 1]);
    // The street (wobbling 1 m) becomes one line: start, corner at the street's end, the turn, the end.
    expect(thin.length).toBeLessThanOrEqual(5);
    expect(thin.some((p) => Math.abs(haversine(p, at(200, 1))) < 3)).toBe(true);
    // The thinned line is never more than the tolerance away from a dropped point's distance total.
    expect(Math.abs(trackLength(thin) - trackLength(dropJitter(walk)))).toBeLessThan(15);
  });

  it('covers a band 100 m wide with a straight track through the middle of a 500 m square at 50 m', () => {
    const grid = square(500);
    // From beyond the west edge to beyond the east edge, through the middle.
    const track = [at(-300, 0, 0), at(300, 0, 600)];
    const { share, samples } = coverageShare(grid, track, { distanceM: 50 });
    expect(samples).toBeGreaterThan(1000);
    expect(Math.abs(share - 0.2)).toBeLessThan(0.02);
    // Ending in the middle: half the band and a half disc, (250·100 + π·50²/2) / 500².
    const half = coverageShare(grid, [at(-300, 0, 0), at(0, 0, 300)], { distanceM: 50 }).share;
    expect(Math.abs(half - (250 * 100 + (Math.PI * 2500) / 2) / 250_000)).toBeLessThan(0.02);
    // Nothing near: nothing covered.
    expect(coverageShare(grid, [at(1000, 1000), at(1100, 1000)], { distanceM: 50 }).share).toBe(0);
  });

  it('splits distance and time by grid and skips grids far from the track', () => {
    const west = {
      code: 'W',
      geometry: rectangle(proj.lon(-500), proj.lat(-250), proj.lon(0), proj.lat(250)),
    };
    const east = {
      code: 'E',
      geometry: rectangle(proj.lon(0), proj.lat(-250), proj.lon(500), proj.lat(250)),
    };
    const far = {
      code: 'F',
      geometry: rectangle(proj.lon(5000), proj.lat(5000), proj.lon(5500), proj.lat(5500)),
    };
    // 400 m through the west grid, 100 m into the east one, a point every 50 m and 50 s.
    const track = Array.from({ length: 11 }, (_, i) => at(-400 + 50 * i, 0, 50 * i));
    const figures = gridFigures([west, east, far], track, { distanceM: 50 });
    const byCode = new Map(figures.map((f) => [f.code, f]));
    expect(byCode.has('F')).toBe(false);
    expect(byCode.get('W')?.distanceM).toBeCloseTo(400, 0);
    expect(byCode.get('W')?.durationS).toBe(400);
    expect(byCode.get('E')?.distanceM).toBeCloseTo(100, 0);
    // East: 100 m of band 100 m wide plus a half disc, over 500 × 500.
    expect(
      Math.abs((byCode.get('E')?.coverage ?? 0) - (100 * 100 + (Math.PI * 2500) / 2) / 250_000),
    ).toBeLessThan(0.02);
  });
});
