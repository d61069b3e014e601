import type { Browser, BrowserContextOptions } from 'playwright-core';
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
  startServer,
  stopAll,
} from './harness.ts';

const PHONE = { width: 390, height: 844 };
const PHONE_OPTIONS: BrowserContextOptions = { isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const FIRST17 = '43010419880512123';
const ID_NUMBER = `${FIRST17}${idNumberCheckChar(FIRST17)}`;
const WRONG_ID = `${FIRST17}${idNumberCheckChar(FIRST17) === '0' ? '1' : '0'}`;
const ARRIVAL17 = '43010419900303456';
const ARRIVAL_ID = `${ARRIVAL17}${idNumberCheckChar(ARRIVAL17)}`;

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

  it('a grid worker sees an arrival to confirm in the field view, masked, and confirming takes it off the list', async () => {
    // An arrival registers through the public API, at a point in 河清's first grid.
    const worker = await apiSession(server.url, 'heqing');
    const grids = await worker.get<{ features: { geometry: { type: string; coordinates: unknown } }[] }>(
      '/grids/geojson?level=leaf',
    );
    const first = grids.features[0];
    if (!first) throw new Error('heqing sees no leaf grid');
    const [lon, lat] = interiorPoint(first.geometry);
    const name = `核实测试${Date.now() % 100_000}`;
    const token = (await (await fetch(`${server.url}/api/v1/public/form-token`)).json()) as { token: string };
    // The form token refuses a form sent within three seconds of it, as a bot sends one.
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    const registered = await fetch(`${server.url}/api/v1/public/registrations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name,
        idNumber: ARRIVAL_ID,
        phone: '13912345678',
        origin: '湖南省长沙市',
        arrivedAt: new Date(Date.now() - 2 * 3_600_000).toISOString(),
        address: '河清社区 沙口路 8 号',
        lon,
        lat,
        formToken: token.token,
      }),
    });
    expect(registered.status, await registered.clone().text()).toBe(200);
    const listed = await worker.get<{ items: { id: number; name: string }[] }>(
      `/registrations?confirmed=false&pageSize=100`,
    );
    const id = listed.items.find((r) => r.name === name)?.id;
    expect(id).toBeDefined();

    const { context, page, problems } = await newPage(browser, server.url, PHONE, PHONE_OPTIONS);
    await logIn(page, 'heqing');
    await page.waitForURL('**/field');
    await page.locator('.gg-field-tab').filter({ hasText: '走访' }).click();
    await page.getByTestId('visit-section').getByText('报备核实').click();
    const card = page.getByTestId(`registration-${id}`);
    await card.waitFor();
    const text = (await card.textContent()) ?? '';
    expect(text).toContain(name);
    // ID number and phone masked, as in the console.
    expect(text).toContain(`${ARRIVAL_ID.slice(0, 6)}********${ARRIVAL_ID.slice(-4)}`);
    expect(text).toContain('139****5678');
    expect(text).not.toContain(ARRIVAL_ID);
    expect(text).not.toContain('13912345678');
    await screenshot(page, 'registrations-10-field-to-confirm');

    await card.getByRole('button', { name: '已上门，核实' }).click();
    await card.getByPlaceholder('核实情况（可选），如：已见本人，居住地址属实').fill('已见本人，地址属实');
    await card.getByRole('button', { name: /核实$/ }).click();
    await page.getByText(`已核实：${name}`).waitFor();
    await expect.poll(() => card.count()).toBe(0);
    await screenshot(page, 'registrations-11-field-confirmed');
    const after = await worker.get<{ id: number }[]>('/registrations/to-visit');
    expect(after.map((r) => r.id)).not.toContain(id);
    expect(problems).toEqual([]);
    await context.close();
  });
});
