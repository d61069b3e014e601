import { PassThrough, Readable } from 'node:stream';
import { crc32, createDeflateRaw } from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readXlsxRows, type SpreadsheetRow, type XlsxReadOptions } from './spreadsheet.ts';

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
  const name = Buffer.from('xl/worksheets/sheet1.xml');
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
  const data = Buffer.concat(compressed);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(declare, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(declare, 24);
  central.writeUInt16LE(name.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(local.length + name.length + data.length, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}

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
