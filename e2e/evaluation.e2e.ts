import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dashboard } from '../src/shared/dashboard.ts';
import type { Ranking } from '../src/shared/indicators.ts';
import {
  apiSession,
  launchBrowser,
  type RunningServer,
  screenshot,
  signedIn,
  startServer,
  stopAll,
} from './harness.ts';

/**
 * 排名 and 数读 as the town leader of the demo town, over its synthetic history (loaded in the background on
 * the first start): villages ranked, each count opening onto as many cases, the dashboard's charts and 大屏.
 */

const DESKTOP = { width: 1440, height: 900 };
const WALL = { width: 1920, height: 1080 };

let server: RunningServer;
let browser: Browser;
let ranking: Ranking;

beforeAll(async () => {
  server = await startServer({ demoHistory: true });
  browser = await launchBrowser();
  const api = await apiSession(server.url, 'leader');
  // The demo history is written in the background after the start (its end is logged); then the case facts
  // catch up within seconds: wait until two answers in a row agree.
  const deadline = Date.now() + 12 * 60_000;
  const wait = () => new Promise((resolve) => setTimeout(resolve, 3_000));
  while (!server.output().includes('Demo case history (synthetic) loaded')) {
    if (Date.now() > deadline) throw new Error('the demo history did not load in time');
    await wait();
  }
  let previous = '';
  for (;;) {
    ranking = await api.get<Ranking>('/indicators/ranking?unit=village');
    const current = JSON.stringify(ranking.total.counts);
    if (current === previous && ranking.rows.filter((r) => r.rank !== null).length >= 2) break;
    if (Date.now() > deadline) throw new Error('the rankings did not settle in time');
    previous = current;
    await wait();
  }
}, 780_000);

afterAll(() => stopAll('evaluation', server, browser));

