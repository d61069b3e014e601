import type { Browser, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiSession,
  interiorPoint,
  launchBrowser,
  type RunningServer,
  screenshot,
  signedIn,
  startServer,
  stopAll,
} from './harness.ts';

interface GridFeature {
  geometry: { type: string; coordinates: unknown };
  properties: { code: string; name: string };
}

interface Located {
  found: boolean;
  grid: { code: string; name: string };
}

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
}, 180_000);

afterAll(() => stopAll('report-desk', server, browser));

/** A photo the caller sent: a small JPEG with a label, so the thumbnail shows something. */
async function callerPhoto() {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="160"><rect width="160" height="160" fill="#8f5b2f"/><text x="12" y="90" font-size="28" fill="#fff">来电</text></svg>`;
  return {
    name: 'call.jpg',
    mimeType: 'image/jpeg',
    buffer: await sharp(Buffer.from(svg)).jpeg().toBuffer(),
  };
}

/** The value beside a label of the case page's facts. */
function fact(page: Page, label: string): Locator {
  return page
    .locator('.ant-descriptions-item-label', { hasText: new RegExp(`^${label}$`) })
    .locator('xpath=following-sibling::*[1]');
}

/** Clicks the map at a WGS-84 point, as projected by the map on screen; waits for the view to settle after. */
async function clickMapAt(page: Page, lon: number, lat: number): Promise<void> {
  const box = await page.getByTestId('desk-map').locator('canvas').boundingBox();
  const pixel = await page.evaluate(([x, y]) => window.__gridgovMap?.project([x, y]) ?? null, [
    lon,
    lat,
  ] as const);
  if (!box || !pixel) throw new Error('the desk map is not on screen');
  await page.mouse.click(box.x + pixel.x, box.y + pixel.y);
  await page.waitForFunction(() => window.__gridgovMap && !window.__gridgovMap.isMoving());
}

describe('report desk (受理登记)', () => {
  it('a dispatcher logs a phone call with a photo by clicking the map; the case shows 电话 and the right grid', async () => {
    const api = await apiSession(server.url, 'dispatcher');
    const grids = await api.get<{ features: GridFeature[] }>('/grids/geojson?level=leaf&root=440605121015');
    const grid = grids.features[0];
    if (!grid) throw new Error('no grid in 河清社区');
    const [lon, lat] = interiorPoint(grid.geometry);

    const { context, page, problems } = await signedIn(browser, server.url, 'dispatcher');
    await page.getByRole('menuitem').filter({ hasText: '事件处置' }).click();
    await page.waitForURL('**/cases');
    await page.getByRole('button', { name: '上报事件' }).click();
    await page.waitForURL('**/cases/new');
    await page.getByText('受理登记').first().waitFor();

    // The source of a desk report: a phone call (the default, as most reports reach the desk so).
    await expect(page.getByTestId('desk-source').textContent()).resolves.toContain('电话');
    await page.getByLabel('事件类别').click();
    const cascader = page.locator('.ant-cascader-dropdown');
    await cascader.locator('.ant-cascader-menu-item[title="事件"]').click();
    await cascader.locator('.ant-cascader-menu-item[title="09 街面秩序类"]').click();
    await cascader.locator('.ant-cascader-menu-item[title="09006 占道经营"]').click();
    await page.getByLabel('问题描述').fill('来电反映河清社区路口有摊贩占道经营');

    // The town is in view: a first click brings the map to street level there, the second places the pin.
    await page.locator('[data-testid="desk-map"] [data-testid="grid-map"][data-state="ready"]').waitFor({
      timeout: 30_000,
    });
    await clickMapAt(page, lon, lat);
    await page.waitForFunction(() => (window.__gridgovMap?.getZoom() ?? 0) >= 14);
    await clickMapAt(page, lon, lat);
    const proposed = page.getByTestId('desk-grid');
    await proposed.getByText(grid.properties.name).waitFor({ timeout: 30_000 });

    await page.locator('input[type=file]').setInputFiles(await callerPhoto());
    await page.locator('img[src*="/api/v1/evidence/"]').first().waitFor({ timeout: 30_000 });
    await page.getByLabel('来电（来访）人').fill('张先生');
    await page.getByLabel('联系电话').fill('13800138000');
    await screenshot(page, 'desk-01-phone-call');
    await page.getByRole('button', { name: '上报', exact: true }).click();

    await page.waitForURL(/\/cases\/\d+$/, { timeout: 30_000 });
    await expect(fact(page, '来源').textContent()).resolves.toContain('电话');
    await expect(fact(page, '网格').textContent()).resolves.toContain(grid.properties.name);
    await page.locator('img[src*="/api/v1/evidence/"]').first().waitFor();
    await screenshot(page, 'desk-02-case');

    // The grid is the one the locate service gives for the point the case holds.
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    const detail = await api.get<{
      source: string;
      regionCode: string;
      lon: number;
      lat: number;
      evidence?: unknown[];
    }>(`/cases/${id}`);
    expect(detail.source).toBe('phone');
    const located = await api.get<Located>(`/locate?lon=${detail.lon}&lat=${detail.lat}`);
    expect(located.found).toBe(true);
    expect(detail.regionCode).toBe(located.grid.code);
    expect(located.grid.code).toBe(grid.properties.code);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('an address picked in the map search is one pin, where the address is; a click on the map moves it', async () => {
    // A standard address in 河清社区, made as its administrator would.
    const admin = await apiSession(server.url, 'admin');
    const grids = await admin.get<{ features: GridFeature[] }>('/grids/geojson?level=leaf&root=440605121015');
    const grid = grids.features[1] ?? grids.features[0];
    if (!grid) throw new Error('no grid in 河清社区');
    const [lon, lat] = interiorPoint(grid.geometry);
    const address = { lon: Number(lon.toFixed(6)), lat: Number(lat.toFixed(6)) };
    await admin.post('/registry/addresses', { road: '河清大道', number: '66', ...address });

    const { context, page, problems } = await signedIn(browser, server.url, 'dispatcher');
    await page.goto('/cases/new');
    await page.locator('[data-testid="desk-map"] [data-testid="grid-map"][data-state="ready"]').waitFor({
      timeout: 30_000,
    });
    await page.getByTestId('desk-map').getByRole('combobox').fill('河清大道66');
    const hit = page.getByTestId('map-search-hit').filter({ hasText: '66' }).first();
    await hit.waitFor({ timeout: 30_000 });
    await hit.click();
    await page.waitForFunction(() => window.__gridgovMap && !window.__gridgovMap.isMoving());

    // One pin (the form's point), on the address: the point fields and the address field have it.
    const pins = page.getByTestId('desk-map').locator('.maplibregl-marker:not(.gg-map-label)');
    await expect.poll(() => pins.count()).toBe(1);
    await expect
      .poll(async () => Number(await page.getByRole('spinbutton', { name: '经度' }).inputValue()))
      .toBe(address.lon);
    await expect
      .poll(async () => Number(await page.getByRole('spinbutton', { name: '纬度' }).inputValue()))
      .toBe(address.lat);
    await expect(page.getByLabel('地址', { exact: true }).inputValue()).resolves.toContain('河清大道66');
    // At street zoom, where the registry's addresses show around it.
    expect(await page.evaluate(() => window.__gridgovMap?.getZoom() ?? 0)).toBeGreaterThanOrEqual(15);
    const canvas = await page.getByTestId('desk-map').locator('canvas').boundingBox();
    const pixel = await page.evaluate(([x, y]) => window.__gridgovMap?.project([x, y]) ?? null, [
      address.lon,
      address.lat,
    ] as const);
    const pin = await pins.first().boundingBox();
    if (!canvas || !pixel || !pin) throw new Error('the desk map or its pin is not on screen');
    // The pin stands on the address: centred over it, its tip (above the shadow at the box's foot) on it.
    const at = { x: canvas.x + pixel.x, y: canvas.y + pixel.y };
    expect(Math.abs(pin.x + pin.width / 2 - at.x)).toBeLessThan(3);
    expect(at.y).toBeGreaterThan(pin.y + pin.height / 2);
    expect(at.y).toBeLessThanOrEqual(pin.y + pin.height);
    await screenshot(page, 'desk-03-address-search');

    // A click elsewhere on the map moves that one pin, leaving none behind.
    await page.mouse.click(canvas.x + canvas.width / 2 + 40, canvas.y + canvas.height / 2 + 20);
    await expect
      .poll(async () => Number(await page.getByRole('spinbutton', { name: '经度' }).inputValue()))
      .not.toBe(address.lon);
    await page.waitForFunction(() => window.__gridgovMap && !window.__gridgovMap.isMoving());
    await expect.poll(() => pins.count()).toBe(1);
    expect(problems).toEqual([]);
    await context.close();
  });
});
