import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors.ts';
import {
  createUser,
  seedCaseReference,
  seedTerritory,
  TERRITORY,
  type TestUser,
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { type Actor, systemActor } from '../people/actor.ts';

const HEADERS = '工单编号,受理时间,诉求类别,诉求内容,事发地址,经度,纬度,所属网格,来电人,联系电话';

/** A 12345 export as the hotline platform writes it: a title line, then the headers, then one order a line. */
function hotlineCsv(lines: readonly string[]): string {
  return ['九江镇 12345 工单明细（导出时间 2026-11-23）', HEADERS, ...lines].join('\r\n');
}

/** GBK bytes of a text, from the decoder's own table (Node ships a GBK decoder but no encoder). */
function encodeGbk(text: string): Buffer {
  const table = new Map<string, number[]>();
  const decoder = new TextDecoder('gb18030');
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const char = decoder.decode(new Uint8Array([lead, trail]));
      if (!table.has(char)) table.set(char, [lead, trail]);
    }
  }
  return Buffer.from(
    [...text].flatMap((char) => (char.charCodeAt(0) < 0x80 ? [char.charCodeAt(0)] : (table.get(char) ?? []))),
  );
}

async function xlsxOf(rows: readonly (readonly unknown[])[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('工单');
  for (const row of rows) sheet.addRow([...row]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function readXlsx(bytes: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  const rows: string[][] = [];
  workbook.worksheets[0]?.eachRow((row) => {
    rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? '')));
  });
  return rows;
}

function english(actor: Actor): Actor {
  return { ...actor, locale: 'en-US' };
}