describe('排名 (rankings)', () => {
  it('lists the villages with ranks; a count opens onto exactly as many cases', async () => {
    const { page, problems, context } = await signedIn(browser, server.url, 'leader', DESKTOP);
    await page.goto('/ranking');
    const table = page.getByTestId('ranking-table');
    await table.locator('[data-testid="rank"]').first().waitFor();
    // Names, not codes; the best village first with rank 1, every village of the town listed.
    const names = await table.getByTestId('unit-name').allTextContents();
    expect([...names].sort()).toEqual(ranking.rows.map((r) => r.name).sort());
    expect(names.every((name) => /[\u4e00-\u9fa5]/.test(name) && !/^\d+$/.test(name))).toBe(true);
    expect(await table.getByTestId('rank').first().textContent()).toBe('1');
    expect(await page.getByTestId('ranking-period').textContent()).toContain(ranking.from);
    expect(await page.getByTestId('scheme-card').textContent()).toContain('权重方案 v1');

    // The reported count of the first village with any opens a drawer listing as many cases.
    const link = table.getByTestId('count-reported').first();
    const reported = Number(await link.textContent());
    expect(reported).toBeGreaterThan(0);
    await link.click();
    const drawer = page.getByRole('dialog');
    await expect.poll(() => drawer.locator('.ant-drawer-title').textContent()).toContain(`${reported} 件`);
    const list = drawer.getByTestId('drill-cases');
    await list.locator('tbody tr.ant-table-row').first().waitFor();
    const rowsShown = await list.locator('tbody tr.ant-table-row').count();
    expect(rowsShown).toBe(Math.min(reported, 20));
    // The pager's total is the number clicked.
    if (reported > 20)
      expect(await drawer.locator('.ant-pagination-total-text').textContent()).toContain(String(reported));
    await screenshot(page, 'evaluation-ranking-drill');
    await drawer.locator('.ant-drawer-close').click();
    await screenshot(page, 'evaluation-ranking');

    // A village's patrol coverage opens onto its grids' patrolled days, as many grids as the API lists.
    const api = await apiSession(server.url, 'leader');
    const village = ranking.rows.find((r) => r.patrolCoverage !== null);
    if (village) {
      const grids = await api.get<{ rows: unknown[] }>(
        `/indicators/patrol-grids?from=${ranking.from}&to=${ranking.to}&key=${village.key}`,
      );
      const row = table.locator('tr', { has: page.getByText(village.name, { exact: true }) });
      await row.getByTestId('patrol-coverage').click();
      const figure = page.getByTestId('patrol-grids');
      await expect.poll(() => figure.locator('tbody tr.ant-table-row').count()).toBe(grids.rows.length);
      await screenshot(page, 'evaluation-ranking-patrol-grids');
      await page.locator('.ant-drawer-close').click();
    }

    // The workers who found the cases, by name: the same list the API gives.
    const workers = await api.get<Ranking>('/indicators/ranking?unit=worker');
    expect(workers.rows.length).toBeGreaterThan(0);
    await page.locator('.ant-segmented-item', { hasText: '网格员' }).click();
    await expect
      .poll(async () => [...(await table.getByTestId('unit-name').allTextContents())].sort())
      .toEqual(workers.rows.map((r) => r.name).sort());
    expect(workers.rows.every((r) => /[\u4e00-\u9fa5]/.test(r.name) && !r.name.includes('已删除'))).toBe(
      true,
    );
    await screenshot(page, 'evaluation-ranking-workers');
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('数读 (dashboard)', () => {
  it('renders its figures and charts; a figure opens onto its cases', async () => {
    const { page, problems, context } = await signedIn(browser, server.url, 'leader', DESKTOP);
    const answer = page.waitForResponse((r) => r.url().includes('/api/v1/dashboard'));
    await page.goto('/dashboard');
    const data = (await (await answer).json()) as Dashboard;
    for (const chart of ['chart-trend', 'chart-sources', 'chart-hot-spots'])
      await page.getByTestId(chart).locator('svg').first().waitFor();
    await page.locator('[data-testid="dashboard-map"][data-loaded="true"]').waitFor();
    expect(await page.getByTestId('synthetic-notice').textContent()).toBe('演示数据（合成）');
    expect(await page.getByTestId('figure-reported-month').textContent()).toBe(
      String(data.month.counts.reported),
    );
    await page.getByTestId('figure-reported-month').click();
    const drawer = page.getByRole('dialog');
    await expect
      .poll(() => drawer.locator('.ant-drawer-title').textContent())
      .toContain(`${data.month.counts.reported} 件`);
    await drawer.locator('.ant-drawer-close').click();
    // A slice of the sources ring opens that source's cases of the month: as many as the slice counts.
    const source = data.sources[0];
    if (!source) throw new Error('the demo town has no sources this month');
    // Clicked where its count is drawn: the middle of a slice's bounding box may be the ring's hole.
    const count = await page.getByTestId('chart-sources').locator('[data-slice] text').first().boundingBox();
    if (!count) throw new Error('the first slice carries no count');
    await page.mouse.click(count.x + count.width / 2, count.y + count.height / 2);
    await expect
      .poll(() => page.getByRole('dialog').locator('.ant-drawer-title').textContent())
      .toContain(`${source.reported} 件`);
    await page.getByRole('dialog').locator('.ant-drawer-close').click();
    await screenshot(page, 'evaluation-dashboard');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows 大屏: dark, full page, refreshing itself', async () => {
    const { page, problems, context } = await signedIn(browser, server.url, 'leader', WALL);
    // The page's own clock, moved on below rather than waited out.
    await page.clock.install();
    await page.goto('/dashboard');
    await page.getByTestId('wall-link').click();
    await page.waitForURL('**/dashboard/wall');
    const wall = page.getByTestId('wall');
    await wall.waitFor();
    expect(await wall.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(7, 20, 43)');
    await page.getByTestId('chart-trend').locator('svg').first().waitFor();
    // No console frame around it.
    expect(await page.locator('.ant-layout-sider').count()).toBe(0);
    // It asks for fresh figures by itself every 60 s: a minute on, the next answer comes.
    const refreshed = page.waitForResponse((r) => r.url().includes('/api/v1/dashboard'), { timeout: 30_000 });
    await page.clock.fastForward('01:01');
    await refreshed;
    await screenshot(page, 'evaluation-wall');
    expect(problems).toEqual([]);
    await context.close();
  });
});
