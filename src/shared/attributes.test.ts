import { describe, expect, it } from 'vitest';
import {
  attributeProblemText,
  attributeValuesSchema,
  checkAttributeValues,
  describeAttributeValues,
  parseW3cDateTime,
} from './attributes.ts';
import type { CategoryAttribute } from './cases.ts';

const field = (
  code: string,
  datatype: CategoryAttribute['datatype'],
  order: number,
  more: Partial<CategoryAttribute> = {},
): CategoryAttribute => ({
  code,
  datatype,
  variable: true,
  required: false,
  description: code.toLowerCase(),
  datatypeDescription: null,
  order,
  values: [],
  ...more,
});

const KIND = field('KIND', 'singlevaluelist', 2, {
  required: true,
  description: '垃圾种类',
  values: [
    { key: 'household', name: '生活垃圾' },
    { key: 'building', name: '建筑垃圾' },
  ],
});
const SMELL = field('SMELL', 'multivaluelist', 3, {
  description: '气味',
  values: [
    { key: 'rotten', name: '腐臭' },
    { key: 'chemical', name: '化学品味' },
  ],
});
const FIELDS = [
  field('VOLUME', 'number', 1, { description: '大约几立方米' }),
  KIND,
  SMELL,
  field('SEEN', 'datetime', 4),
  field('PLATE', 'string', 5),
  field('NOTE', 'text', 6),
  field('WARNING', 'text', 7, { variable: false, description: '请勿靠近' }),
];

const problemsOf = (given: Record<string, string | string[]>) => {
  const check = checkAttributeValues(FIELDS, given);
  return check.ok ? [] : check.problems.map((p) => `${p.code}: ${p.reason.en}`);
};

describe('checking extra fields against their definitions', () => {
  it('keeps values of every datatype, trimmed, with a multi-value list’s repeats dropped', () => {
    expect(
      checkAttributeValues(FIELDS, {
        VOLUME: ' 2.5 ',
        KIND: 'household',
        SMELL: ['rotten', 'chemical', 'rotten'],
        SEEN: '2026-11-22T08:00:00+08:00',
        PLATE: '粤E 12345',
        NOTE: '第一行\n第二行',
      }),
    ).toEqual({
      ok: true,
      values: {
        VOLUME: '2.5',
        KIND: 'household',
        SMELL: ['rotten', 'chemical'],
        SEEN: '2026-11-22T08:00:00+08:00',
        PLATE: '粤E 12345',
        NOTE: '第一行\n第二行',
      },
    });
  });

  it('takes Open311’s arguments as a map of lists the same way', () => {
    const given = new Map([
      ['KIND', ['building']],
      ['SMELL', ['chemical']],
    ]);
    expect(checkAttributeValues(FIELDS, given)).toEqual({
      ok: true,
      values: { KIND: 'building', SMELL: ['chemical'] },
    });
  });

  it('counts blank values as not sent, so a blank required field is missing', () => {
    expect(problemsOf({ KIND: '  ', PLATE: '', SMELL: [] })).toEqual(['KIND: is required']);
    expect(checkAttributeValues([], {})).toEqual({ ok: true, values: {} });
  });

  it('refuses every wrong value at once, each with its reason', () => {
    expect(
      problemsOf({
        VOLUME: 'lots',
        KIND: 'nuclear',
        SMELL: ['rotten', 'roses'],
        SEEN: 'yesterday',
        PLATE: 'A\nB',
        UNKNOWN: 'x',
        WARNING: 'a note takes no value',
      }),
    ).toEqual([
      'UNKNOWN: is not a field of this category',
      'WARNING: is not a field of this category',
      'VOLUME: must be a number',
      'KIND: has no value nuclear',
      'SMELL: has no value roses',
      'SEEN: must be an ISO 8601 date-time',
      'PLATE: may not contain line breaks',
    ]);
  });

  it('takes one value for a field that is not a multi-value list, and refuses an overlong one', () => {
    expect(problemsOf({ KIND: 'household', PLATE: ['A', 'B'] })).toEqual(['PLATE: takes one value']);
    expect(problemsOf({ KIND: ['household', 'building'] })).toEqual(['KIND: takes one value']);
    expect(problemsOf({ KIND: 'household', NOTE: 'x'.repeat(4_001) })).toEqual([
      'NOTE: is too long (4000 characters at most)',
    ]);
  });

  it('names the field by its description in both languages', () => {
    const check = checkAttributeValues(FIELDS, {});
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems.map(attributeProblemText)).toEqual([
      { zh: '「垃圾种类」为必填项', en: '“垃圾种类” is required' },
    ]);
  });

  it('reads date-times with a time zone, or a bare date as midnight UTC', () => {
    expect(parseW3cDateTime('2026-11-22T08:00:00+08:00')?.toISOString()).toBe('2026-11-22T00:00:00.000Z');
    expect(parseW3cDateTime('2026-11-22')?.toISOString()).toBe('2026-11-22T00:00:00.000Z');
    expect(parseW3cDateTime('2026-11-22T08:00')).toBeNull();
    expect(parseW3cDateTime('2026-13-45T08:00:00Z')).toBeNull();
  });
});

describe('reading the extra fields a case carries', () => {
  it('lists them in the category’s order with descriptions and list values by name', () => {
    expect(
      describeAttributeValues(FIELDS, { SMELL: ['rotten', 'chemical'], KIND: 'household', VOLUME: '2.5' }),
    ).toEqual([
      { code: 'VOLUME', description: '大约几立方米', datatype: 'number', value: ['2.5'], shown: ['2.5'] },
      {
        code: 'KIND',
        description: '垃圾种类',
        datatype: 'singlevaluelist',
        value: ['household'],
        shown: ['生活垃圾'],
      },
      {
        code: 'SMELL',
        description: '气味',
        datatype: 'multivaluelist',
        value: ['rotten', 'chemical'],
        shown: ['腐臭', '化学品味'],
      },
    ]);
  });

  it('keeps a field the category no longer has, by its code, after the others', () => {
    expect(describeAttributeValues([KIND], { OLD: 'x', KIND: 'gone-key' })).toEqual([
      {
        code: 'KIND',
        description: '垃圾种类',
        datatype: 'singlevaluelist',
        value: ['gone-key'],
        shown: ['gone-key'],
      },
      { code: 'OLD', description: 'OLD', datatype: null, value: ['x'], shown: ['x'] },
    ]);
  });

  it('shows nothing for a report without extra fields', () => {
    expect(describeAttributeValues(FIELDS, undefined)).toEqual([]);
    expect(describeAttributeValues(FIELDS, {})).toEqual([]);
  });

  it('refuses a report body carrying more fields than a category can have, or an overlong value', () => {
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`F${i}`, 'x']));
    expect(attributeValuesSchema.safeParse(many).success).toBe(false);
    expect(attributeValuesSchema.safeParse({ NOTE: 'x'.repeat(4_001) }).success).toBe(false);
    expect(attributeValuesSchema.safeParse({ NOTE: 'x'.repeat(4_000), KIND: ['a', 'b'] }).success).toBe(true);
  });
});
