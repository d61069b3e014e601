import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { z } from 'zod';
import { TIME_UNIT_LABELS, TIME_UNITS } from '../../../shared/cases.ts';
import { MAX_CHECKLIST_ROWS } from '../../../shared/checklists.ts';
import {
  type ErrorParams,
  type Locale,
  type LocalizedText,
  pickLanguage,
  say,
} from '../../../shared/errors.ts';
import {
  type ChecklistItemInput,
  checklistItemInputSchema,
  ITEM_RULE_LABELS,
  ITEM_RULES,
  type ItemRule,
  PHOTO_RULE_LABELS,
  PHOTO_RULES,
  type PhotoRule,
  type RectifyLimit,
  SITE_TYPE_LABELS,
  SITE_TYPES,
  type SiteType,
  TEMPLATE_STATUS_LABELS,
  type TemplateStatus,
} from '../../../shared/inspections.ts';
import type { ImportRowError } from '../../../shared/territory.ts';
import { AppError } from '../../errors.ts';
import { readXlsxRows, type SpreadsheetCell } from '../../spreadsheet.ts';

/**
 * A checklist template as an XLSX workbook an office keeps in Excel: a few lines naming the template, then one
 * row an item under Chinese headers. What `writeChecklistXlsx` writes, `readChecklistXlsx` reads back as it was.
 * Text goes in as text cells, never as formulas, so a question that starts with "=" stays a question.
 */

export const COLUMNS = [
  'key',
  'section',
  'question',
  'points',
  'rule',
  'comparator',
  'threshold',
  'unit',
  'photo',
  'guidance',
  'siteTypes',
  'categoryCode',
  'veto',
  'immediate',
  'rectifyLimit',
] as const;
type Column = (typeof COLUMNS)[number];

/** The header written for each column, then other headers an office's own sheet may use for it. */
const HEADERS: Record<Column, readonly string[]> = {
  key: ['序号', '编号', '序号编号', 'key'],
  section: ['分类', '类别', '测评项目', '检查项目', 'section'],
  question: ['检查内容', '测评内容', '检查事项', 'question'],
  points: ['分值', '分数', '标准分', 'points'],
  rule: ['评分方式', '评分规则', 'rule'],
  comparator: ['比较', '比较方式', 'comparator'],
  threshold: ['阈值', '标准值', 'threshold'],
  unit: ['单位', 'unit'],
  photo: ['照片要求', '拍照要求', 'photo'],
  guidance: ['判定口径', '测评方法', '评分标准', 'guidance'],
  siteTypes: ['适用场所', '场所类型', 'sitetypes'],
  categoryCode: ['整改分类', '整改分类代码', '案件分类', 'categorycode'],
  veto: ['一票否决', 'veto'],
  immediate: ['立行立改', 'immediate'],
  rectifyLimit: ['整改时限', 'rectifylimit'],
};
const REQUIRED: readonly Column[] = ['key', 'section', 'question', 'points'];

/** The lines above the header, by their first cell. */
const META = {
  name: '测评表名称',
  code: '测评表编号',
  version: '版本',
  description: '说明',
  siteTypes: '适用场所',
} as const;

const TEXT = {
  noHeader: {
    zh: '找不到表头：前 10 行中须有一行含“检查内容”“分值”等列名',
    en: 'no header row: one of the first 10 rows must name the columns ("检查内容", "分值", …)',
  },
  missingColumn: { zh: '表头缺少“{column}”列', en: 'the header has no "{column}" column' },
  badValue: {
    zh: '「{column}」“{value}”无法识别：{hint}',
    en: '"{column}" "{value}" is not understood: {hint}',
  },
  badField: { zh: '「{column}」{message}', en: '"{column}" {message}' },
  empty: { zh: '文件中没有检查项', en: 'the file has no items' },
} as const satisfies Record<string, LocalizedText>;

