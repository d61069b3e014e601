import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { xlsxOf } from './xlsx.ts';

describe('the browser XLSX writer', () => {
  it('writes a file a spreadsheet reads back, Chinese text and numbers intact', async () => {
    const bytes = xlsxOf('排名 2026-11', [
      ['名次', '名称', '处置率'],
      [1, '河清社区居委会 <&>', 0.9278],
      [null, '英明社区居委会', '无应处置案件'],
    ]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(bytes) as never);
    const sheet = book.worksheets[0];
    expect(sheet?.name).toBe('排名 2026-11');
    expect(sheet?.getRow(1).values).toEqual([undefined, '名次', '名称', '处置率']);
    expect(sheet?.getRow(2).values).toEqual([undefined, 1, '河清社区居委会 <&>', 0.9278]);
    expect(sheet?.getCell('C3').value).toBe('无应处置案件');
    expect(sheet?.getCell('A1').font?.bold).toBe(true);
  });
});
