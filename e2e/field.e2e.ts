import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
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

interface CaseList {
  total: number;
  items: { id: number; caseNumber: string; description: string }[];
}

const PHONE = { width: 390, height: 844 };
const PHONE_OPTIONS: BrowserContextOptions = { isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

let server: RunningServer;
let browser: Browser;
/** A point well inside heqing's first leaf grid, where the phone "is". */
let here = { longitude: 0, latitude: 0 };
let gridName = '';

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const api = await apiSession(server.url, 'heqing');
  const grids = await api.get<{ features: GridFeature[] }>('/grids/geojson?level=leaf');
  const grid = grids.features[0];
  if (!grid) throw new Error('heqing sees no leaf grid');
  const [longitude, latitude] = interiorPoint(grid.geometry);
  here = { longitude, latitude };
  gridName = grid.properties.name;
});

afterAll(() => stopAll('field', server, browser));

/** A small JPEG the camera "took": a green square with a label, so the thumbnail shows something. */
async function cameraPhoto(label: string) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="160"><rect width="160" height="160" fill="#2f8f5b"/><text x="12" y="90" font-size="28" fill="#fff">${label}</text></svg>`;
  const buffer = await sharp(Buffer.from(svg)).jpeg().toBuffer();
  return { name: 'camera.jpg', mimeType: 'image/jpeg', buffer };
}

const badge = (page: Page) => page.getByTestId('outbox-badge');

/** antd's messages sit over the outbox button and stay while the pointer is on them: wait them out first. */
const messagesGone = (page: Page) =>
  expect.poll(() => page.locator('.ant-message-notice').count(), { timeout: 10_000 }).toBe(0);

/** Every outbox record in IndexedDB set back to "not sent", as if the phone never got the answers. */
function forgetAnswers(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('gridgov-field-outbox');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction('items', 'readwrite');
          const store = tx.objectStore('items');
          const all = store.getAll();
          all.onsuccess = () => {
            for (const item of all.result) store.put({ ...item, status: 'pending', sentAt: null }, item.id);
          };
          tx.oncomplete = () => {
            db.close();
            resolve(all.result.length);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
}

describe('the field view on a phone', () => {
  it('queues a report with a photo offline, opens offline, and sends it exactly once when back online', async () => {
    const { context, page, problems } = await newPage(browser, server.url, PHONE, {
      ...PHONE_OPTIONS,
      geolocation: here,
      permissions: ['geolocation'],
    });
    await logIn(page, 'heqing');
    // A grid worker on a phone-width screen lands in the field view.
    await page.waitForURL('**/field');
    await page.getByTestId('field-grid').filter({ hasText: gridName }).waitFor();
    // The service worker has installed the app and controls the page.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
      timeout: 30_000,
    });
    await screenshot(page, '20-field-report-online');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'nothing wider than the phone').toBeLessThanOrEqual(0);

    await context.setOffline(true);
    const offlineAt = Date.now();
    await page.getByTestId('offline-banner').waitFor();
    const description = `离线上报：河清社区巷口有摊贩占道经营 ${Date.now()}`;
    await page.getByTestId('field-category').click();
    await page.keyboard.type('占道经营');
    await page.locator('.ant-select-item-option').filter({ hasText: '09006 占道经营' }).click();
    await page.getByLabel('问题描述').fill(description);
    await page.getByTestId('field-photo-input').setInputFiles(await cameraPhoto('现场'));
    await page.locator('.gg-field-photo img').waitFor();
    await expect(page.getByTestId('field-location').textContent()).resolves.toContain('离线');
    await screenshot(page, '21-field-report-offline-filled');
    await page.getByTestId('field-submit').click();
    await page.getByText('已保存到待发送，联网后自动发送').waitFor();
    await expect.poll(() => badge(page).textContent()).toBe('待发送 1 条');
    await screenshot(page, '22-field-queued');

    await badge(page).click();
    const item = page.getByTestId('outbox-item');
    await expect.poll(() => item.getByTestId('outbox-item-status').textContent()).toBe('等待网络');
    await page.waitForTimeout(400);
    await expect(item.textContent()).resolves.toContain(description);
    await expect(item.textContent()).resolves.toContain('1 张照片');
    await screenshot(page, '23-field-outbox-offline');

    // The whole app opens without a network: index.html and the code come from the service worker.
    const reloaded = await page.reload();
    expect(reloaded?.fromServiceWorker()).toBe(true);
    // The copy cached when the worker installed, not one fetched just now through it.
    expect(Date.parse(reloaded?.headers().date ?? '')).toBeLessThan(offlineAt);
    await expect.poll(() => badge(page).textContent(), { timeout: 15_000 }).toBe('待发送 1 条');
    await page.getByTestId('offline-banner').waitFor();
    await expect(page.getByTestId('field-user').textContent()).resolves.toContain('河清');
    // The category tree is shared reference data the service worker keeps for offline reports.
    await page.getByTestId('field-category').click();
    await page.keyboard.type('占道经营');
    await page.locator('.ant-select-item-option').filter({ hasText: '09006 占道经营' }).waitFor();
    await page.keyboard.press('Escape');
    await screenshot(page, '24-field-reloaded-offline');

    await context.setOffline(false);
    await expect.poll(() => badge(page).textContent(), { timeout: 20_000 }).toBe('全部已发送');
    // The form said only "saved": the field view now says the report went, with the number it got.
    const sentLater = page.getByTestId('sent-later');
    await expect
      .poll(() => sentLater.textContent(), { timeout: 20_000 })
      .toMatch(/^离线上报已发送：案件 \S+$/);
    await screenshot(page, '24b-field-sent-later');
    await badge(page).click();
    await expect.poll(() => item.getByTestId('outbox-item-status').textContent()).toBe('已发送');
    const sentAs = (await item.getByRole('link').textContent()) ?? '';
    expect(sentAs).toMatch(/^案卷号 \S+$/);
    expect(await sentLater.textContent()).toBe(`离线上报已发送：案件 ${sentAs.replace('案卷号 ', '')}`);
    await page.waitForTimeout(400);
    await screenshot(page, '25-field-sent');

    const api = await apiSession(server.url, 'dispatcher');
    const query = `/cases?q=${encodeURIComponent(description)}`;
    const listed = await api.get<CaseList>(query);
    expect(listed.total).toBe(1);
    expect(`案卷号 ${listed.items[0]?.caseNumber}`).toBe(sentAs);
    const detail = await api.get<{ events: { action: string; data: { evidence?: string[] } }[] }>(
      `/cases/${listed.items[0]?.id}`,
    );
    expect(detail.events[0]?.action).toBe('report');
    expect(detail.events[0]?.data.evidence).toHaveLength(1);

    // The phone never got the answer (say the signal dropped on the way back): the next start sends it
    // again with the same client key, and the server answers with the case it already has.
    expect(await forgetAnswers(page)).toBe(1);
    await page.reload();
    await expect.poll(() => badge(page).textContent(), { timeout: 20_000 }).toBe('全部已发送');
    await badge(page).click();
    await expect.poll(() => item.getByTestId('outbox-item-status').textContent()).toBe('已发送');
    await expect(item.getByRole('link').textContent()).resolves.toBe(sentAs);
    await expect(api.get<CaseList>(query)).resolves.toMatchObject({ total: 1 });
    await page.waitForTimeout(400);
    await screenshot(page, '26-field-replayed-once');

    expect(problems).toEqual([]);
    await context.close();
  });

  it('queues a verification offline; when the case moved on meanwhile it shows the conflict, not a retry', async () => {
    // A case of heqing's grid, handled by 城管 with a photo: waiting for heqing to verify it.
    const worker = await apiSession(server.url, 'heqing');
    const tree =
      await worker.get<{ children: { id: number; kind: string; code: string }[] }[]>('/categories');
    const category = tree
      .flatMap((major) => major.children)
      .find((c) => c.kind === 'matter' && c.code === '09006');
    const reported = await worker.post<{ id: number; caseNumber: string }>('/cases', {
      categoryId: category?.id,
      description: '河清市场门口占道经营，待核查',
      lon: here.longitude,
      lat: here.latitude,
    });
    const act = async (api: Awaited<ReturnType<typeof apiSession>>, action: string, body = {}) => {
      const current = await api.get<{ version: number }>(`/cases/${reported.id}`);
      await api.post(`/cases/${reported.id}/actions/${action}`, { version: current.version, ...body });
    };
    const dispatcher = await apiSession(server.url, 'dispatcher');
    await act(dispatcher, 'register');
    const registered = await dispatcher.get<{ suggestedDepartmentId: number }>(`/cases/${reported.id}`);
    await act(dispatcher, 'dispatch', { leadDepartmentId: registered.suggestedDepartmentId });
    const chengguan = await apiSession(server.url, 'chengguan');
    await act(chengguan, 'accept');
    const photo = await chengguan.upload((await cameraPhoto('办结')).buffer);
    await act(chengguan, 'finish', { note: '已劝离摊贩，门口恢复通行', evidence: [photo] });

    const { context, page, problems } = await newPage(browser, server.url, PHONE, {
      ...PHONE_OPTIONS,
      geolocation: here,
      permissions: ['geolocation'],
    });
    await logIn(page, 'heqing');
    await page.waitForURL('**/field');
    await page.getByRole('button', { name: '我的任务' }).click();
    const card = page.getByTestId('field-task').filter({ hasText: reported.caseNumber });
    await card.waitFor();
    // Each task state shows how many cases wait in it, as the queue API counts them.
    const toVerify = await worker.get<{ total: number }>('/cases?state=handled&page=1&pageSize=1');
    expect(toVerify.total).toBeGreaterThan(0);
    await expect
      .poll(() => page.getByTestId('task-count-handled').textContent())
      .toBe(String(toVerify.total));
    await screenshot(page, '30-field-tasks');

    // The case opens in the field view, not the console: its photos, state and steps, and the way to verify.
    await card.getByRole('button', { name: '详情' }).click();
    await page.waitForURL(new RegExp(`/field/cases/${reported.id}\\?tab=tasks$`));
    const casePage = page.getByTestId('field-case');
    await casePage.getByText(reported.caseNumber).waitFor();
    await expect(casePage.getByText('已办结（待核查）').count()).resolves.toBeGreaterThan(0);
    const result = casePage.getByTestId('gallery-after').getByTestId('gallery-photo').locator('img');
    await expect.poll(() => result.getAttribute('src')).toContain(photo);
    await expect
      .poll(() => result.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
      .toBe(true);
    await casePage.getByText('已劝离摊贩，门口恢复通行').waitFor();
    await expect(page.locator('.gg-field-tabbar').isVisible()).resolves.toBe(true);
    await expect(page.locator('.ant-layout-sider').count()).resolves.toBe(0);
    const caseOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(caseOverflow, 'nothing wider than the phone').toBeLessThanOrEqual(0);
    await screenshot(page, '30b-field-case');
    await casePage.getByRole('button', { name: '去核查' }).click();
    await page.getByText('已劝离摊贩，门口恢复通行').waitFor();
    await page.locator('img[src^="/api/v1/evidence/"]').first().waitFor();

    await context.setOffline(true);
    await page.getByTestId('offline-banner').waitFor();
    await page.getByLabel('核查说明').fill('现场已恢复通行');
    await page.getByTestId('field-photo-input').setInputFiles(await cameraPhoto('核查'));
    await page.locator('.gg-field-photo img').waitFor();
    await screenshot(page, '31-field-verify-offline');
    await page.getByRole('button', { name: '提交核查' }).click();
    await page.getByText('核查已保存到待发送，联网后自动发送').waitFor();
    await expect.poll(() => badge(page).textContent()).toBe('待发送 1 条');

    // Meanwhile the inspector, on site first, fails the verification: the case is back in rework.
    const inspector = await apiSession(server.url, 'inspector');
    await act(inspector, 'verifyFail', { reason: '门口仍有摊位残留' });

    await context.setOffline(false);
    await messagesGone(page);
    await badge(page).click();
    const item = page.getByTestId('outbox-item');
    await expect.poll(() => item.getAttribute('data-status'), { timeout: 20_000 }).toBe('conflict');
    await expect(item.getByTestId('outbox-item-status').textContent()).resolves.toBe('案卷已变化');
    await expect(item.getByTestId('outbox-item-error').textContent()).resolves.not.toBe('');
    await page.waitForTimeout(400);
    await screenshot(page, '32-field-verify-conflict');
    // Not sent and not retried: the case keeps the inspector's outcome, and another round changes nothing.
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    const after = await worker.get<{ state: string; events: { action: string }[] }>(`/cases/${reported.id}`);
    expect(after.state).toBe('accepted');
    expect(after.events.map((event) => event.action)).not.toContain('verifyPass');
    await expect(item.getAttribute('data-status')).resolves.toBe('conflict');

    await item.getByRole('button', { name: '删除' }).click();
    await page.getByRole('tooltip').getByRole('button', { name: '确定' }).click();
    await expect.poll(() => badge(page).textContent()).toBe('全部已发送');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('says so when location is refused and lets the worker choose the grid; English on the switch', async () => {
    const { context, page, problems } = await newPage(browser, server.url, PHONE, PHONE_OPTIONS);
    await logIn(page, 'heqing');
    await page.waitForURL('**/field');
    const problem = page.getByTestId('geolocation-problem');
    await problem.waitFor();
    await expect(problem.textContent()).resolves.toContain('定位权限被拒绝');
    await page.getByRole('combobox', { name: '网格', exact: true }).waitFor();
    await screenshot(page, '27-field-location-denied');

    await page.getByText('English', { exact: true }).click();
    await page.getByRole('button', { name: 'My tasks' }).click();
    await page.getByText('No tasks').waitFor();
    // The case whose verification failed in the test before is back with the department, as rework.
    await page.locator('.ant-segmented-item').filter({ hasText: 'In progress' }).click();
    await page.getByTestId('field-task').filter({ hasText: 'Rework × 1' }).waitFor();
    await page.waitForTimeout(400);
    await screenshot(page, '28-field-tasks-english');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('asks a class’s extra fields, offline too; a report refused for a field added meanwhile is fixed under it', async () => {
    const admin = await apiSession(server.url, 'admin');
    const minorsNow = async () =>
      (
        await admin.get<{ children: { id: number; code: string; version: number }[] }[]>('/categories')
      ).flatMap((major) => major.children);
    /** Gives the minor class one required single choice, as the administrator's editor does. */
    const requireChoice = async (code: string, field: string, description: string, values: string[][]) => {
      const minor = (await minorsNow()).find((c) => c.code === code);
      if (!minor) throw new Error(`no minor class ${code}`);
      await admin.put(`/categories/${minor.id}/attributes`, {
        version: minor.version,
        attributes: [
          {
            code: field,
            datatype: 'singlevaluelist',
            required: true,
            description,
            order: 1,
            values: values.map(([key, name]) => ({ key, name })),
          },
        ],
      });
      return minor.id;
    };
    const piles = await requireChoice('06011', 'PILE', '堆放物', [
      ['household', '生活垃圾'],
      ['muck', '建筑渣土'],
    ]);

    const { context, page, problems } = await newPage(browser, server.url, PHONE, {
      ...PHONE_OPTIONS,
      geolocation: here,
      permissions: ['geolocation'],
    });
    await logIn(page, 'heqing');
    await page.waitForURL('**/field');
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
      timeout: 30_000,
    });
    await page.getByTestId('field-grid').filter({ hasText: gridName }).waitFor();
    // Every class's fields are kept on the phone, not only those of a class chosen before.
    await expect
      .poll(
        () =>
          page.evaluate(async (id) => {
            const kept = await caches.match('/api/v1/categories/attributes', {
              cacheName: 'gridgov-reference',
            });
            const byCategory = kept ? ((await kept.json()) as Record<string, unknown[]>) : {};
            return (byCategory[id]?.length ?? 0) > 0;
          }, String(piles)),
        { timeout: 20_000 },
      )
      .toBe(true);

    // Offline, and a class never chosen on this phone still asks for its required field.
    await context.setOffline(true);
    await page.reload();
    await page.getByTestId('offline-banner').waitFor();
    const pickCategory = async (name: string) => {
      await page.getByTestId('field-category').click();
      await page.keyboard.type(name);
      await page.locator('.ant-select-item-option').filter({ hasText: name }).click();
    };
    await pickCategory('积存垃圾渣土');
    const muckReport = `河清社区后巷堆着一车渣土 ${Date.now()}`;
    await page.getByLabel('问题描述').fill(muckReport);
    await page.getByTestId('field-submit').click();
    await page.getByText('请选择堆放物').waitFor();
    await expect(badge(page).textContent()).resolves.toBe('全部已发送');
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, '40-field-extra-field-offline');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'nothing wider than the phone').toBeLessThanOrEqual(0);
    await page.getByTestId('attribute-PILE').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '建筑渣土' }).click();
    await page.getByTestId('field-submit').click();
    await page.getByText('已保存到待发送，联网后自动发送').waitFor();

    // A second report, of a class with no extra fields yet; the administrator adds a required one before it
    // is sent, so the server refuses it.
    await pickCategory('店外经营');
    await expect(page.getByTestId('attribute-SPACE').count()).resolves.toBe(0);
    const shopReport = `河清路水果店把货架摆到人行道上 ${Date.now()}`;
    await page.getByLabel('问题描述').fill(shopReport);
    await page.getByTestId('field-submit').click();
    await expect.poll(() => badge(page).textContent()).toBe('待发送 2 条');
    await requireChoice('09005', 'SPACE', '占用部位', [
      ['walk', '人行道'],
      ['road', '车行道'],
    ]);

    await context.setOffline(false);
    await expect.poll(() => badge(page).textContent(), { timeout: 20_000 }).toBe('待发送 1 条');
    await messagesGone(page);
    await badge(page).click();
    const refused = page.getByTestId('outbox-item').filter({ hasText: shopReport });
    await expect.poll(() => refused.getAttribute('data-status')).toBe('failed');
    await expect(refused.getByTestId('outbox-item-error').textContent()).resolves.toContain(
      '「占用部位」为必填项',
    );
    await refused.getByRole('button', { name: '修改' }).click();
    // The fix form has the field the class gained, with the server's word under it.
    const field = page.locator('.ant-form-item').filter({ has: page.getByTestId('attribute-SPACE') });
    await expect
      .poll(() => field.locator('.ant-form-item-explain-error').textContent())
      .toBe('「占用部位」为必填项');
    await expect(page.getByLabel('问题描述').inputValue()).resolves.toBe(shopReport);
    await field.scrollIntoViewIfNeeded();
    await screenshot(page, '41-field-fix-extra-field');
    // A dropdown opened at once on the fix form closes again as the form settles (found at this stop, cause not
    // found yet: see the closing note); let it settle, then open it until it is open.
    await page.getByTestId('attribute-SPACE').click();
    await page.waitForTimeout(1500);
    await expect
      .poll(async () => {
        if ((await page.locator('.ant-select-open').count()) === 0)
          await page.getByTestId('attribute-SPACE').click();
        return page.locator('.ant-select-open').count();
      })
      .toBe(1);
    await page.locator('.ant-select-item-option').filter({ hasText: '人行道' }).click();
    await page.getByTestId('field-submit').click();
    await page.getByText(/^已上报，案卷号/).waitFor({ timeout: 20_000 });
    await expect(badge(page).textContent()).resolves.toBe('全部已发送');

    // Both cases carry what the worker chose; the case's page in the field view shows it.
    await messagesGone(page);
    await badge(page).click();
    await page
      .getByTestId('outbox-item')
      .filter({ hasText: muckReport })
      .getByRole('link', { name: /^案卷号/ })
      .click();
    await expect(page.getByTestId('case-attribute-PILE').textContent()).resolves.toBe('建筑渣土');
    await screenshot(page, '42-field-case-extra-field');
    const dispatcher = await apiSession(server.url, 'dispatcher');
    const shop = await dispatcher.get<CaseList>(`/cases?q=${encodeURIComponent(shopReport)}`);
    const detail = await dispatcher.get<{ attributes: { code: string; shown: string[] }[] }>(
      `/cases/${shop.items[0]?.id}`,
    );
    expect(detail.attributes).toMatchObject([{ code: 'SPACE', shown: ['人行道'] }]);
    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);
});
