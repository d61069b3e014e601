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
/** The demo town's checkpoint whose published form asks checks (src/server/db/seed/demo-checkpoints.ts). */
const DEMO_CHECKPOINT = '河清社区北入口卡点';

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

  it("logs an entry at the demo checkpoint with its form's checks, refusing a bad value with the form's message", async () => {
    const { context, page, problems } = await newPage(browser, server.url, PHONE, PHONE_OPTIONS);
    await logIn(page, 'heqing');
    await page.goto('/field?tab=checkpoint');
    await page.getByTestId('checkpoint-tab').waitFor();
    await page.getByLabel('选择卡点').click();
    await page.locator('.ant-select-item-option').filter({ hasText: DEMO_CHECKPOINT }).click();
    // The demo checkpoint's published form asks its checks on the log screen.
    const checks = page.getByTestId('checkpoint-checks');
    await checks.getByText('14 天内到过中高风险地区').waitFor();
    await expect(checks.getByText('到过的地区').count()).resolves.toBe(0);
    await screenshot(page, 'checkpoints-20-demo-checks');

    const scan = page.getByTestId('checkpoint-scan');
    await scan.fill(idNumber(7001));
    await scan.press('Enter');
    // Not logged with its required check unanswered.
    await expect(page.getByTestId('checkpoint-problem').textContent()).resolves.toBe('请先完成其他检查项');
    await checks.locator('[data-question=risk_area]').getByText('是', { exact: true }).click();
    const where = checks.locator('[data-question=risk_place] textarea');
    await where.fill('穗');
    await checks.getByText('请写明到过的地区（至少 2 个字）').waitFor();
    await where.fill('广州市白云区');
    const companions = checks.locator('[data-question=companions] input');
    await companions.fill('12');
    await checks.getByText('同行人数应在 0 到 9 之间').waitFor();
    await screenshot(page, 'checkpoints-21-demo-checks-refused');
    await page.getByTestId('checkpoint-pass').click();
    await expect(page.getByTestId('checkpoint-problem').textContent()).resolves.toBe('请先完成其他检查项');
    await companions.fill('1');
    await expect.poll(() => checks.getByText('同行人数应在 0 到 9 之间').count()).toBe(0);
    await page.getByTestId('checkpoint-stop').click();
    await page.getByRole('button', { name: '非本辖区人员' }).click();
    const counter = page.getByTestId('checkpoint-counter');
    await expect.poll(() => counter.textContent(), { timeout: 30_000 }).toBe('本次已登记 1 条 · 待上传 0 条');
    // The next person starts with the checks empty.
    await expect(checks.getByText('到过的地区').count()).resolves.toBe(0);
    await screenshot(page, 'checkpoints-22-demo-checks-logged');

    const api = await apiSession(server.url, 'admin');
    const stopped = await api.get<{
      entries: {
        checkpointName: string;
        checks: Record<string, unknown>;
        formVersion: number | null;
        outcome: string;
        synthetic: boolean;
      }[];
    }>('/checkpoint-entries?outcome=stopped&pageSize=200');
    const logged = stopped.entries.find((e) => e.checkpointName === DEMO_CHECKPOINT && !e.synthetic);
    expect(logged).toMatchObject({
      checks: { risk_area: 'yes', risk_place: '广州市白云区', companions: 1 },
      formVersion: 1,
      outcome: 'stopped',
    });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'nothing wider than the phone').toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('an entry logged offline arrives though its form was republished meanwhile, and the console reads each entry by its own version', async () => {
    const { context, page, problems } = await newPage(browser, server.url, PHONE, PHONE_OPTIONS);
    await logIn(page, 'heqing');
    await page.goto('/field?tab=checkpoint');
    await page.getByTestId('checkpoint-tab').waitFor();
    await page.getByLabel('选择卡点').click();
    await page.locator('.ant-select-item-option').filter({ hasText: DEMO_CHECKPOINT }).click();
    const checks = page.getByTestId('checkpoint-checks');
    await checks.getByText('14 天内到过中高风险地区').waitFor();

    // Offline, the phone logs a person by version 1's checks.
    await context.setOffline(true);
    await page.getByTestId('offline-banner').waitFor();
    await checks.locator('[data-question=risk_area]').getByText('否', { exact: true }).click();
    const scan = page.getByTestId('checkpoint-scan');
    await scan.fill(idNumber(7101));
    await scan.press('Enter');
    const counter = page.getByTestId('checkpoint-counter');
    await expect.poll(() => counter.textContent()).toBe('本次已登记 1 条 · 待上传 1 条');

    // Meanwhile the form gets a version 2 with a new required check.
    const admin = await apiSession(server.url, 'admin');
    const { checkpoints } = await admin.get<{
      checkpoints: { name: string; formId: number; formVersionId: number }[];
    }>('/checkpoints');
    const demo = checkpoints.find((c) => c.name === DEMO_CHECKPOINT);
    if (!demo) throw new Error(`no ${DEMO_CHECKPOINT}`);
    const form = await admin.get<{ rowVersion: number; current: { definition: { questions: unknown[] } } }>(
      `/forms/${demo.formId}`,
    );
    const draft = await admin.put<{ rowVersion: number }>(`/forms/${demo.formId}`, {
      rowVersion: form.rowVersion,
      definition: {
        questions: [
          ...form.current.definition.questions,
          {
            name: 'pass_checked',
            type: 'yesNo',
            label: { zh: '已查验通行证', en: 'Pass checked' },
            required: true,
          },
        ],
      },
    });
    await admin.post(`/forms/${demo.formId}/publish`, { rowVersion: draft.rowVersion });

    // Back online, the queued entry is taken by the version it answered.
    await context.setOffline(false);
    await expect.poll(() => counter.textContent(), { timeout: 60_000 }).toBe('本次已登记 1 条 · 待上传 0 条');
    // The phone now asks version 2, and the next person is logged by it.
    await checks.getByText('已查验通行证').waitFor({ timeout: 30_000 });
    await checks.locator('[data-question=risk_area]').getByText('否', { exact: true }).click();
    await checks.locator('[data-question=pass_checked]').getByText('是', { exact: true }).click();
    await scan.fill(idNumber(7102));
    await scan.press('Enter');
    await expect.poll(() => counter.textContent(), { timeout: 30_000 }).toBe('本次已登记 2 条 · 待上传 0 条');
    await expect(page.getByText('条登记被退回').count()).resolves.toBe(0);
    expect(problems).toEqual([]);
    await context.close();

    // The console's 通行登记 shows each entry's answers by its own version's questions, and the version.
    const desk = await signedIn(browser, server.url, 'admin', { width: 1280, height: 800 });
    await desk.page.goto('/checkpoints');
    await desk.page.getByRole('tab', { name: '通行登记' }).click();
    const table = desk.page.getByTestId('checkpoint-entries');
    const rowOf = (index: number) => {
      const id = idNumber(index);
      return table
        .locator('tr.ant-table-row')
        .filter({ hasText: `${id.slice(0, 6)}********${id.slice(-4)}` });
    };
    await rowOf(7101).waitFor();
    const offline = (await rowOf(7101).textContent()) ?? '';
    expect(offline).toContain('14 天内到过中高风险地区：否');
    expect(offline).toContain('v1');
    expect(offline).not.toContain('已查验通行证');
    const online = (await rowOf(7102).textContent()) ?? '';
    expect(online).toContain('已查验通行证：是');
    expect(online).toContain('v2');
    await screenshot(desk.page, 'checkpoints-30-entries-by-version');
    expect(desk.problems).toEqual([]);
    await desk.context.close();
  });
});
