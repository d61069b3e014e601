import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumberCheckChar } from '../src/shared/registry-validation.ts';
import {
  apiSession,
  interiorPoint,
  launchBrowser,
  logIn,
  newPage,
  type RunningServer,
  screenshot,
  startServer,
  stopAll,
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
});
