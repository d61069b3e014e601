import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumberCheckChar } from '../src/shared/registry-validation.ts';
import {
  apiSession,
  interiorPoint,
  launchBrowser,
  logIn,
  newPage,
  pickOption,
  type RunningServer,
  saveDialog,
  screenshot,
  signedIn,
  startServer,
  stopAll,
  typeDateRange,
} from './harness.ts';

interface GridFeature {
  geometry: { type: string; coordinates: unknown };
  properties: { code: string };
}
interface Campaigns {
  items: { id: number; name: string; households: number; visited: number }[];
}

const PHONE = { width: 390, height: 844 };
const ROAD = '走访测试巷';
const HOUSE_CAMPAIGN = '出租屋排查（e2e）';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  // A household in the demo grid worker's own grid (the demo registry is off in e2e runs).
  const worker = await apiSession(server.url, 'heqing');
  const grids = await worker.get<{ features: GridFeature[] }>('/grids/geojson?level=leaf');
  const first = grids.features[0];
  if (!first) throw new Error('heqing sees no leaf grid');
  const [lon, lat] = interiorPoint(first.geometry);
  const admin = await apiSession(server.url, 'admin');
  await admin.post('/registry/residents', {
    name: '走访测试户主',
    idNumber: `44060519800101001${idNumberCheckChar('44060519800101001')}`,
    phone: '19999000123',
    kind: 'registered',
    careTags: [],
    address: { road: ROAD, number: '1', lon, lat },
  });
});

afterAll(() => stopAll('household-visits', server, browser));

describe('household visits', () => {
  it('a grid worker visits a household from the phone, and the campaign counts it', async () => {
    const leader = await apiSession(server.url, 'leader');
    const before = (await leader.get<Campaigns>('/visit-campaigns')).items[0];
    expect(before?.name).toContain('三询问一完善');

    const { page, problems } = await newPage(browser, server.url, PHONE, { isMobile: true, hasTouch: true });
    await logIn(page, 'heqing');
    await page.waitForURL('**/field');
    await page.locator('.gg-field-tab').filter({ hasText: '走访' }).click();
    await page.getByTestId('household-visits-tab').waitFor();
    await page.getByText(ROAD).first().waitFor();
    await screenshot(page, 'household-visits-10-field-list');
    await page.locator('.ant-list-item').filter({ hasText: ROAD }).getByRole('button').click();
    await page.getByTestId('form-renderer').waitFor();
    await page.locator('[data-question=lives_here]').getByText('否', { exact: true }).click();
    await page.locator('[data-question=home_safe]').getByText('是', { exact: true }).click();
    await page.locator('[data-question=hardship]').getByText('没有困难').click();
    await screenshot(page, 'household-visits-11-field-form');
    await page.getByRole('button', { name: '提交走访记录' }).click();
    await page.getByTestId('household-visits-tab').waitFor();
    await expect
      .poll(async () => (await leader.get<Campaigns>('/visit-campaigns')).items[0]?.visited ?? 0, {
        timeout: 30_000,
      })
      .toBe((before?.visited ?? 0) + 1);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'nothing wider than the phone').toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
  });

  it('a leader starts a campaign over the houses of 河清 in the console, reads its coverage in houses, and ends it', async () => {
    const { page, context, problems } = await signedIn(browser, server.url, 'leader');
    await page.goto('/household-visits');
    await page.getByTestId('visit-campaign-list').waitFor();
    await page.getByTestId('visit-campaign-new').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('活动名称').fill(HOUSE_CAMPAIGN);
    await pickOption(dialog.getByTestId('visit-campaign-form-select'), '三询问一完善');
    await dialog.getByLabel('房屋（实有房屋）').check();
    // Today to a fortnight on, typed as a user types dates into the range picker.
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const end = new Date(Date.now() + 8 * 3_600_000 + 14 * 86_400_000).toISOString().slice(0, 10);
    await typeDateRange(dialog, today, end);
    // The area list is long (a town and its 31 villages): searched, as a user finds a village in it.
    await pickOption(dialog.getByTestId('visit-campaign-area'), '河清社区居委会', '河清');
    await dialog.getByLabel('活动名称').click();
    await screenshot(page, 'household-visits-20-console-new-house-campaign');
    await saveDialog(dialog);

    // The new campaign opens on its coverage, in houses: the test house of 走访测试巷 is one of them.
    await expect.poll(() => page.getByTestId('visit-campaign-title').textContent()).toBe(HOUSE_CAMPAIGN);
    const table = page.getByTestId('coverage-table');
    await table.locator('tr.ant-table-row').first().waitFor();
    const headers = await table.locator('thead th').allTextContents();
    expect(headers).toEqual(expect.arrayContaining(['在册房屋数', '已走访房屋数', '房屋覆盖率']));
    expect(headers.join(' ')).not.toContain('户');
    await expect(page.getByTestId('coverage-total').textContent()).resolves.toMatch(
      /^已走访房屋数 0 \/ [1-9]/,
    );
    await expect(table.locator('tr.ant-table-row').first().textContent()).resolves.toContain('未走访房屋');
    await screenshot(page, 'household-visits-21-console-house-coverage');
    await page.getByRole('tab', { name: '未走访房屋（不漏一处）' }).click();
    const unvisited = page.getByTestId('unvisited-table');
    await unvisited.locator('tr.ant-table-row').filter({ hasText: ROAD }).waitFor();
    await expect(unvisited.locator('thead').textContent()).resolves.toContain('住户');

    // 结束活动: the campaign is over, and its row says so.
    const row = page
      .getByTestId('visit-campaign-list')
      .locator('tr.ant-table-row', { hasText: HOUSE_CAMPAIGN });
    await row.getByTestId('visit-campaign-close').click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '结束活动' }).click();
    await expect.poll(() => row.textContent()).toContain('已结束');
    await expect(row.getByTestId('visit-campaign-close').count()).resolves.toBe(0);
    await screenshot(page, 'household-visits-22-console-house-campaign-ended');
    const leader = await apiSession(server.url, 'leader');
    const ended = (
      await leader.get<{ items: { name: string; unit: string; status: string }[] }>('/visit-campaigns')
    ).items.find((c) => c.name === HOUSE_CAMPAIGN);
    expect(ended).toMatchObject({ unit: 'house', status: 'ended' });
    expect(problems).toEqual([]);
    await context.close();
  });
});
