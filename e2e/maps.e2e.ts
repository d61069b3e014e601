import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
  stopAll,
} from './harness.ts';

interface GridFeature {
  geometry: { type: string; coordinates: unknown };
  properties: { code: string; name: string };
}

/** A 1×1 light-green PNG: every tile the local tile server gives. */
const TILE = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR42mPYf+c/AAWUAq3DjqbQAAAAAElFTkSuQmCC',
  'base64',
);

let server: RunningServer;
let browser: Browser;
let tiles: Server;
let tileUrl = '';
const tileRequests: string[] = [];
/** The registry address created for the search, and where it is. */
let address = { lon: 0, lat: 0 };

beforeAll(async () => {
  tiles = createServer((request, response) => {
    tileRequests.push(request.url ?? '');
    if (!/^\/\d+\/\d+\/\d+\.png$/.test(request.url ?? '')) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'image/png', 'access-control-allow-origin': '*' }).end(TILE);
  });
  await new Promise<void>((resolve) => tiles.listen(0, '127.0.0.1', resolve));
  tileUrl = `http://127.0.0.1:${(tiles.address() as AddressInfo).port}/{z}/{x}/{y}.png`;
  server = await startServer();
  browser = await launchBrowser();
  // A standard address inside one of 河清社区's grids, made as its administrator would.
  const admin = await apiSession(server.url, 'admin');
  const grids = await admin.get<{ features: GridFeature[] }>('/grids/geojson?level=leaf&root=440605121015');
  const grid = grids.features[0];
  if (!grid) throw new Error('no grid in 河清社区');
  const [lon, lat] = interiorPoint(grid.geometry);
  address = { lon: Number(lon.toFixed(6)), lat: Number(lat.toFixed(6)) };
  await admin.post('/registry/addresses', { road: '河清大道', number: '88', ...address });
}, 180_000);

afterAll(async () => {
  await stopAll('maps', server, browser);
  await new Promise((resolve) => tiles?.close(resolve));
});

/** Waits for the map to draw its grids (the map's own render, not a delay). */
async function waitForMap(page: Page): Promise<void> {
  await page.locator('[data-testid="grid-map"][data-state="ready"]').waitFor({ timeout: 30_000 });
  await page.waitForFunction(
    () => {
      const map = window.__gridgovMap;
      return Boolean(map?.loaded() && map.queryRenderedFeatures({ layers: ['grids-fill'] }).length > 0);
    },
    null,
    { timeout: 30_000 },
  );
}

/** Security-policy refusals the page printed (a blocked tile host shows there). */
function watchPolicy(page: Page): string[] {
  const refused: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) refused.push(message.text());
  });
  return refused;
}

describe('maps without a basemap', () => {
  it('names the villages without overlaps and finds a registry address, centring the map on it', async () => {
    const { context, page, problems } = await newPage(browser, server.url);
    await logIn(page, 'admin');
    await page.goto('/territory');
    await waitForMap(page);
    // Village names are drawn, and none covers another.
    const labels = page.locator('.gg-map-label-village:not(.gg-map-label-hidden)');
    await expect.poll(() => labels.count(), { timeout: 30_000 }).toBeGreaterThan(5);
    const boxes = await labels.evaluateAll((elements) =>
      elements.map((element) => element.getBoundingClientRect().toJSON() as DOMRect),
    );
    const overlapping = boxes.flatMap((a, i) =>
      boxes
        .slice(i + 1)
        .filter((b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom),
    );
    expect(overlapping).toEqual([]);

    const search = page.getByTestId('map-search').getByRole('combobox');
    await search.fill('河清大道88');
    const hit = page.getByTestId('map-search-hit').filter({ hasText: '88' }).first();
    await hit.waitFor({ timeout: 30_000 });
    await hit.click();
    await page.getByTestId('map-search-pin').waitFor();
    await page.waitForFunction(
      ([lon, lat]) => {
        const map = window.__gridgovMap;
        if (!map || map.isMoving()) return false;
        const centre = map.getCenter();
        return Math.abs(centre.lng - lon) < 1e-4 && Math.abs(centre.lat - lat) < 1e-4 && map.getZoom() >= 15;
      },
      [address.lon, address.lat] as const,
      { timeout: 30_000 },
    );
    // At street zoom the registry's addresses are a layer of the map, the one searched among them.
    await page.waitForFunction(
      () => Number(window.__gridgovMap?.getContainer().dataset.placeCount ?? 0) > 0,
      null,
      { timeout: 30_000 },
    );
    await screenshot(page, 'maps-01-address-search');
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('a custom XYZ basemap set in the console', () => {
  it('is saved by the administrator, and the territory map draws tiles from the local tile server', async () => {
    const { context, page, problems } = await newPage(browser, server.url);
    const refused = watchPolicy(page);
    await logIn(page, 'admin');
    await page.getByRole('menuitem').filter({ hasText: '底图设置' }).click();
    await page.waitForURL('**/admin/basemap');
    await page.getByText('自定义 XYZ 瓦片').click();
    await page.getByLabel('瓦片地址').fill(tileUrl);
    await page.getByLabel('版权说明').fill('e2e 本地瓦片');
    await screenshot(page, 'maps-02-basemap-form');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByTestId('basemap-effective').getByText(tileUrl).waitFor({ timeout: 30_000 });

    // As a user goes there: the menu, no reload.
    await page.getByRole('menuitem').filter({ hasText: '地图与网格' }).click();
    await page.waitForURL('**/territory');
    await waitForMap(page);
    await page.waitForFunction(
      () => {
        const map = window.__gridgovMap;
        return Boolean(map?.getSource('basemap') && map.isSourceLoaded('basemap') && map.areTilesLoaded());
      },
      null,
      { timeout: 30_000 },
    );
    expect(tileRequests.filter((url) => /^\/\d+\/\d+\/\d+\.png$/.test(url)).length).toBeGreaterThan(0);
    await expect(page.locator('.maplibregl-ctrl-attrib').textContent()).resolves.toContain('e2e 本地瓦片');
    await screenshot(page, 'maps-03-territory-tiles');
    expect(refused).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
