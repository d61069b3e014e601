import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiSession,
  launchBrowser,
  type RunningServer,
  SCREENSHOTS,
  screenshot,
  signedIn,
  startServer,
  stopAll,
} from './harness.ts';

interface CategoryNode {
  id: number;
  code: string;
  kind: string;
  limits: Record<string, { amount: number; unit: string } | undefined>;
  children: CategoryNode[];
}

interface Endpoint {
  name: string;
  active: boolean;
  apiKeyMasked: string;
  categoryIds: number[];
}

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(() => stopAll('admin', server, browser));

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

/** Types into a searchable select and picks the option whose title is `title`. */
/**
 * Chooses an option of a searchable select, and checks it took: on a busy machine a click can land while the
 * dropdown is still moving, choosing nothing, so the choice is made again until the select shows it.
 */
async function pick(page: Page, field: string, search: string, title: string): Promise<void> {
  const select = page.locator('.ant-select').filter({ has: page.getByLabel(field) });
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.getByLabel(field).click();
    await page.getByLabel(field).fill(search);
    await page.locator(`.ant-select-dropdown:visible [title="${title}"]`).first().click();
    await page.waitForTimeout(200);
    if ((await select.locator(`.ant-select-selection-item[title="${title}"]`).count()) > 0) break;
  }
}

