import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiSession,
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
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

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
