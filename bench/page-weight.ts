/**
 * Page weight and speed of the production web build, in Chromium, against the targets of issue 15:
 *  - JavaScript transferred (compressed, as the browser received it) and uncompressed, for the login page, the
 *    portal's report page and three console pages (cases, the territory map, the dashboard), each opened in a
 *    fresh browser context with an empty cache: login ≤ 250 KB, portal report ≤ 350 KB, a console page's first
 *    load ≤ 800 KB including the map;
 *  - the time to the page's content on that first load, and a warm in-app page change (a click in the menu to
 *    a page whose code is loaded) ≤ 300 ms.
 * Each figure is printed beside its target and beside the same figure for the console before issue 15's work
 * (commit BASELINE_COMMIT, extracted with git archive into a temporary folder, built and served in the same run;
 * BENCH_NO_BASELINE=1 skips it), with the ratio. BENCH_VERBOSE=1 lists each page's files.
 * The console pages are opened signed in as the demo leader (session cookie from the login API), so their
 * figures include the console's entry code, not only the page's own chunks. The portal's report page is opened
 * by a phone that gives its position; what opening its map adds is printed below it. The service worker is
 * blocked: it caches the whole build for the field view's offline use after the page has loaded, in the
 * background.
 *
 * Run: npm run bench:pages   (builds dist/web first when it is missing or older than its sources, as
 * `npm start` does; starts the server on a fresh temporary data directory with the demo town, twice with the
 * baseline; needs Chromium at /usr/bin/chromium or CHROMIUM_PATH). Takes about five minutes.
 */
import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page, Response } from 'playwright-core';
import { DEMO_PASSWORD, launchBrowser, REPO, type RunningServer, startServer } from '../e2e/harness.ts';

/**
 * Today's console before issue 15's page work: this commit is extracted (git archive, no change to the working
 * tree), built and served beside the current build in the same run, and every figure is printed against it.
 */
const BASELINE_COMMIT = '03b7cdf1eeeb6b94f185f4abe72342e958a6d52a';

const KB = 1024;
const TARGET_KB = { login: 250, portal: 350, console: 800 } as const;
const TARGET_WARM_MS = 300;
const LEADER = 'leader';

interface PageSpec {
  key: string;
  label: string;
  path: string;
  signedIn: boolean;
  targetKb: number;
  /** What shows that the page is there. */
  ready: (page: Page) => Promise<unknown>;
  /** A CSS selector present once the page shows its content (for the in-page timing of warm changes). */
  readySelector?: string;
  context?: BrowserContextOptions;
}

// A resident whose phone gives its position (somewhere in the demo town): the pin is placed without the map.
const PHONE_POSITION: BrowserContextOptions = {
  geolocation: { longitude: 113.03, latitude: 22.82 },
  permissions: ['geolocation'],
};

const PAGES: PageSpec[] = [
  {
    key: 'login',
    label: 'login /login',
    path: '/login',
    signedIn: false,
    targetKb: TARGET_KB.login,
    ready: (page) => page.getByLabel('用户名').waitFor(),
  },
  {
    key: 'portal',
    label: 'portal report /public/report',
    path: '/public/report',
    signedIn: false,
    targetKb: TARGET_KB.portal,
    ready: (page) => page.getByTestId('portal-category').waitFor(),
    context: PHONE_POSITION,
  },
  {
    key: 'cases',
    label: 'console /cases',
    path: '/cases',
    signedIn: true,
    targetKb: TARGET_KB.console,
    ready: (page) => page.locator('.ant-table-row').first().waitFor(),
    readySelector: '.ant-table-row',
  },
  {
    key: 'territory',
    label: 'console /territory (map)',
    path: '/territory',
    signedIn: true,
    targetKb: TARGET_KB.console,
    ready: (page) => page.locator('canvas.maplibregl-canvas').waitFor(),
    readySelector: 'canvas.maplibregl-canvas',
  },
  {
    key: 'dashboard',
    label: 'console /dashboard (charts)',
    path: '/dashboard',
    signedIn: true,
    targetKb: TARGET_KB.console,
    ready: (page) => page.locator('[data-testid="chart-trend"] svg').first().waitFor(),
    readySelector: '[data-testid="chart-trend"] svg',
  },
];

