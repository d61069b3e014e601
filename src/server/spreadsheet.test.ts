import { PassThrough, Readable } from 'node:stream';
import { crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readXlsxRows, readXlsxSheets, type SpreadsheetRow, type XlsxReadOptions } from './spreadsheet.ts';

async function xlsxOf(rows: readonly (readonly (string | number | Date)[])[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Sheet1');
  for (const row of rows) sheet.addRow([...row]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The bytes in pieces, as an upload arrives, counting how many the reader asked for. */
function upload(bytes: Buffer): { stream: Readable; read: () => number } {
  let read = 0;
  const stream = Readable.from(
    (function* () {
      for (let at = 0; at < bytes.length; at += 4096) {
        const piece = bytes.subarray(at, at + 4096);
        read += piece.length;
        yield piece;
      }
    })(),
    { objectMode: false, highWaterMark: 4096 },
  );
  return { stream, read: () => read };
}

async function readAll(input: Readable, options: XlsxReadOptions): Promise<SpreadsheetRow[]> {
  const rows: SpreadsheetRow[] = [];
  for await (const row of readXlsxRows(input, options)) rows.push(row);
  return rows;
}

/**
 * A one-entry zip (a worksheet of `size` bytes of padding, deflated a thousandfold) followed by its central
 * directory. `declare` is the uncompressed size its headers claim: the truth, or a lie.
 */
async function zipBomb(size: number, declare: number): Promise<Buffer> {
  const deflate = createDeflateRaw({ level: 9 });
  const compressed: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => compressed.push(chunk));
  const padding = Buffer.alloc(1024 * 1024, 0x20);
  let crc = 0;
  for (let written = 0; written < size; written += padding.length) {
    deflate.write(padding);
    crc = crc32(padding, crc);
  }
  await new Promise((resolve) => deflate.end(resolve));
  return zipOfDeflated([
    { path: 'xl/worksheets/sheet1.xml', data: Buffer.concat(compressed), crc, declared: declare },
  ]);
}

/** A zip of `parts`, deflated as spreadsheet writers do, in the order given (the order a writer chose). */
function zipOf(parts: [string, string][]): Buffer {
  return zipOfDeflated(
    parts.map(([path, text]) => {
      const plain = Buffer.from(text);
      return { path, data: deflateRawSync(plain), crc: crc32(plain), declared: plain.length };
    }),
  );
}

/**
 * Deflated entries and their central directory. `declared` is the uncompressed size the headers claim: the
 * truth, or a lie.
 */
function zipOfDeflated(entries: { path: string; data: Buffer; crc: number; declared: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { path, data, crc, declared } of entries) {
    const name = Buffer.from(path);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const SHEET_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const sheetXml = (strings: number[]) =>
  `<worksheet xmlns="${SHEET_NS}"><sheetData><row r="1">${strings
    .map((s, i) => `<c r="${String.fromCharCode(65 + i)}1" t="s"><v>${s}</v></c>`)
    .join('')}</row></sheetData></worksheet>`;

describe('the XLSX reader', () => {
  it('reads the first worksheet row by row: text, numbers as text, dates as dates, blank rows skipped', async () => {
    const bytes = await xlsxOf([
      ['工单编号', '经度', '受理时间'],
      [],
      ['A1', -113.25, new Date('2026-11-20T09:30:00Z')],
    ]);
    const rows = await readAll(upload(bytes).stream, { maxRows: 10 });
    expect(rows).toEqual([
      { number: 1, cells: ['工单编号', '经度', '受理时间'] },
      { number: 3, cells: ['A1', '-113.25', new Date('2026-11-20T09:30:00Z')] },
    ]);
  });

  it('stops reading past the row limit, saying so in both languages with the limit', async () => {
    const bytes = await xlsxOf(Array.from({ length: 40 }, (_, i) => [`R${i}`, i]));
    const error = await readAll(upload(bytes).stream, { maxRows: 25 }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'VALIDATION_FAILED',
      params: {
        summary: {
          zh: '工作表的数据超过 25 行上限，请拆分后分批导入',
          en: 'the worksheet has more than 25 data rows, the limit: split it and import the parts',
        },
      },
    });
    expect(await readAll(upload(bytes).stream, { maxRows: 39 })).toHaveLength(40);
  });

  it('refuses a zip bomb by its declared size before inflating anything', async () => {
    // 256 MB of padding in about 250 KB, declared honestly; the bound is 1 MB.
    const bomb = await zipBomb(256 * 1024 * 1024, 256 * 1024 * 1024);
    const { stream, read } = upload(bomb);
    const error = await readAll(stream, { maxRows: 10, maxUncompressedBytes: 1024 * 1024 }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'VALIDATION_FAILED',
      params: { summary: { en: expect.stringContaining('more than the 1 MB limit') } },
    });
    expect(read()).toBeLessThan(bomb.length / 4);
  });

  it('refuses a zip bomb that lies about its size once what it inflates to passes the bound', async () => {
    const bomb = await zipBomb(256 * 1024 * 1024, 1000);
    const { stream, read } = upload(bomb);
    const error = await readAll(stream, { maxRows: 10, maxUncompressedBytes: 1024 * 1024 }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'VALIDATION_FAILED',
      params: { summary: { zh: expect.stringContaining('解压后超过 1 MB 上限') } },
    });
    // Refused on its first pieces: the rest of the upload was never read, let alone inflated.
    expect(read()).toBeLessThan(bomb.length / 4);
  });

  describe('names each sheet, in every order of the parts a writer may choose', () => {
    const parts: Record<string, [string, string]> = {
      rels: [
        'xl/_rels/workbook.xml.rels',
        `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
          `<Relationship Id="rId1" Type="${REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>` +
          `<Relationship Id="rId2" Type="${REL_NS}/worksheet" Target="worksheets/sheet2.xml"/>` +
          `<Relationship Id="rId3" Type="${REL_NS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
      ],
      strings: [
        'xl/sharedStrings.xml',
        `<sst xmlns="${SHEET_NS}"><si><t>type</t></si><si><t>name</t></si><si><t>list_name</t></si></sst>`,
      ],
      sheet1: ['xl/worksheets/sheet1.xml', sheetXml([0, 1])],
      sheet2: ['xl/worksheets/sheet2.xml', sheetXml([2, 1])],
      workbook: [
        'xl/workbook.xml',
        `<workbook xmlns="${SHEET_NS}" xmlns:r="${REL_NS}"><sheets>` +
          `<sheet name="survey" sheetId="1" r:id="rId1"/><sheet name="choices" sheetId="2" r:id="rId2"/>` +
          `</sheets></workbook>`,
      ],
    };
    const orders = {
      // Excel's: the workbook part first, the shared strings after the sheets.
      excel: ['workbook', 'rels', 'sheet1', 'sheet2', 'strings'],
      // exceljs's own writer: the workbook part last. The reader, busy with a set-aside sheet when the whole
      // small file had arrived, stopped before the workbook part ("reading 'sheets'", seen in the e2e flows).
      exceljs: ['rels', 'sheet1', 'sheet2', 'strings', 'workbook'],
    };
    for (const [writer, order] of Object.entries(orders)) {
      it(`as ${writer} orders them`, async () => {
        const bytes = zipOf(order.map((part) => parts[part] as [string, string]));
        const rows = [];
        for await (const row of readXlsxSheets(upload(bytes).stream, { maxRows: 10, headerRows: 0 })) {
          rows.push([row.sheet, ...row.cells]);
        }
        expect(rows).toEqual([
          ['survey', 'type', 'name'],
          ['choices', 'list_name', 'name'],
        ]);
      });
    }
  });

  it('refuses a cut-short or empty upload with its reason, rather than waiting for parts that never come', async () => {
    // The reader lets only the zip stream's own end through (see holdEarlyZipEnd): an archive that stops
    // early must still end the reading, with an error.
    const whole = await xlsxOf(Array.from({ length: 50 }, (_, i) => [`类型${i}`, `名称${i}`]));
    for (const bytes of [
      whole.subarray(0, whole.length / 2),
      whole.subarray(0, whole.length - 10),
      Buffer.alloc(0),
    ]) {
      await expect(readAll(upload(bytes).stream, { maxRows: 100 })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        params: { summary: { zh: expect.stringContaining('无法读取该 XLSX 文件') } },
      });
    }
  });

  it('reads an XLSX whose entries carry their sizes after the data, as streaming writers make them', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: true });
    const sheet = writer.addWorksheet('Sheet1');
    for (let i = 0; i < 3000; i++) sheet.addRow([`居民${i}`, `地址${i % 17}`]).commit();
    sheet.commit();
    await writer.commit();
    const bytes = Buffer.concat(chunks);
    // Bit 3 of the first entry's flags: sizes in a data descriptor after the data.
    expect(bytes.readUInt16LE(6) & 0x08).toBe(0x08);
    const rows = await readAll(upload(bytes).stream, {
      maxRows: 5000,
      maxUncompressedBytes: 4 * 1024 * 1024,
    });
    expect(rows).toHaveLength(3000);
    expect(rows[2999]).toEqual({ number: 3000, cells: ['居民2999', '地址7'] });
  });
});
