/**
 * Household-visit coverage at town scale: a campaign over 100,000 households of two communities (20 leaf
 * grids) with 60,000 of them visited. Times the product's coverage service — per grid of each community, and
 * the town per community — for an administrator of the town and for a grid worker of one community (their
 * scope applied), against the same per-grid counts as one plain SQL query over the raw visits, in the same run;
 * and checks both give the same figures.
 * Run: npm run bench:forms   (PGlite always; PostgreSQL too when DATABASE_URL or TEST_DATABASE_URL is set: it
 * creates and drops its own database, gridgov_bench_forms. BENCH_HOUSEHOLDS, default 100,000; BENCH_VISITS,
 * default 60,000; BENCH_RUNS timed runs each, default 7; BENCH_BACKENDS=pglite or postgres runs one)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { systemClock } from '../src/server/clock.ts';
import { loadConfig } from '../src/server/config.ts';
import { createDatabase, type DatabaseHandle } from '../src/server/db/database.ts';
import { migrateToLatest } from '../src/server/db/migrate.ts';
import { createServices } from '../src/server/deps.ts';
import { syntheticHouseholds } from '../src/server/modules/forms/household-visit-synthetic.ts';
import { type Actor, systemActor } from '../src/server/modules/people/actor.ts';
import { DIVISIONS_CSV, feature, rectangle, TERRITORY } from '../src/server/testing/factories.ts';
import { percentile } from './load.ts';

const HOUSEHOLDS = Number(process.env.BENCH_HOUSEHOLDS ?? 100_000);
const VISITS = Number(process.env.BENCH_VISITS ?? 60_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const GRIDS_PER_VILLAGE = 10;
const VILLAGES = [
  { code: TERRITORY.heqing, name: '河清社区', west: 112.94 },
  { code: TERRITORY.yingming, name: '英明社区', west: 112.96 },
];
const SERVER_URL = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const PASSWORD = 'Bench-pass-2026';
/** BENCH_BACKENDS=pglite or postgres runs one of them. */
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'pglite,postgres').split(',').map((b) => b.trim());

const ms = (t0: number) => performance.now() - t0;
const median = (values: number[]) => percentile(values, 50);

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; result: T }> {
  let result = await run(); // warm-up: plans, caches
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    result = await run();
    times.push(ms(t0));
  }
  return { ms: median(times), result };
}

