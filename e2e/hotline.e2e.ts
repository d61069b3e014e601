import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiSession,
  interiorPoint,
  launchBrowser,
  type RunningServer,
  screenshot,
  signedIn,
  startServer,
  statistics,
  stopAll,
  xlsxFile,
} from './harness.ts';

interface GridFeature {
  geometry: { type: string; coordinates: unknown };
  properties: { code: string; name: string };
}

let server: RunningServer;
let browser: Browser;
let workbook: { name: string; mimeType: string; buffer: Buffer };

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  // Two points well inside two of the demo town's grids, confirmed by the server's own locator.
  const api = await apiSession(server.url, 'dispatcher');
  const grids = await api.get<{ features: GridFeature[] }>('/grids/geojson?level=leaf');
  const points = [grids.features[0], grids.features[40]].map((grid) => {
    if (!grid) throw new Error('the demo town has fewer grids than expected');
    return { point: interiorPoint(grid.geometry), code: grid.properties.code };
  });
  for (const { point, code } of points) {
    const located = await api.get<{ found: boolean; grid?: { code: string } }>(
      `/locate?lon=${point[0]}&lat=${point[1]}`,
    );
    expect(located.grid?.code).toBe(code);
  }
  const [first, second] = points.map((p) => p.point) as [[number, number], [number, number]];
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('12345工单');
  sheet.addRow([
    '工单编号',
    '受理时间',
    '诉求类别',
    '诉求内容',
    '事发地址',
    '经度',
    '纬度',
    '来电人',
    '联系电话',
  ]);
  sheet.addRow([
    'E2E-12345-001',
    new Date(Date.UTC(2026, 0, 5, 9, 30)),
    '06010',
    '市民反映路口有垃圾堆积，影响通行',
    '九江镇沙口路口',
    first[0],
    first[1],
    '陈先生',
    '13800138000',
  ]);
  sheet.addRow([
    'E2E-12345-002',
    new Date(Date.UTC(2026, 0, 5, 10, 15)),
    '占道经营',
    '市场门口摊贩占道经营',
    '',
    second[0],
    second[1],
    '李女士',
    '0757-86501234',
  ]);
  sheet.addRow([
    'E2E-12345-003',
    '2026-01-05 11:00',
    '99999',
    '分类无法识别的工单',
    '',
    first[0],
    first[1],
    '',
    '',
  ]);
  workbook = await xlsxFile('12345工单-0105.xlsx', book);
});

afterAll(() => stopAll('hotline', server, browser));

function signIn(username: string) {
  return signedIn(browser, server.url, username, { width: 1280, height: 1000 });
}

describe('12345 hotline import in the console', () => {
  it('dispatcher imports an XLSX: two cases created, the bad row listed with its reason', async () => {
    const session = await signIn('dispatcher');
    const { page } = session;
    await page.goto('/cases');
    await page.getByRole('button', { name: '导入 12345 工单' }).click();
    await page.waitForURL('**/cases/hotline-import');

    await page.locator('input[type=file]').setInputFiles(workbook);
    await page.getByTestId('hotline-preview-counts').waitFor();
    // 数据行 3, 可导入 2, 已导入过 0, 有问题 1
    expect(await statistics(page, 'hotline-preview-counts')).toEqual(['3', '2', '0', '1']);
    await expect(page.getByTestId('map-orderNo').textContent()).resolves.toBe('工单编号');
    const rejected = page.getByTestId('hotline-preview-rejected');
    await expect(rejected.textContent()).resolves.toContain(
      '事件类别“99999”不是已有小类的代码或名称（如 06010 或 暴露垃圾）',
    );
    await screenshot(page, '30-hotline-preview');

    await page.getByRole('button', { name: '导入 2 条工单' }).click();
    await page.getByTestId('hotline-result-counts').waitFor();
    // 数据行 3, 新建案件 2, 已导入过 0, 未导入 1
    expect(await statistics(page, 'hotline-result-counts')).toEqual(['3', '2', '0', '1']);
    const result = page.getByTestId('hotline-result-rejected');
    await expect(result.textContent()).resolves.toContain('E2E-12345-003');
    await expect(result.textContent()).resolves.toContain('事件类别“99999”不是已有小类的代码或名称');
    const download = page.getByRole('link', { name: /下载未导入的行（Excel）/ });
    const href = (await download.getAttribute('href')) ?? '';
    expect(href).toMatch(/^\/api\/v1\/hotline\/imports\/\d+\/errors\?format=xlsx&lang=zh-CN$/);
    const report = await page.request.get(href);
    expect(report.status()).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await report.body()) as unknown as ExcelJS.Buffer);
    expect(book.worksheets[0]?.getRow(2).getCell(3).text).toBe('E2E-12345-003');
    await screenshot(page, '31-hotline-result');

    await page.getByTestId('hotline-result-cases').getByRole('link').first().click();
    await page.waitForURL(/\/cases\/\d+$/);
    await expect
      .poll(() => page.getByTestId('case-external-ref').textContent())
      .toBe('工单编号 E2E-12345-001');
    await expect(page.locator('.ant-descriptions').textContent()).resolves.toContain('12345 热线');
    await screenshot(page, '32-hotline-case');
    expect(session.problems).toEqual([]);
    await session.context.close();
  });

  it('importing the same file again in English creates nothing and says why', async () => {
    const session = await signIn('dispatcher');
    const { page } = session;
    await page.goto('/cases/hotline-import');
    await page.getByText('English', { exact: true }).first().click();
    await page.getByText('Click or drop the work-order file exported from the 12345 hotline').waitFor();
    await page.locator('input[type=file]').setInputFiles(workbook);
    await page.getByTestId('hotline-preview-counts').waitFor();
    // Rows 3, Ready 0, Imported before 2, With problems 1
    expect(await statistics(page, 'hotline-preview-counts')).toEqual(['3', '0', '2', '1']);
    await expect(page.getByTestId('hotline-preview-rejected').textContent()).resolves.toContain(
      'category "99999" is not the code or name of a minor class',
    );
    expect(await page.getByRole('button', { name: 'Import 0 orders' }).isDisabled()).toBe(true);
    await screenshot(page, '33-hotline-again-english');
    expect(session.problems).toEqual([]);
    await session.context.close();
  });
});
