/**
 * The case loop at district scale, on the PostgreSQL server:
 *  (a) report intake through the HTTP API at 32 concurrent clients, against plain single-row INSERTs of the
 *      same rows into the same table with the same driver, in the same run;
 *  (b) the overdue sweep over 1,000,000 open cases, about 7,400 of them newly overdue (the plain INSERTs' rows
 *      among them), timed SWEEPS times on the same work (sweeps.ts: a single sweep is too noisy a sample);
 *  (c) the dispatcher's queue query over those cases, QUERY_RUNS times.
 * The file also runs against older versions (copy bench/ into a worktree of the commit), to compare them.
 * Run: npm run bench:cases   (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres;
 * it creates and drops its own database, gridgov_bench)
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '../src/server/app.ts';
import { systemClock } from '../src/server/clock.ts';
import { loadConfig } from '../src/server/config.ts';
import { createDatabase } from '../src/server/db/database.ts';
import { migrateToLatest } from '../src/server/db/migrate.ts';
import { createServices } from '../src/server/deps.ts';
import { sealAuditChain } from '../src/server/modules/audit/audit.service.ts';
import { systemActor } from '../src/server/modules/people/actor.ts';
import { TERRITORY } from '../src/server/testing/factories.ts';
import { freshDatabase, loadOpenCases, seedBenchTown } from './bench-town.ts';
import { type IntakeJob, intakePoint } from './intake-client.ts';
import { percentile, runConcurrently } from './load.ts';
import { timeSweeps } from './sweeps.ts';

const DATABASE = 'gridgov_bench';
const CLIENTS = 32;
const REPORTS = Number(process.env.BENCH_REPORTS ?? 6_400);
const OPEN_CASES = Number(process.env.BENCH_OPEN_CASES ?? 1_000_000);
const NEWLY_OVERDUE = 1_000;
const SWEEPS = Number(process.env.SWEEPS ?? 5);
/** The p99 of a thousand runs is the tenth slowest: steadier from run to run than that of 200. */
const QUERY_RUNS = 1_000;

const ms = (n: number) => `${n.toFixed(1)} ms`;
const line = (label: string, value: string) => console.log(`${`${label}:`.padEnd(40)}${value}`);