describe('12345 hotline import', () => {
  let ctx: TestContext;
  let dispatcher: TestUser;
  let heqingDispatcher: TestUser;
  let worker: TestUser;
  // West halves of the two villages' rectangles (see seedTerritory), checked against the locator below.
  const HEQING = { lon: 112.945, lat: 22.85 };
  const YINGMING = { lon: 112.965, lat: 22.85 };

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    const system = systemActor();
    await seedCaseReference(ctx);
    const spoil = (await ctx.services.categories.getCategoryTree())
      .flatMap((m) => m.children)
      .find((c) => c.code === '06011');
    if (!spoil) throw new Error('06011 missing');
    await ctx.services.categories.updateCategory(system, spoil.id, { version: spoil.version, active: false });
    dispatcher = await createUser(ctx, { role: 'dispatcher', regionCode: TERRITORY.town });
    heqingDispatcher = await createUser(ctx, { role: 'dispatcher', regionCode: TERRITORY.heqing });
    worker = await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.heqing });
    expect(await ctx.services.territory.locateCode(HEQING.lon, HEQING.lat)).toBe(TERRITORY.heqingGrids[0]);
    expect(await ctx.services.territory.locateCode(YINGMING.lon, YINGMING.lat)).toBe(
      TERRITORY.yingmingGrids[0],
    );
  });
  afterAll(() => ctx.close());

  const casesInTown = async () =>
    (await ctx.services.cases.listCases(dispatcher.actor, { page: 1, pageSize: 200 })).total;

  const CSV = hotlineCsv([
    `GD-001,2026-11-22 09:30,06010,河清路口垃圾堆积无人清理,河清路1号,${HEQING.lon},${HEQING.lat},,张三,138 0013 8000`,
    `GD-002,2026/11/22 10:05,暴露垃圾,英明社区菜市场门口垃圾满地,,,,${TERRITORY.yingmingGrids[1]},李四,0757-86501234`,
    `GD-003,2026-11-22 10:30,"06012 道路不洁","河清社区内道路有泥沙，
车辆经过扬尘",,,,河清社区,王五,`,
    `GD-004,2026-11-22 11:00,99999,分类不存在的工单,,${HEQING.lon},${HEQING.lat},,,`,
    'GD-005,2026-11-22 11:10,06010,坐标在镇外,,113.5,23.5,,,',
    'GD-006,2026-11-22 11:20,06010,只有地址没有位置,九江镇某路口,,,,,',
    `GD-007,昨天上午,06010,时间和电话都不对,,${HEQING.lon},${HEQING.lat},,,12345`,
    `GD-001,2026-11-22 12:00,06010,同一工单又出现一次,,${HEQING.lon},${HEQING.lat},,,`,
    `GD-008,2026-11-22 12:10,06011,积存渣土（分类已停用）,,${HEQING.lon},${HEQING.lat},,,`,
    'GD-009,2026-11-22 12:20,06010,网格名称不唯一,,,,第1网格,,',
    `,2026-11-22 12:30,06010,没有工单编号,,${HEQING.lon},${HEQING.lat},,,`,
    '',
  ]);

  it('previews a CSV with a title line: headers, suggested mapping, and every problem, writing nothing', async () => {
    const before = await casesInTown();
    const preview = await ctx.services.hotline.previewFile(dispatcher.actor, {
      fileName: '12345-1123.csv',
      bytes: Buffer.from(CSV, 'utf8'),
    });
    expect(preview).toMatchObject({
      format: 'csv',
      encoding: 'utf-8',
      headerRow: 2,
      mappingProblems: [],
      total: 11,
      ready: 3,
      alreadyImported: 0,
      rejected: 8,
    });
    expect(preview.mapping).toEqual({
      orderNo: '工单编号',
      receivedAt: '受理时间',
      category: '诉求类别',
      description: '诉求内容',
      address: '事发地址',
      lon: '经度',
      lat: '纬度',
      region: '所属网格',
      callerName: '来电人',
      callerPhone: '联系电话',
      dueAt: null,
      closedAt: null,
      status: null,
      agency: null,
    });
    const reasons = Object.fromEntries(preview.rejectedRows.map((r) => [r.row, r.reasons.join(' / ')]));
    expect(reasons).toEqual({
      6: '事件类别“99999”不是已有小类的代码或名称（如 06010 或 暴露垃圾）',
      7: '经纬度 113.500000, 23.500000 不在任何网格内（请核对坐标系与经纬度是否填反）',
      8: '缺少位置：请填写经纬度或所属网格（村居）代码或名称，仅有地址无法确定网格',
      9: expect.stringMatching(/受理时间“昨天上午”无法识别.*联系电话“12345”无效/),
      10: '工单编号 GD-001 与第 3 行重复',
      11: '事件类别 积存垃圾渣土（06011） 已停用',
      12: expect.stringContaining(
        '名称“第1网格”对应多个网格（村居）：第1网格（440605121015001001）、第1网格',
      ),
      13: '「工单编号」为空',
    });
    expect(preview.rows[0]).toMatchObject({
      row: 3,
      orderNo: 'GD-001',
      status: 'ready',
      values: { description: '河清路口垃圾堆积无人清理', callerPhone: '138 0013 8000' },
    });
    expect(await casesInTown()).toBe(before);

    const inEnglish = await ctx.services.hotline.previewFile(english(dispatcher.actor), {
      fileName: '12345-1123.csv',
      bytes: Buffer.from(CSV, 'utf8'),
    });
    expect(inEnglish.rejectedRows.find((r) => r.row === 8)?.reasons).toEqual([
      'no location: give lon/lat or the grid or village (code or name); an address alone does not place it in a grid',
    ]);
  });

  it('imports the valid rows as hotline cases, and a second run creates nothing', async () => {
    const before = await casesInTown();
    const first = await ctx.services.hotline.importFile(dispatcher.actor, {
      fileName: '12345-1123.csv',
      bytes: Buffer.from(`\uFEFF${CSV}`, 'utf8'),
    });
    expect(first).toMatchObject({ total: 11, created: 3, alreadyImported: 0, rejected: 8 });
    expect(await casesInTown()).toBe(before + 3);

    const created = first.rows.filter((r) => r.status === 'created');
    expect(created.map((r) => r.orderNo)).toEqual(['GD-001', 'GD-002', 'GD-003']);
    const [byPoint, byGrid, byVillage] = await Promise.all(
      created.map((r) => ctx.services.cases.getCase(dispatcher.actor, r.caseId ?? 0)),
    );
    expect(byPoint).toMatchObject({
      source: 'hotline',
      externalRef: 'GD-001',
      state: 'reported',
      regionCode: TERRITORY.heqingGrids[0],
      categoryName: '暴露垃圾',
      address: '河清路1号',
      reporterName: '张三',
      reporterPhone: '13800138000',
    });
    expect(byPoint?.events[0]?.data).toMatchObject({
      externalRef: 'GD-001',
      receivedAt: '2026-11-22T01:30:00.000Z',
    });
    expect(byGrid).toMatchObject({ regionCode: TERRITORY.yingmingGrids[1], reporterPhone: '0757-86501234' });
    expect(byVillage).toMatchObject({
      regionCode: TERRITORY.heqing,
      description: '河清社区内道路有泥沙，\n车辆经过扬尘',
      categoryName: '道路不洁',
    });
    // The queue finds a case by its order number.
    const found = await ctx.services.cases.listCases(dispatcher.actor, {
      page: 1,
      pageSize: 20,
      q: 'GD-002',
    });
    expect(found.items.map((c) => c.externalRef)).toEqual(['GD-002']);

    const again = await ctx.services.hotline.importFile(dispatcher.actor, {
      fileName: '12345-1123.csv',
      bytes: Buffer.from(CSV, 'utf8'),
    });
    // Both rows of GD-001 now name the case the first run made.
    expect(again).toMatchObject({ created: 0, alreadyImported: 4, rejected: 7 });
    expect(again.rows.find((r) => r.orderNo === 'GD-002')).toMatchObject({
      status: 'alreadyImported',
      caseNumber: byGrid?.caseNumber,
    });
    expect(await casesInTown()).toBe(before + 3);

    const entries = await ctx.database.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('action', '=', 'hotline.import')
      .orderBy('id')
      .execute();
    expect(entries.map((e) => e.details)).toEqual([
      { fileName: '12345-1123.csv', total: 11, created: 3, updated: 0, alreadyImported: 0, rejected: 8 },
      { fileName: '12345-1123.csv', total: 11, created: 0, updated: 0, alreadyImported: 4, rejected: 7 },
    ]);
  });

  it('gives the rejected rows back as XLSX and CSV, reasons first, ready to correct and re-import', async () => {
    const result = await ctx.services.hotline.importFile(dispatcher.actor, {
      fileName: 'again.csv',
      bytes: Buffer.from(CSV, 'utf8'),
    });
    const xlsx = await ctx.services.hotline.errorReport(dispatcher.actor, result.id, { format: 'xlsx' });
    const rows = await readXlsx(xlsx.bytes);
    expect(rows[0]?.slice(0, 4)).toEqual(['原行号', '未导入原因', '工单编号', '受理时间']);
    expect(rows).toHaveLength(8);
    expect(rows[1]?.slice(0, 3)).toEqual([
      '6',
      '事件类别“99999”不是已有小类的代码或名称（如 06010 或 暴露垃圾）',
      'GD-004',
    ]);

    const csv = await ctx.services.hotline.errorReport(dispatcher.actor, result.id, {
      format: 'csv',
      locale: 'en-US',
    });
    const text = csv.bytes.toString('utf8');
    expect(text.startsWith('\uFEFFRow,Why not imported,工单编号')).toBe(true);
    expect(text).toContain('\n8,no location: give lon/lat or the grid or village');

    // The corrected error report goes back in as it is: the two added columns map to nothing.
    const preview = await ctx.services.hotline.previewFile(dispatcher.actor, {
      fileName: 'fixed.xlsx',
      bytes: xlsx.bytes,
    });
    expect(preview).toMatchObject({ headerRow: 1, mappingProblems: [], total: 7, rejected: 7 });

    await expect(
      ctx.services.hotline.errorReport(heqingDispatcher.actor, result.id, { format: 'xlsx' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN_SCOPE' });
  });

  it('imports an XLSX with date cells and numbers, after the mapping names an unusual header', async () => {
    const bytes = await xlsxOf([
      ['单号', '受理时间', '事项分类', '问题描述', '经度', '纬度', '联系电话'],
      [
        20261122001,
        new Date(Date.UTC(2026, 10, 22, 14, 5)),
        '09006 占道经营',
        '英明市场外摊贩占道',
        YINGMING.lon,
        YINGMING.lat,
        13912345678,
      ],
      [
        'X-2',
        new Date(Date.UTC(2026, 10, 22, 15, 0)),
        '占道经营',
        '坐标填反了',
        YINGMING.lat,
        YINGMING.lon,
        '',
      ],
      ['X-3', '2026-12-01 08:00', '占道经营', '受理时间在未来', YINGMING.lon, YINGMING.lat, ''],
    ]);
    const unmapped = await ctx.services.hotline.previewFile(dispatcher.actor, {
      fileName: 'export.xlsx',
      bytes,
    });
    expect(unmapped).toMatchObject({ format: 'xlsx', encoding: null, ready: 0 });
    expect(unmapped.mappingProblems).toEqual(['请为「工单编号」选择对应的列']);
    await expect(
      ctx.services.hotline.importFile(dispatcher.actor, { fileName: 'export.xlsx', bytes }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });

    const result = await ctx.services.hotline.importFile(dispatcher.actor, {
      fileName: 'export.xlsx',
      bytes,
      mapping: { orderNo: '单号' },
    });
    expect(result).toMatchObject({ total: 3, created: 1, rejected: 2 });
    expect(result.rows.map((r) => [r.row, r.status, r.reasons])).toEqual([
      [2, 'created', []],
      [3, 'rejected', [expect.stringContaining('纬度“112.965”无效')]],
      [4, 'rejected', ['受理时间 2026-12-01 08:00 晚于当前时间']],
    ]);
    const created = await ctx.services.cases.getCase(dispatcher.actor, result.rows[0]?.caseId ?? 0);
    expect(created).toMatchObject({
      externalRef: '20261122001',
      regionCode: TERRITORY.yingmingGrids[0],
      categoryName: '占道经营',
      reporterPhone: '13912345678',
    });
    // The date cell shows 14:05, which is Beijing time.
    expect(created.events[0]?.data.receivedAt).toBe('2026-11-22T06:05:00.000Z');
  });

  it('reads a GBK-encoded CSV and says so', async () => {
    const bytes = encodeGbk(
      hotlineCsv([`GBK-001,2026-11-22 09:00,暴露垃圾,河清市场旁垃圾,,${HEQING.lon},${HEQING.lat},,陈六,`]),
    );
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const preview = await ctx.services.hotline.previewFile(dispatcher.actor, { fileName: 'gbk.csv', bytes });
    expect(preview).toMatchObject({ encoding: 'gb18030', ready: 1, headers: HEADERS.split(',') });
    expect(preview.rows[0]?.values).toMatchObject({ description: '河清市场旁垃圾', callerName: '陈六' });
  });

  it('rejects the rows outside the importer’s data scope, one by one, and imports the rest', async () => {
    const result = await ctx.services.hotline.importFile(heqingDispatcher.actor, {
      fileName: 'scope.csv',
      bytes: Buffer.from(
        hotlineCsv([
          `SC-001,,06010,河清的工单,,${HEQING.lon},${HEQING.lat},,,`,
          `SC-002,,06010,英明的工单,,${YINGMING.lon},${YINGMING.lat},,,`,
          `SC-003,,06010,英明的网格代码,,,,${TERRITORY.yingmingGrids[1]},,`,
          'SC-004,,06010,英明的村居名称,,,,英明社区,,',
        ]),
        'utf8',
      ),
    });
    expect(result).toMatchObject({ created: 1, rejected: 3 });
    expect(result.rows.map((r) => r.reasons.join(''))).toEqual([
      '',
      '第1网格（440605121018001001） 不在您的数据范围（河清社区居委会）内',
      '第2网格（440605121018001002） 不在您的数据范围（河清社区居委会）内',
      '在您的数据范围（河清社区居委会）内找不到名为“英明社区”的村居或网格',
    ]);
  });

  it('lets only dispatchers and administrators import', async () => {
    await expect(
      ctx.services.hotline.previewFile(worker.actor, { fileName: 'a.csv', bytes: Buffer.from(CSV) }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE' });
  });

  it('refuses a file over the size limit, an old .xls, a file without data rows and a PDF, saying why', async () => {
    const refusal = async (bytes: Buffer) => {
      const error = await ctx.services.hotline
        .previewFile(dispatcher.actor, { fileName: 'f', bytes })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      return JSON.stringify((error as AppError).params);
    };
    expect(await refusal(Buffer.alloc(10 * 1024 * 1024 + 1, 0x41))).toContain('超过 10 MB 上限');
    expect(await refusal(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1]))).toContain('另存为 .xlsx');
    expect(await refusal(Buffer.from(`${HEADERS}\r\n`))).toContain('没有数据行');
    expect(await refusal(Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0xfe, 0x01]))).toContain(
      '不是 CSV 或 XLSX 表格',
    );
  });
});
