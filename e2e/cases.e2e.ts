import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiSession,
  launchBrowser,
  type RunningServer,
  screenshot,
  signedIn,
  startServer,
  stopAll,
} from './harness.ts';

interface GridFeature {
  geometry: { type: string; coordinates: unknown };
  properties: { code: string; name: string };
}

/**
 * A small real JPEG drawn by the page itself, so the thumbnail in the screenshots shows something (the server
 * only checks the FF D8 FF magic number).
 */
async function makePhoto(page: Page, text: string) {
  const base64 = await page.evaluate((label) => {
    const canvas = document.createElement('canvas');
    canvas.width = 96;
    canvas.height = 96;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d context');
    context.fillStyle = '#2f8f5b';
    context.fillRect(0, 0, 96, 96);
    context.fillStyle = '#ffffff';
    context.font = '20px sans-serif';
    context.fillText(label, 8, 56);
    return canvas.toDataURL('image/jpeg', 0.8).split(',')[1] ?? '';
  }, text);
  const buffer = Buffer.from(base64, 'base64');
  expect([...buffer.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  return { name: 'photo.jpg', mimeType: 'image/jpeg', buffer };
}

/** The timeline of the whole loop, labels as the case page shows them (CASE_ACTION_LABELS and 'report'). */
const TIMELINE = [
  '上报',
  '立案',
  '派遣',
  '签收',
  '退回',
  '派遣',
  '签收',
  '办结',
  '核查不通过（返工）',
  '办结',
  '核查通过',
];

let server: RunningServer;
let browser: Browser;
let caseId = 0;
let caseNumber = '';

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(() => stopAll('cases', server, browser));

interface Session {
  context: BrowserContext;
  page: Page;
  problems: string[];
}

function signIn(username: string): Promise<Session> {
  return signedIn(browser, server.url, username);
}

async function finish(session: Session): Promise<void> {
  expect(session.problems).toEqual([]);
  await session.context.close();
}

async function openCase(page: Page): Promise<void> {
  expect(caseId, 'the case was reported').toBeGreaterThan(0);
  await page.goto(`/cases/${caseId}`);
  await expect.poll(() => page.getByTestId('case-number').textContent()).toBe(caseNumber);
}

async function expectState(page: Page, state: string): Promise<void> {
  await expect.poll(() => page.getByTestId('case-state').textContent(), { timeout: 15_000 }).toBe(state);
}

/** Opens the form of the action labelled `label` and returns its dialog. */
async function openAction(page: Page, label: string): Promise<Locator> {
  await page.getByTestId('case-actions').getByRole('button', { name: label, exact: true }).click();
  const dialog = page.getByRole('dialog').filter({ hasText: label });
  await dialog.waitFor();
  return dialog;
}

/** Confirms the open action form (its OK button carries the action label) and waits for it to close. */
async function submitAction(page: Page, dialog: Locator, label: string): Promise<void> {
  await dialog.getByRole('button', { name: label, exact: true }).click();
  await dialog.waitFor({ state: 'hidden', timeout: 15_000 });
  await page.getByText(`${label}：已完成`).first().waitFor();
}

async function act(page: Page, label: string, fill?: (dialog: Locator) => Promise<void>): Promise<void> {
  const dialog = await openAction(page, label);
  await fill?.(dialog);
  await submitAction(page, dialog, label);
}

/** The finish form: a note and one photo (labelled `label`) through the PhotoUpload control. */
async function finishWithPhoto(page: Page, note: string, label: string, shot?: string): Promise<void> {
  const dialog = await openAction(page, '办结');
  await dialog.getByLabel('备注').fill(note);
  await dialog.locator('input[type=file]').setInputFiles(await makePhoto(page, label));
  // Uploaded at once: the control shows the stored evidence as a thumbnail that really loads.
  const thumbnail = dialog.locator('img[src^="/api/v1/evidence/"]').first();
  await thumbnail.waitFor();
  await expect
    .poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBe(96);
  if (shot) {
    await page.waitForTimeout(300);
    await screenshot(page, shot);
  }
  await submitAction(page, dialog, '办结');
}

async function timelineLabels(page: Page): Promise<string[]> {
  const items = page.locator('.ant-timeline-item');
  const count = await items.count();
  const labels: string[] = [];
  for (let i = 0; i < count; i++) {
    labels.push(((await items.nth(i).locator('strong').first().textContent()) ?? '').trim());
  }
  return labels;
}

/** Picks 占道经营 and a point on the report form, as a grid worker does. */
async function fillReport(page: Page, lon: number, lat: number): Promise<void> {
  await page.getByLabel('事件类别').click();
  const cascader = page.locator('.ant-cascader-dropdown');
  await cascader.locator('.ant-cascader-menu-item[title="事件"]').click();
  await cascader.locator('.ant-cascader-menu-item[title="09 街面秩序类"]').click();
  await cascader.locator('.ant-cascader-menu-item[title="09006 占道经营"]').click();
  await page.getByTestId('category-limits').getByText('城管执法办').waitFor();
  await page.getByLabel('问题描述').fill('河清社区路口有摊贩占道经营，影响通行');
  await page.getByRole('spinbutton', { name: '经度' }).fill(lon.toFixed(6));
  await page.getByRole('spinbutton', { name: '纬度' }).fill(lat.toFixed(6));
}

let reportedAt = { lon: 0, lat: 0 };

describe('case loop across four users with a return and a rework', () => {
  it('heqing reports 占道经营 at a point in 河清社区', async () => {
    const api = await apiSession(server.url, 'heqing');
    const grids = await api.get<{ features: GridFeature[] }>('/grids/geojson?level=leaf');
    const grid = grids.features[0];
    expect(grid, 'heqing sees a leaf grid').toBeDefined();
    if (!grid) return;
    const geometry = grid.geometry;
    const ring = (
      geometry.type === 'Polygon'
        ? (geometry.coordinates as number[][][])[0]
        : (geometry.coordinates as number[][][][])[0]?.[0]
    ) as number[][];
    // The centroid of the first ring (vertex average without the closing vertex).
    const vertices = ring.slice(0, -1);
    const lon = vertices.reduce((sum, p) => sum + (p[0] as number), 0) / vertices.length;
    const lat = vertices.reduce((sum, p) => sum + (p[1] as number), 0) / vertices.length;

    const session = await signIn('heqing');
    const { page } = session;
    await page.getByRole('menuitem').filter({ hasText: '事件处置' }).click();
    await page.waitForURL('**/cases');
    await page.getByRole('button', { name: '上报事件' }).click();
    await page.waitForURL('**/cases/new');

    reportedAt = { lon, lat };
    await fillReport(page, lon, lat);
    await page.getByLabel('地址', { exact: true }).fill('河清社区 e2e 路口');
    // A photo of the problem: the "before" of the case page's gallery.
    await page.locator('input[type=file]').setInputFiles(await makePhoto(page, 'before'));
    await page.locator('img[src*="/api/v1/evidence/"]').first().waitFor();
    await screenshot(page, '10-case-report-form');
    await page.getByRole('button', { name: '上报', exact: true }).click();

    await page.waitForURL(/\/cases\/\d+$/);
    caseId = Number(new URL(page.url()).pathname.split('/').pop());
    expect(caseId).toBeGreaterThan(0);
    await page.getByTestId('case-number').waitFor();
    caseNumber = ((await page.getByTestId('case-number').textContent()) ?? '').trim();
    expect(caseNumber).not.toBe('');
    await expectState(page, '已上报');
    await expect(page.locator('.ant-descriptions').textContent()).resolves.toContain('占道经营');
    await finish(session);
  });

  it('warns heqing before the same problem is reported twice', async () => {
    const session = await signIn('heqing');
    const { page } = session;
    await page.goto('/cases/new');
    await fillReport(page, reportedAt.lon + 0.0001, reportedAt.lat);
    const warning = page.getByTestId('possible-duplicates');
    await warning.waitFor();
    await expect(warning.textContent()).resolves.toContain(caseNumber);
    await screenshot(page, '10b-possible-duplicate');
    await finish(session);
  });

  it('dispatcher finds it in the queue, registers and dispatches it to 城管执法办', async () => {
    const session = await signIn('dispatcher');
    const { page } = session;
    await page.goto('/cases');
    const row = page.locator('.ant-table-row').filter({ hasText: caseNumber });
    await row.waitFor();
    await screenshot(page, '11-case-queue-dispatcher');
    await row.click();
    await page.waitForURL(`**/cases/${caseId}`);
    await expectState(page, '已上报');

    await act(page, '立案');
    await expectState(page, '已立案');

    await act(page, '派遣', async (dialog) => {
      // The lead department is pre-filled with the category's default department.
      await expect.poll(() => dialog.textContent()).toContain('九江镇城管执法办');
    });
    await expectState(page, '已派遣');
    await expect(page.locator('.ant-descriptions').textContent()).resolves.toContain('城管执法办');
    await screenshot(page, '12-case-dispatched');
    await finish(session);
  });

  it('chengguan accepts, then returns it with a reason', async () => {
    const session = await signIn('chengguan');
    const { page } = session;
    await openCase(page);
    await expectState(page, '已派遣');
    await act(page, '签收');
    await expectState(page, '处置中');
    await act(page, '退回', async (dialog) => {
      await dialog.getByLabel('理由').fill('不属于本部门管辖路段，请重新派遣');
    });
    await expectState(page, '已立案');
    await expect(page.getByTestId('case-return-count').textContent()).resolves.toBe('退回 1 次');
    await finish(session);
  });

  it('dispatcher dispatches it again', async () => {
    const session = await signIn('dispatcher');
    const { page } = session;
    await openCase(page);
    await expectState(page, '已立案');
    await act(page, '派遣');
    await expectState(page, '已派遣');
    await finish(session);
  });

  it('chengguan accepts and finishes it with a note and a photo', async () => {
    const session = await signIn('chengguan');
    const { page } = session;
    await openCase(page);
    await act(page, '签收');
    await expectState(page, '处置中');
    await finishWithPhoto(page, '已劝离摊贩，路口恢复通行', 'after', '13-case-finish-with-photo');
    await expectState(page, '已办结（待核查）');
    await finish(session);
  });

  it('inspector fails the verification: rework, back to 处置中', async () => {
    const session = await signIn('inspector');
    const { page } = session;
    await openCase(page);
    await expectState(page, '已办结（待核查）');
    await act(page, '核查不通过（返工）', async (dialog) => {
      await dialog.getByLabel('理由').fill('现场仍有摊位残留');
    });
    await expectState(page, '处置中');
    const api = await apiSession(server.url, 'inspector');
    await expect(api.get<{ reworkCount: number }>(`/cases/${caseId}`)).resolves.toMatchObject({
      reworkCount: 1,
    });
    // The rework count on the case page.
    await expect(page.getByTestId('case-rework-count').textContent()).resolves.toBe('核查不通过（返工）：1');
    await expect(page.getByTestId('case-return-count').textContent()).resolves.toBe('退回 1 次');
    await screenshot(page, '14-case-rework');
    await finish(session);
  });

  it('chengguan finishes it again with a photo', async () => {
    const session = await signIn('chengguan');
    const { page } = session;
    await openCase(page);
    await expectState(page, '处置中');
    await finishWithPhoto(page, '残留摊位已清理完毕', 'redone');
    await expectState(page, '已办结（待核查）');
    await finish(session);
  });

  it('heqing passes the verification: closed, with all eleven steps in the timeline', async () => {
    const session = await signIn('heqing');
    const { page } = session;
    await openCase(page);
    await expectState(page, '已办结（待核查）');
    await act(page, '核查通过');
    await expectState(page, '已结案');
    await expect.poll(() => timelineLabels(page)).toEqual(TIMELINE);
    // The report and both 办结 steps show the photo that came with them, for the verifier to see.
    expect(await page.getByTestId('event-photos').count()).toBe(3);
    await page.getByText('处置过程').scrollIntoViewIfNeeded();
    await screenshot(page, '15-case-closed-timeline');
    await page.setViewportSize({ width: 1280, height: 1600 });
    await screenshot(page, '15b-case-closed-full');
    await finish(session);
  });

  it('the closed case shows the problem beside the result, large and enlarged on a click; codes only under 详细信息', async () => {
    const api = await apiSession(server.url, 'dispatcher');
    const detail = await api.get<{
      regionCode: string;
      categoryCode: string;
      lon: number;
      events: { action: string; data: { evidence?: string[] } }[];
    }>(`/cases/${caseId}`);
    const reported = detail.events.find((e) => e.action === 'report')?.data.evidence?.[0];
    const finishes = detail.events.filter((e) => e.action === 'finish');
    const lastResult = finishes.at(-1)?.data.evidence?.[0];
    const firstResult = finishes[0]?.data.evidence?.[0];
    expect(reported && lastResult && firstResult).toBeTruthy();

    const session = await signIn('dispatcher');
    const { page } = session;
    await openCase(page);
    const gallery = page.getByTestId('case-gallery');
    const before = gallery.getByTestId('gallery-before').getByTestId('gallery-photo').locator('img');
    const after = gallery.getByTestId('gallery-after').getByTestId('gallery-photo').locator('img');
    // Before: the reported photo. After: the latest result large, the earlier one as a thumbnail.
    await expect.poll(() => before.count()).toBe(1);
    await expect(before.first().getAttribute('src')).resolves.toContain(reported);
    await expect.poll(() => after.count()).toBe(2);
    await expect(after.first().getAttribute('src')).resolves.toContain(lastResult);
    await expect(after.nth(1).getAttribute('src')).resolves.toContain(firstResult);
    // Drawn, not broken: the large photos load and take the width of their half.
    for (const photo of [before.first(), after.first()]) {
      await expect
        .poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
        .toBe(true);
      expect((await photo.boundingBox())?.width ?? 0).toBeGreaterThan(200);
    }
    // The photos come before the facts.
    const galleryBox = await gallery.boundingBox();
    const factsBox = await page.locator('.ant-descriptions').first().boundingBox();
    expect((galleryBox?.y ?? 0) < (factsBox?.y ?? 0)).toBe(true);

    // Names on screen; the codes and the point only once 详细信息 is opened.
    const card = page.locator('.gg-case-card');
    const visible = await card.innerText();
    expect(visible).toContain('占道经营');
    for (const code of [detail.categoryCode, detail.regionCode, detail.lon.toFixed(6)]) {
      expect(visible).not.toContain(code);
    }
    await screenshot(page, '15c-case-gallery');
    await page.getByRole('button', { name: '详细信息' }).click();
    const details = page.getByTestId('case-details');
    for (const code of [detail.categoryCode, detail.regionCode, detail.lon.toFixed(6)]) {
      await expect.poll(() => details.innerText()).toContain(code);
    }
    await screenshot(page, '15d-case-details');
    await page.getByRole('button', { name: '详细信息' }).click();
    await expect.poll(() => card.innerText()).not.toContain(detail.regionCode);

    // A click enlarges the photo, and the preview walks on to the others.
    await gallery.getByTestId('gallery-after').locator('.gg-gallery-main').click();
    const preview = page.locator('.ant-image-preview-img');
    await preview.waitFor();
    await expect(preview.getAttribute('src')).resolves.toContain(lastResult);
    await screenshot(page, '15e-case-photo-enlarged');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => preview.getAttribute('src')).toContain(firstResult);
    await page.keyboard.press('Escape');
    await preview.waitFor({ state: 'hidden' });

    // On a phone the pair stays side by side above the map, the number and state in full.
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => page.getByTestId('case-number').isVisible()).toBe(true);
    await page.locator('[data-testid="grid-map"][data-state="ready"]').waitFor({ timeout: 30_000 });
    await screenshot(page, '15f-case-gallery-phone');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'nothing wider than the phone').toBeLessThanOrEqual(0);
    await finish(session);
  });

  it('dispatcher registers and dispatches two new reports at once, by the routing rules', async () => {
    const worker = await apiSession(server.url, 'heqing');
    const categories =
      await worker.get<{ code: string; children: { id: number; code: string }[] }[]>('/categories');
    const exposedRubbish = categories.flatMap((m) => m.children).find((c) => c.code === '06010');
    const marker = `批量派遣测试 ${Date.now()}`;
    for (const [i, dx] of [0.0004, -0.0004].entries()) {
      await worker.post('/cases', {
        categoryId: exposedRubbish?.id,
        description: `${marker} 第${i + 1}处暴露垃圾`,
        lon: reportedAt.lon + dx,
        lat: reportedAt.lat,
      });
    }
    const session = await signIn('dispatcher');
    const { page } = session;
    await page.goto('/cases');
    await page.getByPlaceholder('搜索案卷号、描述或地址').fill(marker);
    await page.getByPlaceholder('搜索案卷号、描述或地址').press('Enter');
    // The list answers the search when it holds only the two reports (before, it shows the newest cases, which
    // begin with the same two): selecting all then selects exactly them.
    const rows = page.locator('.ant-table-row');
    await expect.poll(() => rows.count()).toBe(2);
    await expect.poll(() => rows.filter({ hasText: '06010' }).count()).toBe(2);
    await page.locator('thead .ant-table-selection-column input[type="checkbox"]').check();
    const bar = page.getByTestId('bulk-actions');
    await bar.getByRole('button', { name: '批量立案（2）' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确定' }).click();
    await page.getByRole('dialog').getByText('完成 2 件，未通过 0 件').waitFor();
    await page.getByRole('dialog').getByRole('button', { name: '关闭' }).first().click();

    await page.locator('thead .ant-table-selection-column input[type="checkbox"]').check();
    await bar.getByRole('button', { name: '批量派遣（2）' }).click();
    await screenshot(page, '16-bulk-dispatch');
    await page.getByRole('dialog').getByRole('button', { name: '确定' }).click();
    await page.getByRole('dialog').getByText('完成 2 件，未通过 0 件').waitFor();
    await screenshot(page, '16b-bulk-dispatch-outcomes');
    await page.getByRole('dialog').getByRole('button', { name: '关闭' }).first().click();
    // 暴露垃圾 has no routing rule in the demo town: both went to its default department, 环卫站.
    await expect.poll(() => rows.filter({ hasText: '环卫' }).count()).toBe(2);
    await finish(session);
  });
});
