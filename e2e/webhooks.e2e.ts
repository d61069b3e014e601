import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../src/server/testing/webhook-receiver.ts';
import {
  apiSession,
  launchBrowser,
  logIn,
  newPage,
  type RunningServer,
  screenshot,
  startServer,
} from './harness.ts';

const SECRET = 'e2e-secret-for-the-district-centre';

let server: RunningServer;
let browser: Browser;
let receiver: WebhookReceiver;

beforeAll(async () => {
  [server, browser, receiver] = await Promise.all([
    startServer(),
    launchBrowser(),
    startWebhookReceiver(SECRET),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await receiver?.close();
});

describe('webhooks: an administrator connects another system to case events', () => {
  it('creates a webhook, sends a test, receives case events, and retries a failed delivery', async () => {
    const session = await newPage(browser, server.url);
    const { page } = session;
    await logIn(page, 'admin');

    await page.getByRole('menuitem', { name: 'Webhook 推送' }).click();
    await page.waitForURL('**/admin/webhooks');
    await page.getByRole('button', { name: '新建 Webhook' }).click();
    const form = page.getByRole('dialog').filter({ hasText: '新建 Webhook' });
    await form.getByLabel('名称').fill('区城运中心');
    await form.getByLabel('接收地址').fill(receiver.url);
    await form.getByRole('checkbox', { name: '上报', exact: true }).check();
    await form.getByRole('checkbox', { name: '超期（红灯）' }).check();
    await form.getByLabel('签名密钥').fill(SECRET);
    await screenshot(page, 'webhooks-01-create');
    await form.getByRole('button', { name: '保存' }).click();

    const secretDialog = page.getByRole('dialog').filter({ hasText: '请保存签名密钥' });
    await expect.poll(() => secretDialog.getByTestId('webhook-secret').textContent()).toContain(SECRET);
    // Let the dialog finish zooming in before the picture is taken.
    await page.waitForFunction(
      () => !document.querySelector('[class*="zoom-appear"], [class*="zoom-enter"]'),
    );
    await screenshot(page, 'webhooks-02-secret-once');
    await secretDialog.getByRole('button', { name: '确定' }).click();

    const row = page.locator('.ant-table-row').filter({ hasText: '区城运中心' });
    await row.getByRole('button', { name: '发送测试' }).click();
    await page.getByText('测试事件已送达（HTTP 200）').waitFor();
    expect(receiver.received.map((r) => [r.body.event, r.signatureValid])).toEqual([['webhook.test', true]]);

    // A grid worker's report reaches the receiver through the server's delivery worker.
    const worker = await apiSession(server.url, 'heqing');
    const categories =
      await worker.get<{ code: string; children: { id: number; code: string }[] }[]>('/categories');
    const grids = await worker.get<{ features: { properties: { code: string } }[] }>('/grids/geojson');
    const reported = await worker.post<{ caseNumber: string }>('/cases', {
      categoryId: categories.flatMap((m) => m.children).find((c) => c.code === '06010')?.id,
      description: 'Webhook 测试：河清路口暴露垃圾',
      regionCode: grids.features[0]?.properties.code,
    });
    await expect
      .poll(() => receiver.received.find((r) => r.body.event === 'case.reported'), { timeout: 20_000 })
      .toMatchObject({ signatureValid: true, body: { case: { caseNumber: reported.caseNumber } } });

    // A receiver that breaks: the test is logged as retrying, and "retry now" sends it once it is back.
    receiver.answer(503);
    await row.getByRole('button', { name: '发送测试' }).click();
    await page.getByText('未送达：HTTP 503: receiver broke').waitFor();
    await row.getByRole('button', { name: '推送记录' }).click();
    const drawer = page.getByRole('dialog').filter({ hasText: '推送记录：区城运中心' });
    await drawer.getByTestId('delivery-failed').waitFor();
    await expect.poll(() => drawer.getByTestId('delivery-delivered').count()).toBe(2);
    await screenshot(page, 'webhooks-03-delivery-log');
    receiver.answer(200);
    await drawer.getByRole('button', { name: '立即重试' }).click();
    await page.getByText('已重新发送并送达').waitFor();
    await expect.poll(() => drawer.getByTestId('delivery-delivered').count()).toBe(3);
    await screenshot(page, 'webhooks-04-retried');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });

    await row.getByRole('button', { name: '停用' }).click();
    await row.getByText('已停用').waitFor();
    await screenshot(page, 'webhooks-05-deactivated');
    expect(session.problems).toEqual([]);
    await session.context.close();
  });
});
