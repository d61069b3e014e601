import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiSession,
  launchBrowser,
  type RunningServer,
  screenshot,
  signedIn,
  startServer,
  statistics,
  stopAll,
} from './harness.ts';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(() => stopAll('party', server, browser));

/** The codes of the grids the map has drawn, once it has drawn some. */
async function drawnCodes(page: Page): Promise<string[]> {
  await page.locator('[data-testid="grid-map"][data-state="ready"]').waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => {
    const map = window.__gridgovMap;
    return Boolean(map?.loaded() && map.queryRenderedFeatures({ layers: ['grids-fill'] }).length > 0);
  });
  return page.evaluate(() =>
    (window.__gridgovMap?.queryRenderedFeatures({ layers: ['grids-fill'] }) ?? []).map((f) =>
      String(f.properties?.code ?? ''),
    ),
  );
}

describe('party grids and party members (leader)', () => {
  it('switches the map between the comprehensive and the party layer', async () => {
    const { context, page, problems } = await signedIn(browser, server.url, 'leader', {
      width: 1366,
      height: 900,
    });
    await page.goto('/territory');
    expect((await drawnCodes(page)).every((code) => /^\d+$/.test(code))).toBe(true);
    await page.getByTestId('layer-switch').getByText('党建网格').click();
    await page.waitForURL('**layer=party**');
    await page.waitForFunction(() =>
      (window.__gridgovMap?.queryRenderedFeatures({ layers: ['grids-fill'] }) ?? []).some((f) =>
        String(f.properties?.code ?? '').startsWith('P'),
      ),
    );
    expect((await drawnCodes(page)).every((code) => code.startsWith('P'))).toBe(true);
    await screenshot(page, 'party-01-map-party-layer');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows the demo figures: 562 members in 239 posts, and 27 / 181 / 426 party grids', async () => {
    const api = await apiSession(server.url, 'leader');
    const layer = await api.get<{ counts: { gridLevel: number; count: number }[] }>('/grid-layers/party');
    expect(layer.counts.map((c) => c.count)).toEqual([27, 181, 426]);

    const { context, page, problems } = await signedIn(browser, server.url, 'leader', {
      width: 1366,
      height: 900,
    });
    await page.goto('/party');
    await page.getByTestId('party-total-members').getByText('562').waitFor();
    expect(await statistics(page, 'party-total-posts')).toEqual(['239']);
    expect(await statistics(page, 'party-total-postsFilled')).toEqual(['239']);
    await screenshot(page, 'party-02-figures');
    await page.getByText('党建网格', { exact: true }).first().click();
    await page.getByTestId('party-grids-level-3').getByText('426').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});
