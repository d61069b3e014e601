/* biome-ignore-all lint/suspicious/noTemplateCurlyInString: XLSForm expressions name questions as ${name} */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_XLSFORM, xlsformOf } from '../src/server/testing/xlsform.ts';
import {
  launchBrowser,
  logIn,
  newPage,
  type RunningServer,
  screenshot,
  startServer,
  stopAll,
} from './harness.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PHONE = { width: 390, height: 844 };

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(() => stopAll('forms', server, browser));

describe('forms: XLSForm import, builder and preview', () => {
  it('refuses an unsupported row by its number, then imports a form whose condition and constraint work', async () => {
    const { page, problems } = await newPage(browser, server.url, { width: 1366, height: 900 });
    await logIn(page, 'leader');
    await page.goto('/forms');
    await expect
      .poll(() => page.getByText('三询问一完善入户走访表（演示）').count(), { timeout: 30_000 })
      .toBeGreaterThan(0);

    // A group row is outside the supported subset: the whole file is refused, the row named.
    const bad = await xlsformOf({
      ...SAMPLE_XLSFORM,
      survey: [
        ...SAMPLE_XLSFORM.survey.slice(0, 2),
        ['begin group', 'g', '分组'],
        ...SAMPLE_XLSFORM.survey.slice(2),
      ],
      settings: [
        ['form_title', 'form_id'],
        ['坏表', 'bad-e2e'],
      ],
    });
    await page.getByRole('button', { name: '导入 XLSForm' }).click();
    await page
      .locator('.ant-modal input[type=file]')
      .setInputFiles({ name: 'bad.xlsx', mimeType: XLSX, buffer: bad });
    await page.locator('.ant-modal').getByRole('button', { name: '导入 XLSForm' }).click();
    const result = page.getByTestId('xlsx-import-result');
    await expect.poll(() => result.textContent()).toContain('不支持分组和重复组');
    expect(await result.locator('tr', { hasText: '不支持分组' }).locator('td').first().textContent()).toBe(
      '3',
    );
    await screenshot(page, 'forms-import-rejected');

    const good = await xlsformOf(SAMPLE_XLSFORM);
    await page
      .locator('.ant-modal input[type=file]')
      .setInputFiles({ name: 'good.xlsx', mimeType: XLSX, buffer: good });
    await page.locator('.ant-modal').getByRole('button', { name: '导入 XLSForm' }).click();
    await page.waitForURL(/\/forms\/\d+$/);

    const preview = page.getByTestId('form-preview');
    await expect.poll(() => preview.getByText('是否有人常住').count(), { timeout: 30_000 }).toBe(1);
    // The count is shown only when someone lives here.
    expect(await preview.getByText('常住人数').count()).toBe(0);
    await preview.getByLabel('是', { exact: true }).check();
    await expect.poll(() => preview.getByText('常住人数').count()).toBe(1);
    await preview.locator('[data-question="resident_count"] input').fill('45');
    await expect.poll(() => preview.getByText('人数应在 1 到 20 之间').count()).toBe(1);
    await screenshot(page, 'forms-builder-preview');
    await preview.locator('[data-question="resident_count"] input').fill('4');
    await expect.poll(() => preview.getByText('人数应在 1 到 20 之间').count()).toBe(0);
    await preview.getByLabel('否', { exact: true }).check();
    await expect.poll(() => preview.getByText('常住人数').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('the demo form fills in on a phone-sized page', async () => {
    const { page, problems } = await newPage(browser, server.url, PHONE, { isMobile: true, hasTouch: true });
    await logIn(page, 'leader');
    await page.goto('/forms');
    await page.getByText('三询问一完善入户走访表（演示）').click();
    const preview = page.getByTestId('form-preview');
    await preview.getByRole('button', { name: '提交' }).click();
    await expect.poll(() => preview.getByText('此题必答').count()).toBeGreaterThan(0);
    await screenshot(page, 'forms-phone-preview');
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
