import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumberCheckChar, maskIdNumber } from '../src/shared/registry-validation.ts';
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

/** 河清社区居委会, the demo town's village the heqing grid worker looks after. */
const HEQING = '440605121015';
const withCheck = (first17: string) => first17 + idNumberCheckChar(first17);
const CHEN_ID = withCheck('44060519900101123');
const LI_ID = withCheck('44060519850512234');
/** A wrong check character on purpose: the row must be rejected with its row number. */
const WANG_ID = (() => {
  const good = withCheck('44060520000229345');
  return good.slice(0, 17) + (good.endsWith('0') ? '1' : '0');
})();

let server: RunningServer;
let browser: Browser;
let workbook: { name: string; mimeType: string; buffer: Buffer };
/** A point well inside a grid of 河清社区. */
let inside: [number, number];

beforeAll(async () => {
  // The 100,000-resident demo registry would load in the background for minutes: this flow brings its own.
  process.env.GRIDGOV_DEMO_REGISTRY = 'false';
  server = await startServer();
  browser = await launchBrowser();
  const api = await apiSession(server.url, 'admin');
  const grids = await api.get<{ features: GridFeature[] }>(`/grids/geojson?root=${HEQING}&level=leaf`);
  const grid = grids.features[0];
  if (!grid) throw new Error('河清社区 has no grids in the demo town');
  inside = interiorPoint(grid.geometry);
  const [lon, lat] = inside;

  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('实有人口');
  sheet.addRow(['河清社区实有人口登记表（2026 年 11 月）']);
  sheet.addRow([
    '姓名',
    '身份证号',
    '联系电话',
    '人口类型',
    '街路巷',
    '门牌号',
    '楼栋',
    '单元',
    '户室',
    '经度',
    '纬度',
  ]);
  sheet.addRow([
    '陈志伟',
    CHEN_ID,
    '13800138000',
    '户籍',
    '河清大道',
    '3号',
    '1栋',
    '2单元',
    '302室',
    lon,
    lat,
  ]);
  sheet.addRow(['李秀英', LI_ID, '', '流动人口', '河清大道', '3号', '1栋', '2单元', '302室', lon, lat]);
  sheet.addRow(['王小明', WANG_ID, '13900139000', '户籍', '河清大道', '5号', '', '', '', lon, lat]);
  workbook = await xlsxFile('河清社区实有人口.xlsx', book);
});

afterAll(() => stopAll('registry', server, browser));

function signIn(username: string) {
  return signedIn(browser, server.url, username, { width: 1440, height: 1000 });
}

/** Waits until the map has drawn what it was given. */
async function mapReady(page: Page): Promise<void> {
  await page.locator('[data-testid=grid-map][data-state=ready]').waitFor();
}