interface Weight {
  /** Path and bytes transferred of each file (BENCH_VERBOSE=1 lists them). */
  list: Array<[string, number]>;
  files: number;
  transferred: number;
  uncompressed: number;
  encodings: Set<string>;
}

function isScript(response: Response): boolean {
  const type = response.request().resourceType();
  const path = new URL(response.url()).pathname;
  return type === 'script' || path.endsWith('.js') || path.endsWith('.mjs');
}

/** Counts the JavaScript the context receives from now on (the page and its workers). */
function meter(context: BrowserContext): { done: () => Promise<Weight> } {
  const pending: Promise<void>[] = [];
  const weight: Weight = { list: [], files: 0, transferred: 0, uncompressed: 0, encodings: new Set() };
  const listener = (response: Response) => {
    if (!isScript(response) || response.status() !== 200) return;
    pending.push(
      (async () => {
        const [sizes, body, headers] = await Promise.all([
          response.request().sizes(),
          response.body(),
          response.allHeaders(),
        ]);
        weight.files += 1;
        // Chromium gives no sizes for a worker's own script: ask again as the browser did and count the bytes.
        const transferred =
          sizes.responseBodySize > 0 || body.length === 0
            ? sizes.responseBodySize
            : await rawSize(response.url(), (await response.request().allHeaders())['accept-encoding']);
        weight.transferred += transferred;
        weight.list.push([new URL(response.url()).pathname, transferred]);
        weight.uncompressed += body.length;
        weight.encodings.add(headers['content-encoding'] ?? 'identity');
      })(),
    );
  };
  context.on('response', listener);
  return {
    done: async () => {
      context.off('response', listener);
      await Promise.all(pending);
      return weight;
    },
  };
}

/** The bytes of an answer as sent, before any decoding. */
function rawSize(url: string, acceptEncoding = 'gzip, deflate, br, zstd'): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { 'accept-encoding': acceptEncoding } }, (answer) => {
      let bytes = 0;
      answer.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      answer.on('end', () => resolve(bytes));
      answer.on('error', reject);
    }).on('error', reject);
  });
}

async function newContext(
  browser: Browser,
  baseURL: string,
  signedIn: boolean,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 1280, height: 800 },
    locale: 'zh-CN',
    serviceWorkers: 'block',
    ...options,
  });
  if (signedIn) {
    const answer = await context.request.post('/api/v1/auth/login', {
      data: { username: LEADER, password: DEMO_PASSWORD },
    });
    if (!answer.ok()) throw new Error(`login as ${LEADER} failed: ${answer.status()} ${await answer.text()}`);
  }
  return context;
}

const kb = (bytes: number) => bytes / KB;
const fmtKb = (value: number) => `${value.toLocaleString('en-US', { maximumFractionDigits: 0 })} KB`;
const ratio = (now: number, before: number) => (before > 0 ? `${(now / before).toFixed(2)}×` : 'n/a');
const verdict = (ok: boolean) => (ok ? 'meets' : 'MISSES');

interface PageResult {
  weight: Weight;
  firstLoad: number;
  /** The portal only: what opening its map adds. */
  mapOpened?: Weight;
}

interface RunResult {
  pages: Map<string, PageResult>;
  warm: Array<[string, number]>;
  indexCache: string;
  assetCache: string;
  assetEncoding: string;
}

/** The baseline commit's tree with its own build, in a temporary folder reused by later runs. */
function baselineTree(): string | undefined {
  const root = join(tmpdir(), `gridgov-pages-baseline-${BASELINE_COMMIT.slice(0, 12)}`);
  if (existsSync(join(root, 'dist/web/index.html'))) return root;
  try {
    mkdirSync(root, { recursive: true });
    execSync(`git archive ${BASELINE_COMMIT} | tar -x -C ${JSON.stringify(root)}`, {
      cwd: REPO,
      stdio: 'pipe',
    });
    symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
    console.log(`Building the baseline ${BASELINE_COMMIT.slice(0, 12)} in ${root}…`);
    execSync('npx vite build --logLevel warn', { cwd: root, stdio: 'inherit' });
    return root;
  } catch (error) {
    console.log(`No baseline (${(error as Error).message.split('\n')[0]}): figures are printed alone.`);
    rmSync(root, { recursive: true, force: true });
    return undefined;
  }
}

