import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiSession,
  DEMO_PASSWORD,
  launchBrowser,
  logIn,
  newPage,
  type RunningServer,
  screenshot,
  startServer,
  stopAll,
} from './harness.ts';

const PHONE = { width: 390, height: 844 };

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(() => stopAll('bulletins', server, browser));

/** Saves the file a click downloads and returns its bytes. */
async function download(page: Page, testId: string): Promise<{ bytes: Buffer; path: string; name: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const path = await file.path();
  return { bytes: readFileSync(path), path, name: file.suggestedFilename() };
}

/** PATCH as a signed-in user (the harness's API client sends POST and PUT only); returns status and body. */
async function patchAs(
  username: string,
  path: string,
  body: unknown,
): Promise<{ status: number; text: string }> {
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  const cookie = (login.headers.getSetCookie?.() ?? []).map((line) => line.split(';')[0]).join('; ');
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const response = await fetch(`${server.url}/api/v1${path}`, {
    method: 'PATCH',
    headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrfToken },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

const noOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe('weekly bulletins (周通报)', () => {
  it("generates last week's bulletin as the leader, edits the headline, publishes, downloads Word and PDF", async () => {
    const { page, problems } = await newPage(browser, server.url);
    await logIn(page, 'leader');
    await page.goto('/bulletins');
    await page.getByTestId('bulletin-generate').click();
    await page.locator('#bulletin-generate-ok').click();
    await page.waitForURL(/\/bulletins\/\d+$/);
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    const headline = page.getByTestId('bulletin-headline');
    await headline.waitFor();
    // The headline opens with last week's figures (zero or more: the flow starts without the demo history).
    const generated = await headline.inputValue();
    expect(generated).toMatch(/^本周（\d{4}年\d+月\d+日至\d{4}年\d+月\d+日），全镇共上报问题 \d+ 宗/);
    await screenshot(page, 'bulletins-01-draft');

    const edited = `本周网格化工作总体平稳。${generated}`;
    await headline.fill(edited);
    await page.getByTestId('bulletin-save').click();
    await page.getByText('已保存').waitFor();
    await page.getByTestId('bulletin-publish').click();
    await page.locator('.ant-popconfirm .ant-btn-primary').click();
    await expect.poll(() => page.getByTestId('bulletin-status').textContent()).toBe('已发布');
    // Published: the text is shown, not offered for editing.
    await expect
      .poll(() => page.getByTestId('bulletin-text').textContent())
      .toContain('本周网格化工作总体平稳。');
    expect(await page.getByTestId('bulletin-save').count()).toBe(0);
    await screenshot(page, 'bulletins-02-published');

    const docx = await download(page, 'bulletin-download-docx');
    expect(docx.name).toMatch(/\.docx$/);
    const xml = execFileSync('unzip', ['-p', docx.path, 'word/document.xml']).toString('utf8');
    expect(xml).toContain('本周网格化工作总体平稳。');
    expect(xml).toContain('网格化服务管理工作周通报');
    const pdf = await download(page, 'bulletin-download-pdf');
    expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    // The same bytes a second time: the published bulletin is frozen.
    const again = await download(page, 'bulletin-download-pdf');
    expect(again.bytes.equals(pdf.bytes)).toBe(true);

    // The API refuses an edit of the published bulletin, with a message that says why.
    const leader = await apiSession(server.url, 'leader');
    const current = await leader.get<{ version: number }>(`/bulletins/${id}`);
    const refused = await patchAs('leader', `/bulletins/${id}`, {
      version: current.version,
      headline: '改写',
    });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('已发布');

    await page.goto('/bulletins');
    await page.getByTestId('bulletin-link').first().waitFor();
    await screenshot(page, 'bulletins-03-list');
    expect(problems).toEqual([]);
  });

  it('fits a phone', async () => {
    const { page, problems } = await newPage(browser, server.url, PHONE, { isMobile: true, hasTouch: true });
    await logIn(page, 'leader');
    await page.goto('/bulletins');
    await page.getByTestId('bulletin-link').first().click();
    await page.getByTestId('bulletin-status').waitFor();
    expect(await noOverflow(page), 'nothing wider than the phone').toBeLessThanOrEqual(0);
    await screenshot(page, 'bulletins-04-phone');
    expect(problems).toEqual([]);
  });
});
