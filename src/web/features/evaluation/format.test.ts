import { describe, expect, it } from 'vitest';
import { formatCount, formatRate, formatScore } from './format.ts';

describe('indicator formats', () => {
  it('shows a rate as a percentage with one decimal, and a dash where nothing was rated', () => {
    expect(formatRate(2 / 3)).toBe('66.7%');
    expect(formatRate(1)).toBe('100.0%');
    expect(formatRate(0)).toBe('0.0%');
    expect(formatRate(null)).toBe('—');
    expect(formatScore(3.8333)).toBe('3.83');
    expect(formatScore(null)).toBe('—');
  });

  it('separates thousands in English only', () => {
    expect(formatCount(12345, 'en-US')).toBe('12,345');
    expect(formatCount(12345, 'zh-CN')).toBe('12345');
  });
});