/** Runs report intake from a worker thread, so the clients do not share the server's event loop. */
function intakeFromWorker(job: IntakeJob): Promise<{ perSecond: number; p50: number; p99: number }> {
  return new Promise((resolve, reject) => {
    // Node 20 does not carry tsx's loader into workers: the worker loads the TypeScript file through tsx's API.
    const api = import.meta.resolve('tsx/esm/api');
    const file = new URL('./intake-client.ts', import.meta.url).href;
    const worker = new Worker(
      `import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(file)}, ${JSON.stringify(file)}))`,
      { eval: true, workerData: job },
    );
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

async function main() {
  const fresh = await freshDatabase(DATABASE);
  const config = {
    ...loadConfig({}),
    dataDir: mkdtempSync(join(tmpdir(), 'gridgov-bench-')),
    loadDemo: false,
  };
  const handle = await createDatabase({
    databaseUrl: fresh.url,
    dataDir: '',
    poolSize: CLIENTS + 4,
  });
  const { db } = handle;
  await migrateToLatest(db);
  const services = createServices({ db, backend: 'postgres', clock: systemClock, config });
  const system = systemActor('bench');
  const town = await seedBenchTown(services, system);
  const { category, grids } = town;
  await services.people.createUser(system, {
    username: 'bench-worker',
    displayName: '压测网格员',
    role: 'gridWorker',
    regionCode: TERRITORY.heqing,
    password: 'Bench-pass-2026',
  });
  const dispatcher = await services.people.createUser(system, {
    username: 'bench-dispatcher',
    displayName: '压测派遣员',
    role: 'dispatcher',
    regionCode: TERRITORY.town,
    password: 'Bench-pass-2026',
  });

  // (a) Intake over HTTP.
  const app = await buildApp({ services, config, backend: 'postgres', version: 'bench' });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const login = await fetch(`${address}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bench-worker', password: 'Bench-pass-2026' }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const job = { address, cookie, csrfToken, categoryId: category.id, clients: CLIENTS };
  const warm = Math.min(200, REPORTS / 10);
  await intakeFromWorker({ ...job, total: warm, first: REPORTS });
  const intake = await intakeFromWorker({ ...job, total: REPORTS, first: 0 });

  const pool = new pg.Pool({ connectionString: fresh.url, max: CLIENTS });
  const now = new Date();
  const baseline = await runConcurrently(CLIENTS, REPORTS, async (i) => {
    const { lon, lat } = intakePoint(i);
    await pool.query(
      `insert into cases (county_code, client_key, source, category_id, region_code, lon, lat, description, state,
         step, step_started_at, step_due_at, reporter_id, created_at, updated_at)
       values ($1, $2, 'gridWorker', $3, $4, $5, $6, $7, 'reported', 'register', $8, $8, null, $8, $8)`,
      [
        TERRITORY.heqing.slice(0, 6),
        randomUUID(),
        category.id,
        grids[i % 4]?.code,
        lon,
        lat,
        `基线 ${i}`,
        now,
      ],
    );
  });
  await app.close();
  // The server seals the audit chain every second, off the reporting path; its cost, measured here at once.
  const sealStart = performance.now();
  const sealedEntries = await sealAuditChain(db);
  const sealMs = performance.now() - sealStart;

  console.log('\n(a) report intake, PostgreSQL, 32 concurrent clients');
  line('reports through the HTTP API', `${REPORTS}`);
  line('API intake', `${intake.perSecond.toFixed(0)} cases/s, p50 ${ms(intake.p50)}, p99 ${ms(intake.p99)}`);
  line(
    'baseline single-row INSERTs',
    `${baseline.perSecond.toFixed(0)} rows/s, p50 ${ms(baseline.p50)}, p99 ${ms(baseline.p99)}`,
  );
  line('ratio API / baseline', `${((intake.perSecond / baseline.perSecond) * 100).toFixed(1)} %`);
  line('audit chain sealing', `${sealedEntries} entries in ${ms(sealMs)}`);

  // (b) and (c): a million open cases, spread over the grids, due from 30 days ago to 30 days ahead.
  const loadSeconds = await loadOpenCases(db, town, OPEN_CASES);
  // A realistic minute: the newest overdue cases are not flagged yet.
  await sql`
    update cases set overdue = false, step_due_at = now() - interval '30 seconds'
    where id in (select id from cases where overdue order by id desc limit ${NEWLY_OVERDUE})`.execute(db);
  await sql`analyze cases`.execute(db);

  const sweeps = await timeSweeps(fresh.url, () => services.cases.sweepOverdue(), SWEEPS);
  const q0 = performance.now();
  const steady = await services.cases.sweepOverdue();
  const steadyMs = performance.now() - q0;
  console.log(
    `\n(b) overdue sweep over ${OPEN_CASES.toLocaleString('en')} open cases (loaded in ${loadSeconds.toFixed(1)} s)`,
  );
  line(
    `sweep with newly overdue cases, ${SWEEPS} runs`,
    `median ${ms(sweeps.median)} (${sweeps.escalated} escalated: flag, timeline entry, inbox)`,
  );
  line('each run', sweeps.times.map((t) => t.toFixed(0)).join(', ') + ' ms');
  line('sweep in a quiet minute', `${ms(steadyMs)} (${steady.length} escalated)`);

  const actor = (
    await services.auth.login({
      username: dispatcher.username,
      password: 'Bench-pass-2026',
      ip: null,
      userAgent: null,
      locale: 'zh-CN',
    })
  ).session.actor;
  const timeQueue = async (label: string, query: Parameters<typeof services.cases.listCases>[1]) => {
    const times: number[] = [];
    for (let run = 0; run < QUERY_RUNS; run++) {
      const t = performance.now();
      await services.cases.listCases(actor, query);
      times.push(performance.now() - t);
    }
    line(label, `p50 ${ms(percentile(times, 50))}, p99 ${ms(percentile(times, 99))}`);
    return percentile(times, 99);
  };
  console.log(
    `\n(c) dispatcher's queue over ${(OPEN_CASES + REPORTS * 2).toLocaleString('en')} cases, ${QUERY_RUNS} runs each`,
  );
  const p99All = await timeQueue('first page, all open', { page: 1, pageSize: 20 });
  const p99State = await timeQueue('first page, state = registered', {
    state: 'registered',
    page: 1,
    pageSize: 20,
  });
  const p99Overdue = await timeQueue('first page, overdue', { deadline: 'overdue', page: 1, pageSize: 20 });

  console.log(
    JSON.stringify({
      bench: 'cases',
      intakePerSecond: Math.round(intake.perSecond),
      intakeP50: intake.p50,
      intakeP99: intake.p99,
      baselinePerSecond: Math.round(baseline.perSecond),
      ratio: intake.perSecond / baseline.perSecond,
      sweepMs: sweeps.median,
      sweepTimes: sweeps.times,
      steadySweepMs: steadyMs,
      queueP99: { all: p99All, state: p99State, overdue: p99Overdue },
    }),
  );
  await pool.end();
  await handle.close();
  await fresh.drop();
}

await main();
