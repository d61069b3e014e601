import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createApp,
  createUser,
  type HttpSession,
  httpLogin,
  seedTerritory,
  TERRITORY,
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The registry import keeps its word: the template imports back, and the preview flags what the import rejects. */
describe('HTTP: registry import templates and previews', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let admin: HttpSession;
  let heqing: HttpSession;

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    app = await createApp(ctx);
    const login = async (role: 'administrator' | 'dispatcher', regionCode: string) =>
      httpLogin(app, (await createUser(ctx, { role, regionCode })).username);
    admin = await login('administrator', TERRITORY.town);
    heqing = await login('administrator', TERRITORY.heqing);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  const send = (method: 'GET' | 'POST', url: string, session: HttpSession, body?: Buffer, lang = 'zh-CN') =>
    app.inject({
      method,
      url,
      headers: {
        cookie: session.cookie,
        'x-csrf-token': session.csrfToken,
        'accept-language': lang,
        ...(body ? { 'content-type': XLSX_TYPE } : {}),
      },
      ...(body ? { body } : {}),
    });

  async function sheetOf(body: Buffer): Promise<ExcelJS.Worksheet> {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(body as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    if (!sheet) throw new Error('no worksheet');
    return sheet;
  }

  const headerOf = (sheet: ExcelJS.Worksheet) =>
    (sheet.getRow(1).values as unknown[]).slice(1).map((v) => String(v));

  it('gives a template per entity whose header row follows the console’s language, required columns first', async () => {
    const zh = await send('GET', '/api/v1/registry/residents/import/template?format=xlsx', admin);
    expect(zh.statusCode).toBe(200);
    expect(zh.headers['content-disposition']).toContain('registry-residents-template.xlsx');
    expect(headerOf(await sheetOf(zh.rawPayload)).slice(0, 5)).toEqual([
      '姓名',
      '身份证号',
      '人口类型',
      '街路巷',
      '门牌号',
    ]);
    const en = await send(
      'GET',
      '/api/v1/registry/addresses/import/template?format=csv',
      admin,
      undefined,
      'en-US',
    );
    expect(en.statusCode).toBe(200);
    expect(en.body.replace('\uFEFF', '').split('\r\n')[0]?.split(',').slice(0, 3)).toEqual([
      'Road',
      'Door number',
      'Building',
    ]);
  });

  it('imports a filled-in template back, a grid given by its name as the 12345 import accepts it', async () => {
    const template = await sheetOf(
      (await send('GET', '/api/v1/registry/addresses/import/template?format=xlsx', admin)).rawPayload,
    );
    const headers = headerOf(template);
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('标准地址');
    sheet.addRow(headers);
    const row = (cells: Record<string, string>) => headers.map((h) => cells[h] ?? '');
    sheet.addRow(row({ 街路巷: '河清大道', 门牌号: '8', 所属网格: '河清社区' }));
    sheet.addRow(row({ 街路巷: '河清大道', 门牌号: '10', 所属网格: '河清社区居委会' }));
    const file = Buffer.from(await book.xlsx.writeBuffer());

    const preview = (await send('POST', '/api/v1/registry/addresses/import/preview', admin, file)).json();
    expect(preview.problems).toEqual([]);
    expect(preview.rows.map((r: { problems: string[] }) => r.problems)).toEqual([[], []]);

    const result = (
      await send('POST', '/api/v1/registry/addresses/import?fileName=a.xlsx', admin, file)
    ).json();
    expect(result).toMatchObject({ status: 'done', created: 2, rejected: 0 });
    const listed = (await send('GET', '/api/v1/registry/addresses?q=河清大道', admin)).json();
    expect(listed.items.map((a: { regionCode: string }) => a.regionCode.slice(0, 12))).toEqual([
      TERRITORY.heqing,
      TERRITORY.heqing,
    ]);
  });

  it('flags in the preview every row the import then rejects, with the same reason', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('标准地址');
    sheet.addRow(['街路巷', '门牌号', '所属网格']);
    sheet.addRow(['河清大道', '20', '第1网格']); // in 河清's scope, the name is its own grid
    sheet.addRow(['英明路', '9', TERRITORY.yingming]); // another village: outside the scope
    sheet.addRow(['河清大道', '22', '不存在的网格']);
    sheet.addRow(['河清大道', '20', '第1网格']); // the same address twice in one file
    const file = Buffer.from(await book.xlsx.writeBuffer());

    const preview = (
      await send('POST', '/api/v1/registry/addresses/import/preview', heqing, file, 'en-US')
    ).json();
    const flagged = preview.rows.map((r: { row: number; problems: string[] }) => [
      r.row,
      r.problems.length > 0,
    ]);
    expect(flagged).toEqual([
      [2, false],
      [3, true],
      [4, true],
      [5, true],
    ]);
    expect(preview.rows[1].problems[0]).toContain('outside your data scope');
    expect(preview.rows[2].problems[0]).toContain('no village or grid named "不存在的网格"');

    const result = (
      await send('POST', '/api/v1/registry/addresses/import?fileName=b.xlsx', heqing, file, 'en-US')
    ).json();
    expect(result).toMatchObject({ created: 1, rejected: 3 });
    const reasons = new Map(result.errors.map((e: { row: number; reason: string }) => [e.row, e.reason]));
    for (const row of preview.rows.slice(1)) expect(reasons.get(row.row)).toBe(row.problems.join('; '));

    // The preview wrote nothing: only the import's one good row is there.
    const listed = (await send('GET', '/api/v1/registry/addresses?q=河清大道 20', heqing)).json();
    expect(listed.total).toBe(1);
  });

  it('calls a grid name two villages share ambiguous for a town user, naming both', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('标准地址');
    sheet.addRow(['街路巷', '门牌号', '所属网格']);
    sheet.addRow(['河清大道', '30', '第2网格']);
    const file = Buffer.from(await book.xlsx.writeBuffer());
    const preview = (await send('POST', '/api/v1/registry/addresses/import/preview', admin, file)).json();
    expect(preview.rows[0].problems[0]).toContain('对应多个网格');
    expect(preview.rows[0].problems[0]).toContain(TERRITORY.heqingGrids[1]);
    expect(preview.rows[0].problems[0]).toContain(TERRITORY.yingmingGrids[1]);
  });
});
