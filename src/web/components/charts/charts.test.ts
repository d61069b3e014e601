import { describe, expect, it } from 'vitest';
import { textWidth, valueTicks } from './frame.tsx';
import { monotonePath } from './LineChart.tsx';

describe('valueTicks', () => {
  it('counts from 0 past the largest value in whole steps of 1, 2 or 5 × 10ⁿ', () => {
    for (const max of [1, 3, 7, 10, 23, 99, 100, 101, 480, 12_345]) {
      const ticks = valueTicks(max);
      const step = ticks[1] ?? 0;
      expect(ticks[0]).toBe(0);
      expect(ticks.at(-1)).toBeGreaterThanOrEqual(max);
      // No tick more than needed: the one before the last is still below the largest value.
      expect(ticks.at(-2)).toBeLessThan(max);
      expect(Number.isInteger(step)).toBe(true);
      expect(String(step)).toMatch(/^[125]0*$/);
      expect(ticks.every((tick, i) => tick === i * step)).toBe(true);
      expect(ticks.length).toBeLessThanOrEqual(11);
    }
  });

  it('still draws an axis when every count is 0', () => {
    expect(valueTicks(0)).toEqual([0, 1]);
  });
});

describe('monotonePath', () => {
  /** The points of a cubic path: its start, then each segment's two control points and its end. */
  const numbers = (d: string) => (d.match(/-?\d+(\.\d+)?(e-?\d+)?/g) ?? []).map(Number);

  it('passes through every point and never swings beyond its neighbours (a count never dips below 0)', () => {
    const points: Array<[number, number]> = [0, 10, 0, 0, 5, 6, 2].map((v, i) => [i * 10, 100 - v * 10]);
    const values = numbers(monotonePath(points));
    expect(values.slice(0, 2)).toEqual(points[0]);
    for (let k = 1; k < points.length; k++) {
      const [c1x, c1y, c2x, c2y, x, y] = values.slice(2 + (k - 1) * 6, 2 + k * 6);
      const [x0, y0] = points[k - 1] ?? [0, 0];
      const [x1, y1] = points[k] ?? [0, 0];
      expect([x, y]).toEqual([x1, y1]);
      for (const cy of [c1y, c2y]) {
        expect(cy).toBeGreaterThanOrEqual(Math.min(y0, y1) - 1e-9);
        expect(cy).toBeLessThanOrEqual(Math.max(y0, y1) + 1e-9);
      }
      expect(c1x).toBeGreaterThan(x0);
      expect(c2x).toBeLessThan(x1);
    }
  });

  it('draws nothing for no points and a bare move for one', () => {
    expect(monotonePath([])).toBe('');
    expect(monotonePath([[5, 7]])).toBe('M5,7');
  });
});

describe('textWidth', () => {
  it('counts a Chinese character as wide as the font and a Latin one about half', () => {
    expect(textWidth('垃圾')).toBe(24);
    expect(textWidth('11-05')).toBeCloseTo(36);
  });
});
