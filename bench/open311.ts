/**
 * The Open311 GeoReport v2 server at district scale, on the PostgreSQL server, each figure against the internal
 * API doing the same work in the same run:
 *  (a) GET requests.json over 1,000,000 cases, p50/p99: by service_code (the newest 1,000, the spec's default
 *      limit) and with status=open, against the dispatcher's queue reading the same 1,000 cases (five pages of
 *      200, its largest page); and a one-day start_date/end_date window, which the queue has no filter for;
 *  (b) POST requests (form-urlencoded, api_key) at 32 concurrent clients against POST /api/v1/cases (JSON,
 *      session and CSRF token).
 * Both sides go through Fastify's inject in this process, so neither pays for a network client and the ratio
 * is the cost of the Open311 layer (parsing, key check, private contact row, the spec's document) itself.
 * Run: npm run bench:open311   (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres; it
 * creates and drops its own database, gridgov_bench_open311; BENCH_OPEN_CASES sets the size, default 1,000,000)
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from '../src/server/app.ts';
import { systemClock } from '../src/server/clock.ts';
import { loadConfig } from '../src/server/config.ts';
import { createDatabase } from '../src/server/db/database.ts';
import { migrateToLatest } from '../src/server/db/migrate.ts';
import { createServices } from '../src/server/deps.ts';
import { systemActor } from '../src/server/modules/people/actor.ts';
import { TERRITORY } from '../src/server/testing/factories.ts';
import { freshDatabase, loadOpenCases, seedBenchTown } from './bench-town.ts';
import { intakePoint } from './intake-client.ts';
import { percentile, runConcurrently } from './load.ts';

const DATABASE = 'gridgov_bench_open311';
const OPEN_CASES = Number(process.env.BENCH_OPEN_CASES ?? 1_000_000);
const QUERY_RUNS = 100;
const CLIENTS = 32;
// Under the largest per-key limit (10,000 a minute), warm-up included.
const POSTS = 3_200;
const PASSWORD = 'Bench-pass-2026';

const ms = (n: number) => `${n.toFixed(1)} ms`;
const line = (label: string, value: string) => console.log(`${`${label}:`.padEnd(48)}${value}`);

async function timeRuns(run: () => Promise<void>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 5; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < QUERY_RUNS; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

async function expectOk(app: FastifyInstance, options: InjectOptions) {
  const response = await app.inject(options);
  if (response.statusCode !== 200 && response.statusCode !== 201) {
    throw new Error(`${JSON.stringify(options).slice(0, 200)} → ${response.statusCode} ${response.body}`);
  }
  return response;
}

async function main() {
  const database = await freshDatabase(DATABASE);
  const handle = await createDatabase({ databaseUrl: database.url, dataDir: '', poolSize: CLIENTS + 4 });
  const { db } = handle;
  await migrateToLatest(db);
  const config = {
    ...loadConfig({}),
    dataDir: mkdtempSync(join(tmpdir(), 'gridgov-bench-')),
    loadDemo: false,
  };
  const services = createServices({ db, backend: 'postgres', clock: systemClock, config });
  const system = systemActor('bench');
  const town = await seedBenchTown(services, system);
  const admin = await services.people.createUser(system, {
    username: 'bench-admin',
    displayName: '压测管理员',
    role: 'administrator',
    regionCode: TERRITORY.town,
    password: PASSWORD,
  });
  const adminActor = (
    await services.auth.login({
      username: admin.username,
      password: PASSWORD,
      ip: null,
      userAgent: null,
      locale: 'zh-CN',
    })
  ).session.actor;
  const { key } = await services.apiKeys.createKey(adminActor, {
    name: '压测客户端',
    rateLimitPerMinute: 10_000,
  });
  const loadSeconds = await loadOpenCases(db, town, OPEN_CASES);

  const app = await buildApp({ services, config, backend: 'postgres', version: 'bench' });
  const login = await expectOk(app, {
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: admin.username, password: PASSWORD },
  });
  const session = {
    cookie: `gridgov_session=${login.cookies.find((c) => c.name === 'gridgov_session')?.value ?? ''}`,
    'x-csrf-token': (login.json() as { csrfToken: string }).csrfToken,
  };
  const serviceCode = '06010';

  // (a) Reading.
  let windowCount = 0;
  const open311List = (query: string, atLeast: number) => async () => {
    const response = await expectOk(app, { url: `/open311/v2/requests.json?${query}` });
    const count = (response.json() as unknown[]).length;
    if (count < atLeast)
      throw new Error(`requests.json?${query}: ${count} requests, expected ${atLeast} or more`);
    windowCount = count;
  };
  const queuePages = async () => {
    for (let page = 1; page <= 5; page++) {
      const response = await expectOk(app, {
        url: `/api/v1/cases?categoryId=${town.category.id}&page=${page}&pageSize=200`,
        headers: { cookie: session.cookie },
      });
      if ((response.json() as { items: unknown[] }).items.length !== 200) throw new Error('short queue page');
    }
  };
  const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString();
  const byCode = await timeRuns(open311List(`service_code=${serviceCode}`, 1_000));
  const openByCode = await timeRuns(open311List(`service_code=${serviceCode}&status=open`, 1_000));
  const windowed = await timeRuns(open311List(`start_date=${day(11)}&end_date=${day(10)}`, 1));
  const queue = await timeRuns(queuePages);

  console.log(
    `\n(a) GET requests.json over ${OPEN_CASES.toLocaleString('en')} cases (loaded in ${loadSeconds.toFixed(1)} s)`,
  );
  line('service_code, newest 1,000', `p50 ${ms(byCode.p50)}, p99 ${ms(byCode.p99)}`);
  line('service_code + status=open, newest 1,000', `p50 ${ms(openByCode.p50)}, p99 ${ms(openByCode.p99)}`);
  line(
    `start_date/end_date, one day (${windowCount.toLocaleString('en')})`,
    `p50 ${ms(windowed.p50)}, p99 ${ms(windowed.p99)}`,
  );
  line('internal queue, same 1,000 (5 pages of 200)', `p50 ${ms(queue.p50)}, p99 ${ms(queue.p99)}`);
  line('ratio Open311 / internal (p50, service_code)', `${(byCode.p50 / queue.p50).toFixed(2)}×`);

  // (b) Writing.
  const open311Post = async (i: number) => {
    const { lon, lat } = intakePoint(i);
    await expectOk(app, {
      method: 'POST',
      url: '/open311/v2/requests.json',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        api_key: key,
        service_code: serviceCode,
        lat: String(lat),
        long: String(lon),
        description: `Open311 压测上报 ${i}`,
      }).toString(),
    });
  };
  const internalPost = async (i: number) => {
    const { lon, lat } = intakePoint(POSTS * 2 + i);
    await expectOk(app, {
      method: 'POST',
      url: '/api/v1/cases',
      headers: session,
      payload: {
        clientKey: randomUUID(),
        categoryId: town.category.id,
        description: `内部压测上报 ${i}`,
        lon,
        lat,
      },
    });
  };
  const warm = POSTS / 10;
  await runConcurrently(CLIENTS, warm, (i) => open311Post(POSTS + i));
  await runConcurrently(CLIENTS, warm, (i) => internalPost(POSTS + i));
  const posted = await runConcurrently(CLIENTS, POSTS - warm, open311Post);
  const internal = await runConcurrently(CLIENTS, POSTS - warm, internalPost);

  console.log(
    `\n(b) POST requests, ${CLIENTS} concurrent clients, ${(POSTS - warm).toLocaleString('en')} each`,
  );
  line(
    'Open311 POST requests.json',
    `${posted.perSecond.toFixed(0)} requests/s, p50 ${ms(posted.p50)}, p99 ${ms(posted.p99)}`,
  );
  line(
    'internal POST /api/v1/cases',
    `${internal.perSecond.toFixed(0)} cases/s, p50 ${ms(internal.p50)}, p99 ${ms(internal.p99)}`,
  );
  line(
    'ratio Open311 / internal (throughput)',
    `${((posted.perSecond / internal.perSecond) * 100).toFixed(1)} %`,
  );
  console.log(
    JSON.stringify({
      bench: 'open311',
      openCases: OPEN_CASES,
      listP99: { serviceCode: byCode.p99, open: openByCode.p99, window: windowed.p99, internal: queue.p99 },
      postPerSecond: Math.round(posted.perSecond),
      internalPerSecond: Math.round(internal.perSecond),
    }),
  );

  await app.close();
  await handle.close();
  await database.drop();
}

await main();