describe('the registry (四标四实) in the console', () => {
  it('administrator imports residents from XLSX: the row with a bad ID number is rejected and reported', async () => {
    const session = await signIn('admin');
    const { page } = session;
    await page.goto('/');
    await page.getByRole('menuitem', { name: '四标四实' }).click();
    await page.waitForURL('**/registry/addresses');
    await page.getByRole('tab', { name: '批量导入' }).click();
    await page.waitForURL('**/registry/import');
    await expect(page.getByTestId('import-entity').textContent()).resolves.toBe('实有人口');

    await page.locator('input[type=file]').setInputFiles(workbook);
    const preview = page.getByTestId('registry-import-preview');
    await preview.waitFor();
    await expect(page.getByTestId('map-idNumber').textContent()).resolves.toBe('身份证号');
    await expect(page.getByTestId('map-road').textContent()).resolves.toBe('街路巷');
    await expect(page.getByText('表头在第 2 行')).toBeDefined();
    await expect(preview.textContent()).resolves.toContain('身份证号校验位错误');
    await screenshot(page, '50-registry-import-preview');

    await page.getByRole('button', { name: '开始导入' }).click();
    await page.getByTestId('registry-import-counts').waitFor();
    // 数据行 3, 新增 2, 更新 0, 未变化 0, 未导入 1
    expect(await statistics(page, 'registry-import-counts')).toEqual(['3', '2', '0', '0', '1']);
    const errors = page.getByTestId('registry-import-errors');
    await expect(errors.textContent()).resolves.toContain('身份证号校验位错误');
    await expect(
      errors.locator('tbody tr.ant-table-row').first().locator('td').first().textContent(),
    ).resolves.toBe('5');
    await screenshot(page, '51-registry-import-result');

    const href = (await page.getByRole('link', { name: /下载错误报告（Excel）/ }).getAttribute('href')) ?? '';
    expect(href).toMatch(/^\/api\/v1\/registry\/imports\/\d+\/errors\?format=xlsx&lang=zh-CN$/);
    const report = await page.request.get(href);
    expect(report.status()).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await report.body()) as unknown as ExcelJS.Buffer);
    const rows: string[][] = [];
    book.worksheets[0]?.eachRow((row) => {
      rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? '')));
    });
    // The report is personal data like the registry: the ID number is masked there too, never in full.
    expect(JSON.stringify(rows)).not.toContain(WANG_ID);
    const rejected = rows.find((row) => row.includes(maskIdNumber(WANG_ID)));
    expect(rejected, JSON.stringify(rows)).toBeDefined();
    expect(rejected?.[0]).toBe('5');
    expect(rejected?.join(' ')).toContain('身份证号校验位错误');

    await page.getByRole('button', { name: '查看导入的记录' }).click();
    await page.waitForURL('**/registry/residents');
    // The list after an import can take a while on a loaded machine: wait as long as other loads do.
    await expect
      .poll(() => page.getByTestId('registry-table').locator('tbody tr.ant-table-row').count(), {
        timeout: 30_000,
      })
      .toBe(2);
    await mapReady(page);
    await expect(page.getByTestId('grid-map').getAttribute('data-point-count')).resolves.toBe('2');
    await screenshot(page, '52-registry-residents');

    // The export is the list as the user sees it: ID numbers masked.
    const exportHref = (await page.getByTestId('registry-export-csv').getAttribute('href')) ?? '';
    expect(exportHref).toBe('/api/v1/registry/residents/export?format=csv');
    const csv = await (await page.request.get(exportHref)).text();
    expect(csv).toContain('陈志伟');
    expect(csv).toContain(`${CHEN_ID.slice(0, 6)}********${CHEN_ID.slice(14)}`);
    expect(csv).not.toContain(CHEN_ID);
    expect(session.problems).toEqual([]);
    await session.context.close();
  });

  it('finds a resident by part of the address, reveals the ID number and sees it in the log', async () => {
    const session = await signIn('admin');
    const { page } = session;
    await page.goto('/registry/houses');
    await page.getByTestId('registry-table').locator('tbody tr.ant-table-row').first().waitFor();
    await mapReady(page);
    await screenshot(page, '53-registry-houses');

    const box = page.getByTestId('registry-search').locator('input');
    await box.fill('河清 3号');
    await box.press('Enter');
    await page.waitForURL(/\/registry\/search\?q=/);
    const results = page.getByTestId('registry-search-results');
    await results.getByRole('link', { name: '陈志伟' }).waitFor();
    await expect(results.textContent()).resolves.toContain('李秀英');
    await expect(results.textContent()).resolves.not.toContain('王小明');
    await screenshot(page, '54-registry-search');

    await results.getByRole('link', { name: '陈志伟' }).click();
    await page.waitForURL(/\/registry\/residents\/\d+$/);
    const residentId = Number(new URL(page.url()).pathname.split('/').pop());
    const detail = page.getByTestId('record-detail');
    await detail.waitFor();
    const masked = `${CHEN_ID.slice(0, 6)}********${CHEN_ID.slice(14)}`;
    await expect(detail.getByTestId('value-idNumber').textContent()).resolves.toBe(masked);
    await expect(detail.textContent()).resolves.toContain('河清大道3号1栋2单元302室');
    await page.getByTestId('record-history').waitFor();
    await screenshot(page, '55-registry-resident');

    await detail.getByTestId('reveal-idNumber').click();
    await expect.poll(() => detail.getByTestId('revealed-idNumber').textContent()).toContain(CHEN_ID);
    await screenshot(page, '56-registry-revealed');

    // A change at the version read, then the history shows it.
    await page.getByTestId('record-edit').click();
    await page.getByLabel('户号').fill('HQ-0003');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('已保存').waitFor();
    await expect.poll(() => page.getByTestId('record-history').textContent()).toContain('户号：— → HQ-0003');
    // Someone else changes the record while the form is open: saving says so instead of overwriting.
    await page.getByTestId('record-edit').click();
    const { csrfToken } = (await (await page.request.get('/api/v1/auth/session')).json()) as {
      csrfToken: string;
    };
    const url = `/api/v1/registry/residents/${residentId}`;
    const current = (await (await page.request.get(url)).json()) as { version: number };
    const patched = await page.request.patch(url, {
      headers: { 'x-csrf-token': csrfToken },
      data: { version: current.version, relation: 'head' },
    });
    expect(patched.status()).toBe(200);
    await page.getByLabel('户号').fill('HQ-0004');
    await page.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => page.getByTestId('form-failure').textContent()).toContain('已被他人修改');
    await screenshot(page, '57-registry-conflict');
    await page.getByRole('button', { name: '取消' }).click();
    await page.locator('.ant-drawer-close').click();
    await page.waitForURL('**/registry/residents');

    await page.getByRole('tab', { name: '个人信息查看记录' }).click();
    await page.waitForURL('**/registry/personal-data-log');
    const log = page.getByTestId('personal-data-log');
    const reveal = log.locator('tbody tr.ant-table-row', { hasText: '查看完整信息' }).first();
    await reveal.waitFor();
    await expect(reveal.textContent()).resolves.toContain('系统管理员');
    await expect(reveal.textContent()).resolves.toContain('实有人口');
    await expect(reveal.textContent()).resolves.toContain('身份证号');
    await expect(reveal.getByRole('link', { name: `#${residentId}` }).count()).resolves.toBe(1);
    await screenshot(page, '58-registry-personal-data-log');

    await page.getByRole('tab', { name: '覆盖统计' }).click();
    const coverage = page.getByTestId('registry-coverage');
    await coverage.locator('tbody tr.ant-table-row', { hasText: '河清社区' }).first().waitFor();
    await expect(
      coverage
        .locator('tbody tr.ant-table-row', { hasText: '河清社区' })
        .first()
        .locator('td')
        .nth(3)
        .textContent(),
    ).resolves.toBe('2');
    await screenshot(page, '59-registry-coverage');
    expect(session.problems).toEqual([]);
    await session.context.close();
  });

  it('records a facility with the form, located into its grid by its point', async () => {
    const session = await signIn('admin');
    const { page } = session;
    await page.goto('/registry/facilities');
    await page.getByRole('button', { name: '登记' }).click();
    const form = page.getByTestId('registry-form');
    await form.getByLabel('编码').fill('HQ-XF-0001');
    await form.getByLabel('类型').click();
    await page.getByTitle('消防栓', { exact: true }).click();
    await form.getByLabel('名称').fill('河清大道3号消防栓');
    await form.getByLabel('经度').fill(String(inside[0]));
    await form.getByLabel('纬度').fill(String(inside[1]));
    await screenshot(page, '63-registry-facility-form');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('已登记').waitFor();
    const row = page
      .getByTestId('registry-table')
      .locator('tbody tr.ant-table-row', { hasText: 'HQ-XF-0001' });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('河清社区');
    await expect(row.textContent()).resolves.toContain('正常');
    await mapReady(page);
    await screenshot(page, '64-registry-facilities');
    expect(session.problems).toEqual([]);
    await session.context.close();
  });

  it('shows each role what its policy grants: the grid worker phones in clear, the inspector places only', async () => {
    const worker = await signIn('heqing');
    await worker.page.goto('/registry');
    await worker.page.waitForURL('**/registry/addresses');
    await worker.page.getByRole('tab', { name: '覆盖统计' }).waitFor();
    const workerTabs = await worker.page.getByRole('tab').allTextContents();
    expect(workerTabs).toContain('批量导入');
    expect(workerTabs).not.toContain('个人信息查看记录');
    await worker.page.getByRole('tab', { name: '实有人口' }).click();
    await worker.page.getByTestId('registry-table').getByText('陈志伟').click();
    const detail = worker.page.getByTestId('record-detail');
    await expect.poll(() => detail.getByTestId('value-phone').textContent()).toBe('13800138000');
    expect(await detail.getByTestId('reveal-phone').count()).toBe(0);
    expect(await detail.getByTestId('reveal-idNumber').count()).toBe(1);
    await screenshot(worker.page, '65-registry-grid-worker');
    expect(worker.problems).toEqual([]);
    await worker.context.close();

    const inspector = await signIn('inspector');
    await inspector.page.goto('/registry');
    await inspector.page.waitForURL('**/registry/addresses');
    await inspector.page.getByRole('tab', { name: '覆盖统计' }).waitFor();
    expect(await inspector.page.getByRole('tab').allTextContents()).toEqual([
      '标准地址',
      '建筑物',
      '实有单位',
      '实有设施',
      '覆盖统计',
    ]);
    expect(await inspector.page.getByRole('button', { name: '登记' }).count()).toBe(0);
    await inspector.page.goto('/registry/import');
    await inspector.page
      .getByText('无权访问')
      .or(inspector.page.locator('.ant-result-403'))
      .first()
      .waitFor();
    expect(inspector.problems).toEqual([]);
    await inspector.context.close();
  });

  it('reads in English', async () => {
    const session = await signIn('admin');
    const { page } = session;
    await page.goto('/registry/residents');
    await page.getByText('English', { exact: true }).first().click();
    await page.getByRole('tab', { name: 'Resident', exact: true }).waitFor();
    await page.getByTestId('registry-table').locator('tbody tr.ant-table-row').first().waitFor();
    await expect(page.getByTestId('registry-table').textContent()).resolves.toContain('Registered');
    await mapReady(page);
    await screenshot(page, '60-registry-residents-english');
    await page.getByRole('tab', { name: 'Coverage' }).click();
    await page.getByTestId('registry-coverage').locator('tbody tr.ant-table-row').first().waitFor();
    await screenshot(page, '61-registry-coverage-english');
    await page.getByRole('tab', { name: 'Import' }).click();
    await page.getByText('Click or drop the CSV or Excel file to import').waitFor();
    await screenshot(page, '62-registry-import-english');
    expect(session.problems).toEqual([]);
    await session.context.close();
  });
});