describe('the administrator pages of the case loop', () => {
  it('changes the handling limit of 暴露垃圾 and shows it saved', async () => {
    const session = await signIn('admin');
    const { page } = session;
    await page.getByRole('menuitem').filter({ hasText: '事件分类' }).click();
    await page.waitForURL('**/admin/categories');
    const row = page.locator('.ant-table-row').filter({ hasText: '06010' });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('4 工作时');
    await screenshot(page, 'admin-categories');

    await page.getByRole('button', { name: '编辑 06010' }).click();
    const dialog = page.getByRole('dialog').filter({ hasText: '编辑分类' });
    await dialog.waitFor();
    await dialog.getByLabel('处置时限', { exact: true }).fill('6');
    await screenshot(page, 'admin-category-edit');
    await dialog.getByRole('button', { name: '保存', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('分类已保存').waitFor();
    await expect.poll(() => row.textContent()).toContain('6 工作时');

    // Saved on the server, not just on the page.
    const api = await apiSession(server.url, 'admin');
    const tree = await api.get<CategoryNode[]>('/categories');
    const minor = tree
      .flatMap((major) => major.children)
      .find((c) => c.kind === 'matter' && c.code === '06010');
    expect(minor?.limits.handle).toEqual({ amount: 6, unit: 'workingHours' });
    await finish(session);
  });

  it('checks a category file before importing it and names the bad lines', async () => {
    const session = await signIn('admin');
    const { page } = session;
    await page.goto('/admin/categories');
    await page.getByRole('button', { name: '导入 CSV' }).click();
    const dialog = page.getByRole('dialog').filter({ hasText: '导入分类（CSV）' });
    await dialog.waitFor();
    const csv = [
      'kind,major_code,major_name,code,name,register_limit,dispatch_limit,handle_limit,verify_limit,default_department,on_the_spot,public',
      'matter,06,市容环境类,06099,测试小类,1h,1h,2d,4h,JJ-HW,false,true',
      'matter,06,市容环境类,06098,测试小类二,1h,1h,2x,4h,NOPE,false,true',
    ].join('\n');
    await dialog
      .locator('input[type=file]')
      .setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const result = dialog.getByTestId('category-import-result');
    await result.getByText('导入未执行').waitFor();
    await expect(result.textContent()).resolves.toContain('handle_limit 的时限“2x”无效');
    await expect(result.locator('.ant-table-row').first().textContent()).resolves.toMatch(/^3/);
    await expect(dialog.getByRole('button', { name: '导入', exact: true }).isDisabled()).resolves.toBe(true);
    await screenshot(page, 'admin-category-import-rejected');
    await finish(session);
  });

  it('adds a routing rule: 暴露垃圾 in 河清社区 goes to 城管执法办', async () => {
    const session = await signIn('admin');
    const { page } = session;
    await page.getByRole('menuitem').filter({ hasText: '派遣规则' }).click();
    await page.waitForURL('**/admin/routing');
    await page.getByRole('button', { name: '新建规则' }).click();
    const dialog = page.getByRole('dialog').filter({ hasText: '新建规则' });
    await dialog.waitFor();
    await pick(page, '事件分类', '06010', '06010 暴露垃圾');
    await pick(page, '区域（行政区划或网格）', '河清', '河清社区居委会（440605121015）');
    await pick(page, '主办部门', '城管', '九江镇城管执法办（JJ-CG）');
    await screenshot(page, 'admin-routing-form');
    await dialog.getByRole('button', { name: '保存', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.locator('.ant-table-row').filter({ hasText: '06010 暴露垃圾' });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('河清社区居委会');
    await expect(row.textContent()).resolves.toContain('九江镇城管执法办（JJ-CG）');
    await screenshot(page, 'admin-routing');

    const api = await apiSession(server.url, 'admin');
    const rules =
      await api.get<{ categoryCode: string; regionCode: string; departmentCode: string }[]>('/routing-rules');
    expect(rules).toEqual([
      expect.objectContaining({ categoryCode: '06010', regionCode: '440605121015', departmentCode: 'JJ-CG' }),
    ]);
    await finish(session);
  });

  it('marks a day as a holiday and warns that next year is not loaded', async () => {
    const session = await signIn('admin');
    const { page } = session;
    await page.getByRole('menuitem').filter({ hasText: '工作日历' }).click();
    await page.waitForURL('**/admin/calendar');
    const thisYear = Number(
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()),
    );
    // chinese-days knows the official schedule up to 2026: the year after this one is not loaded.
    await page
      .getByText(`${thisYear + 1} 年日历未加载`)
      .first()
      .waitFor();
    await screenshot(page, 'admin-calendar');
    await page.screenshot({ path: join(SCREENSHOTS, 'admin-calendar-full.png'), fullPage: true });

    // 2026 is loaded; 2026-06-15 is an ordinary Monday.
    for (let year = thisYear; year > 2026; year--) await page.getByRole('button', { name: '上一年' }).click();
    for (let year = thisYear; year < 2026; year++) await page.getByRole('button', { name: '下一年' }).click();
    await expect.poll(() => page.getByTestId('calendar-year').textContent()).toBe('2026 年');
    const day = page.getByTestId('day-2026-06-15');
    await day.click();
    const dialog = page.getByRole('dialog').filter({ hasText: '2026-06-15' });
    await dialog.waitFor();
    await dialog.getByText('休息（放假）').click();
    await dialog.getByLabel('名称').fill('测试假日');
    await dialog.getByRole('button', { name: '保存', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => day.textContent()).toBe('15休');
    await expect(day.getAttribute('title')).resolves.toBe('2026-06-15 休 测试假日');

    const api = await apiSession(server.url, 'admin');
    const year = await api.get<{
      covered: boolean;
      days: { date: string; workday: boolean; name?: string }[];
    }>('/calendar/2026');
    expect(year.covered).toBe(true);
    expect(year.days).toContainEqual({ date: '2026-06-15', workday: false, name: '测试假日' });
    await screenshot(page, 'admin-calendar-2026');

    await page.getByText('English', { exact: true }).click();
    await page
      .getByText(`The ${thisYear + 1} calendar is not loaded`)
      .first()
      .waitFor();
    await expect(day.getAttribute('title')).resolves.toBe('2026-06-15 Off 测试假日');
    await screenshot(page, 'admin-calendar-en');
    await finish(session);
  });

  it('loads next year from the State Council notice, and the warning goes', async () => {
    const session = await signIn('admin');
    const { page } = session;
    await page.goto('/admin/calendar');
    const next =
      Number(
        new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()),
      ) + 1;
    await page
      .getByTestId('next-year-missing')
      .getByRole('button', { name: `加载 ${next} 年安排` })
      .click();
    const dialog = page.getByRole('dialog').filter({ hasText: `加载 ${next} 年放假和调休安排` });
    await dialog.waitFor();
    await dialog
      .getByRole('textbox')
      .fill(`${next}-01-01 休 元旦\n${next}-02-06~${next}-02-12 休 春节\n${next}-02-30 班 春节调休上班`);
    await dialog.getByText('第 3 行：日期').waitFor();
    await expect(dialog.getByRole('button', { name: '保存', exact: true }).isDisabled()).resolves.toBe(true);
    await dialog.getByRole('textbox').fill(`${next}-01-01 休 元旦\n${next}-02-06~${next}-02-12 休 春节`);
    await dialog.getByText('共 8 个日期：放假 8 天，调休上班 0 天').waitFor();
    await screenshot(page, 'admin-calendar-load');
    await dialog.getByRole('button', { name: '保存', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByTestId('calendar-year').textContent()).toBe(`${next} 年`);
    await expect.poll(() => page.getByTestId(`day-${next}-01-01`).textContent()).toBe('1休');
    await expect(page.getByTestId('next-year-missing').count()).resolves.toBe(0);
    await expect(page.getByTestId('year-not-loaded').count()).resolves.toBe(0);

    const api = await apiSession(server.url, 'admin');
    const loaded = await api.get<{ covered: boolean; days: unknown[] }>(`/calendar/${next}`);
    expect(loaded).toMatchObject({ covered: true });
    expect(loaded.days).toHaveLength(8);
    await finish(session);
  });

  it('issues an Open311 key another system reports with, and adds, edits and switches a department system to send to', async () => {
    const session = await signIn('admin');
    const { page } = session;
    await page.getByRole('menuitem').filter({ hasText: 'Open311 接入' }).click();
    await page.waitForURL('**/admin/open311');
    await page.getByRole('button', { name: '签发密钥' }).click();
    const issue = page.getByRole('dialog').filter({ hasText: '签发密钥' });
    await issue.getByLabel('接入应用').fill('市民随手拍 App');
    await issue.getByRole('button', { name: '保存', exact: true }).click();
    const key = ((await page.getByTestId('open311-key').textContent()) ?? '').trim();
    expect(key.length).toBeGreaterThan(20);
    await screenshot(page, 'admin-open311-key');
    await page
      .getByRole('dialog')
      .filter({ hasText: '新密钥' })
      .getByRole('button', { name: /OK|确 ?定/ })
      .click();
    await page
      .locator('.ant-table-row')
      .filter({ hasText: '市民随手拍 App' })
      .filter({ hasText: '有效' })
      .waitFor();

    // Another system reports with it, over plain GeoReport v2.
    const posted = await fetch(`${server.url}/open311/v2/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        api_key: key,
        service_code: '06010',
        lat: '22.852',
        long: '112.982',
        description: '路边有暴露垃圾（来自市民 App）',
      }).toString(),
    });
    expect(posted.status).toBe(200);
    const [answer] = (await posted.json()) as { service_request_id: string }[];
    expect(answer?.service_request_id).toMatch(/^\d{14}$/);

    await page.getByRole('button', { name: '添加对接系统' }).click();
    const add = page.getByRole('dialog').filter({ hasText: '添加对接系统' });
    await add.getByLabel('名称').fill('环卫站作业系统');
    await pick(page, '部门', '环卫', '九江镇环卫站');
    await pick(page, '转送分类', '暴露', '暴露垃圾（06010）');
    await add.getByLabel('接口地址（v2 根路径）').fill('https://hw.example.org/open311/v2');
    await add.getByLabel('api_key').fill('their-key-for-us');
    await add.getByRole('button', { name: '保存', exact: true }).click();
    await add.waitFor({ state: 'hidden' });
    const endpoint = page.locator('.ant-table-row').filter({ hasText: '环卫站作业系统' });
    await endpoint.waitFor();
    await expect(endpoint.textContent()).resolves.toContain('暴露垃圾（06010）');
    // The key it was given is never shown again in full.
    await expect(endpoint.textContent()).resolves.not.toContain('their-key-for-us');

    // Edited: renamed, one more category, switched off; the api key left empty stays as it was.
    await endpoint.getByRole('button', { name: '编辑', exact: true }).click();
    const edit = page.getByRole('dialog').filter({ hasText: '编辑对接系统' });
    await expect(edit.getByLabel('名称').inputValue()).resolves.toBe('环卫站作业系统');
    await edit.getByLabel('名称').fill('环卫站作业系统 v2');
    await pick(page, '转送分类', '道路', '道路不洁（06012）');
    await edit.getByLabel('启用').click();
    await screenshot(page, 'admin-open311-edit');
    await edit.getByRole('button', { name: '保存', exact: true }).click();
    await edit.waitFor({ state: 'hidden' });
    const edited = page.locator('.ant-table-row').filter({ hasText: '环卫站作业系统 v2' });
    await expect.poll(() => edited.textContent()).toContain('道路不洁（06012）');
    const activeSwitch = edited.getByRole('switch', { name: '启用' });
    await expect(activeSwitch.getAttribute('aria-checked')).resolves.toBe('false');

    const api = await apiSession(server.url, 'admin');
    const categories = (await api.get<CategoryNode[]>('/categories')).flatMap((major) => major.children);
    const idOf = (code: string) => categories.find((c) => c.kind === 'matter' && c.code === code)?.id;
    const saved = async () =>
      (await api.get<Endpoint[]>('/open311/endpoints')).find((e) => e.name === '环卫站作业系统 v2');
    expect(await saved()).toMatchObject({ active: false, apiKeyMasked: 'thei****' });
    expect(new Set((await saved())?.categoryIds)).toEqual(new Set([idOf('06010'), idOf('06012')]));

    // Switched on again from the table.
    await activeSwitch.click();
    await expect.poll(() => activeSwitch.getAttribute('aria-checked')).toBe('true');
    expect(await saved()).toMatchObject({ active: true });
    await screenshot(page, 'admin-open311');
    await finish(session);
  });
});
