import { describe, expect, it } from 'vitest';
import {
  classifySearch,
  normalizeSearchText,
  queryGrams,
  searchGrams,
  searchWords,
} from './registry-search.ts';

describe('registry search text', () => {
  it('normalises full-width forms, case, spaces and punctuation', () => {
    expect(normalizeSearchText(' 河清大道 ３號（东）b座 ')).toBe('河清大道3号东B座');
  });

  it('cuts text into distinct bigrams, so a two-character word is one gram', () => {
    expect(searchGrams('河清社区')).toEqual(['河清', '清社', '社区']);
    expect(searchGrams('3号3号')).toEqual(['3号', '号3']);
    expect(searchGrams('张')).toEqual(['张']);
  });

  it('asks for the grams of each word of two characters or more', () => {
    const words = searchWords('河清  3号，张');
    expect(words).toEqual(['河清', '3号', '张']);
    expect(queryGrams(words)).toEqual(['河清', '3号']);
  });

  it('finds every stored address that contains each query word', () => {
    const stored = new Set(searchGrams(normalizeSearchText('河清社区河清大道3号1栋2单元302室')));
    expect(queryGrams(searchWords('河清 3号')).every((g) => stored.has(g))).toBe(true);
    expect(queryGrams(searchWords('英明 3号')).every((g) => stored.has(g))).toBe(false);
  });
});

describe('what a query asks for', () => {
  it('reads a full ID number, a credit code and a phone as exact look-ups', () => {
    expect(classifySearch('440605 19900101 123x')).toEqual({ kind: 'code18', code: '44060519900101123X' });
    expect(classifySearch('91350100M000100Y43')).toEqual({ kind: 'uscc', code: '91350100M000100Y43' });
    expect(classifySearch('138 1234 5678')).toEqual({ kind: 'phone', phone: '13812345678' });
  });

  it('reads a name with four characters as a name and the end of an ID number', () => {
    expect(classifySearch('陈志伟 123x')).toEqual({ kind: 'nameAndIdTail', name: '陈志伟', tail: '123X' });
    expect(classifySearch('1234 陈志伟')).toEqual({ kind: 'nameAndIdTail', name: '陈志伟', tail: '1234' });
  });

  it('reads anything else as words', () => {
    expect(classifySearch('河清 3号')).toEqual({ kind: 'text', words: ['河清', '3号'] });
    expect(classifySearch('1234')).toEqual({ kind: 'text', words: ['1234'] });
  });
});
