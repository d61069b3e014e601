import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { type Locale, say } from '../../../shared/errors.ts';
import {
  CODE_LENGTH,
  type ImportRowError,
  REGION_LEVELS,
  type RegionLevel,
} from '../../../shared/territory.ts';
import { safeCsvRow, unguardCsvCell } from '../../csv.ts';

/** One row of the divisions CSV (`code,name,level,parent_code`), the format of the national statistical data. */
export interface DivisionRow {
  line: number;
  code: string;
  name: string;
  level: Exclude<RegionLevel, 'grid'>;
  parentCode: string | null;
}

export const DIVISION_COLUMNS = ['code', 'name', 'level', 'parent_code'] as const;
type DivisionLevel = DivisionRow['level'];
const DIVISION_LEVELS = REGION_LEVELS.filter((l): l is DivisionLevel => l !== 'grid');

const text = {
  header: {
    zh: '表头必须为 code,name,level,parent_code（缺少：{missing}）',
    en: 'The header must be code,name,level,parent_code (missing: {missing})',
  },
  level: {
    zh: '层级“{value}”无效，应为 {allowed} 之一',
    en: 'Level "{value}" is invalid; use one of {allowed}',
  },
  code: {
    zh: '代码“{value}”应为 {length} 位数字（{level}）',
    en: 'Code "{value}" must be {length} digits for level {level}',
  },
  name: { zh: '名称不能为空', en: 'The name is empty' },
  duplicate: {
    zh: '代码 {value} 在文件中重复（首次出现在第 {first} 行）',
    en: 'Code {value} repeats line {first}',
  },
  parentPrefix: {
    zh: '上级代码 {parent} 不是代码 {value} 的前缀',
    en: 'Parent code {parent} is not a prefix of code {value}',
  },
  parentMissing: {
    zh: '缺少上级代码（{level} 必须有上级）',
    en: 'Parent code missing (a {level} needs a parent)',
  },
} as const;

/**
 * Parses and checks each row on its own (format, lengths, duplicates, parent prefix). Checks that need the
 * database — does the parent exist, is it one level up — are done by the service.
 */
export function parseDivisionCsv(
  input: string,
  locale: Locale,
): { rows: DivisionRow[]; errors: ImportRowError[] } {
  const errors: ImportRowError[] = [];
  const rows: DivisionRow[] = [];
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
    const line = (error as { lines?: number }).lines ?? 1;
    return { rows, errors: [{ line, reason: (error as Error).message }] };
  }
  const header = records[0] ? Object.keys(records[0].record) : (input.split(/\r?\n/, 1)[0]?.split(',') ?? []);
  const missing = DIVISION_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length)
    return { rows, errors: [{ line: 1, reason: say(text.header, locale, { missing: missing.join(',') }) }] };

  const firstLine = new Map<string, number>();
  for (const { record, info } of records) {
    const line = info.lines;
    const code = record.code ?? '';
    const level = record.level ?? '';
    const parentCode = record.parent_code || null;
    const problems: string[] = [];
    if (!DIVISION_LEVELS.includes(level as DivisionLevel)) {
      problems.push(say(text.level, locale, { value: level, allowed: DIVISION_LEVELS.join(', ') }));
    } else if (!new RegExp(`^\\d{${CODE_LENGTH[level as DivisionLevel]}}$`).test(code)) {
      problems.push(
        say(text.code, locale, { value: code, length: CODE_LENGTH[level as DivisionLevel], level }),
      );
    }
    if (!record.name) problems.push(say(text.name, locale, {}));
    const first = firstLine.get(code);
    if (first !== undefined) problems.push(say(text.duplicate, locale, { value: code, first }));
    else firstLine.set(code, line);
    if (parentCode && !code.startsWith(parentCode)) {
      problems.push(say(text.parentPrefix, locale, { parent: parentCode, value: code }));
    }
    if (!parentCode && level !== 'province') problems.push(say(text.parentMissing, locale, { level }));
    if (problems.length) {
      errors.push({ line, code, reason: problems.join('；') });
      continue;
    }
    rows.push({ line, code, name: record.name ?? '', level: level as DivisionLevel, parentCode });
  }
  return { rows, errors };
}

export function formatDivisionCsv(rows: readonly Omit<DivisionRow, 'line'>[]): string {
  return stringify(
    rows.map((r) => safeCsvRow([r.code, r.name, r.level, r.parentCode ?? ''])),
    { header: true, columns: [...DIVISION_COLUMNS] },
  );
}

/** The level a region's parent must have. */
export function parentLevelOf(level: RegionLevel): RegionLevel | null {
  const index = REGION_LEVELS.indexOf(level);
  return index > 0 ? (REGION_LEVELS[index - 1] ?? null) : null;
}
