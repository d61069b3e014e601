import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('HTTP: 12345 hotline import', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let dispatcher: HttpSession;
  let worker: HttpSession;
  let workbook: Buffer;

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    await seedCaseReference(ctx);
    app = await createApp(ctx);
    dispatcher = await httpLogin(
      app,
      (await createUser(ctx, { role: 'dispatcher', regionCode: TERRITORY.town })).username,
    );
    worker = await httpLogin(
      app,
      (await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.heqing })).username,
    );
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Sheet1');
    sheet.addRow(['热线单号', '诉求类别', '诉求内容', '所属村居']);
    sheet.addRow(['H-100', '非法小广告', '河清社区电线杆上贴满小广告', TERRITORY.heqing]);
    sheet.addRow(['H-101', '非法小广告', '西樵的工单', TERRITORY.dongbi]);
    workbook = Buffer.from(await book.xlsx.writeBuffer());
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  const post = (
    path: string,
    session: HttpSession,
    body: Buffer | string,
    options: { type?: string; query?: Record<string, string>; locale?: string } = {},
  ) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/hotline/${path}`,
      query: { fileName: '工单.xlsx', ...options.query },
      headers: {
        cookie: session.cookie,
        'x-csrf-token': session.csrfToken,
        'content-type': options.type ?? XLSX_TYPE,
        'accept-language': options.locale ?? 'zh-CN',
      },
      payload: body,
    });

  it('takes the time zone, source and agency mapping from the query, refusing bad ones by name', async () => {
    const csv =
      'Service Request ID,Created Date,Agency,Complaint Type,Descriptor,Latitude,Longitude\n' +
      'Q-1,03/05/2026 02:30:00 PM,DOT,06010,Litter by the bus stop,22.85,112.945\n';
    const read = await post('preview', dispatcher, csv, {
      type: 'text/csv',
      locale: 'en-US',
      query: { timeZone: 'America/New_York', source: 'city-311', agencies: JSON.stringify({ DOT: null }) },
    });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({
      timeZone: 'America/New_York',
      source: 'city-311',
      agencies: [{ agency: 'DOT', rows: 1, departmentId: null, mappedBy: 'none' }],
      rejected: 1,
    });
    const zone = await post('preview', dispatcher, csv, {
      type: 'text/csv',
      query: { timeZone: 'Mars/Olympus' },
    });
    expect(zone.statusCode).toBe(400);
    expect(JSON.stringify(zone.json())).toContain('timeZone');
    const agencies = await post('preview', dispatcher, csv, {
      type: 'text/csv',
      locale: 'en-US',
      query: { agencies: '{"DOT": "sanitation"}' },
    });
    expect(agencies.statusCode).toBe(400);
    expect(JSON.stringify(agencies.json())).toContain('agency mapping');
  });

  it('previews an uploaded XLSX, taking the mapping from the query', async () => {
    const unmapped = await post('preview', dispatcher, workbook);
    expect(unmapped.statusCode).toBe(200);
    expect(unmapped.json()).toMatchObject({
      format: 'xlsx',
      headers: ['热线单号', '诉求类别', '诉求内容', '所属村居'],
      mapping: { orderNo: null, category: '诉求类别', region: '所属村居' },
      mappingProblems: ['请为「工单编号」选择对应的列'],
    });

    const mapped = await post('preview', dispatcher, workbook, {
      query: { mapping: JSON.stringify({ orderNo: '热线单号' }) },
    });
    expect(mapped.json()).toMatchObject({ mappingProblems: [], total: 2, ready: 1, rejected: 1 });
    expect(mapped.json().rejectedRows[0]).toMatchObject({
      row: 3,
      orderNo: 'H-101',
      reasons: ['东碧社区居委会（440605122001） 不在您的数据范围（九江镇）内'],
    });
  });

  it('imports, then downloads the error report in the language asked for', async () => {
    const query = { mapping: JSON.stringify({ orderNo: '热线单号' }) };
    const imported = await post('imports', dispatcher, workbook, { query });
    expect(imported.statusCode).toBe(200);
    const result = imported.json();
    expect(result).toMatchObject({ fileName: '工单.xlsx', total: 2, created: 1, rejected: 1 });
    const caseId = result.rows[0].caseId;
    const detail = await app.inject({
      url: `/api/v1/cases/${caseId}`,
      headers: { cookie: dispatcher.cookie },
    });
    expect(detail.json()).toMatchObject({
      source: 'hotline',
      externalRef: 'H-100',
      regionCode: TERRITORY.heqing,
    });

    const again = await post('imports', dispatcher, workbook, { query });
    expect(again.json()).toMatchObject({ created: 0, alreadyImported: 1, rejected: 1 });

    const report = await app.inject({
      url: `/api/v1/hotline/imports/${result.id}/errors?format=csv&lang=en-US`,
      headers: { cookie: dispatcher.cookie },
    });
    expect(report.statusCode).toBe(200);
    expect(report.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(report.headers['content-disposition']).toBe(
      `attachment; filename="hotline-import-${result.id}-rejected.csv"`,
    );
    expect(report.body).toContain(
      '\n3,东碧社区居委会 (440605122001) is outside your data scope (九江镇),H-101,非法小广告,西樵的工单,',
    );
  });

  it('describes the three routes in the OpenAPI document', async () => {
    const paths = Object.keys((await app.inject({ url: '/api/docs/json' })).json().paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/hotline/preview',
        '/api/v1/hotline/imports',
        '/api/v1/hotline/imports/{id}/errors',
      ]),
    );
  });

  it('reads a CSV body sent as text/csv as bytes', async () => {
    const csv = `工单编号,诉求类别,诉求内容,经度,纬度\nC-1,06010,河清路口垃圾,112.945,22.85\n`;
    const response = await post('preview', dispatcher, Buffer.from(csv), {
      type: 'text/csv',
      query: { fileName: 'a.csv' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ format: 'csv', encoding: 'utf-8', ready: 1 });
  });

  it('refuses other roles, a missing CSRF token, an empty body and a file over 10 MB', async () => {
    const forbidden = await post('preview', worker, workbook);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('FORBIDDEN_ROLE');

    const noToken = await app.inject({
      method: 'POST',
      url: '/api/v1/hotline/imports',
      headers: { cookie: dispatcher.cookie, 'content-type': XLSX_TYPE },
      payload: workbook,
    });
    expect(noToken.json().error.code).toBe('CSRF_FAILED');

    const empty = await post('preview', dispatcher, Buffer.alloc(0), { type: 'application/octet-stream' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.message).toBe('输入有误：请以 CSV 或 XLSX 文件作为请求体上传');

    const huge = await post('imports', dispatcher, Buffer.alloc(12 * 1024 * 1024, 0x41), {
      type: 'application/octet-stream',
      locale: 'en-US',
    });
    expect(huge.statusCode).toBe(400);
    expect(huge.json().error.message).toBe(
      'Invalid input: the file is 12.0 MB, over the 10 MB limit: split it and import the parts',
    );

    const badMapping = await post('preview', dispatcher, workbook, { query: { mapping: '{"orderNo":' } });
    expect(badMapping.statusCode).toBe(400);
    expect(badMapping.json().error.message).toContain('字段对应关系格式有误');
  });
});
