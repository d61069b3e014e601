/**
 * The monthly ranking (月排名) at district scale, on the PostgreSQL server: every village and every department of
 * the demo town ranked over last month, with 10,000,000 cases' facts in the database (a year of a district), read
 * from the kept day and month counts, against the same counts taken by a plain GROUP BY over the per-case facts
 * table in the same run.
 *
 * The cases' facts are loaded directly (generate_series), as the `case-facts` job would have written them, and
 * the counts are built by the rebuild's own statement. The `cases` rows themselves are not loaded: the ranking
 * never reads them, and a plain GROUP BY over them would have to reconstruct each timeline — the baseline here
 * (one row per case with its dates already derived) is the cheaper and so the stricter comparison. The foreign
 * key from the facts to the cases is dropped in the bench database for that reason.
 *
 * Run: npm run bench:evaluation   (BENCH_DATABASE_URL as bench/cases; BENCH_EVAL_CASES, default 10,000,000)
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { systemClock } from '../src/server/clock.ts';
import { loadConfig } from '../src/server/config.ts';
import { createDatabase, type Db, withLongStatements } from '../src/server/db/database.ts';
import { migrateToLatest } from '../src/server/db/migrate.ts';
import { DEMO_DEPARTMENTS } from '../src/server/db/seed/demo-town.ts';
import { createServices } from '../src/server/deps.ts';
import { rebuildCounts } from '../src/server/modules/evaluation/facts.repository.ts';
import { lastMonth, periodInstants } from '../src/server/modules/evaluation/indicator-period.ts';
import { type Actor, systemActor } from '../src/server/modules/people/actor.ts';
import { ADMIN_URL, freshDatabase } from './bench-town.ts';
import { percentile } from './load.ts';

const DATABASE = 'gridgov_bench_evaluation';
const CASES = Number(process.env.BENCH_EVAL_CASES ?? 10_000_000);
const CHUNK = 1_000_000;
const RUNS = Number(process.env.BENCH_EVAL_RUNS ?? 100);
const BASELINE_RUNS = Number(process.env.BENCH_EVAL_BASELINE_RUNS ?? 5);
const TOWN = '440605121';

const ms = (n: number) => `${n.toFixed(1)} ms`;
const line = (label: string, value: string) => console.log(`${`${label}:`.padEnd(46)}${value}`);

async function time(runs: number, work: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await work();
    times.push(performance.now() - t);
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/** BENCH_EVAL_REUSE=1 times a database a run with BENCH_KEEP_DATABASE=1 left, without loading it again. */
async function reusable(): Promise<{ url: string; drop: () => Promise<void> } | null> {
  if (!process.env.BENCH_EVAL_REUSE) return null;
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DATABASE}`;
  const client = new pg.Client({ connectionString: url.toString() });
  const ok = await client.connect().then(
    () => true,
    () => false,
  );
  if (ok) await client.end();
  return ok ? { url: url.toString(), drop: async () => {} } : null;
}

async function main() {
  const reused = await reusable();
  const database = reused ?? (await freshDatabase(DATABASE));
  const handle = await createDatabase({ databaseUrl: database.url, dataDir: '', poolSize: 4 });
  const { db } = handle;
  await migrateToLatest(db);
  const config = {
    ...loadConfig({}),
    dataDir: mkdtempSync(join(tmpdir(), 'gridgov-bench-')),
    loadDemo: false,
  };
  const services = createServices({ db, backend: 'postgres', clock: systemClock, config });
  if (!reused) await load(services, db, database.url);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const villages = (
    await client.query<{ code: string }>(
      `select code from regions where code like $1 and length(code) = 12`,
      [`${TOWN}%`],
    )
  ).rows.map((r) => r.code);
  const suffix = `-${Date.now()}`;
  const leader = await readerOf(services, `bench-leader${suffix}`, 'leader', TOWN);
  const dispatcher = await readerOf(services, `bench-dispatcher${suffix}`, 'dispatcher', TOWN);
  const village = await readerOf(services, `bench-village${suffix}`, 'leader', villages[0] ?? TOWN);
  const month = lastMonth(new Date());
  console.log(`\nmonthly ranking ${month.from} – ${month.to}, ${RUNS} runs each`);
  const results: Record<string, { p50: number; p99: number }> = {};
  for (const [label, actor, unit] of [
    ['town leader, villages', leader, 'village'],
    ['town leader, departments', leader, 'department'],
    ['dispatcher, departments', dispatcher, 'department'],
    ['village leader, departments', village, 'department'],
    ['town leader, workers', leader, 'worker'],
    ['village leader, workers', village, 'worker'],
  ] as const) {
    await services.rankings.getRanking(actor, { ...month, unit, sortBy: 'composite' });
    results[label] = await time(RUNS, () =>
      services.rankings.getRanking(actor, { ...month, unit, sortBy: 'composite' }),
    );
    line(label, `p50 ${ms(results[label].p50)}, p99 ${ms(results[label].p99)}`);
  }

  // The same counts per village and per department by one GROUP BY over the facts of every case.
  const { start, end: monthEnd } = periodInstants(month);
  const dated = (column: string, when = 'true') =>
    `count(*) filter (where ${column} >= $1 and ${column} < $2 and ${when})`;
  const plain = (key: string) => `
    select ${key} as key, ${dated('reported_at')}, ${dated('registered_at')},
      ${dated('registered_at', 'registered_on_time')}, ${dated('dispatched_at')}, ${dated('dispatched_at', 'returned')},
      ${dated('handled_at')}, ${dated('handled_at', 'handled_on_time')}, ${dated('handled_at', 'reworked_at is not null')},
      ${dated('handled_at', 'extended_at is not null')}, ${dated('closed_at')}, ${dated('closed_at', 'closed_on_time')},
      ${dated('closed_at', 'score is not null')}, ${dated('closed_at', 'score >= 4')},
      sum(handling_minutes) filter (where handled_at >= $1 and handled_at < $2),
      count(*) filter (where overdue @> $2::timestamptz)
    from case_facts group by 1`;
  await client.query('set statement_timeout = 0');
  const baseline: Record<string, { p50: number; p99: number }> = {};
  for (const [label, key] of [
    ['villages', 'left(region_code, 12)'],
    ['departments', 'department_id'],
  ] as const) {
    baseline[label] = await time(BASELINE_RUNS, () => client.query(plain(key), [start, monthEnd]));
    line(`plain GROUP BY, ${label}`, `p50 ${ms(baseline[label].p50)}, p99 ${ms(baseline[label].p99)}`);
  }
  const villagesRatio = (baseline.villages?.p50 ?? 0) / (results['town leader, villages']?.p50 ?? 1);
  const departmentsRatio = (baseline.departments?.p50 ?? 0) / (results['town leader, departments']?.p50 ?? 1);
  line('ratio plain / kept counts, villages', `${villagesRatio.toFixed(1)}× (p50)`);
  line('ratio plain / kept counts, departments', `${departmentsRatio.toFixed(1)}× (p50)`);
  console.log(
    JSON.stringify({ bench: 'evaluation', cases: CASES, results, baseline, villagesRatio, departmentsRatio }),
  );
  await client.end();
  await handle.close();
  // BENCH_KEEP_DATABASE=1 leaves the database for a look at the plans (psql gridgov_bench_evaluation).
  if (!process.env.BENCH_KEEP_DATABASE) await database.drop();
  process.exit(0);
}

/** Divisions, departments, then the facts of CASES cases and their counts. */
async function load(services: ReturnType<typeof createServices>, db: Db, url: string) {
  const system = systemActor('bench');
  await services.territory.importDivisions(system, {
    csv: readFileSync(new URL('../src/server/db/seed/data/foshan-divisions.csv', import.meta.url), 'utf8'),
  });
  const departmentIds: number[] = [];
  for (const d of DEMO_DEPARTMENTS)
    departmentIds.push((await services.people.createDepartment(system, { ...d, regionCode: TOWN })).id);

  // The load: a plain client without the server's statement timeout.
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const villages = (
    await client.query<{ code: string }>(
      `select code from regions where code like $1 and length(code) = 12`,
      [`${TOWN}%`],
    )
  ).rows.map((r) => r.code);
  const t0 = performance.now();
  await client.query('alter table case_facts drop constraint case_facts_case_id_fkey');
  const indexes = (
    await client.query<{ indexdef: string; indexname: string }>(
      `select indexname, indexdef from pg_indexes where tablename = 'case_facts' and indexname <> 'case_facts_pkey'`,
    )
  ).rows;
  for (const index of indexes) await client.query(`drop index ${index.indexname}`);
  // A year up to the end of last month; outcomes by a hash of the case number: 80 % handled on time, 10 % late,
  // 4 % reworked, 2 % extended, 2 % pending past the deadline for a month, 2 % not handled; residents rate.
  // Grid workers (on patrol or not) and inspectors find half the cases.
  const { end } = periodInstants(lastMonth(new Date()));
  const yearStart = new Date(end.getTime() - 365 * 86_400_000);
  const step = (end.getTime() - yearStart.getTime()) / CASES;
  for (let first = 1; first <= CASES; first += CHUNK) {
    const last = Math.min(CASES, first + CHUNK - 1);
    await client.query(
      `insert into case_facts (case_id, region_code, department_id, source, reporter_id, worker_id, reported_at,
         registered_at, registered_on_time, dispatched_at, returned, handled_at, handled_on_time, handling_minutes,
         reworked_at, extended_at, closed_at, closed_on_time, score, overdue)
       select i, v, d, s, w, case when s in ('gridWorker', 'patrol', 'inspector') then w end, t, t + interval '1 hour', r <> 13, t + interval '2 hours', i % 37 = 0,
         case when r < 80 or r between 90 and 95 then t + interval '1 day'
              when r < 90 then t + interval '5 days'
              when r between 96 and 97 then t + interval '30 days' end,
         r < 80 or r between 90 and 95,
         case when r < 98 then 240 + h % 600 end,
         case when r between 90 and 93 then t + interval '12 hours' end,
         case when r between 94 and 95 then t + interval '12 hours' end,
         case when r < 98 then t + interval '2 days' end,
         r < 80 or r between 90 and 95,
         case when s in ('resident', 'hotline') and r < 98 then 1 + h % 5 end,
         case when r between 96 and 97
           then tstzmultirange(tstzrange(t + interval '3 days', t + interval '30 days'))
           else '{}' end
       from (
         select i, t, h, h % 100 as r,
           ($2::text[])[1 + h % array_length($2::text[], 1)] || lpad((1 + (h / 100) % 9)::text, 3, '0') as v,
           ($3::int[])[1 + (h / 1000) % array_length($3::int[], 1)] as d,
           (array['gridWorker', 'patrol', 'gridWorker', 'resident', 'hotline', 'inspector', 'api'])[1 + (h / 7) % 7] as s,
           -- Two workers per grid (ids that stand for users; the facts table does not refer to them).
           1 + 2 * ((h % array_length($2::text[], 1)) * 9 + (h / 100) % 9) + (h / 10000) % 2 as w
         from (
           select i, $4::timestamptz + (i * $5::float8) * interval '1 millisecond' as t,
             abs(hashint8(i)) as h
           from generate_series($1::bigint, $6::bigint) as i) g) x`,
      [first, villages, departmentIds, yearStart, step, last],
    );
    process.stdout.write(`\rloaded ${last.toLocaleString('en')} facts`);
  }
  for (const index of indexes) await client.query(index.indexdef);
  await client.query('analyze case_facts');
  const loadSeconds = (performance.now() - t0) / 1000;
  const c0 = performance.now();
  const counted = await withLongStatements(db, async (trx) => {
    await sql`set local statement_timeout = 0`.execute(trx);
    return rebuildCounts(trx);
  });
  await client.query('analyze evaluation_counts');
  const countSeconds = (performance.now() - c0) / 1000;
  console.log(
    `\n${CASES.toLocaleString('en')} case facts loaded in ${loadSeconds.toFixed(0)} s; ` +
      `${counted.buckets.toLocaleString('en')} count rows built in ${countSeconds.toFixed(0)} s`,
  );
  await client.end();
}

async function readerOf(
  services: ReturnType<typeof createServices>,
  username: string,
  role: 'leader' | 'dispatcher',
  regionCode: string,
): Promise<Actor> {
  await services.people.createUser(systemActor('bench'), {
    username,
    displayName: username,
    role,
    regionCode,
    password: 'Bench-pass-2026',
  });
  const { session } = await services.auth.login({
    username,
    password: 'Bench-pass-2026',
    ip: null,
    userAgent: null,
    locale: 'zh-CN',
  });
  return session.actor;
}

await main();
