import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkSummary } from '../src/shared/work.ts';
import {
  apiSession,
  launchBrowser,
  type RunningServer,
  screenshot,
  signedIn,
  startServer,
  stopAll,
} from './harness.ts';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(() => stopAll('work', server, browser));

/** My work (工作台) and a bell that stays true (issue 15, items 1 and 2). */
describe('my work', () => {
  it('lands each role on its work page, whose counts equal the API’s and the bell’s', async () => {
    for (const username of ['dispatcher', 'chengguan', 'leader']) {
      const { context, page } = await signedIn(browser, server.url, username);
      await page.waitForURL('**/work');
      const api = await apiSession(server.url, username);
      const work = await api.get<WorkSummary>('/work');
      await expect
        .poll(() => page.getByTestId('work-waiting').locator('.ant-statistic-content-value').textContent())
        .toBe(String(work.waiting));
      for (const queue of work.queues) {
        const shown = page.getByTestId(`work-queue-${queue.key}`).locator('.ant-statistic-content-value');
        expect(await shown.textContent(), queue.key).toBe(String(queue.count));
      }
      const bell = page.getByTestId('inbox-count');
      expect(await bell.locator('.ant-scroll-number').count()).toBe(work.waiting ? 1 : 0);
      if (work.waiting)
        expect(await bell.locator('.ant-badge-count').getAttribute('title')).toBe(String(work.waiting));
      await screenshot(page, `work-${username}`);
      await context.close();
    }
  });

  it('opens a queue’s count onto the case list so filtered, with as many cases', async () => {
    const { context, page } = await signedIn(browser, server.url, 'dispatcher');
    await page.waitForURL('**/work');
    const work = await apiSession(server.url, 'dispatcher').then((api) => api.get<WorkSummary>('/work'));
    const toRegister = work.queues.find((q) => q.key === 'toRegister');
    expect(toRegister?.count).toBeGreaterThan(0);
    await page.getByTestId('work-queue-toRegister').click();
    await page.waitForURL('**/cases?state=reported');
    await expect
      .poll(() => page.locator('.ant-pagination-total-text').textContent())
      .toContain(String(toRegister?.count));
    await screenshot(page, 'work-dispatcher-queue');
    await context.close();
  });

  it('tells a department of its new task, and marks the message done when the task is accepted, without a reload', async () => {
    const dispatcher = await apiSession(server.url, 'dispatcher');
    const departments = await dispatcher.get<{ items: { id: number; code: string }[] }>(
      '/departments?pageSize=100',
    );
    const chengguan = departments.items.find((d) => d.code === 'JJ-CG')?.id;
    const reported = await dispatcher.get<{ items: { id: number; version: number }[] }>(
      '/cases?state=reported&pageSize=1',
    );
    const target = reported.items[0];
    if (!target || !chengguan) throw new Error('the demo has no report to dispatch');

    const { context, page } = await signedIn(browser, server.url, 'chengguan');
    // The page's own clock, moved on past its polling interval (20 s) below rather than waited out.
    await page.clock.install();
    await page.goto('/work');
    const newTasks = page.getByTestId('work-queue-newTasks').locator('.ant-statistic-content-value');
    const before = Number(await newTasks.textContent());

    const current = () => dispatcher.get<{ version: number }>(`/cases/${target.id}`);
    await dispatcher.post(`/cases/${target.id}/actions/register`, { version: (await current()).version });
    await dispatcher.post(`/cases/${target.id}/actions/dispatch`, {
      version: (await current()).version,
      leadDepartmentId: chengguan,
    });
    // The page polls: the new task shows within its interval, with no reload.
    await page.clock.fastForward('00:21');
    await expect.poll(async () => Number(await newTasks.textContent()), { timeout: 15_000 }).toBe(before + 1);

    const handler = await apiSession(server.url, 'chengguan');
    const inbox = await handler.get<{ items: { id: number; caseId: number; kind: string; done: boolean }[] }>(
      '/notifications',
    );
    const task = inbox.items.find((n) => n.caseId === target.id && n.kind === 'newTask');
    expect(task?.done).toBe(false);
    await handler.post(`/cases/${target.id}/actions/accept`, { version: (await current()).version });
    await page.clock.fastForward('00:21');
    await expect.poll(async () => Number(await newTasks.textContent()), { timeout: 15_000 }).toBe(before);

    await page.getByTestId('inbox').click();
    const message = page.locator('.ant-popover .ant-list-item').filter({ hasText: '新任务' }).first();
    await page.clock.fastForward('00:21');
    await expect.poll(() => message.textContent(), { timeout: 15_000 }).toContain('已处理');
    await screenshot(page, 'work-chengguan-inbox');
    await context.close();
  });
});
