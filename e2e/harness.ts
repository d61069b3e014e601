import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Workbook } from 'exceljs';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Locator,
  type Page,
} from 'playwright-core';

export const REPO = fileURLToPath(new URL('..', import.meta.url));
export const SCREENSHOTS = join(REPO, 'test-results/e2e');
export const DEMO_PASSWORD = 'Gridgov@2026';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  url: string;
  dataDir: string;
  /** Everything the server printed, for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * The data directory of a demo town loaded once for the whole e2e run (e2e/global-setup.ts sets it): each
 * file's server starts on a copy of it, so the flows stay independent of each other without every file
 * loading the demo town again (about 30 s a start on two cores).
 */
export const DEMO_TEMPLATE_ENV = 'GRIDGOV_E2E_DEMO_TEMPLATE';

/**
 * Starts the real server (`tsx src/server/main.ts`) on a free port with a fresh data directory and waits
 * for its "listening on http://" line. The first start loads the demo town, hence the long timeout, unless
 * the run's demo template is there to copy; the demo registry and history only when asked.
 */
export async function startServer(
  options: {
    timeoutMs?: number;
    demoRegistry?: boolean;
    demoHistory?: boolean;
    /** Another checkout to run (bench/page-weight.ts starts an older commit beside this one). */
    root?: string;
    /** Load the demo town afresh even when the run has a template (global-setup.ts makes the template so). */
    fresh?: boolean;
    /** Leave the data directory when stopping (the template), rather than removing it. */
    keepDataDir?: boolean;
  } = {},
): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'gridgov-e2e-'));
  const template = process.env[DEMO_TEMPLATE_ENV];
  // The template has neither registry nor history: a flow that asks for them has them loaded in the
  // background on top of its copy, as a first start does after loading the town.
  if (template && !options.fresh && !options.root) {
    cpSync(template, dataDir, { recursive: true });
  }
  const tsx = join(REPO, 'node_modules/.bin/tsx');
  const child: ChildProcess = spawn(tsx, ['src/server/main.ts'], {
    cwd: options.root ?? REPO,
    env: {
      ...process.env,
      GRIDGOV_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      NODE_ENV: 'test',
      // The demo town's 100,000 residents would load in the background and slow every flow down; flows bring
      // the registry records they need.
      GRIDGOV_DEMO_REGISTRY: options.demoRegistry ? 'true' : 'false',
      // Likewise the months of synthetic case history: only the flows that read rankings wait for it.
      // Last month and this one are enough for the rankings and last week's bulletin.
      GRIDGOV_DEMO_HISTORY: options.demoHistory ? 'true' : 'false',
      GRIDGOV_DEMO_HISTORY_MONTHS: '1',
      // The flows' webhook receiver listens on loopback, which outgoing requests reach only when allowed.
      GRIDGOV_OUTBOUND_ALLOW: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so stopping it also stops the node process tsx starts.
    detached: true,
  });
  let output = '';
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
      const timer = setTimeout(() => {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }, 10_000);
      await exited;
      clearTimeout(timer);
    }
    if (!options.keepDataDir) rmSync(dataDir, { recursive: true, force: true });
  };

  await new Promise<void>((resolve, reject) => {
    const timeoutMs = options.timeoutMs ?? 120_000;
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`server did not print "listening on http://" within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening on http://')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (code ${code}, signal ${signal}) before listening:\n${output}`));
    });
  });
  return { url, dataDir, output: () => output, stop };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

export async function newPage(
  browser: Browser,
  baseURL: string,
  viewport = { width: 1280, height: 800 },
  /** More context options: a phone (isMobile, hasTouch), geolocation and its permission … */
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  // Reduced motion, as a user may set it: dialogs and menus open at once, so the flows spend the machine's time
  // on the product rather than on animation frames.
  const context = await browser.newContext({
    baseURL,
    viewport,
    locale: 'zh-CN',
    reducedMotion: 'reduce',
    ...options,
  });
  const page = await context.newPage();
  // Page errors and requests that leave the machine are bugs: the console must work offline.
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    const target = new URL(request.url());
    if (
      !['127.0.0.1', 'localhost'].includes(target.hostname) &&
      !['data:', 'blob:'].includes(target.protocol)
    ) {
      problems.push(`external request: ${request.url()}`);
    }
  });
  return { context, page, problems };
}

/** Signs in through the login page, as a user does, and waits to leave it. */
export async function logIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

export type TestPage = Awaited<ReturnType<typeof newPage>>;

/** A fresh browser context, signed in as `username`. */
export async function signedIn(
  browser: Browser,
  baseURL: string,
  username: string,
  viewport?: { width: number; height: number },
): Promise<TestPage> {
  const session = await newPage(browser, baseURL, viewport);
  await logIn(session.page, username);
  return session;
}

/** The values of the antd statistics inside the element with `testId`, in order. */
export function statistics(page: Page, testId: string): Promise<string[]> {
  return page.getByTestId(testId).locator('.ant-statistic-content-value').allTextContents();
}

/**
 * Types a date range into the antd range picker inside `scope` as a user does (start, Enter, end, Enter), and
 * types it again when a keystroke was lost: on a loaded machine the picker can still be moving the focus from
 * the start to the end when the end is typed.
 */
export async function typeDateRange(scope: Locator, from: string, to: string): Promise<void> {
  const start = scope.getByPlaceholder('开始日期');
  const end = scope.getByPlaceholder('结束日期');
  const shows = async () => (await start.inputValue()) === from && (await end.inputValue()) === to;
  for (let attempt = 1; ; attempt++) {
    await start.click();
    await start.fill(from);
    await start.press('Enter');
    await end.fill(to);
    await end.press('Enter');
    const deadline = Date.now() + 3_000;
    while (!(await shows()) && Date.now() < deadline) await scope.page().waitForTimeout(200);
    if (await shows()) return;
    if (attempt === 3) {
      throw new Error(`the range picker shows ${await start.inputValue()} – ${await end.inputValue()}`);
    }
  }
}

