import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiSession,
  interiorPoint,
  launchBrowser,
  logIn,
  newPage,
  type RunningServer,
  screenshot,
  startServer,
} from './harness.ts';

interface GridFeature {
  geometry: { type: string; coordinates: unknown };
  properties: { code: string; name: string; parentCode: string | null; gridWorkers: string[] };
}

const HEQING = '440605121015';
const YINGMING = '440605121018';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function waitForMap(page: Page): Promise<void> {
  await page.locator('[data-testid="grid-map"][data-state="ready"]').waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => {
    const map = window.__gridgovMap;
    return Boolean(map?.loaded() && map.queryRenderedFeatures({ layers: ['grids-fill'] }).length > 0);
  });
}

describe('territory map (grid worker of 河清社区)', () => {
  it('shows the login page at phone width', async () => {
    const { context, page, problems } = await newPage(browser, server.url, { width: 390, height: 844 });
    await page.goto('/login');
    await expect(page.getByText('网格化基层治理平台').first().isVisible()).resolves.toBe(true);
    await page.getByTestId('demo-logins').waitFor();
    await screenshot(page, '00-login-phone');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('logs in, clicks a grid, reads its grid worker, switches to English and logs out', async () => {
    const heqing = await apiSession(server.url, 'heqing');
    const collection = await heqing.get<{ features: GridFeature[] }>('/grids/geojson?level=leaf');
    const grid = collection.features.find((feature) => feature.properties.gridWorkers.length > 0);
    expect(grid, 'heqing sees at least one grid with a grid worker').toBeDefined();
    if (!grid) return;
    const workerName = grid.properties.gridWorkers[0] as string;

    const { context, page, problems } = await newPage(browser, server.url);
    await logIn(page, 'heqing');
    await page.waitForURL('**/work');
    await page.goto('/territory');
    await waitForMap(page);
    await expect(page.getByText('演示数据：网格边界为示意，非官方边界').isVisible()).resolves.toBe(true);
    await screenshot(page, '01-territory-zh');

    const [lon, lat] = interiorPoint(grid.geometry);
    const pixel = await page.evaluate(
      ([x, y]) => {
        const map = window.__gridgovMap;
        if (!map) throw new Error('no map');
        const point = map.project([x as number, y as number]);
        const box = map.getCanvas().getBoundingClientRect();
        return { x: box.left + point.x, y: box.top + point.y };
      },
      [lon, lat],
    );
    await page.mouse.click(pixel.x, pixel.y);

    const panel = page.getByTestId('grid-panel');
    await panel.waitFor();
    await panel.getByText(workerName).first().waitFor();
    await expect(panel.textContent()).resolves.toContain(grid.properties.code);
    await expect(panel.textContent()).resolves.toContain('网格员');
    expect(new URL(page.url()).searchParams.get('grid')).toBe(grid.properties.code);
    await page.waitForTimeout(300);
    await screenshot(page, '02-grid-selected-zh');

    // The same point typed into the locate box resolves to the same grid and its people.
    await page.getByLabel('经度').fill(lon.toFixed(6));
    await page.getByLabel('纬度').fill(lat.toFixed(6));
    await page.getByRole('button', { name: /定位$/ }).click();
    const located = page.getByTestId('locate-result');
    await located.waitFor();
    await expect(located.textContent()).resolves.toContain(grid.properties.name);
    await expect(located.textContent()).resolves.toContain(workerName);
    await screenshot(page, '02b-located-zh');

    await page.getByText('English', { exact: true }).first().click();
    await page.getByRole('button', { name: /^(logout )?Log out$/ }).waitFor();
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('en-US');
    await expect(page.getByRole('menuitem').filter({ hasText: 'Territory' }).count()).resolves.toBe(1);
    await panel.getByText('Responsible people').waitFor();
    await panel.getByText('Grid worker').first().waitFor();
    await expect(
      page.getByText('Demo data: grid boundaries are synthetic, not official').isVisible(),
    ).resolves.toBe(true);
    await screenshot(page, '03-grid-selected-en');

    await page.getByRole('button', { name: /^(logout )?Log out$/ }).click();
    await page.waitForURL('**/login');
    await page.getByRole('button', { name: 'Log in', exact: true }).waitFor();
    await screenshot(page, '04-logged-out-en');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('refuses a 英明社区 grid page to the 河清社区 grid worker', async () => {
    const admin = await apiSession(server.url, 'admin');
    const yingming = await admin.get<{ children: { code: string; level: string }[] }>(`/regions/${YINGMING}`);
    const target = yingming.children.find((child) => child.level === 'grid');
    expect(target, '英明社区 has grids').toBeDefined();
    if (!target) return;

    const { context, page, problems } = await newPage(browser, server.url);
    await logIn(page, 'heqing');
    await page.goto(`/territory/regions/${target.code}`);
    const refusal = page.getByTestId('forbidden');
    await refusal.waitFor();
    const text = (await refusal.textContent()) ?? '';
    expect(text).toContain('无权访问');
    expect(text).toContain('数据范围');
    await screenshot(page, '05-out-of-scope-refused');

    // Her own community's page opens.
    await page.goto(`/territory/regions/${HEQING}`);
    const own = page.getByTestId('region-page');
    await own.waitFor();
    await expect(own.textContent()).resolves.toContain(HEQING);
    await expect(page.getByTestId('forbidden').count()).resolves.toBe(0);
    await page.locator('[data-testid="grid-map"][data-state="ready"]').waitFor();
    await screenshot(page, '06-own-village-page');
    expect(problems).toEqual([]);
    await context.close();
  });
});
