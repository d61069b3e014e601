import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoChecklists } from '../../db/seed/demo-checklists.ts';
import {
  createApp,
  createUser,
  type HttpSession,
  httpLogin,
  seedCaseReference,
  seedTerritory,
  TERRITORY,
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('HTTP: checklist templates', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let inspector: HttpSession;
  let worker: HttpSession;
  let pharmacyId: number;

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    await seedCaseReference(ctx);
    [pharmacyId = 0] = await loadDemoChecklists(ctx.services, TERRITORY.town);
    app = await createApp(ctx);
    inspector = await httpLogin(
      app,
      (await createUser(ctx, { role: 'inspector', regionCode: TERRITORY.town })).username,
    );
    worker = await httpLogin(
      app,
      (await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.heqing })).username,
    );
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  const request = (
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    session: HttpSession,
    options: { json?: object; file?: Buffer; query?: Record<string, string>; locale?: string } = {},
  ) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      query: options.query ?? {},
      headers: {
        cookie: session.cookie,
        'x-csrf-token': session.csrfToken,
        'accept-language': options.locale ?? 'zh-CN',
        ...(options.file ? { 'content-type': XLSX_TYPE } : {}),
      },
      ...(options.file ? { payload: options.file } : options.json ? { payload: options.json } : {}),
    });

  async function workbookOf(rows: (string | number)[][]): Promise<Buffer> {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('测评表');
    for (const row of rows) sheet.addRow(row);
    return Buffer.from(await book.xlsx.writeBuffer());
  }

  async function sheetRows(bytes: Buffer): Promise<string[][]> {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    const rows: string[][] = [];
    book.worksheets[0]?.eachRow((row) => {
      rows.push(
        (row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v))),
      );
    });
    return rows;
  }

  it('exports a version as XLSX that imports back as the next version with the same items', async () => {
    const original = (await request('GET', `/checklists/${pharmacyId}`, inspector)).json();
    const exported = await request('GET', `/checklists/${pharmacyId}/export`, inspector);
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toBe(XLSX_TYPE);
    const rows = await sheetRows(exported.rawPayload);
    expect(rows[0]).toEqual(['测评表名称', '药店诊所专项检查']);
    const header = rows.find((r) => r.includes('检查内容')) ?? [];
    expect(header).toEqual([
      '序号',
      '分类',
      '检查内容',
      '分值',
      '评分方式',
      '比较',
      '阈值',
      '单位',
      '照片要求',
      '判定口径',
      '适用场所',
      '整改分类',
      '一票否决',
      '立行立改',
      '整改时限',
    ]);
    const expiry = rows.find((r) => r[0] === '5.1');
    expect(expiry?.slice(3, 8)).toEqual(['10', '计数达标', '≤', '0', '种']);
    expect(expiry?.slice(11, 14)).toEqual(['12006', '是', '是']);

    const imported = await request('POST', '/checklists/import', inspector, { file: exported.rawPayload });
    expect(imported.statusCode).toBe(200);
    const result = imported.json();
    expect(result).toMatchObject({ applied: true, code: 'pharmacy-clinic', newTemplate: false, items: 13 });
    expect(result.template).toMatchObject({ version: 2, status: 'draft', name: original.name });
    const strip = (detail: { sections: { items: Record<string, unknown>[] }[] }) =>
      detail.sections.map((s) => s.items.map(({ id: _id, ...item }) => item));
    expect(strip(result.template)).toEqual(strip(original));
    expect(result.template.siteTypes).toEqual(original.siteTypes);
    expect(result.template.description).toEqual(original.description);
  });

  it('rejects a file with wrong rows, naming every row and why, and writes nothing', async () => {
    const top = [
      ['测评表名称', '农贸市场测评'],
      ['测评表编号', 'farm-market'],
      [
        '序号',
        '分类',
        '检查内容',
        '分值',
        '评分方式',
        '比较',
        '阈值',
        '单位',
        '适用场所',
        '整改分类',
        '一票否决',
      ],
      ['1', '环境', '垃圾桶分类设置', 10, '符合/不符合', '', '', '', '集贸市场', '06052', '否'],
    ];
    const wrong = [
      ['2', '环境', '公益广告', 10, '计数达标', '', '', '处', '集贸市场', '03010', '否'],
      ['3', '秩序', '占道经营', 'ten', '符合/不符合', '', '', '', '火星', '99999', '也许'],
      ['1', '秩序', '重复的序号', 5, '符合/不符合', '', '', '', '', '', '否'],
    ];
    const file = await workbookOf([...top, ...wrong]);

    const rejected = await request('POST', '/checklists/import', inspector, { file });
    expect(rejected.statusCode).toBe(422);
    const body = rejected.json();
    expect(body.error.code).toBe('IMPORT_REJECTED');
    const errors: { line: number; reason: string }[] = body.error.details.errors;
    expect(errors.map((e) => e.line)).toEqual([5, 6, 7]);
    expect(errors[0]?.reason).toContain('阈值');
    expect(errors[1]?.reason).toContain('「分值」“ten”无法识别');
    expect(errors[1]?.reason).toContain('「适用场所」“火星”无法识别');
    expect(errors[1]?.reason).toContain('「一票否决」“也许”无法识别');
    expect(errors[2]?.reason).toContain('序号“1”与第 4 行重复');
    const listed = (await request('GET', '/checklists', inspector, { query: { q: 'farm-market' } })).json();
    expect(listed).toEqual([]);

    const english = await request('POST', '/checklists/import', inspector, { file, locale: 'en-US' });
    expect(english.json().error.details.errors[2].reason).toContain('key "1" repeats row 4');

    // Without the wrong rows the same sheet becomes a new template, v1.
    const good = await request('POST', '/checklists/import', inspector, { file: await workbookOf(top) });
    expect(good.statusCode, good.body).toBe(200);
    expect(good.json()).toMatchObject({
      newTemplate: true,
      template: { code: 'farm-market', version: 1, itemCount: 1 },
    });
  });

  it('answers 400 naming the field in the language asked for', async () => {
    const body: { code: string; name: string; items: Record<string, unknown>[] } = {
      code: 'bad-template',
      name: '字段错误的测评表',
      items: [
        {
          key: '1',
          section: '环境',
          question: '垃圾桶分类设置',
          points: 10,
          rule: 'passFail',
          categoryCode: '06',
        },
        { key: '2', section: '环境', question: '公益广告', points: 10, rule: 'count' },
      ],
    };
    const refused = await request('POST', '/checklists', inspector, { json: body });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details.issues[0].path).toBe('items.1.threshold');

    body.items[1] = { ...body.items[1], comparator: '>=', threshold: 5 };
    const zh = await request('POST', '/checklists', inspector, { json: body });
    expect(zh.statusCode).toBe(400);
    expect(zh.json().error.details.issues).toEqual([
      { path: 'items[0].categoryCode', message: '整改分类“06”是大类，请填写小类代码' },
    ]);
    const en = await request('POST', '/checklists', inspector, { json: body, locale: 'en-US' });
    expect(en.json().error.message).toContain(
      'items[0].categoryCode: rectification category "06" is a major class',
    );
  });

  it('lets a grid worker read templates but change none', async () => {
    const list = await request('GET', '/checklists', worker);
    expect(list.statusCode).toBe(200);
    expect(list.json().map((t: { name: string }) => t.name)).toContain('文明城市实地测评（暗访）');
    const detail = (await request('GET', `/checklists/${pharmacyId}`, worker)).json();
    const edit = await request('PUT', `/checklists/${pharmacyId}`, worker, {
      json: { name: detail.name, items: detail.sections[0].items, rowVersion: detail.rowVersion },
    });
    expect(edit.statusCode).toBe(403);
    const retire = await request('POST', `/checklists/${pharmacyId}/retire`, worker, {
      json: { rowVersion: detail.rowVersion },
    });
    expect(retire.statusCode).toBe(403);
    const importing = await request('POST', '/checklists/import', worker, {
      file: (await request('GET', `/checklists/${pharmacyId}/export`, worker)).rawPayload,
    });
    expect(importing.statusCode).toBe(403);
    expect((await request('GET', `/checklists/${pharmacyId}`, worker)).json().status).toBe('active');
  });
});
