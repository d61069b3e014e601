import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import { Transform, type TransformCallback } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import { createInflateRaw, type InflateRaw } from 'node:zlib';
import ExcelJS from 'exceljs';
import { type ErrorParams, type LocalizedText, say } from '../shared/errors.ts';
import { AppError } from './errors.ts';

/*
 * The one XLSX reader of the server (registry and hotline imports). An XLSX file is a zip archive whose
 * worksheet XML is often 10 to 100 times the size of the file: loading it whole (exceljs `Workbook.xlsx.load`)
 * took a 7 MB hotline export to 3.2 GB of memory and held the only thread for 15 s. Here the first worksheet
 * is read as a stream, row by row, with three bounds checked while reading, so no upload can take the server
 * down with it:
 * - the rows: reading stops past `maxRows`, with a message naming the limit;
 * - the inflated bytes: a zip bomb (a few MB that inflate to gigabytes) is refused once the entries' declared
 *   sizes, or the bytes actually inflated so far, pass `maxUncompressedBytes` — before exceljs inflates them;
 * - the time: every `yieldEvery` rows the reader lets the event loop answer other requests.
 */

/**
 * The zip parser inside exceljs (unzipper 0.10) announces 'end' as soon as its input is all written (and again
 * when it reads the archive's end record), even when entries it has parsed still wait in its buffer: exceljs
 * pauses it while it handles a worksheet. With a small file and a busy server, exceljs then stops before the
 * parts that come last — the workbook part, which names the sheets ("Cannot read properties of undefined
 * (reading 'sheets')"), or a form's later sheets. Only the stream's own 'end', once its buffer is empty, is let
 * through; the parser still fails on a cut-short archive, with an error rather than an end.
 */
function holdEarlyZipEnd(): void {
  const fromExceljs = createRequire(createRequire(import.meta.url).resolve('exceljs'));
  const { Parse } = fromExceljs('unzipper') as { Parse: { prototype: Readable } };
  const emit = Parse.prototype.emit;
  Parse.prototype.emit = function (this: Readable, event: string | symbol, ...args: unknown[]) {
    if (event === 'end' && !this.readableEnded) return false;
    return emit.call(this, event, ...args);
  } as Readable['emit'];
}
holdEarlyZipEnd();

/** A cell as read: text, or a date from a spreadsheet date cell (its wall-clock time, carried as UTC). */
export type SpreadsheetCell = string | Date;

export interface SpreadsheetRow {
  /** The row number the spreadsheet shows. */
  number: number;
  cells: SpreadsheetCell[];
}

export interface XlsxReadOptions {
  /** Data rows (non-blank rows below the header) beyond which the file is refused. */
  maxRows: number;
  /** Non-blank rows above the data (a title line, the header) allowed on top of `maxRows`; 1 by default. */
  headerRows?: number;
  /** Bytes of all entries once inflated; defaults to `MAX_XLSX_UNCOMPRESSED_BYTES`. */
  maxUncompressedBytes?: number;
  /** Rows read between two turns of the event loop. */
  yieldEvery?: number;
}

/**
 * Room for a 200,000-row registry sheet of about 20 columns (worksheet and shared strings together) with
 * margin; a hotline export of the largest accepted size inflates to well under a quarter of it.
 */
export const MAX_XLSX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024;

const YIELD_EVERY_ROWS = 500;

export const XLSX_TEXT = {
  unreadable: {
    zh: '无法读取该 XLSX 文件（可能已损坏或加密）：{reason}',
    en: 'cannot read this XLSX file (damaged or encrypted?): {reason}',
  },
  noWorksheet: { zh: '工作簿中没有工作表', en: 'the workbook has no worksheet' },
  tooManyRows: {
    zh: '工作表的数据超过 {limit} 行上限，请拆分后分批导入',
    en: 'the worksheet has more than {limit} data rows, the limit: split it and import the parts',
  },
  tooLarge: {
    zh: '该 XLSX 文件解压后超过 {limit} MB 上限（可能是压缩炸弹），请拆分后分批导入',
    en: 'this XLSX file inflates to more than the {limit} MB limit (a zip bomb?): split it and import the parts',
  },
} as const satisfies Record<string, LocalizedText>;

function xlsxError(text: LocalizedText, params: ErrorParams = {}): AppError {
  return new AppError('VALIDATION_FAILED', {
    summary: { zh: say(text, 'zh-CN', params), en: say(text, 'en-US', params) },
  });
}

/**
 * The non-blank rows of the first worksheet of an XLSX file, as they stream in. Throws `VALIDATION_FAILED`
 * (bilingual) for a damaged file, one with more rows than `maxRows`, or one that inflates past the bound.
 * The input is destroyed when reading ends, early or not.
 */
export async function* readXlsxRows(
  input: Readable,
  options: XlsxReadOptions,
): AsyncGenerator<SpreadsheetRow> {
  for await (const row of readXlsxSheets(input, options)) {
    if (row.sheetIndex > 0) return;
    yield { number: row.number, cells: row.cells };
  }
}

/** A row of any worksheet: the sheet's name and position (0 for the first) as the workbook gives them. */
export interface SheetRow extends SpreadsheetRow {
  sheet: string;
  sheetIndex: number;
}

