import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
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

const PHONE = { width: 390, height: 844 };
const DEMO_TOWN = '440605121';
const TARGET_NAME = '九江沙口农贸市场';
const CAMPAIGN_NAME = '文明城市实地测评 · 农贸市场专项';

let server: RunningServer;
let browser: Browser;
let campaignId = 0;
/** Where the market is: inside one of the town's leaf grids; the phone stands 300 m away. */
let market = { lon: 0, lat: 0 };

/**
 * The running open campaign the flow visits, made through the API as the town's administrator rather than
 * taken from the demo seed, so the flow knows its items and can ask for a signature: the civilised-city
 * checklist, one market added by hand, the demo inspector.
 */
async function openCampaign(): Promise<number> {
  const admin = await apiSession(server.url, 'admin');
  const inspector = await apiSession(server.url, 'inspector');
  const { user } = await inspector.get<{ user: { id: number } }>('/auth/session');
  const templates = await admin.get<{ code: string; activeVersionId: number | null }[]>('/checklists');
  const template = templates.find((t) => t.code === 'civilised-city-field');
  if (!template?.activeVersionId) throw new Error('the civilised-city checklist is not seeded');
  const grids = await admin.get<{ features: GridFeature[] }>(`/grids/geojson?level=leaf&root=${DEMO_TOWN}`);
  const grid = grids.features[0];
  if (!grid) throw new Error('no leaf grid in the demo town');
  const [lon, lat] = interiorPoint(grid.geometry);
  market = { lon, lat };
  const today = new Date();
  const day = (offset: number) =>
    new Date(today.getTime() + offset * 86_400_000).toLocaleDateString('sv-SE', {
      timeZone: 'Asia/Shanghai',
    });
  const created = await admin.post<{ id: number }>('/campaigns', {
    name: CAMPAIGN_NAME,
    templateId: template.activeVersionId,
    regionCode: DEMO_TOWN,
    inspectorIds: [user.id],
    covert: false,
    startsOn: day(-1),
    endsOn: day(20),
    recurrence: 'once',
    signatureRequired: true,
  });
  const added = await admin.post<{ campaign: { rowVersion: number } }>(
    `/campaigns/${created.id}/targets/manual`,
    { name: TARGET_NAME, siteType: 'market', address: '九江镇沙口路 8 号', lon, lat },
  );
  await admin.post(`/campaigns/${created.id}/start`, { rowVersion: added.campaign.rowVersion });
  return created.id;
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  campaignId = await openCampaign();
}, 180_000);

afterAll(() => stopAll('field-inspection', server, browser));

