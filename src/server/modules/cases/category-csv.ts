import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { CASE_STEPS, CATEGORY_KINDS } from '../../../shared/cases.ts';
import { type Locale, say } from '../../../shared/errors.ts';
import type { ImportRowError } from '../../../shared/territory.ts';
import { safeCsvRow, unguardCsvCell } from '../../csv.ts';
import type { CategoryRow, StepLimits } from './category.table.ts';

/**
 * The category exchange format: one row per minor class with its major class, its time limit per step
 * (`4h` = 4 working hours, `2d` = 2 working days, `3n` = 3 calendar days, empty = no limit), the code of its
 * default department, and the 即办 / public flags.
 */
export const CATEGORY_COLUMNS = [
  'kind',
  'major_code',
  'major_name',
  'code',
  'name',
  'register_limit',
  'dispatch_limit',
  'handle_limit',
  'verify_limit',
  'default_department',
  'on_the_spot',
  'public',
] as const;

export interface CategoryCsvRow {
  line: number;
  kind: CategoryRow['kind'];
  majorCode: string;
  majorName: string;
  code: string;
  name: string;
  limits: StepLimits;
  defaultDepartment: string | null;
  onTheSpot: boolean;
  public: boolean;
}

const UNITS = { h: 'workingHours', d: 'workingDays', n: 'naturalDays' } as const;

const text = {
  header: { zh: '缺少列：{missing}', en: 'Missing columns: {missing}' },
  kind: { zh: '类型应为 component 或 matter', en: 'kind must be component or matter' },
  code: {
    zh: '小类代码应为 5 位数字且以大类代码开头',
    en: 'the minor class code must be 5 digits starting with the major class code',
  },
  major: { zh: '大类代码应为 2 位数字', en: 'the major class code must be 2 digits' },
  name: { zh: '名称不能为空', en: 'the name is empty' },
  limit: {
    zh: '{column} 的时限“{value}”无效，应如 4h、2d、3n',
    en: '{column} "{value}" is invalid; write e.g. 4h, 2d or 3n',
  },
  flag: { zh: '{column} 应为 true 或 false', en: '{column} must be true or false' },
  duplicate: { zh: '{kind} {code} 重复（第 {first} 行）', en: '{kind} {code} repeats line {first}' },
} as const;

export function parseLimit(
  value: string,
): { amount: number; unit: (typeof UNITS)[keyof typeof UNITS] } | null {
  const match = /^(\d+(?:\.\d+)?)([hdn])$/.exec(value.trim());
  if (!match) return null;
  return { amount: Number(match[1]), unit: UNITS[match[2] as keyof typeof UNITS] };
}

export function formatLimit(limit: StepLimits[keyof StepLimits]): string {
  if (!limit) return '';
  const letter = Object.entries(UNITS).find(([, unit]) => unit === limit.unit)?.[0] ?? 'd';
  return `${limit.amount}${letter}`;
}

export function parseCategoryCsv(
  input: string,
  locale: Locale,
): { rows: CategoryCsvRow[]; errors: ImportRowError[] } {
  const rows: CategoryCsvRow[] = [];
  const errors: ImportRowError[] = [];
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(input, {
      columns: true,
      bom: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
      // A file gridgov exported comes back as it was: the quote put before formula-like text is taken off.
      cast: unguardCsvCell,
    });
  } catch (error) {
    return {
      rows,
      errors: [{ line: (error as { lines?: number }).lines ?? 1, reason: (error as Error).message }],
    };
  }
  const header = records[0] ? Object.keys(records[0].record) : [];
  const missing = CATEGORY_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length)
    return { rows, errors: [{ line: 1, reason: say(text.header, locale, { missing: missing.join(',') }) }] };
  const seen = new Map<string, number>();
  for (const { record, info } of records) {
    const line = info.lines;
    const problems: string[] = [];
    const kind = record.kind as CategoryRow['kind'];
    const majorCode = record.major_code ?? '';
    const code = record.code ?? '';
    if (!CATEGORY_KINDS.includes(kind)) problems.push(say(text.kind, locale));
    if (!/^\d{2}$/.test(majorCode)) problems.push(say(text.major, locale));
    if (!/^\d{5}$/.test(code) || !code.startsWith(majorCode)) problems.push(say(text.code, locale));
    if (!record.name || !record.major_name) problems.push(say(text.name, locale));
    const limits: StepLimits = {};
    for (const step of CASE_STEPS) {
      const column = `${step}_limit`;
      const value = record[column] ?? '';
      if (!value) continue;
      const limit = parseLimit(value);
      if (limit) limits[step] = limit;
      else problems.push(say(text.limit, locale, { column, value }));
    }
    const flag = (column: 'on_the_spot' | 'public') => {
      const value = (record[column] ?? '').toLowerCase();
      if (value !== 'true' && value !== 'false') problems.push(say(text.flag, locale, { column }));
      return value === 'true';
    };
    const onTheSpot = flag('on_the_spot');
    const isPublic = flag('public');
    const key = `${kind}:${code}`;
    const first = seen.get(key);
    if (first !== undefined) problems.push(say(text.duplicate, locale, { kind, code, first }));
    else seen.set(key, line);
    if (problems.length) {
      errors.push({ line, code, reason: problems.join('；') });
      continue;
    }
    rows.push({
      line,
      kind,
      majorCode,
      majorName: record.major_name ?? '',
      code,
      name: record.name ?? '',
      limits,
      defaultDepartment: record.default_department || null,
      onTheSpot,
      public: isPublic,
    });
  }
  return { rows, errors };
}

export function formatCategoryCsv(rows: readonly Omit<CategoryCsvRow, 'line'>[]): string {
  return stringify(
    rows.map((r) =>
      safeCsvRow([
        r.kind,
        r.majorCode,
        r.majorName,
        r.code,
        r.name,
        ...CASE_STEPS.map((step) => formatLimit(r.limits[step])),
        r.defaultDepartment ?? '',
        String(r.onTheSpot),
        String(r.public),
      ]),
    ),
    { header: true, columns: [...CATEGORY_COLUMNS] },
  );
}