async function measure(browser: Browser, url: string): Promise<RunResult> {
  const pages = new Map<string, PageResult>();
  let warmContext: { context: BrowserContext; page: Page } | undefined;
  for (const spec of PAGES) {
    const context = await newContext(browser, url, spec.signedIn, spec.context);
    const page = await context.newPage();
    const weight = meter(context);
    const started = performance.now();
    await page.goto(spec.path);
    await spec.ready(page);
    const firstLoad = performance.now() - started;
    // Chunks a page asks for after its first paint (lazy parts, the map's worker) count too.
    await page.waitForLoadState('networkidle');
    const result: PageResult = { weight: await weight.done(), firstLoad };
    const openMap = page.getByTestId('portal-open-map');
    if (spec.key === 'portal' && (await openMap.count()) > 0) {
      // For the record: the resident who opens the map (or whose phone gives no position) loads it then.
      const more = meter(context);
      await openMap.click();
      await page.locator('canvas.maplibregl-canvas').waitFor();
      await page.waitForLoadState('networkidle');
      result.mapOpened = await more.done();
    }
    pages.set(spec.key, result);
    if (spec.key === 'dashboard') warmContext = { context, page };
    else await context.close();
  }

  // Warm page changes: in the dashboard's context, whose entry code is loaded, visit the two other console
  // pages once (their chunks load), then time menu clicks between the three.
  const warm: Array<[string, number]> = [];
  if (warmContext) {
    const { page, context } = warmContext;
    let shown = '[data-testid="chart-trend"] svg';
    // Timed inside the page, from the click on the menu link to the next frame that shows the new page's
    // content (and no longer the old page's), so the figure holds no round trips to the browser driver.
    const click = async (path: string) => {
      const spec = PAGES.find((p) => p.path === path);
      if (!spec?.readySelector) throw new Error(path);
      const ms = await page.evaluate(
        ({ path, selector, previous }) => {
          const old = document.querySelector(previous);
          const link = document.querySelector<HTMLElement>(`.ant-menu a[href="${path}"]`);
          if (!link) throw new Error(`no menu link to ${path}`);
          const started = performance.now();
          link.click();
          // No named functions in here: tsx would wrap them in a helper the page does not have.
          return (async () => {
            for (;;) {
              await new Promise((next) => requestAnimationFrame(next));
              if (location.pathname === path && !old?.isConnected && document.querySelector(selector)) {
                return performance.now() - started;
              }
              if (performance.now() - started > 15_000) throw new Error(`${path} did not show its content`);
            }
          })();
        },
        { path, selector: spec.readySelector, previous: shown },
      );
      shown = spec.readySelector;
      return ms;
    };
    await click('/cases');
    await click('/territory');
    await click('/dashboard');
    for (const path of ['/cases', '/territory', '/dashboard', '/cases', '/territory', '/dashboard']) {
      warm.push([path, await click(path)]);
    }
    await context.close();
  }

  // The static files' headers, as a client sees them.
  const index = await fetch(`${url}/login`, { headers: { 'accept-encoding': 'br, gzip' } });
  const asset = (await index.text()).match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
  const assetResponse = asset
    ? await fetch(`${url}${asset}`, { headers: { 'accept-encoding': 'br, gzip' } })
    : undefined;
  await assetResponse?.arrayBuffer();
  return {
    pages,
    warm,
    indexCache: index.headers.get('cache-control') ?? '(none)',
    assetCache: assetResponse?.headers.get('cache-control') ?? '(none)',
    assetEncoding: assetResponse?.headers.get('content-encoding') ?? '(none)',
  };
}

async function run(browser: Browser, root?: string): Promise<RunResult> {
  const server: RunningServer = await startServer({ timeoutMs: 300_000, ...(root ? { root } : {}) });
  try {
    return await measure(browser, server.url);
  } finally {
    await server.stop();
  }
}