/**
 * Chooses the option with `text` in an antd select, and chooses it again when the select does not show it: a
 * click on an option can be lost when its list re-renders (its query refetched) between press and release.
 */
export async function pickOption(select: Locator, text: string, search?: string): Promise<void> {
  const page = select.page();
  for (let attempt = 1; ; attempt++) {
    await select.click();
    if (search) await page.keyboard.type(search);
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: text })
      .click();
    const deadline = Date.now() + 3_000;
    // The dropdown is rendered apart from the select (on the body): the select's own text is what it shows.
    const shows = async () => (await select.innerText()).includes(text);
    while (!(await shows()) && Date.now() < deadline) await page.waitForTimeout(200);
    if (await shows()) return;
    if (attempt === 3) throw new Error(`the select does not show ${text}: ${await select.innerText()}`);
    await page.keyboard.press('Escape');
  }
}

/**
 * Clicks a dialog's save button and waits for the dialog to close; when it stays open, fails with what it
 * says (a field's error, the server's refusal) rather than with a bare timeout.
 */
export async function saveDialog(dialog: Locator, button = '保存'): Promise<void> {
  await dialog.getByRole('button', { name: button }).click();
  try {
    await dialog.waitFor({ state: 'hidden', timeout: 60_000 });
  } catch (error) {
    const said = await dialog.innerText().catch(() => '');
    throw new Error(`the dialog stayed open after ${button}:\n${said}`, { cause: error });
  }
}

/** An ExcelJS workbook as a file input takes it. */
export async function xlsxFile(
  name: string,
  book: Workbook,
): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
  return {
    name,
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: Buffer.from(await book.xlsx.writeBuffer()),
  };
}

/** After a file's flows: keeps the server's output beside the screenshots as `<name>-server.log`, stops both. */
export async function stopAll(
  name: string,
  server: RunningServer | undefined,
  browser: Browser | undefined,
): Promise<void> {
  if (server) {
    mkdirSync(SCREENSHOTS, { recursive: true });
    writeFileSync(join(SCREENSHOTS, `${name}-server.log`), server.output());
  }
  await browser?.close();
  await server?.stop();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Finished, not mid-fade: antd's dialogs and messages animate in.
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), animations: 'disabled' });
}

/** A signed-in API client for preparing and checking data outside the browser. */
export async function apiSession(baseUrl: string, username: string, password = DEMO_PASSWORD) {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!login.ok) throw new Error(`login as ${username} failed: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.getSetCookie?.() ?? [])
    .map((line) => line.split(';')[0])
    .filter(Boolean)
    .join('; ');
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  /** A JSON body with the session's CSRF token, as the console sends it. */
  async function send<T>(method: 'POST' | 'PUT', path: string, body: unknown): Promise<T> {
    const response = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrfToken },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }
  return {
    async get<T>(path: string): Promise<T> {
      const response = await fetch(`${baseUrl}/api/v1${path}`, { headers: { cookie } });
      if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
    post: <T>(path: string, body: unknown) => send<T>('POST', path, body),
    put: <T>(path: string, body: unknown) => send<T>('PUT', path, body),
    /** Uploads a photo (POST /evidence, raw bytes) and returns its evidence id. */
    async upload(bytes: Buffer, mime = 'image/jpeg'): Promise<string> {
      const response = await fetch(`${baseUrl}/api/v1/evidence`, {
        method: 'POST',
        headers: { cookie, 'content-type': mime, 'x-csrf-token': csrfToken },
        body: new Uint8Array(bytes),
      });
      if (!response.ok) throw new Error(`POST /evidence: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { id: string }).id;
    },
  };
}

type Ring = [number, number][];

function insideRing(point: [number, number], ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > point[1] !== yj > point[1] && point[0] < ((xj - xi) * (point[1] - yi)) / (yj - yi) + xi) {
      inside = !inside;
    }
  }
  return inside;
}

function distanceToSegment(p: [number, number], a: [number, number], b: [number, number]): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const t =
    dx || dy ? Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy))) : 0;
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

/** A point well inside a polygon (the sample farthest from its edges), to click on. */
export function interiorPoint(geometry: { type: string; coordinates: unknown }): [number, number] {
  const polygons = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) as Ring[][];
  let best: [number, number] | null = null;
  let bestDistance = -1;
  for (const polygon of polygons) {
    const outer = polygon[0] ?? [];
    const xs = outer.map((p) => p[0]);
    const ys = outer.map((p) => p[1]);
    const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    for (let i = 1; i < 30; i++) {
      for (let j = 1; j < 30; j++) {
        const point: [number, number] = [minX + ((maxX - minX) * i) / 30, minY + ((maxY - minY) * j) / 30];
        if (!insideRing(point, outer) || polygon.slice(1).some((hole) => insideRing(point, hole))) continue;
        let distance = Number.POSITIVE_INFINITY;
        for (const ring of polygon) {
          for (let k = 1; k < ring.length; k++) {
            distance = Math.min(
              distance,
              distanceToSegment(point, ring[k - 1] as [number, number], ring[k] as [number, number]),
            );
          }
        }
        if (distance > bestDistance) {
          bestDistance = distance;
          best = point;
        }
      }
    }
  }
  if (!best) throw new Error('no interior point found');
  return best;
}
