import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
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
  SCREENSHOTS,
  screenshot,
  signedIn,
  startServer,
  stopAll,
} from './harness.ts';

const HEQING = '440605121015';
const PHONE = { width: 390, height: 844 };
const PHONE_OPTIONS: BrowserContextOptions = { isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const DESKTOP = { width: 1366, height: 900 };
const TITLE = '端到端入户走访';
const ROAD = '志愿走访测试巷';
const PLATE = '粤E77777';
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

interface Campaigns {
  items: { id: number; name: string; visited: number }[];
}

interface Figures {
  rows: { key: string; name: string; personTimes: number }[];
  totals: { personTimes: number };
}

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  // The demo town loads at first start: minutes on a busy machine.
  server = await startServer({ timeoutMs: 600_000 });
  browser = await launchBrowser();
}, 660_000);

afterAll(() => stopAll('volunteers', server, browser));

/** Keeps a copy of the flow's screenshots where the team looks at them. */
async function shot(page: Parameters<typeof screenshot>[0], name: string) {
  await screenshot(page, name);
  const dir = '/tmp/shots/VOLUNTEERS';
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(SCREENSHOTS, `${name}.png`), join(dir, `${name}.png`));
}

describe('a community’s request for 20 volunteers, filled by two units and signed in on a phone', () => {
  it('counts the sign-ins as person-times for each unit and the community', async () => {
    // 河清's grid worker asks for 20 people today, in the console.
    const staff = await signedIn(browser, server.url, 'heqing', DESKTOP);
    await staff.page.goto('/volunteers');
    await staff.page.getByTestId('add-request').click();
    await staff.page.getByTestId('request-title').fill(TITLE);
    await staff.page.getByTestId('request-place').fill('河清社区党群服务中心');
    await staff.page.getByTestId('request-submit').click();
    await expect.poll(() => staff.page.getByTestId('request-filled').textContent()).toBe('0/20');
    await shot(staff.page, 'volunteers-request-new');

    const admin = await apiSession(server.url, 'admin');
    const requests = await admin.get<{ items: { id: number; title: string }[] }>(
      `/volunteer-requests?regionCode=${HEQING}&from=${today()}&to=${today()}`,
    );
    const request = requests.items.find((r) => r.title === TITLE);
    if (!request) throw new Error('the new request is not listed');

    // 镇党建工作办公室's contact sends twelve of its party members, in the console.
    const contact = await signedIn(browser, server.url, 'unit', DESKTOP);
    await contact.page.goto('/volunteers');
    await contact.page.getByText(TITLE).first().click();
    const pick = contact.page.getByTestId('send-pick');
    await pick.click();
    // Picks until twelve are chosen: a click while the list re-renders can land on nothing.
    const chosen = pick.locator('.ant-select-selection-item');
    for (let attempt = 0; attempt < 40 && (await chosen.count()) < 12; attempt++) {
      await contact.page
        .locator('.ant-select-item-option:not(.ant-select-item-option-selected)')
        .first()
        .click();
      await contact.page.waitForTimeout(150);
    }
    expect(await chosen.count()).toBe(12);
    await contact.page.keyboard.press('Escape');
    await contact.page.getByTestId('send-submit').click();
    await expect.poll(() => contact.page.getByTestId('request-filled').textContent()).toBe('12/20');
    await shot(contact.page, 'volunteers-unit-sends');

    // A second unit sends the other eight (the town's office sends for it).
    const units = await admin.get<{ items: { id: number; name: string; volunteers: number }[] }>(
      '/volunteer-units?q=九江家具&pageSize=5',
    );
    const second = units.items.find((u) => u.volunteers >= 8);
    if (!second) throw new Error('no second unit with eight volunteers');
    const roster = await admin.get<{ id: number }[]>(`/volunteer-units/${second.id}/volunteers`);
    await admin.post(`/volunteer-requests/${request.id}/assignments`, {
      unitId: second.id,
      volunteerIds: roster.slice(0, 8).map((v) => v.id),
    });

    // On the phone, the community's staff sign all twenty in as they arrive.
    const field = await newPage(browser, server.url, PHONE, PHONE_OPTIONS);
    await logIn(field.page, 'heqing');
    await field.page.goto('/field?tab=volunteer');
    const card = field.page.getByTestId(`volunteer-request-${request.id}`);
    await card.click();
    await expect.poll(() => card.getByRole('button', { name: '签到' }).count(), { timeout: 20_000 }).toBe(20);
    for (let left = 20; left > 0; left--) {
      await card.getByRole('button', { name: '签到' }).first().click();
      await expect
        .poll(() => card.getByRole('button', { name: '签到' }).count(), { timeout: 20_000 })
        .toBe(left - 1);
    }
    await expect.poll(() => card.getByTestId('volunteer-progress').textContent()).toContain('已签到 20');
    await shot(field.page, 'volunteers-phone-signed-in');

    // The leader's figures: 20 person-times at 河清 today, 12 and 8 for the two units.
    const leader = await apiSession(server.url, 'leader');
    const byCommunity = await leader.get<Figures>(
      `/volunteers/figures?by=community&from=${today()}&to=${today()}&regionCode=${HEQING}`,
    );
    expect(byCommunity.totals.personTimes).toBe(20);
    const byUnit = await leader.get<Figures>(`/volunteers/figures?by=unit&from=${today()}&to=${today()}`);
    const times = Object.fromEntries(byUnit.rows.map((r) => [r.name, r.personTimes]));
    expect(times).toMatchObject({ 镇党建工作办公室: 12, [second.name]: 8 });

    const console = await signedIn(browser, server.url, 'leader', DESKTOP);
    await console.page.goto('/volunteers?tab=figures');
    await console.page.getByTestId('figure-personTimes').waitFor();
    await shot(console.page, 'volunteers-figures');
    await console.page.goto('/dashboard');
    await console.page.getByTestId('volunteer-card').waitFor();
    await shot(console.page, 'volunteers-dashboard');
    expect([...staff.problems, ...contact.problems, ...field.problems, ...console.problems]).toEqual([]);
    await field.context.close();
  }, 300_000);
});