const HINTS: Record<string, LocalizedText> = {
  number: { zh: '应为数字', en: 'give a number' },
  rule: { zh: '应为 符合/不符合、按分值评分 或 计数达标', en: 'give 符合/不符合, 按分值评分 or 计数达标' },
  comparator: { zh: '应为 ≥ 或 ≤', en: 'give ≥ or ≤' },
  photo: { zh: '应为 无需照片、不符合时须拍照 或 须拍照', en: 'give 无需照片, 不符合时须拍照 or 须拍照' },
  flag: { zh: '应为 是 或 否', en: 'give 是 or 否' },
  siteType: { zh: '应为场所类型，如 药店、诊所', en: 'give site types such as 药店、诊所' },
  limit: { zh: '应写成 3工作日、8工作时 或 5自然日', en: 'write it as 3工作日, 8工作时 or 5自然日' },
};

const ZOD_LOCALES = { 'zh-CN': z.locales.zhCN(), 'en-US': z.locales.en() };

function normalize(header: string): string {
  return header
    .replace(/[(（[【].*?[)）\]】]/g, '')
    .replace(/[\s*＊:：_/、-]/g, '')
    .toLowerCase();
}

const COLUMN_OF = new Map<string, Column>(
  COLUMNS.flatMap((column) => HEADERS[column].map((h) => [normalize(h), column] as const)),
);

function labelOf(column: Column): string {
  return HEADERS[column][0] ?? column;
}

/** A label, key or English label of an enum, as typed in a cell. */
function enumLookup<T extends string>(
  values: readonly T[],
  labels: Record<T, LocalizedText>,
  extra: Record<string, T> = {},
): (text: string) => T | undefined {
  const map = new Map<string, T>(Object.entries(extra).map(([k, v]) => [normalize(k), v]));
  for (const value of values) {
    for (const name of [value, labels[value].zh, labels[value].en]) map.set(normalize(name), value);
  }
  return (text) => map.get(normalize(text));
}

const ruleOf = enumLookup<ItemRule>(ITEM_RULES, ITEM_RULE_LABELS, {
  是否: 'passFail',
  符合不符合: 'passFail',
  打分: 'graded',
  评分: 'graded',
  计数: 'count',
});
const photoOf = enumLookup<PhotoRule>(PHOTO_RULES, PHOTO_RULE_LABELS, {
  无: 'never',
  不需要: 'never',
  不符合时: 'onFail',
  必须: 'always',
  每项须拍照: 'always',
});
const siteTypeOf = enumLookup<SiteType>(SITE_TYPES, SITE_TYPE_LABELS, {
  集贸市场: 'market',
  市场: 'market',
  商场: 'mall',
  超市: 'mall',
  住宅小区: 'residentialEstate',
  老旧小区: 'residentialEstate',
  银行: 'bank',
});
const TRUE = new Set(['是', 'y', 'yes', 'true', '1', '√', '✓']);
const FALSE = new Set(['否', '', 'n', 'no', 'false', '0', '×']);
const LIMIT_UNITS: Record<string, RectifyLimit['unit']> = {
  工作时: 'workingHours',
  工作小时: 'workingHours',
  小时: 'workingHours',
  h: 'workingHours',
  工作日: 'workingDays',
  天: 'workingDays',
  d: 'workingDays',
  自然日: 'naturalDays',
  n: 'naturalDays',
};

export function formatSiteTypes(types: readonly SiteType[]): string {
  return types.map((t) => SITE_TYPE_LABELS[t].zh).join('、');
}

function formatLimit(limit: RectifyLimit | null): string {
  return limit ? `${limit.amount}${TIME_UNIT_LABELS[limit.unit].zh}` : '';
}

export interface ChecklistSheet {
  code: string;
  name: string;
  version: number;
  status: TemplateStatus;
  description: string;
  siteTypes: readonly SiteType[];
  items: readonly (ChecklistItemInput & { categoryCode: string | null })[];
}

