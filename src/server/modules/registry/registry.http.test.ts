import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumberCheckChar } from '../../../shared/registry-validation.ts';
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

function idNumber(birth: string, sequence: number): string {
  const first17 = `440605${birth}${String(sequence).padStart(3, '0')}`;
  return `${first17}${idNumberCheckChar(first17)}`;
}

describe('HTTP: the registry', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let admin: HttpSession;
  let heqing: HttpSession;
  let yingming: HttpSession;
  const good = idNumber('19800101', 11);
  const other = idNumber('19850505', 21);
  const bad = `${idNumber('19900101', 31).slice(0, 17)}${idNumber('19900101', 31).endsWith('0') ? '1' : '0'}`;
  let workbook: Buffer;

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    app = await createApp(ctx);
    const login = async (role: 'administrator' | 'gridWorker', regionCode: string) =>
      httpLogin(app, (await createUser(ctx, { role, regionCode })).username);
    admin = await login('administrator', TERRITORY.town);
    heqing = await login('gridWorker', TERRITORY.heqing);
    yingming = await login('gridWorker', TERRITORY.yingming);
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('实有人口');
    sheet.addRow(['姓名', '身份证号', '联系电话', '人口类型', '街路巷', '门牌号', '经度', '纬度']);
    sheet.addRow(['陈志伟', good, '13812345678', '户籍', '河清大道', '3', 112.945, 22.85]);
    sheet.addRow(['黄伟强', bad, '13712345678', '流动', '河清大道', '5', 112.945, 22.85]);
    sheet.addRow(['梁明', other, '13912345678', '流动', '英明路', '12', 112.97, 22.85]);
    workbook = Buffer.from(await book.xlsx.writeBuffer());
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  const get = (url: string, session: HttpSession, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, headers: { cookie: session.cookie, ...headers } });
  const post = (
    url: string,
    session: HttpSession,
    body: Buffer | string | object,
    headers: Record<string, string> = {},
  ) =>
    app.inject({
      method: 'POST',
      url,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, ...headers },
      ...(Buffer.isBuffer(body) || typeof body === 'string' ? { body } : { payload: body }),
    });

  it('previews a file: headers, the suggested mapping and each row’s problems', async () => {
    const response = await post('/api/v1/registry/residents/import/preview', admin, workbook, {
      'content-type': XLSX_TYPE,
      'accept-language': 'en-US',
    });
    expect(response.statusCode).toBe(200);
    const preview = response.json();
    expect(preview.format).toBe('xlsx');
    expect(preview.mapping).toMatchObject({ name: '姓名', idNumber: '身份证号', road: '街路巷' });
    expect(preview.problems).toEqual([]);
    expect(preview.rows[1]).toMatchObject({ row: 3, problems: ['ID number check digit is wrong'] });
  });

  it('imports an uploaded XLSX: good rows in, the bad one reported by row number in the user’s language', async () => {
    const response = await post('/api/v1/registry/residents/import?fileName=people.xlsx', admin, workbook, {
      'content-type': XLSX_TYPE,
      'accept-language': 'en-US',
    });
    expect(response.statusCode).toBe(200);
    const result = response.json();
    expect(result).toMatchObject({
      status: 'done',
      total: 3,
      created: 2,
      rejected: 1,
      fileName: 'people.xlsx',
    });
    expect(result.errors).toEqual([{ row: 3, reason: 'ID number check digit is wrong' }]);

    const report = await get(`/api/v1/registry/imports/${result.id}/errors`, admin);
    expect(report.statusCode).toBe(200);
    expect(report.headers['content-type']).toBe(XLSX_TYPE);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(report.rawPayload as unknown as ExcelJS.Buffer);
    const row = book.worksheets[0]?.getRow(2);
    expect([row?.getCell(1).value, row?.getCell(2).value, row?.getCell(3).value]).toEqual([
      3,
      '身份证号校验位错误',
      '黄伟强',
    ]);
  });

  it('imports a CSV streamed as text/csv, and the same file again changes nothing', async () => {
    const csv = `姓名,身份证号,人口类型,街路巷,门牌号,经度,纬度\n何芳,${idNumber('19880808', 41)},流动,河清大道,9,112.955,22.85\n`;
    const first = await post('/api/v1/registry/residents/import', admin, csv, { 'content-type': 'text/csv' });
    expect(first.json()).toMatchObject({ created: 1, rejected: 0 });
    const again = await post('/api/v1/registry/residents/import', admin, csv, { 'content-type': 'text/csv' });
    expect(again.json()).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
  });

  it('masks ID numbers in lists, and reveals one on request into the administrators’ log', async () => {
    const list = await get('/api/v1/registry/residents?q=陈志伟', heqing);
    const chen = list.json().items[0];
    expect(chen.idNumber).toEqual({
      value: `440605********${good.slice(-4)}`,
      masked: true,
      revealable: true,
    });
    const revealed = await post(`/api/v1/registry/residents/${chen.id}/reveal`, heqing, {
      field: 'idNumber',
    });
    expect(revealed.json()).toEqual({ field: 'idNumber', value: good });
    const log = await get('/api/v1/registry/personal-data-log?action=registry.reveal', admin);
    expect(log.json()[0]).toMatchObject({
      action: 'registry.reveal',
      recordIds: [chen.id],
      fields: ['idNumber'],
    });
  });

  it('keeps a grid worker of one village from finding, exporting or revealing a resident of another', async () => {
    const chen = (await get('/api/v1/registry/residents?q=陈志伟', admin)).json().items[0];
    const search = await get(`/api/v1/registry/search?q=${good}`, yingming);
    expect(search.statusCode).toBe(200);
    expect(search.json().items).toEqual([]);
    const byName = await get('/api/v1/registry/search?q=陈志伟', yingming);
    expect(byName.json().items).toEqual([]);
    const reveal = await post(`/api/v1/registry/residents/${chen.id}/reveal`, yingming, {
      field: 'idNumber',
    });
    expect(reveal.statusCode).toBe(403);
    expect(reveal.json().error.code).toBe('FORBIDDEN_SCOPE');
    const exported = await get('/api/v1/registry/residents/export?format=csv', yingming);
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toContain('text/csv');
    expect(exported.body).toContain('梁明');
    expect(exported.body).not.toContain('陈志伟');
    // Phones are grid workers' in clear; the ID number stays masked in the file.
    expect(exported.body).toContain('13912345678');
    expect(exported.body).not.toContain(other);
  });

  it('searches addresses in Chinese across types', async () => {
    const response = await get(`/api/v1/registry/search?q=${encodeURIComponent('河清 3号')}`, admin);
    const hits = response.json().items as { entity: string; title: string }[];
    expect(hits).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ entity: 'address', title: '河清社区河清大道3号' }),
        expect.objectContaining({ entity: 'resident', title: '陈志伟' }),
      ]),
    );
  });

  it('gives the coverage figures of a region’s children in one call', async () => {
    const response = await get(`/api/v1/registry/coverage?root=${TERRITORY.town}`, admin);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.children.map((c: { region: { code: string } }) => c.region.code)).toEqual([
      TERRITORY.heqing,
      TERRITORY.yingming,
    ]);
    expect(body.figures).toMatchObject({ residents: 3, floatingResidents: 2, houses: 3 });
  });

  it('refuses a record with a wrong ID number with the message in the user’s language', async () => {
    const response = await post(
      '/api/v1/registry/residents',
      admin,
      {
        name: '错号',
        idNumber: bad,
        kind: 'registered',
        address: { road: '河清大道', number: '3', lon: 112.945, lat: 22.85 },
      },
      { 'accept-language': 'en-US' },
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain('ID number check digit is wrong');
  });
});