/**
 * The non-blank rows of every worksheet in turn (an XLSForm's survey, choices and settings sheets), with the
 * same bounds as `readXlsxRows`; `maxRows` applies to each sheet.
 */
export async function* readXlsxSheets(input: Readable, options: XlsxReadOptions): AsyncGenerator<SheetRow> {
  const bound = new ZipBound(options.maxUncompressedBytes ?? MAX_XLSX_UNCOMPRESSED_BYTES);
  // A refusal by the bound, or a broken upload, must end the reading even while exceljs waits inside an entry
  // (it hears neither): each step is a wait they can cut short.
  const interruption = new Interruptible();
  bound.on('error', (error) => interruption.fail(error));
  input.on('error', (error) => {
    interruption.fail(error);
    bound.destroy(error);
  });
  input.pipe(bound);
  const step = <T>(next: Promise<T>): Promise<T> => interruption.wait(next);

  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(bound, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    // The styles say which numbers are dates (a date cell is a number with a date format): they are small.
    styles: 'cache',
    worksheets: 'emit',
    entries: 'ignore',
  });
  const yieldEvery = options.yieldEvery ?? YIELD_EVERY_ROWS;
  const allowed = options.maxRows + (options.headerRows ?? 1);
  try {
    const sheets = workbook[Symbol.asyncIterator]();
    let sheetIndex = 0;
    for (
      let sheet = await step(sheets.next());
      !sheet.done;
      sheet = await step(sheets.next()), sheetIndex++
    ) {
      // The reader's typings omit the name it takes from the workbook part.
      const name = (sheet.value as unknown as { name?: string }).name ?? `Sheet${sheetIndex + 1}`;
      const rows = sheet.value[Symbol.asyncIterator]();
      let count = 0;
      for (let next = await step(rows.next()); !next.done; next = await step(rows.next())) {
        const row = next.value;
        const values = Array.isArray(row.values) ? row.values : [];
        // exceljs numbers columns from 1: index 0 of row.values is always empty.
        const cells = Array.from({ length: Math.max(values.length - 1, 0) }, (_, i) => cellOf(values[i + 1]));
        if (!cells.some((c) => c instanceof Date || c.trim() !== '')) continue;
        count++;
        if (count > allowed) throw xlsxError(XLSX_TEXT.tooManyRows, { limit: options.maxRows });
        yield { sheet: name, sheetIndex, number: row.number, cells };
        if (count % yieldEvery === 0) await setImmediate();
      }
    }
    if (sheetIndex === 0) throw xlsxError(XLSX_TEXT.noWorksheet);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw xlsxError(XLSX_TEXT.unreadable, { reason: (error as Error).message });
  } finally {
    input.unpipe(bound);
    input.destroy();
    bound.destroy();
  }
}

function cellOf(value: ExcelJS.CellValue | undefined): SpreadsheetCell {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('result' in value) return cellOf(value.result as ExcelJS.CellValue);
  if ('text' in value) return String(value.text);
  if ('error' in value) return String(value.error);
  return '';
}

const LOCAL_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;
const DESCRIPTOR_SIGNATURE = Buffer.from([0x50, 0x4b, 0x07, 0x08]);

interface Entry {
  /** Compressed bytes still to come, or null when the entry ends at a data descriptor. */
  remaining: number | null;
  inflater: InflateRaw | null;
  /** The last bytes of a chunk, which may hold the start of a data descriptor's signature. */
  tail: Buffer;
  /** Ends the wait for the inflater when it fails or passes the bound. */
  interruption: Interruptible;
}

/**
 * Passes a zip archive through unchanged while walking its entries the way exceljs's unzipper does (local
 * headers; sizes from the header or, when they come after the data, up to the data descriptor) and inflating
 * each to count its bytes. A chunk goes on to exceljs only once its inflated size is counted, so exceljs
 * never inflates past the bound; the declared sizes are checked before any inflating at all. What this walk
 * does not understand (the central directory, an unknown record) ends the checking: exceljs refuses it.
 */
class ZipBound extends Transform {
  private header = Buffer.alloc(0);
  private entry: Entry | null = null;
  private declared = 0;
  private inflated = 0;
  private checking = true;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.check(chunk).then(
      () => callback(null, chunk),
      (error: Error) => callback(error),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.entry?.inflater?.destroy();
    callback(error);
  }

  private tooLarge(): AppError {
    return xlsxError(XLSX_TEXT.tooLarge, { limit: Math.round(this.limit / 1024 / 1024) });
  }

  private async check(chunk: Buffer): Promise<void> {
    let data = chunk;
    while (this.checking && data.length > 0) {
      if (this.entry) {
        data = await this.entryData(this.entry, data);
        continue;
      }
      this.header = Buffer.concat([this.header, data]);
      const rest = this.readHeader();
      if (rest === null) return;
      this.header = Buffer.alloc(0);
      data = rest;
    }
  }

