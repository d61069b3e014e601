import { describe, expect, it } from 'vitest';
import enUS from './en-US.ts';
import zhCN from './zh-CN.ts';

function keysOf(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => keysOf(child, prefix ? `${prefix}.${key}` : key));
}

function valuesOf(value: unknown): unknown[] {
  if (typeof value !== 'object' || value === null) return [value];
  return Object.values(value).flatMap(valuesOf);
}

describe('UI catalogues', () => {
  it('have exactly the same keys in Chinese and English', () => {
    expect(keysOf(enUS).sort()).toEqual(keysOf(zhCN).sort());
  });

  it('have a non-empty text for every key', () => {
    for (const text of [...valuesOf(zhCN), ...valuesOf(enUS)]) {
      expect(typeof text).toBe('string');
      expect((text as string).trim()).not.toBe('');
    }
  });

  it('use the same interpolation placeholders in both languages', () => {
    const placeholders = (text: unknown) =>
      [...String(text).matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const en = new Map(keysOf(enUS).map((key, i) => [key, valuesOf(enUS)[i]]));
    keysOf(zhCN).forEach((key, i) => {
      expect(placeholders(en.get(key)), key).toEqual(placeholders(valuesOf(zhCN)[i]));
    });
  });
});
