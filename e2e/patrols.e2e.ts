import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
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
  stopAll,
} from './harness.ts';

interface GridFeature {
  geometry: { type: string; coordinates: unknown };
  properties: { code: string; name: string };
}

interface PatrolPage {
  items: {
    id: number;
    pointCount: number;
    endedAt: string | null;
    synthetic: boolean;
    grids: { code: string }[];
  }[];
}

const PHONE = { width: 390, height: 844 };
const PHONE_OPTIONS: BrowserContextOptions = { isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const DESKTOP = { width: 1440, height: 900 };

let server: RunningServer;
let browser: Browser;
/** Where the walk starts: well inside heqing's own leaf grid. */
let here = { longitude: 0, latitude: 0 };
let grid = { code: '', name: '' };

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const api = await apiSession(server.url, 'heqing');
  const grids = await api.get<{ features: GridFeature[] }>('/grids/geojson?level=leaf');
  const first = grids.features[0];
  if (!first) throw new Error('heqing sees no leaf grid');
  const [longitude, latitude] = interiorPoint(first.geometry);
  here = { longitude, latitude };
  grid = { code: first.properties.code, name: first.properties.name };
});

afterAll(() => stopAll('patrols', server, browser));

/** The number of track points waiting on the phone, as the sync banner states it. */
const waiting = (page: Page) => page.getByTestId('patrol-sync').getAttribute('data-waiting').then(Number);
const recorded = async (page: Page) =>
  Number(await page.getByTestId('patrol-points').locator('.ant-statistic-content-value').textContent());

/** Points waiting in the phone's IndexedDB patrol store (gridgov-field-patrols). */
function keptOnPhone(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('gridgov-field-patrols');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const all = db.transaction('patrols').objectStore('patrols').getAll();
          all.onsuccess = () => {
            db.close();
            resolve(all.result.reduce((sum: number, p: { pending: unknown[] }) => sum + p.pending.length, 0));
          };
          all.onerror = () => reject(all.error);
        };
      }),
  );
}

/** Walks north in steps of about 30 m, one step per fix the phone keeps (≥ 5 s apart). */
async function walk(page: Page, steps: number, from: number): Promise<number> {
  let step = from;
  for (let i = 0; i < steps; i++) {
    step++;
    const before = await recorded(page);
    await page
      .context()
      .setGeolocation({ longitude: here.longitude, latitude: here.latitude + step * 0.00027 });
    await expect.poll(() => recorded(page), { timeout: 20_000 }).toBeGreaterThan(before);
  }
  return step;
}

