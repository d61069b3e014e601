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

async function taskSheet(rows: readonly (string | number)[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('任务');
  sheet.addRow(['九江镇背街小巷整改任务书']);
  sheet.addRow(['序号', '任务内容', '责任单位', '所在区域', '责任人']);
  for (const row of rows) sheet.addRow([...row]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('task books over HTTP: XLSX import and export', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let inspector: HttpSession;
  let categoryId: number;

  beforeAll(async () => {
    ctx = await createTestContext({ now: new Date('2026-11-23T09:00:00+08:00') });
    await seedTerritory(ctx);
    await seedCaseReference(ctx);
    const tree = await ctx.services.categories.getCategoryTree();
    categoryId =
      tree.flatMap((m) => m.children).find((c) => c.kind === 'matter' && c.code === '06011')?.id ?? 0;
    app = await createApp(ctx);
    const user = await createUser(ctx, { role: 'inspector', regionCode: TERRITORY.town });
    inspector = await httpLogin(app, user.username);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  const importFile = (bytes: Buffer) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/task-books/import?title=${encodeURIComponent('背街小巷整改')}&deadline=2026-11-27&categoryId=${categoryId}&regionCode=${TERRITORY.town}`,
      headers: {
        cookie: inspector.cookie,
        'x-csrf-token': inspector.csrfToken,
        'content-type': 'application/octet-stream',
      },
      body: bytes,
    });
  const get = (url: string) => app.inject({ method: 'GET', url, headers: { cookie: inspector.cookie } });

  it('reports every rejected row with its reason and writes nothing, then issues the corrected file', async () => {
    const rows = [
      [1, '河清路段乱堆放杂物', '九江镇城管执法办', '河清社区居委会', '张三'],
      [2, '英明市场周边垃圾积存', '九江镇环卫站', TERRITORY.yingming, '李四'],
      [3, '东碧村道路破损', '九江镇城管执法办', '不存在的村', '王五'],
      [4, '河清公厕卫生差', '九江镇爱卫会', '', '赵六'],
      [5, '英明背街小巷乱停车', 'JJ-CG', '英明社区居委会', '钱七'],
    ];
    const rejected = await importFile(await taskSheet(rows));
    expect(rejected.statusCode).toBe(422);
    const body = rejected.json();
    expect(body.error.code).toBe('IMPORT_REJECTED');
    expect(body.error.details.errors).toEqual([
      { line: 5, code: '3', reason: expect.stringContaining('不存在的村') },
      { line: 6, code: '4', reason: expect.stringContaining('九江镇爱卫会') },
    ]);
    expect((await get('/api/v1/task-books')).json().total).toBe(0);

    const fixed = rows.map((r) =>
      r[0] === 3 ? [3, r[1], r[2], '英明社区居委会', r[4]] : r[0] === 4 ? [4, r[1], 'JJ-HW', '', r[4]] : r,
    );
    const created = await importFile(await taskSheet(fixed as (string | number)[][]));
    expect(created.statusCode).toBe(201);
    const book = created.json();
    expect(book.tasks).toHaveLength(5);
    expect(book.tasks[0]).toMatchObject({
      regionCode: TERRITORY.heqing,
      responsibleName: '张三',
      state: 'open',
    });
    // No region given: the unit's area (the town).
    expect(book.tasks[3]).toMatchObject({ regionCode: TERRITORY.town, departmentName: '九江镇环卫站' });
    expect(book.tasks.every((t: { caseNumber: string | null }) => t.caseNumber)).toBe(true);

    const exported = await get(`/api/v1/task-books/${book.id}/export`);
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(exported.rawPayload as never);
    const cells = workbook.worksheets[0]?.getRow(5).values as unknown[];
    expect(cells).toContain('河清路段乱堆放杂物');
    expect(cells).toContain(book.tasks[0].caseNumber);

    // Before the deadline nothing is due for accountability.
    const list = await get(`/api/v1/task-books/${book.id}/accountability`);
    expect(list.json()).toEqual({ items: [], total: 0 });
  });

  it('refuses a file that is not XLSX, and a body that is empty, with a 4xx', async () => {
    const notXlsx = await importFile(Buffer.from('序号,任务内容\n1,x\n'));
    expect(notXlsx.statusCode).toBe(400);
    const empty = await importFile(Buffer.alloc(0));
    expect(empty.statusCode).toBeGreaterThanOrEqual(400);
    expect(empty.statusCode).toBeLessThan(500);
  });
});