async function benchBackend(label: string, handle: DatabaseHandle, dataDir: string): Promise<void> {
  const { db } = handle;
  await migrateToLatest(db);
  const config = { ...loadConfig({}), dataDir, loadDemo: false };
  const services = createServices({ db, backend: handle.backend, clock: systemClock, config });
  const system = systemActor('bench');

  // Two communities of ten leaf grids each, side by side.
  await services.territory.importDivisions(system, { csv: DIVISIONS_CSV });
  const grids = VILLAGES.flatMap((v) =>
    Array.from({ length: GRIDS_PER_VILLAGE }, (_, i) => ({
      code: `${v.code}001${String(i + 1).padStart(3, '0')}`,
      villageName: v.name,
      bbox: [v.west + i * 0.002, 22.84, v.west + (i + 1) * 0.002, 22.86] as [number, number, number, number],
    })),
  );
  await services.territory.importBoundaries(system, {
    crs: 'wgs84',
    geojson: {
      type: 'FeatureCollection',
      features: [
        feature(TERRITORY.town, rectangle(112.94, 22.84, 112.98, 22.86)),
        ...VILLAGES.flatMap((v) => [
          feature(v.code, rectangle(v.west, 22.84, v.west + 0.02, 22.86)),
          feature(`${v.code}001`, rectangle(v.west, 22.84, v.west + 0.02, 22.86), '综合网格'),
        ]),
        ...grids.map((g, i) => feature(g.code, rectangle(...g.bbox), `第${(i % GRIDS_PER_VILLAGE) + 1}网格`)),
      ],
    },
  });

  let t0 = performance.now();
  await services.registry.loadSynthetic(
    system,
    syntheticHouseholds(grids, Math.ceil(HOUSEHOLDS / grids.length)),
  );
  const registryS = ms(t0) / 1000;

  const now = new Date();
  const form = await db
    .insertInto('forms')
    .values({
      code: 'bench-visit',
      title: JSON.stringify({ zh: '三询问一完善' }),
      region_code: TERRITORY.town,
      county_code: '440605',
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('form_versions')
    .values({
      form_id: form.id,
      version: 1,
      title: JSON.stringify({ zh: '三询问一完善' }),
      definition: JSON.stringify({
        questions: [{ name: 'safe', type: 'yesNo', label: { zh: '居家是否安全' }, required: true }],
      }),
      published_at: now,
      created_at: now,
    })
    .execute();
  const campaign = await services.householdVisits.createCampaign(system, {
    name: '三询问一完善（基准）',
    formId: form.id,
    regionCodes: VILLAGES.map((v) => v.code),
    unit: 'household',
    startsOn: '2026-01-01',
    endsOn: '2026-12-31',
  });
  const visitor = await services.people.createUser(system, {
    username: 'bench-visitor',
    displayName: '基准网格员',
    role: 'gridWorker',
    regionCode: TERRITORY.heqing,
    password: PASSWORD,
  });

  // 60,000 visits over 30 days, written in one statement as the visit service would leave them (a visit, and its
  // household counted visited); a tenth of the households visited twice.
  t0 = performance.now();
  await sql`
    with households as (
      select house_id as unit_id, coalesce(household_no, '') as household_no, min(region_code) as region_code,
             row_number() over (order by house_id, coalesce(household_no, '')) as n
      from registry_residents group by 1, 2),
    chosen as (
      select *, timestamptz '2026-06-01 02:00:00+00' + (n % 30) * interval '1 day' as at
      from households where n <= ${VISITS})
    insert into household_visits (client_key, campaign_id, unit_id, household_no, region_code, county_code,
      user_id, visited_at, day, answers, created_at)
    select 'bench-' || n, ${campaign.id}, unit_id, household_no, region_code, '440605', ${visitor.id}, at,
           (at at time zone 'Asia/Shanghai')::date, '{"safe":"yes"}', at
    from chosen`.execute(db);
  await sql`
    insert into household_visit_households (campaign_id, unit_id, household_no, first_visited_at, first_day,
      last_visited_at, visits)
    select campaign_id, unit_id, household_no, min(visited_at), min(day), max(visited_at), count(*)
    from household_visits where campaign_id = ${campaign.id} group by 1, 2, 3`.execute(db);
  await sql`analyze`.execute(db);
  const visitsS = ms(t0) / 1000;

  const signIn = async (
    username: string,
    role: 'administrator' | 'gridWorker',
    regionCode: string,
  ): Promise<Actor> => {
    await services.people.createUser(system, {
      username,
      displayName: username,
      role,
      regionCode,
      password: PASSWORD,
    });
    const { session } = await services.auth.login({
      username,
      password: PASSWORD,
      ip: null,
      userAgent: null,
      locale: 'zh-CN',
    });
    return session.actor;
  };
  const admin = await signIn('bench-admin', 'administrator', TERRITORY.town);
  const worker = await signIn('bench-worker', 'gridWorker', TERRITORY.heqing);

  /** Per-grid counts straight from the raw visits: what a spreadsheet person would write. */
  const plain = (prefixes: readonly string[]) =>
    sql<{ code: string; households: number; visited: number }>`
      select r.region_code as code,
             count(distinct (r.house_id, coalesce(r.household_no, '')))::int as households,
             count(distinct (v.unit_id, v.household_no)) filter (where v.unit_id is not null)::int as visited
      from registry_residents as r
      left join household_visits as v
        on v.campaign_id = ${campaign.id} and v.unit_id = r.house_id and v.household_no = coalesce(r.household_no, '')
      where ${sql.join(
        prefixes.map((p) => sql`r.region_code like ${`${p}%`}`),
        sql` or `,
      )}
      group by 1 order by 1`.execute(db);

  const perGrid = async (actor: Actor, villages: readonly string[]) =>
    (
      await Promise.all(villages.map((code) => services.householdVisits.coverage(actor, campaign.id, code)))
    ).flatMap((c) => c.rows);
  const villages = VILLAGES.map((v) => v.code);
  const adminGrids = await timed(() => perGrid(admin, villages));
  const workerGrids = await timed(() => services.householdVisits.coverage(worker, campaign.id));
  const town = await timed(() => services.householdVisits.coverage(admin, campaign.id));
  const plainAll = await timed(() => plain(villages));
  const plainHeqing = await timed(() => plain([TERRITORY.heqing]));
  const byDay = await timed(() => services.householdVisits.coverageByDay(admin, campaign.id));

  const same = (a: { code: string; households: number; visited: number }[], b: typeof a) =>
    JSON.stringify(a.map((r) => [r.code, r.households, r.visited])) ===
    JSON.stringify(b.map((r) => [r.code, r.households, r.visited]));
  const households = town.result.root.households;
  const visited = town.result.root.visited;
  console.log(`\n${label}`);
  console.log(
    `  registry: ${households.toLocaleString('en')} households (${town.result.root.residents.toLocaleString('en')} residents) ` +
      `in ${grids.length} grids, loaded in ${registryS.toFixed(1)} s; ${visited.toLocaleString('en')} households visited ` +
      `(visits written in ${visitsS.toFixed(1)} s)`,
  );
  const row = (what: string, t: number, base: number) =>
    console.log(
      `  ${what.padEnd(58)} ${t.toFixed(1).padStart(8)} ms   ×${(t / base).toFixed(2)} of plain SQL`,
    );
  row('coverage per grid, both communities (administrator)', adminGrids.ms, plainAll.ms);
  row('coverage per grid, own community (grid worker of 河清)', workerGrids.ms, plainHeqing.ms);
  row('coverage per community, town (administrator)', town.ms, plainAll.ms);
  row('coverage by day, 30 days (administrator)', byDay.ms, plainAll.ms);
  console.log(
    `  ${'plain SQL per grid, both communities'.padEnd(58)} ${plainAll.ms.toFixed(1).padStart(8)} ms`,
  );
  console.log(`  ${'plain SQL per grid, 河清'.padEnd(58)} ${plainHeqing.ms.toFixed(1).padStart(8)} ms`);
  const firstDiff = adminGrids.result.find((r, i) => {
    const p = plainAll.result.rows[i];
    return !p || p.code !== r.code || p.households !== r.households || p.visited !== r.visited;
  });
  if (firstDiff) {
    const p = plainAll.result.rows.find((r) => r.code === firstDiff.code);
    console.log(`  first difference: ${JSON.stringify(firstDiff)} vs plain ${JSON.stringify(p)}`);
  }
  console.log(
    `  same figures as plain SQL: administrator ${same(adminGrids.result, plainAll.result.rows) ? 'yes' : 'NO'}, ` +
      `grid worker ${same(workerGrids.result.rows, plainHeqing.result.rows) ? 'yes' : 'NO'}`,
  );
}

async function main() {
  console.log(
    `bench/forms: coverage of a visit campaign over ${HOUSEHOLDS.toLocaleString('en')} households with ` +
      `${VISITS.toLocaleString('en')} visited; median of ${RUNS} runs after a warm-up`,
  );
  if (BACKENDS.includes('pglite')) {
    const dataDir = mkdtempSync(join(tmpdir(), 'gridgov-bench-forms-'));
    const pglite = await createDatabase({ dataDir: join(dataDir, 'db') });
    try {
      await benchBackend('PGlite (embedded)', pglite, dataDir);
    } finally {
      await pglite.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  if (!SERVER_URL || !BACKENDS.includes('postgres')) {
    console.log('\nPostgreSQL: skipped (set DATABASE_URL or TEST_DATABASE_URL)');
    return;
  }
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query('drop database if exists gridgov_bench_forms with (force)');
  await admin.query('create database gridgov_bench_forms');
  const url = new URL(SERVER_URL);
  url.pathname = '/gridgov_bench_forms';
  const serverDir = mkdtempSync(join(tmpdir(), 'gridgov-bench-forms-'));
  const server = await createDatabase({
    databaseUrl: url.toString(),
    dataDir: '',
    poolSize: 8,
    statementTimeoutMs: 120_000,
  });
  try {
    await benchBackend('PostgreSQL server', server, serverDir);
  } finally {
    await server.close();
    await admin.query('drop database if exists gridgov_bench_forms with (force)');
    await admin.end();
    rmSync(serverDir, { recursive: true, force: true });
  }
}

await main();
