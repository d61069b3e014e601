import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import type { LocalizedText } from '../../../shared/errors.ts';
import { MAX_HOTLINE_BYTES, MAX_HOTLINE_ROWS } from '../../../shared/hotline.ts';
import { unguardCsvCell } from '../../csv.ts';
import { AppError } from '../../errors.ts';
import { readXlsxRows, type SpreadsheetCell } from '../../spreadsheet.ts';
import { localized } from './hotline-texts.ts';

/**
 * Reading a 12345 work-order export (CSV or XLSX) into rows of cells. Which row is the header and which column
 * holds which field is hotline-mapping.ts; checking each row, hotline-import.ts.
 */

/** A cell as read: text, or a date from a spreadsheet date cell (its wall-clock time, carried as UTC). */
export type Cell = SpreadsheetCell;

export interface SheetRow {
  /** The row number a spreadsheet shows (CSV: the record number). */
  number: number;
  cells: Cell[];
}

export interface Sheet {
  format: 'csv' | 'xlsx';
  encoding: 'utf-8' | 'gb18030' | 'utf-16le' | null;
  /** Rows with at least one non-blank cell. */
  rows: SheetRow[];
}

export const SHEET_TEXT = {
  tooLarge: {
    zh: '文件为 {size} MB，超过 {limit} MB 上限，请拆分后分批导入',
    en: 'the file is {size} MB, over the {limit} MB limit: split it and import the parts',
  },
  tooManyRows: {
    zh: '文件有 {count} 行数据，超过 {limit} 行上限，请拆分后分批导入',
    en: 'the file has {count} data rows, over the limit of {limit}: split it and import the parts',
  },
  legacyXls: {
    zh: '不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV 后导入',
    en: 'old Excel (.xls) files are not supported: save it as .xlsx or CSV in Excel and import that',
  },
  notTabular: {
    zh: '该文件不是 CSV 或 XLSX 表格，请从 12345 系统导出 Excel 或 CSV 文件后导入',
    en: 'this is not a CSV or XLSX table: export an Excel or CSV file from the 12345 system and import that',
  },
  badCsv: { zh: 'CSV 格式有误：{reason}', en: 'the CSV is malformed: {reason}' },
  empty: { zh: '文件中没有数据行', en: 'the file has no data rows' },
} as const;

export function fileError(summary: LocalizedText): AppError {
  return new AppError('VALIDATION_FAILED', { summary });
}

export function fileTooLarge(size: number): AppError {
  return fileError(
    localized(SHEET_TEXT.tooLarge, {
      size: (size / 1024 / 1024).toFixed(1),
      limit: MAX_HOTLINE_BYTES / 1024 / 1024,
    }),
  );
}

/** Reads the first worksheet of an XLSX file, or a CSV file in UTF-8 (with or without BOM), UTF-16 or GBK. */
export async function readSheet(bytes: Buffer): Promise<Sheet> {
  if (bytes.length > MAX_HOTLINE_BYTES) throw fileTooLarge(bytes.length);
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0])) throw fileError(SHEET_TEXT.legacyXls);
  const sheet = startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) ? await readXlsx(bytes) : readCsv(bytes);
  if (sheet.rows.length === 0) throw fileError(SHEET_TEXT.empty);
  return sheet;
}

function startsWith(bytes: Buffer, magic: readonly number[]): boolean {
  return magic.every((byte, i) => bytes[i] === byte);
}

/** The rows at the top of a sheet among which the header row is looked for. */
export const HEADER_SEARCH_ROWS = 10;

async function readXlsx(bytes: Buffer): Promise<Sheet> {
  const rows: SheetRow[] = [];
  for await (const row of readXlsxRows(Readable.from(slices(bytes)), {
    maxRows: MAX_HOTLINE_ROWS,
    // A title line may stand above the header: the rows where `locateHeader` looks for it.
    headerRows: HEADER_SEARCH_ROWS,
  })) {
    rows.push(row);
  }
  return { format: 'xlsx', encoding: null, rows };
}

/** The upload in pieces, so the reader's bounds act on the first pieces rather than on the whole file. */
function* slices(bytes: Buffer, size = 64 * 1024): Generator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

function readCsv(bytes: Buffer): Sheet {
  const { text, encoding } = decodeText(bytes);
  // NUL bytes or undecodable sequences: a PDF, an image, a Word file — not text at all.
  if (text.includes('\u0000') || text.includes('\uFFFD')) throw fileError(SHEET_TEXT.notTabular);
  // Comma, tab (Excel's "Unicode text") or semicolon: whichever the first lines use most.
  const head = text.split('\n', 10).join('\n');
  const delimiter = [',', '\t', ';'].reduce((best, candidate) =>
    head.split(candidate).length > head.split(best).length ? candidate : best,
  );
  let records: string[][];
  try {
    records = parse(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
    });
  } catch (error) {
    throw fileError(localized(SHEET_TEXT.badCsv, { reason: (error as Error).message }));
  }
  const rows = records
    .map((cells, i) => ({ number: i + 1, cells: cells.map(unguardCsvCell) }))
    .filter((row) => row.cells.some((c) => c.trim() !== ''));
  return { format: 'csv', encoding, rows };
}

/**
 * Hotline platforms on Windows export GBK as often as UTF-8. Text that is not valid UTF-8 is read as
 * GB 18030 (a superset of GBK); the preview says which encoding was used.
 */
function decodeText(bytes: Buffer): { text: string; encoding: NonNullable<Sheet['encoding']> } {
  if (startsWith(bytes, [0xff, 0xfe])) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  }
  const body = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(body), encoding: 'gb18030' };
  }
}

/** A cell as text: dates as the wall-clock time the sheet shows. */
export function formatCell(cell: Cell | undefined): string {
  if (cell === undefined) return '';
  if (!(cell instanceof Date)) return cell;
  const iso = cell.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}