describe('daily patrols', () => {
  it('records a patrol on the phone, keeps its points offline, sends them once online, and shows it in the console', async () => {
    const leaderApi = await apiSession(server.url, 'leader');
    // The demo history leaves the demo worker's own grid unpatrolled today.
    const before = await leaderApi.get<{ items: { gridCode: string }[] }>('/patrols/unpatrolled');
    expect(before.items.map((g) => g.gridCode)).toContain(grid.code);

    const { context, page, problems } = await newPage(browser, server.url, PHONE, {
      ...PHONE_OPTIONS,
      geolocation: here,
      permissions: ['geolocation'],
    });
    await logIn(page, 'heqing');
    await page.waitForURL('**/field');
    await page.locator('.gg-field-tab').filter({ hasText: '巡查' }).click();
    await page.getByTestId('patrol-start').click();
    await page.getByTestId('patrol-active').waitFor();
    await expect.poll(() => recorded(page), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
    let step = await walk(page, 2, 0);
    // Sent while online (on start and every 15 s).
    await expect.poll(() => waiting(page), { timeout: 30_000 }).toBe(0);
    await screenshot(page, 'patrols-10-field-under-way');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'nothing wider than the phone').toBeLessThanOrEqual(0);

    // No signal: points are kept on the phone, in IndexedDB.
    await context.setOffline(true);
    step = await walk(page, 3, step);
    expect(await waiting(page)).toBeGreaterThanOrEqual(3);
    expect(await keptOnPhone(page)).toBeGreaterThanOrEqual(3);
    await page.getByTestId('offline-banner').waitFor();
    await screenshot(page, 'patrols-11-field-offline');
    const kept = await recorded(page);

    // Back online: everything waiting is sent, each point once.
    await context.setOffline(false);
    await expect.poll(() => waiting(page), { timeout: 30_000 }).toBe(0);
    const workerApi = await apiSession(server.url, 'heqing');
    const sent = await workerApi.get<PatrolPage>('/patrols?limit=1');
    const patrol = sent.items[0];
    expect(patrol?.synthetic).toBe(false);
    expect(patrol?.pointCount).toBe(kept);

    await page.getByTestId('patrol-end').click();
    await page.locator('.ant-popconfirm .ant-btn-primary').click();
    await page.getByTestId('patrol-start').waitFor();
    await expect
      .poll(async () => (await workerApi.get<PatrolPage>('/patrols?limit=1')).items[0]?.endedAt ?? null, {
        timeout: 30_000,
      })
      .not.toBeNull();
    await page.getByTestId('patrol-today-item').first().waitFor();
    await page.waitForTimeout(400);
    await screenshot(page, 'patrols-12-field-ended');
    const ended = (await workerApi.get<PatrolPage>('/patrols?limit=1')).items[0];
    expect(ended?.grids.map((g) => g.code)).toContain(grid.code);
    expect(problems).toEqual([]);
    await context.close();

    // The console: the track on today's map, the grid no longer listed as unpatrolled.
    const after = await leaderApi.get<{ items: { gridCode: string }[] }>('/patrols/unpatrolled');
    expect(after.items.map((g) => g.gridCode)).not.toContain(grid.code);
    const tracks = await leaderApi.get<{ features: { properties: { patrolId: number } }[] }>(
      '/patrols/today-tracks',
    );
    expect(tracks.features.map((f) => f.properties.patrolId)).toContain(ended?.id);

    const desk = await newPage(browser, server.url, DESKTOP);
    await logIn(desk.page, 'leader');
    await desk.page.goto('/patrols');
    await desk.page.getByTestId('patrol-map').and(desk.page.locator('[data-loaded="true"]')).waitFor();
    await expect
      .poll(async () => Number(await desk.page.getByTestId('patrol-map').getAttribute('data-track-count')))
      .toBeGreaterThan(0);
    await expect
      .poll(() => desk.page.getByTestId('unpatrolled-grid').filter({ hasText: grid.name }).count())
      .toBe(0);
    await expect
      .poll(() => desk.page.getByTestId('patrolled-grid').filter({ hasText: grid.name }).count(), {
        timeout: 10_000,
      })
      .toBeGreaterThan(0);
    // At street zoom the map names the grids, as the territory map does: the patrolled one where it was walked.
    await desk.page.evaluate(([lon, lat]) => window.__gridgovMap?.jumpTo({ center: [lon, lat], zoom: 15 }), [
      here.longitude,
      here.latitude,
    ] as const);
    const gridLabel = desk.page
      .getByTestId('patrol-map')
      .locator('.gg-map-label-grid', { hasText: grid.name });
    await expect.poll(() => gridLabel.isVisible()).toBe(true);
    await desk.page.waitForTimeout(1000);
    await screenshot(desk.page, 'patrols-20-console-today');

    await desk.page.getByRole('tab', { name: '巡查日志' }).click();
    await desk.page.getByTestId('patrol-log').getByText('河清社区网格员').first().click();
    await desk.page.getByTestId('patrol-open').first().click();
    await desk.page.locator('.ant-drawer').getByText('巡查详情').waitFor();
    await desk.page.locator('.ant-drawer').getByText(grid.name).first().waitFor();
    await desk.page.waitForTimeout(1200);
    await screenshot(desk.page, 'patrols-21-console-log-detail');
    await desk.page.keyboard.press('Escape');

    await desk.page.getByRole('tab', { name: '网格日统计' }).click();
    await desk.page.getByTestId('grid-days-table').locator('tbody tr.ant-table-row').first().waitFor();
    await screenshot(desk.page, 'patrols-22-console-grid-days');
    expect(desk.problems).toEqual([]);
    await desk.context.close();

    // The console at phone width.
    const narrow = await newPage(browser, server.url, PHONE, PHONE_OPTIONS);
    await logIn(narrow.page, 'leader');
    await narrow.page.goto('/patrols');
    await narrow.page.getByTestId('patrol-map').and(narrow.page.locator('[data-loaded="true"]')).waitFor();
    await narrow.page.waitForTimeout(1000);
    await screenshot(narrow.page, 'patrols-23-console-phone');
    await narrow.page.goto('/patrols?tab=grid-days');
    await narrow.page.getByTestId('grid-days-table').locator('tbody tr.ant-table-row').first().waitFor();
    await screenshot(narrow.page, 'patrols-24-console-grid-days-phone');
    await narrow.context.close();
  });
});
