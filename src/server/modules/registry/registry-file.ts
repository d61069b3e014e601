import { once } from 'node:events';
import { PassThrough, Readable, type Writable } from 'node:stream';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { LocalizedText } from '../../../shared/errors.ts';
import { safeCsvRow, unguardCsvCell } from '../../csv.ts';
import { AppError } from '../../errors.ts';
import { readXlsxRows, type SpreadsheetCell } from '../../spreadsheet.ts';
import { localized } from './registry-columns.ts';

/*
 * Registry files, read and written as streams: a CSV (UTF-8, GBK or UTF-16) or the first worksheet of an XLSX
 * file is read row by row, never whole, so a file of a million rows takes the memory of one batch. Exports and
 * error reports are written the same way.
 */

export const FILE_TEXT = {
  legacyXls: {
    zh: '不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV 后导入',
    en: 'old Excel (.xls) files are not supported: save it as .xlsx or CSV in Excel and import that',
  },
  badCsv: {
    zh: 'CSV 格式有误（第 {row} 行附近）：{reason}',
    en: 'the CSV is malformed (near row {row}): {reason}',
  },
  empty: { zh: '文件为空', en: 'the file is empty' },
  tooLarge: {
    zh: '文件超过 {limit} MB 上限，请拆分，或在服务器上用命令行导入',
    en: 'the file is over the {limit} MB limit: split it, or import it with the command line on the server',
  },
} as const satisfies Record<string, LocalizedText>;

/** A row as a spreadsheet numbers it (CSV: the record number), with its cells as text. */
export interface SheetRow {
  number: number;
  cells: string[];
}

export type FileFormat = 'csv' | 'xlsx';

function fileError(summary: LocalizedText): AppError {
  return new AppError('VALIDATION_FAILED', { summary });
}

/**
 * The rows of a CSV or XLSX file, told apart by their first bytes, as they stream in. `format` is known once
 * the first chunk has arrived.
 */
export async function openRows(
  input: Readable,
): Promise<{ format: FileFormat; rows: AsyncGenerator<SheetRow> }> {
  const chunks = input[Symbol.asyncIterator]();
  const first = await chunks.next();
  if (first.done || !first.value?.length) throw fileError(FILE_TEXT.empty);
  const head = Buffer.from(first.value as Buffer);
  const rest = Readable.from(
    (async function* () {
      yield head;
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value as Buffer;
    })(),
    { objectMode: false },
  );
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0])) throw fileError(FILE_TEXT.legacyXls);
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]))
    return { format: 'xlsx', rows: endingUpload(xlsxRows(rest), input) };
  return { format: 'csv', rows: endingUpload(csvRows(rest, head), input) };
}

/**
 * The rows, and when their reader is done — at the end, or early (a file refused at its header) — the upload
 * itself is ended, not only the copy read from it, which could otherwise wait for bytes nobody will read.
 */
async function* endingUpload(rows: AsyncGenerator<SheetRow>, upload: Readable): AsyncGenerator<SheetRow> {
  try {
    yield* rows;
  } finally {
    upload.destroy();
  }
}

function startsWith(bytes: Buffer, magic: readonly number[]): boolean {
  return magic.every((byte, i) => bytes[i] === byte);
}

/**
 * Spreadsheet programs on Windows save GBK as often as UTF-8. The first chunk decides: a BOM, or valid UTF-8
 * (ignoring a character cut at its end), or else GB 18030 (a superset of GBK).
 */
function encodingOf(head: Buffer): 'utf-8' | 'utf-16le' | 'gb18030' {
  if (startsWith(head, [0xff, 0xfe])) return 'utf-16le';
  if (startsWith(head, [0xef, 0xbb, 0xbf])) return 'utf-8';
  for (let cut = 0; cut <= 3 && cut < head.length; cut++) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, head.length - cut));
      return 'utf-8';
    } catch {
      // A multi-byte character may be cut at the chunk's end: try without its last bytes.
    }
  }
  return 'gb18030';
}