async function cameraPhoto(label: string) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="160"><rect width="160" height="160" fill="#b5472f"/><text x="12" y="90" font-size="26" fill="#fff">${label}</text></svg>`;
  return {
    name: 'camera.jpg',
    mimeType: 'image/jpeg',
    buffer: await sharp(Buffer.from(svg)).jpeg().toBuffer(),
  };
}

const item = (page: Page, key: string) => page.locator(`[data-testid="visit-item"][data-item-key="${key}"]`);
const badge = (page: Page) => page.getByTestId('outbox-badge');

describe('an inspection visit on a phone', () => {
  it('visits a target offline section by section, signs, queues the visit and sends it once online', async () => {
    const { context, page, problems } = await newPage(browser, server.url, PHONE, {
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
      geolocation: { longitude: market.lon + 0.003, latitude: market.lat },
      permissions: ['geolocation'],
    });
    await logIn(page, 'inspector');
    await page.waitForURL('**/field');
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
      timeout: 30_000,
    });
    await page.locator('.gg-field-tab', { hasText: '督查' }).click();
    const card = page.getByTestId('field-target').filter({ hasText: TARGET_NAME });
    await card.waitFor();
    await expect(card.getByTestId('target-state').textContent()).resolves.toBe('待检查');
    // The phone knows where it is: the distance to the market is shown.
    await expect(card.textContent()).resolves.toMatch(/距离 3\d0 m/);
    await expect(
      page.getByTestId('target-group').filter({ hasText: CAMPAIGN_NAME }).textContent(),
    ).resolves.toContain('须负责人签字');
    await page.getByTestId('targets-map').waitFor();
    await screenshot(page, '60-inspect-targets');

    // From here on without signal, the app reopened: the list and the checklist come from the phone.
    await context.setOffline(true);
    await page.reload();
    await page.getByTestId('offline-banner').waitFor();
    await page.getByTestId('targets-saved').waitFor();
    await card.getByTestId('target-start').click();
    await expect(page.getByTestId('visit-target').textContent()).resolves.toBe(TARGET_NAME);
    // A market is not a back street or an estate: those sections are not shown, the first is the market's.
    await expect(page.getByTestId('visit-section').textContent()).resolves.toContain(
      '集贸市场和商场（超市）',
    );
    await item(page, '3.1').getByTestId('visit-item-pass').click();
    // Left half-filled and the app reopened on the visit: the answer is kept on the phone and offered back.
    await page.waitForTimeout(600);
    await page.reload();
    await page.getByTestId('offline-banner').waitFor();
    await page.getByTestId('visit-draft').waitFor();
    await expect(page.getByTestId('visit-draft').textContent()).resolves.toContain('已答 1 项');
    await page.getByTestId('visit-draft-resume').click();
    await expect(item(page, '3.1').getAttribute('data-outcome')).resolves.toBe('pass');
    await item(page, '3.2').getByTestId('visit-item-fail').click();
    // A failure needs a photo: said on the item, and the submit is refused until it is there.
    await item(page, '3.2').getByTestId('visit-item-problem').filter({ hasText: '须拍照' }).waitFor();
    await item(page, '3.2')
      .getByTestId('field-photo-input')
      .setInputFiles(await cameraPhoto('越线'));
    await item(page, '3.2').locator('.gg-field-photo img').waitFor();
    await expect(item(page, '3.2').getByTestId('visit-item-problem').count()).resolves.toBe(0);
    await item(page, '3.2').getByPlaceholder('发现的问题、位置等').fill('东门 3 个摊位越线经营');
    await item(page, '3.3').getByTestId('visit-item-pass').click();
    await item(page, '3.4').getByTestId('visit-item-value').fill('6');
    await item(page, '3.5').getByTestId('visit-item-pass').click();
    await expect(page.getByTestId('visit-score').textContent()).resolves.toMatch(/得分率 \d+\.\d\d%/);
    // The signal comes back for a moment: the session is asked for again, and the answers stay.
    const session = page.waitForResponse((response) => response.url().endsWith('/api/v1/auth/session'));
    await context.setOffline(false);
    await session;
    await page.waitForTimeout(500);
    await expect(item(page, '3.1').getAttribute('data-outcome')).resolves.toBe('pass');
    await expect(item(page, '3.2').locator('.gg-field-photo img').count()).resolves.toBe(1);
    await context.setOffline(true);
    await screenshot(page, '61-inspect-section');

    await page.getByTestId('visit-next').click();
    await expect(page.getByTestId('visit-section').textContent()).resolves.toContain('负面清单');
    // The steps are numbered, the current section named in full on its own line: nothing overlaps at 390 px.
    const steps = await page.getByTestId('visit-steps').boundingBox();
    expect(steps && steps.x + steps.width).toBeLessThanOrEqual(PHONE.width);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, '61b-inspect-stepper');
    await item(page, '5.1').getByTestId('visit-item-pass').click();
    await page.getByTestId('visit-next').click();
    await expect(page.getByTestId('visit-failures').textContent()).resolves.toContain('不符合项 1 项');
    await page.getByLabel('现场负责人').fill('陈经理');
    const pad = await page.getByTestId('signature-pad').boundingBox();
    if (!pad) throw new Error('no signature pad');
    await page.mouse.move(pad.x + 30, pad.y + 120);
    await page.mouse.down();
    for (const [dx, dy] of [
      [60, 40],
      [100, 130],
      [150, 50],
      [200, 120],
      [260, 60],
    ] as const)
      await page.mouse.move(pad.x + dx, pad.y + dy, { steps: 6 });
    await page.mouse.up();
    await expect.poll(() => page.getByTestId('signature-clear').isEnabled()).toBe(true);
    await screenshot(page, '62-inspect-signed');

    await page.getByTestId('visit-submit').click();
    await page.getByTestId('visit-waiting').waitFor();
    await expect.poll(() => badge(page).textContent()).toBe('待发送 1 条');
    await screenshot(page, '63-inspect-queued-offline');

    await context.setOffline(false);
    const notice = page.getByTestId('visit-notice');
    await notice.waitFor({ timeout: 30_000 });
    const noticeText = (await notice.textContent()) ?? '';
    expect(noticeText).toMatch(/^检查意见书编号 \S+$/);
    await expect(page.getByTestId('visit-cases').textContent()).resolves.toBe('生成整改案件 1 件');
    await expect.poll(() => badge(page).textContent(), { timeout: 20_000 }).toBe('全部已发送');
    await screenshot(page, '64-inspect-sent');

    // Sent once: the round has one visit, and it is the one the phone shows.
    const admin = await apiSession(server.url, 'admin');
    const rounds = await admin.get<{ visited: number }[]>(`/campaigns/${campaignId}/rounds`);
    expect(rounds.map((r) => r.visited)).toEqual([1]);
    const mine = await (await apiSession(server.url, 'inspector')).get<
      { target: { name: string }; visitId: number | null; due: string }[]
    >('/inspections/my-targets');
    const visited = mine.find((t) => t.target.name === TARGET_NAME);
    expect(visited?.due).toBe('done');
    const visit = await admin.get<{
      noticeNumber: string;
      signature: string | null;
      answers: { itemKey: string; outcome: string; evidence: string[]; case: unknown }[];
    }>(`/visits/${visited?.visitId}`);
    expect(`检查意见书编号 ${visit.noticeNumber}`).toBe(noticeText);
    expect(visit.signature).not.toBeNull();
    const failed = visit.answers.filter((a) => a.outcome === 'fail');
    expect(failed.map((a) => [a.itemKey, a.evidence.length, Boolean(a.case)])).toEqual([['3.2', 1, true]]);

    // Back in the list the market shows as visited with its notice, no second visit offered.
    await page.getByRole('button', { name: '返回检查列表' }).click();
    await expect.poll(() => card.getByTestId('target-state').textContent()).toBe('已检查');
    await expect(card.getByTestId('target-start').count()).resolves.toBe(0);
    await screenshot(page, '65-inspect-list-after');
    expect(problems).toEqual([]);
    await context.close();
  });
});
