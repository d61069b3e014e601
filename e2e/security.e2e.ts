import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiSession,
  launchBrowser,
  logIn,
  newPage,
  type RunningServer,
  startServer,
  stopAll,
} from './harness.ts';

/**
 * The browser side of the security headers and CSRF: the console, the field view and the portal run under
 * the Content-Security-Policy without a single violation (with a basemap from another host), and a page on
 * another port of the same host cannot write through the signed-in user's cookie.
 */

let server: RunningServer;
let browser: Browser;
/** Another origin on the same host: the basemap's tile server, and the attacker's page. */
let other: Server;
let otherUrl = '';
let tilesServed = 0;
const ATTACK_CODE = '440605121099';

async function startOther(): Promise<void> {
  const tile = await sharp({
    create: { width: 256, height: 256, channels: 3, background: '#cfe3c8' },
  })
    .png()
    .toBuffer();
  other = createServer((request, response) => {
    if (request.url?.startsWith('/tiles/')) {
      tilesServed++;
      response.writeHead(200, { 'content-type': 'image/png', 'access-control-allow-origin': '*' });
      response.end(tile);
      return;
    }
    // The attacker: a plain-text POST needs no preflight, and the Lax cookie travels because the page is
    // same-site (only the port differs). The path is spelled so that a check on the raw URL misses it.
    const target = new URL(request.url ?? '/', 'http://x').searchParams.get('target') ?? '';
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><title>attack</title><script>
      fetch(${JSON.stringify(`${target}/%61pi/v1/territory/divisions/import`)}, {
        method: 'POST', mode: 'no-cors', credentials: 'include',
        headers: { 'content-type': 'text/plain' },
        body: 'code,name,level,parent_code\\n${ATTACK_CODE},攻击社区,village,440605121\\n',
      }).finally(() => { document.title = 'sent'; });
      // A read with the same credentials, to show that the cookie does travel to the other port.
      fetch(${JSON.stringify(`${target}/api/v1/auth/session`)}, { mode: 'no-cors', credentials: 'include' });
    </script>`);
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  await startOther();
  process.env.GRIDGOV_BASEMAP_URL = `${otherUrl}/tiles/{z}/{x}/{y}.png`;
  try {
    // Generous: the demo town loads at start, and the machine may be busy.
    server = await startServer({ timeoutMs: 480_000 });
  } finally {
    delete process.env.GRIDGOV_BASEMAP_URL;
  }
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await stopAll('security', server, browser);
  await new Promise((resolve) => other?.close(resolve));
});

/** Records CSP violations the page reports, as events and as console messages. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  const messages: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) messages.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  return async () => {
    const events = await page
      .evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? [])
      .catch(() => [] as string[]);
    return [...messages, ...events];
  };
}

describe('security headers in the browser', () => {
  it('runs the login page and the console, maps and charts included, without CSP violations', async () => {
    const { context, page, problems } = await newPage(browser, server.url);
    const violations = await watchViolations(page);
    const response = await page.goto('/login');
    expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response?.headers()['content-security-policy']).toContain(otherUrl);
    await page.getByTestId('demo-logins').waitFor();
    await logIn(page, 'admin');
    for (const path of [
      '/territory',
      '/cases',
      '/registry',
      '/indicators',
      '/admin/users',
      '/admin/calendar',
    ]) {
      await page.goto(path);
      await page.waitForLoadState('networkidle');
    }
    await page.goto('/territory');
    await page.locator('[data-testid="grid-map"][data-state="ready"]').waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => window.__gridgovMap?.loaded());
    // The basemap came from its own host, allowed by img-src/connect-src.
    await expect.poll(() => tilesServed, { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await violations()).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('runs the field view, service worker included, without CSP violations', async () => {
    const { context, page, problems } = await newPage(
      browser,
      server.url,
      { width: 390, height: 844 },
      { isMobile: true, hasTouch: true },
    );
    const violations = await watchViolations(page);
    await logIn(page, 'heqing');
    await page.goto('/field');
    await page.waitForLoadState('networkidle');
    await page.waitForFunction(() => navigator.serviceWorker.ready.then(() => true), null, {
      timeout: 30_000,
    });
    await page.reload();
    await page.waitForLoadState('networkidle');
    expect(await violations()).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('runs the resident portal without CSP violations', async () => {
    const { context, page, problems } = await newPage(browser, server.url, { width: 390, height: 844 });
    const violations = await watchViolations(page);
    await page.goto('/public');
    await page.getByText('我要反映问题').waitFor();
    await page.goto('/public/report');
    await page.waitForLoadState('networkidle');
    expect(await violations()).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('CSRF from another port of the same host', () => {
  it('refuses a write a foreign page sends with the signed-in cookie', async () => {
    const { context, page } = await newPage(browser, server.url);
    await logIn(page, 'admin');
    const attack = await context.newPage();
    const answered = attack.waitForResponse((r) => r.url().includes('/divisions/import'));
    const read = attack.waitForResponse((r) => r.url().includes('/auth/session'));
    await attack.goto(`${otherUrl}/attack?target=${encodeURIComponent(server.url)}`);
    const response = await answered;
    // The cookie went along (the read is answered for the signed-in admin), yet the write was refused.
    expect((await read).status()).toBe(200);
    expect(response.status()).toBe(403);
    const admin = await apiSession(server.url, 'admin');
    await expect(admin.get(`/regions/${ATTACK_CODE}`)).rejects.toThrow(/404/);
    await context.close();
  });
});