export async function writeChecklistXlsx(sheet: ChecklistSheet): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const ws = workbook.addWorksheet('测评表');
  const meta = (label: string, value: string) => {
    const row = ws.addRow([label, value]);
    row.getCell(1).font = { bold: true };
  };
  meta(META.name, sheet.name);
  meta(META.code, sheet.code);
  meta(META.version, `${sheet.version}（${TEMPLATE_STATUS_LABELS[sheet.status].zh}）`);
  meta(META.description, sheet.description);
  meta(META.siteTypes, formatSiteTypes(sheet.siteTypes));
  ws.addRow([]);
  const header = ws.addRow(COLUMNS.map(labelOf));
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
  ws.views = [{ state: 'frozen', ySplit: header.number }];
  for (const item of sheet.items) {
    ws.addRow([
      item.key,
      item.section,
      item.question,
      item.points,
      ITEM_RULE_LABELS[item.rule].zh,
      item.comparator === '>=' ? '≥' : item.comparator === '<=' ? '≤' : '',
      item.threshold ?? '',
      item.unit ?? '',
      PHOTO_RULE_LABELS[item.photo].zh,
      item.guidance,
      formatSiteTypes(item.siteTypes),
      item.categoryCode ?? '',
      item.veto ? '是' : '否',
      item.immediate ? '是' : '否',
      formatLimit(item.rectifyLimit ?? null),
    ]);
  }
  const widths: Record<Column, number> = {
    key: 8,
    section: 16,
    question: 48,
    points: 6,
    rule: 12,
    comparator: 6,
    threshold: 6,
    unit: 6,
    photo: 14,
    guidance: 48,
    siteTypes: 20,
    categoryCode: 10,
    veto: 8,
    immediate: 8,
    rectifyLimit: 10,
  };
  COLUMNS.forEach((column, i) => {
    const col = ws.getColumn(i + 1);
    col.width = widths[column];
    if (column === 'question' || column === 'guidance') col.alignment = { wrapText: true, vertical: 'top' };
  });
  // The key and category code are codes ("01001", "2.10"): kept as text so Excel does not make numbers of them.
  for (const column of ['key', 'categoryCode'] as const)
    ws.getColumn(COLUMNS.indexOf(column) + 1).numFmt = '@';
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export interface ParsedChecklistFile {
  code: string | null;
  name: string | null;
  description: string | null;
  siteTypes: SiteType[] | null;
  /** The item rows that parsed, with the row number each came from. */
  items: { row: number; item: ChecklistItemInput }[];
  errors: ImportRowError[];
}

function fileError(text: LocalizedText, params: ErrorParams = {}): AppError {
  return new AppError('VALIDATION_FAILED', {
    summary: { zh: say(text, 'zh-CN', params), en: say(text, 'en-US', params) },
  });
}

function cellText(cell: SpreadsheetCell | undefined): string {
  if (cell === undefined) return '';
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  return cell.trim();
}

/** The upload in pieces, so the reader's bounds act on the first pieces rather than on the whole file. */
function* slices(bytes: Buffer, size = 64 * 1024): Generator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