async function main() {
  execFileSync('node', ['scripts/ensure-web-build.mjs'], { cwd: REPO, stdio: 'inherit' });
  const baselineRoot = process.env.BENCH_NO_BASELINE ? undefined : baselineTree();
  const browser = await launchBrowser();
  try {
    const now = await run(browser);
    const before = baselineRoot ? await run(browser, baselineRoot) : undefined;
    console.log(
      '\nPage weight of the production build (dist/web) in Chromium, each page with an empty cache.',
    );
    console.log(
      before
        ? `Baseline in the same run: commit ${BASELINE_COMMIT.slice(0, 12)} (before issue 15's page work), built and served the same way.\n`
        : 'No baseline in this run.\n',
    );
    console.log(
      `${'page'.padEnd(30)}${'JS transferred'.padStart(15)}${'target'.padStart(9)}${''.padStart(8)}` +
        `${'baseline'.padStart(11)}${'ratio'.padStart(7)}${'uncompressed'.padStart(14)}${'baseline'.padStart(11)}` +
        `${'files'.padStart(7)}${'first load'.padStart(12)}${'baseline'.padStart(10)}`,
    );
    for (const spec of PAGES) {
      const a = now.pages.get(spec.key);
      const b = before?.pages.get(spec.key);
      if (!a) continue;
      const transferred = kb(a.weight.transferred);
      console.log(
        `${spec.label.padEnd(30)}${fmtKb(transferred).padStart(15)}${`≤ ${spec.targetKb}`.padStart(9)}` +
          `${verdict(transferred <= spec.targetKb).padStart(8)}` +
          `${(b ? fmtKb(kb(b.weight.transferred)) : 'n/a').padStart(11)}` +
          `${(b ? ratio(transferred, kb(b.weight.transferred)) : 'n/a').padStart(7)}` +
          `${fmtKb(kb(a.weight.uncompressed)).padStart(14)}` +
          `${(b ? fmtKb(kb(b.weight.uncompressed)) : 'n/a').padStart(11)}${String(a.weight.files).padStart(7)}` +
          `${`${a.firstLoad.toFixed(0)} ms`.padStart(12)}${(b ? `${b.firstLoad.toFixed(0)} ms` : 'n/a').padStart(10)}`,
      );
      if (process.env.BENCH_VERBOSE) {
        for (const [path, bytes] of a.weight.list.sort((x, y) => y[1] - x[1])) {
          console.log(`    ${fmtKb(kb(bytes)).padStart(10)}  ${path}`);
        }
      }
      if (a.mapOpened) {
        console.log(
          `${'  then the map opened on it'.padEnd(30)}${`+${fmtKb(kb(a.mapOpened.transferred))}`.padStart(15)}` +
            '   (the baseline loaded the map with the page)',
        );
      }
    }
    const worst = (warm: Array<[string, number]>) => Math.max(...warm.map(([, ms]) => ms));
    const list = (warm: Array<[string, number]>) =>
      warm.map(([path, ms]) => `${path} ${ms.toFixed(0)} ms`).join(', ');
    console.log(`\nWarm page changes (menu click to the new page's content): ${list(now.warm)}`);
    if (before) console.log(`  baseline: ${list(before.warm)}`);
    const w = worst(now.warm);
    console.log(
      `Worst warm page change: ${w.toFixed(0)} ms (target ≤ ${TARGET_WARM_MS} ms, ${verdict(w <= TARGET_WARM_MS)}` +
        `${before ? `; baseline ${worst(before.warm).toFixed(0)} ms, ratio ${ratio(w, worst(before.warm))}` : ''})`,
    );
    console.log(
      `\nindex.html: cache-control ${now.indexCache}${before ? ` (baseline ${before.indexCache})` : ''}; ` +
        `hashed asset: cache-control ${now.assetCache}, content-encoding ${now.assetEncoding}` +
        `${before ? ` (baseline ${before.assetCache}, ${before.assetEncoding})` : ''}`,
    );
  } finally {
    await browser.close();
  }
}

await main();