describe('a volunteer signed in to a task opens its tools on the phone', () => {
  it('records a visit for the task’s campaign, then logs at the shift’s checkpoint', async () => {
    // A household in 河清 for the 三询问一完善 campaign (the demo registry is off in e2e runs).
    const admin = await apiSession(server.url, 'admin');
    const grids = await admin.get<{ features: { geometry: { type: string; coordinates: unknown } }[] }>(
      `/grids/geojson?level=leaf&root=${HEQING}`,
    );
    const grid = grids.features[0];
    if (!grid) throw new Error('no leaf grid in 河清');
    const [lon, lat] = interiorPoint(grid.geometry);
    await admin.post('/registry/residents', {
      name: '志愿走访户主',
      idNumber: `44060519790101002${idNumberCheckChar('44060519790101002')}`,
      phone: '19999000456',
      kind: 'registered',
      careTags: [],
      address: { road: ROAD, number: '3', lon, lat },
    });
    const leader = await apiSession(server.url, 'leader');
    const visited = async () =>
      (await leader.get<Campaigns>('/visit-campaigns')).items.find((c) => c.name.includes('三询问一完善'))
        ?.visited ?? 0;
    const before = await visited();

    // The demo volunteer's phone: today's visit and the afternoon checkpoint shift, neither signed in yet.
    const phone = await newPage(browser, server.url, PHONE, PHONE_OPTIONS);
    const { page } = phone;
    await logIn(page, 'volunteer');
    await page.getByTestId('volunteer-tab').waitFor();
    const visitTask = page.locator('.ant-card').filter({ hasText: '三询问一完善入户走访' });
    const shiftTask = page.locator('.ant-card').filter({ hasText: '村口卡点值守' });
    await visitTask.getByRole('button', { name: '签到' }).click();
    await visitTask.getByRole('button', { name: '去入户走访' }).waitFor();
    await shot(page, 'volunteers-phone-task-tools');

    await visitTask.getByRole('button', { name: '去入户走访' }).click();
    await page.getByTestId('household-visits-tab').waitFor();
    await page.getByText(ROAD).first().waitFor();
    await shot(page, 'volunteers-phone-visit-list');
    await page.locator('.ant-list-item').filter({ hasText: ROAD }).getByRole('button').click();
    await page.getByTestId('form-renderer').waitFor();
    await page.locator('[data-question=lives_here]').getByText('否', { exact: true }).click();
    await page.locator('[data-question=home_safe]').getByText('是', { exact: true }).click();
    await page.locator('[data-question=hardship]').getByText('没有困难').click();
    await page.getByRole('button', { name: '提交走访记录' }).click();
    await page.getByTestId('household-visits-tab').waitFor();
    await expect.poll(visited, { timeout: 30_000 }).toBe(before + 1);
    await shot(page, 'volunteers-phone-visit-recorded');

    // The visit done, the volunteer signs out of it and in to the checkpoint shift, and logs a vehicle.
    await page.locator('.gg-field-tab').filter({ hasText: '志愿' }).click();
    await visitTask.getByRole('button', { name: '签退' }).click();
    await visitTask.getByRole('button', { name: '签退' }).waitFor({ state: 'detached' });
    await shiftTask.getByRole('button', { name: '签到' }).click();
    await shiftTask.getByRole('button', { name: '去卡点登记' }).click();
    await page.getByTestId('checkpoint-tab').waitFor();
    // The demo checkpoint asks its form's checks; the required one is answered before the plate is scanned.
    const checks = page.getByTestId('checkpoint-checks');
    await checks.locator('[data-question=risk_area]').getByText('否', { exact: true }).click();
    const scan = page.getByTestId('checkpoint-scan');
    await scan.fill(PLATE);
    await scan.press('Enter');
    await expect
      .poll(() => page.getByTestId('checkpoint-counter').textContent(), { timeout: 30_000 })
      .toBe('本次已登记 1 条 · 待上传 0 条');
    await shot(page, 'volunteers-phone-checkpoint-logged');
    const entries = await admin.get<{ entries: { plate: string | null; checkpointName: string }[] }>(
      `/checkpoint-entries?from=${today()}&to=${today()}&regionCode=${HEQING}&subject=vehicle&pageSize=200`,
    );
    expect(entries.entries.map((e) => [e.plate, e.checkpointName])).toContainEqual([
      PLATE,
      '河清社区北入口卡点',
    ]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'nothing wider than the phone').toBeLessThanOrEqual(0);
    expect(phone.problems).toEqual([]);
    await phone.context.close();
  }, 300_000);
});
