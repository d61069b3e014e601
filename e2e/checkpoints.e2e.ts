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
  signedIn,
  startServer,
  stopAll,
} from './harness.ts';

const PHONE = { width: 390, height: 844 };
const PHONE_OPTIONS = { isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const HEQING = '440605121015';
const ENTRIES = 500;
const NAME = '河清测试卡点（e2e）';

let server: RunningServer;
let browser: Browser;
let checkpointId = 0;

/** A valid ID number per index: birth dates a day apart, so none repeats. */
function idNumber(index: number): string {
  const birth = new Date(Date.UTC(1970, 0, 1) + index * 86_400_000)
    .toISOString()
    .slice(0, 10)
    .replace(/-/g, '');
  const first17 = `440605${birth}${String(index % 1000).padStart(3, '0')}`;
  return `${first17}${idNumberCheckChar(first17)}`;
}

beforeAll(async () => {
  // The demo town loads at first start; on a busy machine that takes minutes.
  server = await startServer({ timeoutMs: 420_000 });
  browser = await launchBrowser();
  const admin = await apiSession(server.url, 'admin');
  const grids = await admin.get<{ features: { geometry: { type: string; coordinates: unknown } }[] }>(
    `/grids/geojson?level=leaf&root=${HEQING}`,
  );
  const grid = grids.features[0];
  if (!grid) throw new Error('no leaf grid in 河清');
  const [lon, lat] = interiorPoint(grid.geometry);
  checkpointId = (await admin.post<{ id: number }>('/checkpoints', { name: NAME, kind: 'road', lon, lat }))
    .id;
}, 480_000);

afterAll(() => stopAll('checkpoints', server, browser));

describe('checkpoints on a phone', () => {
  it('logs 500 entries offline and each arrives exactly once after reconnecting', async () => {
    const { context, page, problems } = await newPage(browser, server.url, PHONE, PHONE_OPTIONS);
    await logIn(page, 'heqing');
    await page.goto('/field?tab=checkpoint');
    await page.getByTestId('checkpoint-tab').waitFor();
    await page.getByLabel('选择卡点').click();
    await page.locator('.ant-select-item-option').filter({ hasText: NAME }).click();
    const scan = page.getByTestId('checkpoint-scan');
    await scan.waitFor();
    await screenshot(page, 'checkpoints-10-field');

    await context.setOffline(true);
    await page.getByTestId('offline-banner').waitFor();
    const started = Date.now();
    for (let i = 0; i < ENTRIES; i++) {
      if (i === ENTRIES / 2) await page.getByTestId('checkpoint-direction-out').click();
      // Every fifth is a vehicle by its plate; the rest people by their ID number, as a scanner types them.
      await scan.fill(i % 5 === 0 ? `粤E${String(i).padStart(5, '0')}` : idNumber(i));
      if (i % 100 === 7) {
        await page.getByTestId('checkpoint-stop').click();
        await page.getByRole('button', { name: '体温异常' }).click();
      } else {
        await scan.press('Enter');
      }
      await expect.poll(() => scan.inputValue()).toBe('');
    }
    const counter = page.getByTestId('checkpoint-counter');
    await expect
      .poll(() => counter.textContent(), { timeout: 30_000 })
      .toBe(`本次已登记 ${ENTRIES} 条 · 待上传 ${ENTRIES} 条`);
    const loggedMs = Date.now() - started;
    await screenshot(page, 'checkpoints-11-offline-500');

    const back = Date.now();
    await context.setOffline(false);
    await expect
      .poll(() => counter.textContent(), { timeout: 60_000 })
      .toBe(`本次已登记 ${ENTRIES} 条 · 待上传 0 条`);
    const uploadMs = Date.now() - back;
    console.info(
      `checkpoints: ${ENTRIES} entries logged offline in ${loggedMs} ms, uploaded in ${uploadMs} ms`,
    );
    await screenshot(page, 'checkpoints-12-uploaded');

    const api = await apiSession(server.url, 'admin');
    const seen = new Set<number>();
    const idNumbers = new Set<string>();
    for (let page = 1; page <= 3; page++) {
      const list = await api.get<{ total: number; entries: { id: number; plate: string | null }[] }>(
        `/checkpoint-entries?checkpointId=${checkpointId}&pageSize=200&page=${page}`,
      );
      expect(list.total).toBe(ENTRIES);
      for (const entry of list.entries) seen.add(entry.id);
      for (const entry of list.entries) if (entry.plate) idNumbers.add(entry.plate);
    }
    expect(seen.size).toBe(ENTRIES);
    expect(idNumbers.size).toBe(ENTRIES / 5);

    const counts = await api.get<{ rows: { total: number; stopped: number; vehiclesIn: number }[] }>(
      `/checkpoints/daily-counts?checkpointId=${checkpointId}`,
    );
    expect(counts.rows.reduce((sum, row) => sum + row.total, 0)).toBe(ENTRIES);
    expect(counts.rows.reduce((sum, row) => sum + row.stopped, 0)).toBe(ENTRIES / 100);
    expect(problems).toEqual([]);
    await context.close();

    // The console's daily counts show them.
    const desk = await signedIn(browser, server.url, 'admin', { width: 1366, height: 900 });
    await desk.page.goto('/checkpoints?tab=counts');
    const row = desk.page.getByTestId('checkpoint-counts').locator('tr').filter({ hasText: NAME });
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect(row.first().textContent()).resolves.toContain(String(ENTRIES));
    await screenshot(desk.page, 'checkpoints-13-counts');
    await desk.page.goto('/checkpoints');
    await desk.page.getByTestId('checkpoint-list').getByText(NAME).waitFor();
    await screenshot(desk.page, 'checkpoints-14-list');
    await desk.context.close();
  }, 600_000);
});