  /** Reads the record at the start of `this.header`: the bytes after it, or null while it is incomplete. */
  private readHeader(): Buffer | null {
    const bytes = this.header;
    if (bytes.length < 4) return null;
    const signature = bytes.readUInt32LE(0);
    if (signature === DATA_DESCRIPTOR) return bytes.length < 16 ? null : bytes.subarray(16);
    if (signature !== LOCAL_HEADER) {
      this.checking = false;
      return Buffer.alloc(0);
    }
    if (bytes.length < 30) return null;
    const end = 30 + bytes.readUInt16LE(26) + bytes.readUInt16LE(28);
    if (bytes.length < end) return null;
    const flags = bytes.readUInt16LE(6);
    const method = bytes.readUInt16LE(8);
    let compressed = bytes.readUInt32LE(18);
    let uncompressed = bytes.readUInt32LE(22);
    if (compressed === 0xffffffff || uncompressed === 0xffffffff) {
      const zip64 = zip64Sizes(bytes.subarray(30 + bytes.readUInt16LE(26), end));
      if (uncompressed === 0xffffffff) uncompressed = zip64.uncompressed;
      if (compressed === 0xffffffff) compressed = zip64.compressed;
    }
    this.declared += uncompressed;
    if (this.declared > this.limit) throw this.tooLarge();
    const interruption = new Interruptible();
    const inflater = method === 0 ? null : createInflateRaw();
    inflater?.on('data', (out: Buffer) => this.count(out.length, interruption));
    inflater?.on('error', (error) =>
      interruption.fail(xlsxError(XLSX_TEXT.unreadable, { reason: error.message })),
    );
    // As unzipper: the size in the header counts unless it is zero and the data descriptor flag is set.
    const sizeKnown = !(flags & 0x08) || compressed > 0;
    this.entry = { remaining: sizeKnown ? compressed : null, inflater, tail: Buffer.alloc(0), interruption };
    return bytes.subarray(end);
  }

  private count(bytes: number, interruption: Interruptible): void {
    this.inflated += bytes;
    if (this.inflated > this.limit) {
      this.entry?.inflater?.destroy();
      interruption.fail(this.tooLarge());
    }
  }

  /** Counts the entry's data in `data`: the bytes after the entry's end, if it ends in them. */
  private async entryData(entry: Entry, data: Buffer): Promise<Buffer> {
    if (entry.remaining !== null) {
      const take = Math.min(entry.remaining, data.length);
      await this.feed(entry, data.subarray(0, take));
      entry.remaining -= take;
      if (entry.remaining === 0) await this.endEntry(entry);
      return data.subarray(take);
    }
    const bytes = Buffer.concat([entry.tail, data]);
    const at = bytes.indexOf(DESCRIPTOR_SIGNATURE);
    if (at >= 0) {
      await this.feed(entry, bytes.subarray(0, at));
      await this.endEntry(entry);
      return bytes.subarray(at);
    }
    const keep = Math.min(DESCRIPTOR_SIGNATURE.length - 1, bytes.length);
    entry.tail = bytes.subarray(bytes.length - keep);
    await this.feed(entry, bytes.subarray(0, bytes.length - keep));
    return Buffer.alloc(0);
  }

  private async feed(entry: Entry, bytes: Buffer): Promise<void> {
    if (bytes.length === 0) return;
    const { inflater } = entry;
    if (!inflater) {
      // Stored, not deflated: the bytes are the entry's bytes.
      this.inflated += bytes.length;
      if (this.inflated > this.limit) throw this.tooLarge();
      return;
    }
    await entry.interruption.wait(new Promise<void>((resolve) => inflater.write(bytes, () => resolve())));
  }

  private async endEntry(entry: Entry): Promise<void> {
    this.entry = null;
    const { inflater } = entry;
    if (!inflater) return;
    await entry.interruption.wait(
      new Promise<void>((resolve) => {
        inflater.once('end', resolve);
        inflater.end();
      }),
    );
  }
}

/**
 * Waits that a failure elsewhere cuts short. `Promise.race` against one long-lived "failed" promise would
 * keep every raced result (here: every row read) reachable until that promise settles; this holds only the
 * wait in progress.
 */
class Interruptible {
  private error: Error | null = null;
  private rejectWait: ((error: Error) => void) | null = null;

  fail(error: Error): void {
    if (this.error) return;
    this.error = error;
    this.rejectWait?.(error);
  }

  wait<T>(work: Promise<T>): Promise<T> {
    if (this.error) return Promise.reject(this.error);
    return new Promise<T>((resolve, reject) => {
      this.rejectWait = reject;
      work.then(resolve, reject);
    });
  }
}

/** The sizes in a ZIP64 extended information field, for entries of 4 GB and more. */
function zip64Sizes(extra: Buffer): { uncompressed: number; compressed: number } {
  for (let at = 0; at + 4 <= extra.length; at += 4 + extra.readUInt16LE(at + 2)) {
    if (extra.readUInt16LE(at) === 0x0001 && at + 20 <= extra.length) {
      return {
        uncompressed: Number(extra.readBigUInt64LE(at + 4)),
        compressed: Number(extra.readBigUInt64LE(at + 12)),
      };
    }
  }
  return { uncompressed: Number.POSITIVE_INFINITY, compressed: 0 };
}