async function* csvRows(input: Readable, head: Buffer): AsyncGenerator<SheetRow> {
  const encoding = encodingOf(head);
  const decoder = new TextDecoder(encoding, { ignoreBOM: false });
  const text = decoder.decode(head.subarray(0, 64 * 1024), { stream: true });
  // Comma, tab (Excel's "Unicode text") or semicolon: whichever the first lines use most.
  const firstLines = text.split('\n', 10).join('\n');
  const delimiter = [',', '\t', ';'].reduce((best, candidate) =>
    firstLines.split(candidate).length > firstLines.split(best).length ? candidate : best,
  );
  const streamDecoder = new TextDecoder(encoding);
  const decoded = Readable.from(
    (async function* () {
      for await (const chunk of input) yield streamDecoder.decode(chunk as Buffer, { stream: true });
      const tail = streamDecoder.decode();
      if (tail) yield tail;
    })(),
  );
  const parser = decoded.pipe(
    parse({ delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, bom: true }),
  );
  // pipe() does not pass errors on. When an upload breaks off, or the reader stops early (a file refused at its
  // header) and the rest of the upload is cut off, the error is the parser's; unheard, it stops the server.
  decoded.on('error', (error) => parser.destroy(error));
  let number = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      number++;
      if (record.some((cell) => cell.trim() !== ''))
        yield { number, cells: record.map((cell) => storable(unguardCsvCell(cell))) };
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw fileError(localized(FILE_TEXT.badCsv, { row: number + 1, reason: (error as Error).message }));
  } finally {
    input.destroy();
  }
}

/**
 * A cell as the database can keep it: PostgreSQL text cannot hold NUL, nor JSON a lone surrogate, and a rejected
 * row is stored as read for its error report. No spreadsheet program writes either into a cell.
 */
function storable(cell: string): string {
  return cell
    .replaceAll('\u0000', '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/**
 * Rows beyond which a registry XLSX is refused: a worksheet is held as shared strings while it is read, so its
 * size is bounded; a CSV, read with nothing held, is the way to import more at once.
 */
export const MAX_REGISTRY_XLSX_ROWS = 200_000;

async function* xlsxRows(input: Readable): AsyncGenerator<SheetRow> {
  for await (const row of readXlsxRows(input, { maxRows: MAX_REGISTRY_XLSX_ROWS })) {
    yield { number: row.number, cells: row.cells.map((cell) => storable(cellText(cell))) };
  }
}

/** A cell as text: dates as YYYY-MM-DD (with the time when it has one). */
function cellText(cell: SpreadsheetCell): string {
  if (!(cell instanceof Date)) return cell;
  const iso = cell.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** Counts the bytes of an upload and stops it with a clear message past `limit`. */
export function limitBytes(input: Readable, limit: number): Readable {
  let seen = 0;
  const limited = new PassThrough();
  input.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > limit) {
      input.destroy();
      limited.destroy(fileError(localized(FILE_TEXT.tooLarge, { limit: Math.round(limit / 1024 / 1024) })));
    }
  });
  input.on('error', (error) => limited.destroy(error));
  input.pipe(limited);
  return limited;
}

/** Rows written as they come to a CSV (UTF-8 with BOM, which Excel opens as UTF-8) or an XLSX stream. */
export interface TableWriter {
  row(cells: readonly (string | number)[]): Promise<void>;
  end(): Promise<void>;
}

export function createTableWriter(
  format: FileFormat,
  out: Writable,
  options: { sheetName: string; widths?: readonly number[]; highlightColumn?: number },
): TableWriter {
  if (format === 'csv') {
    out.write('\uFEFF');
    const csv = stringify();
    csv.pipe(out);
    return {
      async row(cells) {
        if (!csv.write(safeCsvRow(cells))) await once(csv, 'drain');
      },
      async end() {
        const finished = once(out, 'finish');
        csv.end();
        await finished;
      },
    };
  }
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(options.sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  options.widths?.forEach((width, i) => {
    sheet.getColumn(i + 1).width = width;
  });
  let rowCount = 0;
  return {
    async row(cells) {
      const row = sheet.addRow([...cells]);
      if (rowCount === 0) row.font = { bold: true };
      else if (options.highlightColumn !== undefined) {
        row.getCell(options.highlightColumn + 1).font = { color: { argb: 'FFC00000' } };
      }
      rowCount++;
      row.commit();
    },
    async end() {
      sheet.commit();
      await workbook.commit();
    },
  };
}
