import type { Browser, BrowserContextOptions } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumberCheckChar } from '../src/shared/registry-validation.ts';
import {
  apiSession,
  launchBrowser,
  logIn,
  newPage,
  type RunningServer,
  screenshot,
  startServer,
  stopAll,
} from './harness.ts';

const PHONE = { width: 390, height: 844 };
const PHONE_OPTIONS: BrowserContextOptions = { isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const FIRST17 = '43010419880512123';
const ID_NUMBER = `${FIRST17}${idNumberCheckChar(FIRST17)}`;
const WRONG_ID = `${FIRST17}${idNumberCheckChar(FIRST17) === '0' ? '1' : '0'}`;

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
afterAll(() => stopAll('registrations', server, browser));

describe('public self-registration (报备) on a phone', () => {
  it('an arrival registers 13 hours late, the community sees the late flag and reveals the ID number (audited)', async () => {
    const name = `报备测试${Date.now() % 100_000}`;
    const { context, page, problems } = await newPage(browser, server.url, PHONE, PHONE_OPTIONS);
    await page.goto('/public');
    await page.getByTestId('portal-registration').click();
    await page.waitForURL('**/public/registration');
    await page.getByLabel('姓名').fill(name);
    await page.getByLabel('身份证号').fill(WRONG_ID);
    await page.getByLabel('联系电话').fill('13812345678');
    // The wrong check character is named as the registrant types, before anything is sent.
    await page.getByText('身份证号校验位错误').waitFor();
    await page.getByLabel('身份证号').fill(ID_NUMBER);
    await page.getByLabel('从何处来').fill('湖南省长沙市岳麓区');
    // 13 hours ago, in the phone's own time zone (what its date-time picker shows).
    const arrived = await page.evaluate(() => {
      const at = new Date(Date.now() - 13 * 3_600_000);
      return new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    });
    await page.getByLabel('到达时间').fill(arrived);
    await page.getByLabel('目的地地址').fill('河清社区 沙口路 3 号');
    await screenshot(page, 'registrations-01-public-form');
    // Nobody fills the form in under three seconds: the form token says so.
    await page.waitForTimeout(3_500);
    await page.getByRole('button', { name: '提交报备' }).click();
    await page.getByTestId('receipt-code').waitFor();
    await expect(page.getByTestId('registration-late').textContent()).resolves.toContain('逾期');
    await expect(page.getByText('河清社区居委会').count()).resolves.toBeGreaterThan(0);
    await screenshot(page, 'registrations-02-public-receipt');
    expect(problems).toEqual([]);
    await context.close();

    // 河清's grid worker, on a phone, sees the registration flagged late and reveals the ID number.
    const worker = await newPage(browser, server.url, PHONE, PHONE_OPTIONS);
    await logIn(worker.page, 'heqing');
    await worker.page.goto('/registrations');
    const row = worker.page.getByTestId('registrations-table').locator('tr.ant-table-row', { hasText: name });
    await row.waitFor();
    await expect(row.getByTestId('late-tag').textContent()).resolves.toContain('逾期');
    await expect(row.textContent()).resolves.not.toContain(ID_NUMBER);
    await row.locator('[data-testid^="reveal-idNumber-"]').click();
    await expect
      .poll(() => row.locator('[data-testid^="revealed-idNumber-"]').textContent())
      .toContain(ID_NUMBER);
    await screenshot(worker.page, 'registrations-03-console-phone');
    expect(worker.problems).toEqual([]);
    await worker.context.close();

    // The reveal is in the administrators' personal data log.
    const admin = await apiSession(server.url, 'admin');
    const log = await admin.get<{ action: string; actorName: string; fields: string[] }[]>(
      '/registry/personal-data-log?action=registration.reveal',
    );
    expect(log[0]).toMatchObject({
      action: 'registration.reveal',
      actorName: '河清社区网格员',
      fields: ['idNumber'],
    });
  });
});