function splitList(text: string): string[] {
  return text
    .split(/[、,，;；/\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Reads a template workbook: the naming lines above the header, then each item row checked on its own (what
 * needs the database — categories, the template's code — is the service's). Every wrong row is reported with
 * every reason, in the locale asked for.
 */
export async function readChecklistXlsx(bytes: Buffer, locale: Locale): Promise<ParsedChecklistFile> {
  const rows: { number: number; cells: string[] }[] = [];
  for await (const row of readXlsxRows(Readable.from(slices(bytes)), {
    maxRows: MAX_CHECKLIST_ROWS,
    headerRows: 10,
    maxUncompressedBytes: 64 * 1024 * 1024,
  })) {
    rows.push({ number: row.number, cells: row.cells.map(cellText) });
  }
  const headerAt = rows
    .slice(0, 10)
    .findIndex((row) => row.cells.some((c) => COLUMN_OF.get(normalize(c)) === 'question'));
  if (headerAt < 0) throw fileError(TEXT.noHeader);
  const headerCells = rows[headerAt]?.cells ?? [];
  const index = new Map<Column, number>();
  headerCells.forEach((cell, i) => {
    const column = COLUMN_OF.get(normalize(cell));
    if (column && !index.has(column)) index.set(column, i);
  });
  for (const column of REQUIRED) {
    if (!index.has(column)) throw fileError(TEXT.missingColumn, { column: labelOf(column) });
  }

  const meta = new Map<string, string>();
  for (const row of rows.slice(0, headerAt)) {
    meta.set(normalize(row.cells[0] ?? ''), (row.cells[1] ?? '').trim());
  }
  const metaOf = (label: string) => meta.get(normalize(label)) || null;
  const siteText = metaOf(META.siteTypes);
  const result: ParsedChecklistFile = {
    code: metaOf(META.code),
    name: metaOf(META.name),
    description: metaOf(META.description),
    siteTypes: siteText ? splitList(siteText).flatMap((t) => siteTypeOf(t) ?? []) : null,
    items: [],
    errors: [],
  };
  for (const row of rows.slice(headerAt + 1)) {
    const cell = (column: Column) => {
      const at = index.get(column);
      return at === undefined ? '' : (row.cells[at] ?? '');
    };
    const { item, problems } = parseItemRow(cell, locale);
    if (problems.length) {
      result.errors.push({ line: row.number, code: cell('key') || undefined, reason: problems.join('；') });
    } else if (item) {
      result.items.push({ row: row.number, item });
    }
  }
  if (result.items.length === 0 && result.errors.length === 0) throw fileError(TEXT.empty);
  return result;
}

function parseItemRow(
  cell: (column: Column) => string,
  locale: Locale,
): { item: ChecklistItemInput | null; problems: string[] } {
  const problems: string[] = [];
  const bad = (column: Column, hint: keyof typeof HINTS) => {
    problems.push(
      say(TEXT.badValue, locale, { column: labelOf(column), value: cell(column), hint: HINTS[hint] ?? '' }),
    );
    return undefined;
  };
  const number = (column: Column) => {
    const text = cell(column);
    if (text === '') return null;
    const value = Number(text);
    return Number.isFinite(value) ? value : bad(column, 'number');
  };
  const flag = (column: Column) => {
    const text = cell(column).toLowerCase();
    if (TRUE.has(text)) return true;
    return FALSE.has(text) ? false : bad(column, 'flag');
  };
  const ruleText = cell('rule');
  const rule = ruleText === '' ? 'passFail' : (ruleOf(ruleText) ?? bad('rule', 'rule'));
  const comparatorText = cell('comparator').replace('≥', '>=').replace('≤', '<=');
  const comparator =
    comparatorText === ''
      ? null
      : comparatorText === '>=' || comparatorText === '<='
        ? comparatorText
        : bad('comparator', 'comparator');
  const photoText = cell('photo');
  const photo = photoText === '' ? 'onFail' : (photoOf(photoText) ?? bad('photo', 'photo'));
  const siteTypes = splitList(cell('siteTypes')).map((t) => siteTypeOf(t) ?? bad('siteTypes', 'siteType'));
  const limitText = cell('rectifyLimit');
  const limitMatch = /^(\d+(?:\.\d+)?)\s*个?\s*(\S+)$/.exec(limitText);
  const limitUnit = limitMatch ? LIMIT_UNITS[limitMatch[2]?.toLowerCase() ?? ''] : undefined;
  const rectifyLimit =
    limitText === ''
      ? null
      : limitMatch && limitUnit && TIME_UNITS.includes(limitUnit)
        ? { amount: Number(limitMatch[1]), unit: limitUnit }
        : bad('rectifyLimit', 'limit');
  // A code typed into Excel as a number loses its leading zero: category codes have 5 digits (01001).
  const categoryText = cell('categoryCode');
  const categoryCode = /^\d{4}$/.test(categoryText) ? `0${categoryText}` : categoryText;
  const candidate = {
    key: cell('key'),
    section: cell('section'),
    question: cell('question'),
    points: number('points') ?? bad('points', 'number'),
    rule,
    comparator,
    threshold: number('threshold'),
    unit: cell('unit') || null,
    photo,
    guidance: cell('guidance'),
    siteTypes,
    categoryCode: categoryCode || null,
    veto: flag('veto'),
    immediate: flag('immediate'),
    rectifyLimit,
  };
  if (problems.length) return { item: null, problems };
  const parsed = checklistItemInputSchema.safeParse(candidate, { error: ZOD_LOCALES[locale].localeError });
  if (parsed.success) return { item: parsed.data, problems };
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '');
    const column = (COLUMNS as readonly string[]).includes(field) ? (field as Column) : null;
    const message = pickLanguage(issue.message, locale);
    problems.push(column ? say(TEXT.badField, locale, { column: labelOf(column), message }) : message);
  }
  return { item: null, problems };
}
