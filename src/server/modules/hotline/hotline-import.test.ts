import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { MAX_HOTLINE_ROWS } from '../../../shared/hotline.ts';
import { parseReceivedAt } from './hotline-dates.ts';
import { normalizePhone } from './hotline-import.ts';
import { locateHeader, suggestMapping } from './hotline-mapping.ts';
import { formatErrorReport } from './hotline-report.ts';
import { readSheet } from './hotline-sheet.ts';

describe('reading a 12345 export', () => {
  it('reads received times as hotline platforms write them, in Beijing time', () => {
    const at = '2026-11-20T01:30:00.000Z';
    for (const written of [
      '2026-11-20 09:30',
      '2026/11/20 9:30:00',
      '2026年11月20日 09时30分',
      '2026.11.20 09:30',
    ]) {
      expect(parseReceivedAt(written), written).toEqual(new Date(at));
    }
    expect(parseReceivedAt('2026-11-20T09:30:00+08:00')).toEqual(new Date(at));
    expect(parseReceivedAt('2026年11月20日 09时30分15秒')).toEqual(new Date('2026-11-20T01:30:15.000Z'));
    // A spreadsheet date cell carries the time it shows as if it were UTC.
    expect(parseReceivedAt(new Date('2026-11-20T09:30:00Z'))).toEqual(new Date(at));
    expect(parseReceivedAt('')).toBeNull();
    for (const bad of ['2026-02-30 10:00', '2026-11-20 25:00', '昨天', '45992.5']) {
      expect(parseReceivedAt(bad), bad).toBe('invalid');
    }
  });

  it('keeps phone numbers people can call back, and masked ones, and refuses the rest', () => {
    expect(normalizePhone('+86 138 0013 8000')).toBe('13800138000');
    expect(normalizePhone('(0757)86501234')).toBe('075786501234');
    expect(normalizePhone('0757-86501234')).toBe('0757-86501234');
    expect(normalizePhone('138****5678')).toBe('138****5678');
    expect(normalizePhone('')).toBeNull();
    expect(normalizePhone('12345')).toBe('invalid');
    expect(normalizePhone('13800138000/13900139000')).toBe('invalid');
  });

  it('recognises the usual headers, whatever marks surround them', () => {
    expect(
      suggestMapping([
        '* 工单号',
        '来电时间',
        '事项分类',
        '问题描述（详细）',
        '事发地点',
        'lng',
        'lat',
        '所属村居',
      ]),
    ).toEqual({
      orderNo: '* 工单号',
      receivedAt: '来电时间',
      category: '事项分类',
      description: '问题描述（详细）',
      address: '事发地点',
      lon: 'lng',
      lat: 'lat',
      region: '所属村居',
      callerName: null,
      callerPhone: null,
      dueAt: null,
      closedAt: null,
      status: null,
      agency: null,
    });
  });

  it('finds the header row below a title, names blank and repeated headers, and reads tab-separated UTF-16', async () => {
    const text = '九江镇工单导出\n工单编号\t诉求内容\t\t诉求内容\nA1\t内容一\tx\t内容二\n';
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const sheet = await readSheet(bytes);
    expect(sheet.encoding).toBe('utf-16le');
    const table = locateHeader(sheet);
    expect(table).toMatchObject({ headerRow: 2, headers: ['工单编号', '诉求内容', '#3', '诉求内容 (2)'] });
    expect(table.rows).toEqual([{ number: 3, cells: ['A1', '内容一', 'x', '内容二'] }]);
  });

  it('refuses an XLSX with more data rows than the limit, naming the limit in both languages', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out });
    const sheet = workbook.addWorksheet('工单');
    sheet.addRow(['工单编号', '诉求内容', '所属网格']).commit();
    // More than the limit even with every row a title or header could take.
    for (let i = 0; i < MAX_HOTLINE_ROWS + 11; i++) sheet.addRow([`A${i}`, '路灯不亮', '440605']).commit();
    sheet.commit();
    await workbook.commit();
    await expect(readSheet(Buffer.concat(chunks))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      params: {
        summary: {
          zh: `工作表的数据超过 ${MAX_HOTLINE_ROWS} 行上限，请拆分后分批导入`,
          en: `the worksheet has more than ${MAX_HOTLINE_ROWS} data rows, the limit: split it and import the parts`,
        },
      },
    });
  });

  it('writes formula-like cells of the CSV error report as text, and reads them back as they were', async () => {
    const report = await formatErrorReport({
      headers: ['工单编号', '诉求内容', '经度'],
      rows: [
        {
          row: 2,
          cells: ['A1', '=HYPERLINK("http://evil.example/","点击查看")', '-113.25'],
          reasons: [{ zh: '缺少位置', en: 'no location' }],
        },
      ],
      locale: 'zh-CN',
      format: 'csv',
    });
    const text = report.toString('utf8');
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example/"",""点击查看"")"`);
    // A number stays a number.
    expect(text).toContain(',-113.25');
    const sheet = await readSheet(report);
    expect(sheet.rows[1]?.cells.slice(2)).toEqual([
      'A1',
      '=HYPERLINK("http://evil.example/","点击查看")',
      '-113.25',
    ]);
  });
});
