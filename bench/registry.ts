/**
 * The registry at district scale: importing 1,000,000 residents from a CSV file, on the embedded database and on
 * the PostgreSQL server, and searching them.
 *  (a) import rate (rows/s) through the import service (parse, check, dedupe, place, upsert, audit), against a
 *      plain multi-row INSERT of the same rows into a bare table with the same driver, and against the database
 *      alone copying the imported rows into the same schema (its indexes and keys: the ceiling), in the same run;
 *  (b) peak memory of the import process for 100,000 and for 1,000,000 rows (flat in file size: the file is
 *      streamed, the batch is what is held);
 *  (c) search latency p50/p99 over the million for a name, an ID number and an address fragment, for an
 *      administrator and a leader of the town and a grid worker of one village, each a real user signed in (so
 *      masking, care tags and scope apply as they do to them), and each role's p99 against the administrator's.
 *      The tables are searched as the import left them: it analyses what it filled, no manual ANALYZE.
 * Each import runs in its own process, so its peak RSS is its own.
 * Run: npm run bench:registry   (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres; it
 * creates and drops its own database, gridgov_bench_registry; BENCH_ROWS sets the large size, default 1,000,000,
 * the small one a tenth of it; BENCH_BACKENDS=pglite or postgres runs one backend; BENCH_SEARCH_RUNS the searches
 * timed per role and kind, default 200)
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse';
import { sql } from 'kysely';
import pg from 'pg';
import { systemClock } from '../src/server/clock.ts';
import { loadConfig } from '../src/server/config.ts';
import { createDatabase, type DatabaseHandle, withLongStatements } from '../src/server/db/database.ts';
import { migrateToLatest } from '../src/server/db/migrate.ts';
import { createServices, type Services } from '../src/server/deps.ts';
import { type Actor, systemActor } from '../src/server/modules/people/actor.ts';
import { DIVISIONS_CSV, feature, rectangle, TERRITORY } from '../src/server/testing/factories.ts';
import { idNumberCheckChar } from '../src/shared/registry-validation.ts';
import type { Role } from '../src/shared/roles.ts';
import { percentile } from './load.ts';

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE = 'gridgov_bench_registry';
const LARGE = Number(process.env.BENCH_ROWS ?? 1_000_000);
const SMALL = Math.round(LARGE / 10);
const SEARCH_RUNS = Number(process.env.BENCH_SEARCH_RUNS ?? 200);
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'postgres,pglite').split(',').map((b) => b.trim()) as (
  | 'pglite'
  | 'postgres'
)[];
const ROLES = ['administrator', 'leader', 'gridWorker'] as const;
type BenchRole = (typeof ROLES)[number];
const SEARCH_KINDS = [
  ['name', 'searchName'],
  ['ID number', 'searchIdNumber'],
  ['address fragment', 'searchAddress'],
] as const;
const WARM_UP = 20;
const WORK_DIR = join(tmpdir(), 'gridgov-bench-registry');

const SURNAMES = '陈李黄张梁何关冯潘罗吴邓谭麦区岑伍郑钟卢朱刘杨林叶王周曾余苏莫胡赖'.split('');
const GIVEN = '志伟丽敏芳华强军燕玲辉杰婷明新建国海霞凤英伦嘉俊文秀慧家宝荣锦'.split('');
const ROADS = ['大道', '东路', '西路', '南路', '北路', '中路', '大街', '新街', '一巷', '二巷'];
// The four leaf grids of the test territory (src/server/testing/factories.ts).
const GRIDS = [
  { village: '河清', west: 112.94 },
  { village: '河清', west: 112.95 },
  { village: '英明', west: 112.96 },
  { village: '英明', west: 112.97 },
];
const HEADER = '姓名,身份证号,联系电话,人口类型,户号,与户主关系,街路巷,门牌号,楼栋,户室,经度,纬度';

/** The i-th synthetic resident: three to a dwelling, valid and unique ID numbers, points inside their grid. */
function residentRow(i: number): {
  cells: string[];
  name: string;
  idNumber: string;
  road: string;
  number: number;
} {
  const dwelling = Math.floor(i / 3);
  const grid = GRIDS[dwelling % GRIDS.length] ?? GRIDS[0];
  const road = `${grid?.village}${ROADS[Math.floor(dwelling / 4) % ROADS.length]}`;
  const number = (Math.floor(dwelling / 40) % 2000) + 1;
  const building = Math.floor(dwelling / 80_000) + 1;
  const room = `${(dwelling % 10) + 1}0${(Math.floor(dwelling / 10) % 4) + 1}`;
  const born = new Date(Date.UTC(1940, 0, 1) + (i % 30_000) * 86_400_000)
    .toISOString()
    .slice(0, 10)
    .replaceAll('-', '');
  const first17 = `440605${born}${String(Math.floor(i / 30_000)).padStart(3, '0')}`;
  const idNumber = `${first17}${idNumberCheckChar(first17)}`;
  const name = `${SURNAMES[i % SURNAMES.length]}${GIVEN[Math.floor(i / 7) % GIVEN.length]}${GIVEN[Math.floor(i / 13) % GIVEN.length]}`;
  const lon = ((grid?.west ?? 112.94) + 0.001 + ((dwelling * 7919) % 8000) / 1_000_000).toFixed(6);
  const lat = (22.841 + ((dwelling * 104_729) % 18_000) / 1_000_000).toFixed(6);
  const floating = i % 4 === 3;
  return {
    cells: [
      name,
      idNumber,
      i % 5 === 0 ? '' : `1999${String(i).padStart(7, '0')}`,
      floating ? '流动' : '户籍',
      floating ? '' : `H${dwelling}`,
      i % 3 === 0 ? '户主' : i % 3 === 1 ? '配偶' : '子女',
      road,
      String(number),
      String(building),
      room,
      lon,
      lat,
    ],
    name,
    idNumber,
    road,
    number,
  };
}

async function writeCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(`${HEADER}\n`);
  for (let i = 0; i < rows; i++) {
    if (!out.write(`${residentRow(i).cells.join(',')}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function openBackend(backend: 'pglite' | 'postgres', dataDir: string): Promise<DatabaseHandle> {
  if (backend === 'pglite') return createDatabase({ dataDir });
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${DATABASE} with (force)`);
  await admin.query(`create database ${DATABASE}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DATABASE}`;
  return createDatabase({ databaseUrl: url.toString(), dataDir: '', poolSize: 8 });
}

async function seedTown(services: Services, actor: Actor): Promise<void> {
  await services.territory.importDivisions(actor, { csv: DIVISIONS_CSV });
  const village = (code: string, west: number) => [
    feature(code, rectangle(west, 22.84, west + 0.02, 22.86)),
    feature(`${code}001`, rectangle(west, 22.84, west + 0.02, 22.86), '综合网格'),
    feature(`${code}001001`, rectangle(west, 22.84, west + 0.01, 22.86), '第1网格'),
    feature(`${code}001002`, rectangle(west + 0.01, 22.84, west + 0.02, 22.86), '第2网格'),
  ];
  await services.territory.importBoundaries(actor, {
    crs: 'wgs84',
    geojson: {
      type: 'FeatureCollection',
      features: [
        feature(TERRITORY.town, rectangle(112.94, 22.84, 112.98, 22.86)),
        ...village(TERRITORY.heqing, 112.94),
        ...village(TERRITORY.yingming, 112.96),
      ],
    },
  });
}

const BENCH_PASSWORD = 'Bench-registry-2026!';

/** A user of the role signed in, as every request of theirs sees them. */
async function signedIn(services: Services, role: Role, regionCode: string): Promise<Actor> {
  const username = `bench-${role.toLowerCase()}`;
  await services.people.createUser(systemActor('bench'), {
    username,
    displayName: username,
    role,
    regionCode,
    departmentId: null,
    password: BENCH_PASSWORD,
  });
  const { session } = await services.auth.login({
    username,
    password: BENCH_PASSWORD,
    ip: null,
    userAgent: null,
    locale: 'zh-CN',
  });
  return session.actor;
}

/** A plain multi-row INSERT of the same rows (parsed from the same file) into a bare table: the baseline. */
async function baselineInsert(database: DatabaseHandle, file: string): Promise<number> {
  const { db } = database;
  await sql`create table bench_plain (id bigint generated always as identity primary key, name text, id_number text,
    phone text, kind text, household_no text, relation text, road text, number text, building text, room text,
    lon double precision, lat double precision)`.execute(db);
  const started = performance.now();
  let batch: string[][] = [];
  let rows = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await db
      .insertInto('bench_plain' as never)
      .values(
        batch.map((c) => ({
          name: c[0],
          id_number: c[1],
          phone: c[2] || null,
          kind: c[3],
          household_no: c[4] || null,
          relation: c[5],
          road: c[6],
          number: c[7],
          building: c[8],
          room: c[9],
          lon: Number(c[10]),
          lat: Number(c[11]),
        })) as never,
      )
      .execute();
    rows += batch.length;
    batch = [];
  };
  for await (const record of createReadStream(file).pipe(parse({ from_line: 2 })) as AsyncIterable<
    string[]
  >) {
    batch.push(record);
    if (batch.length >= 1_000) await flush();
  }
  await flush();
  return rows / ((performance.now() - started) / 1000);
}

/**
 * The database's own share of an import: the residents just imported, with their houses and addresses, copied by
 * the database alone (INSERT … SELECT) into empty tables with the same columns, indexes and keys. No import into
 * this schema on this machine can be faster; its rate is the ceiling the import is measured against.
 */
async function databaseAlone(database: DatabaseHandle): Promise<number> {
  // One statement copies every row: longer than a request may take, so it runs as a job does.
  return withLongStatements(database.db, async (db) => {
    await sql`create table floor_addresses (like registry_addresses including all)`.execute(db);
    await sql`create table floor_houses (like registry_houses including all,
    foreign key (address_id) references floor_addresses (id),
    foreign key (building_id) references registry_buildings (id))`.execute(db);
    await sql`create table floor_residents (like registry_residents including all,
    foreign key (house_id) references floor_houses (id))`.execute(db);
    const started = performance.now();
    await sql`insert into floor_addresses overriding system value select * from registry_addresses`.execute(
      db,
    );
    await sql`insert into floor_houses overriding system value select * from registry_houses`.execute(db);
    const { rows } = await sql<{ n: number }>`
    with copied as (insert into floor_residents overriding system value select * from registry_residents returning 1)
    select count(*)::int as n from copied`.execute(db);
    await sql`select gin_clean_pending_list(indexrelid::regclass) from pg_index
    where indrelid = 'floor_addresses'::regclass and indexrelid::regclass::text like '%grams%'`.execute(db);
    return (rows[0]?.n ?? 0) / ((performance.now() - started) / 1000);
  });
}

async function timeSearches(services: Services, actor: Actor, queries: string[]) {
  const latencies: number[] = [];
  let hits = 0;
  for (const [index, q] of queries.entries()) {
    const t0 = performance.now();
    const result = await services.registry.search(actor, { q, page: 1, pageSize: 20 });
    if (index >= WARM_UP) latencies.push(performance.now() - t0);
    if (result.items.length) hits++;
  }
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), found: hits / queries.length };
}

/** One import (and, for the large file, the baseline and searches) in this process. */
async function child(backend: 'pglite' | 'postgres', file: string, rows: number, withSearch: boolean) {
  const dataDir = mkdtempSync(join(WORK_DIR, `${backend}-`));
  const database = await openBackend(backend, dataDir);
  await migrateToLatest(database.db);
  const config = { ...loadConfig({}), dataDir, loadDemo: false };
  const services = createServices({ db: database.db, backend: database.backend, clock: systemClock, config });
  const actor = systemActor('bench');
  await seedTown(services, actor);
  const started = performance.now();
  const loop = performance.eventLoopUtilization();
  const result = await services.registryImports.importFile(actor, 'resident', {
    stream: createReadStream(file, { highWaterMark: 256 * 1024 }),
    fileName: file,
  });
  const seconds = (performance.now() - started) / 1000;
  const eventLoopBusy = performance.eventLoopUtilization(loop).utilization;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const report: Record<string, unknown> = {
    backend,
    rows,
    imported: result.created,
    rejected: result.rejected,
    seconds,
    rowsPerSecond: rows / seconds,
    peakRssMb,
    eventLoopBusy,
  };
  if (withSearch) {
    report.baselineRowsPerSecond = await baselineInsert(database, file);
    const actors: Record<BenchRole, Actor> = {
      administrator: await signedIn(services, 'administrator', TERRITORY.town),
      leader: await signedIn(services, 'leader', TERRITORY.town),
      gridWorker: await signedIn(services, 'gridWorker', TERRITORY.heqing),
    };
    const pick = (n: number) =>
      Array.from({ length: WARM_UP + SEARCH_RUNS }, (_, k) => residentRow((k * 7_919_993 + n) % rows));
    const queries = {
      searchName: pick(1).map((r) => r.name),
      searchIdNumber: pick(2).map((r) => r.idNumber),
      searchAddress: pick(3).map((r) => `${r.road.slice(0, 2)} ${r.number}号`),
    };
    for (const role of ROLES) {
      for (const [, key] of SEARCH_KINDS) {
        report[`${key}.${role}`] = await timeSearches(services, actors[role], queries[key]);
      }
    }
    // Last: a million more rows copied would leave the database busy (autovacuum) while the searches were timed.
    report.databaseAloneRowsPerSecond = await databaseAlone(database);
  }
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
  console.log(`RESULT ${JSON.stringify(report)}`);
}

function runChild(backend: string, file: string, rows: number, withSearch: boolean): Record<string, never> {
  const tsx = join(fileURLToPath(new URL('..', import.meta.url)), 'node_modules/.bin/tsx');
  const output = execFileSync(
    tsx,
    [fileURLToPath(import.meta.url), 'child', backend, file, String(rows), String(withSearch)],
    {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const line = output.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`no result from the ${backend} run:\n${output}`);
  return JSON.parse(line.slice('RESULT '.length));
}

const n = (value: number, digits = 0) => value.toLocaleString('en', { maximumFractionDigits: digits });
const row = (label: string, value: string) => console.log(`${`${label}:`.padEnd(50)}${value}`);

async function main() {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === 'generate') {
    const [rows, file] = args;
    await writeCsv(file ?? join(WORK_DIR, `residents-${rows}.csv`), Number(rows));
    return;
  }
  if (mode === 'child') {
    const [backend, file, rows, withSearch] = args;
    await child(backend as 'pglite' | 'postgres', file ?? '', Number(rows), withSearch === 'true');
    return;
  }
  mkdirSync(WORK_DIR, { recursive: true });
  const files = {
    small: join(WORK_DIR, `residents-${SMALL}.csv`),
    large: join(WORK_DIR, `residents-${LARGE}.csv`),
  };
  for (const [key, rows] of [
    ['small', SMALL],
    ['large', LARGE],
  ] as const) {
    if (!existsSync(files[key])) await writeCsv(files[key], rows);
  }
  for (const backend of BACKENDS) {
    const small = runChild(backend, files.small, SMALL, false);
    const large = runChild(backend, files.large, LARGE, true);
    console.log(
      `\n${backend === 'postgres' ? 'PostgreSQL server' : 'embedded PGlite'}: residents imported from CSV`,
    );
    for (const r of [small, large] as Record<string, number>[]) {
      row(
        `import ${n(r.rows ?? 0)} rows`,
        `${n(r.rowsPerSecond ?? 0)} rows/s (${n(r.seconds ?? 0, 1)} s, ${n(r.imported ?? 0)} created), peak RSS ${n(r.peakRssMb ?? 0)} MB, event loop busy ${n((r.eventLoopBusy ?? 0) * 100)} %`,
      );
    }
    const l = large as Record<string, number> & Record<string, { p50: number; p99: number; found: number }>;
    row('baseline plain multi-row INSERT', `${n(l.baselineRowsPerSecond ?? 0)} rows/s`);
    row(
      'ratio import / baseline',
      `${(((l.rowsPerSecond ?? 0) / (l.baselineRowsPerSecond ?? 1)) * 100).toFixed(1)} %`,
    );
    row('database alone: INSERT … SELECT, same schema', `${n(l.databaseAloneRowsPerSecond ?? 0)} rows/s`);
    row(
      'ratio import / database alone',
      `${(((l.rowsPerSecond ?? 0) / (l.databaseAloneRowsPerSecond ?? 1)) * 100).toFixed(1)} %`,
    );
    row(
      `peak RSS ${n(LARGE)} / ${n(SMALL)} rows`,
      `${(((large as Record<string, number>).peakRssMb ?? 0) / ((small as Record<string, number>).peakRssMb ?? 1)).toFixed(2)}×`,
    );
    for (const role of ROLES) {
      for (const [label, key] of SEARCH_KINDS) {
        const s = l[`${key}.${role}`];
        const admin = l[`${key}.administrator`];
        row(
          `${role}: search by ${label} (over ${n(LARGE)})`,
          `p50 ${n(s?.p50 ?? 0, 1)} ms, p99 ${n(s?.p99 ?? 0, 1)} ms (${((s?.p99 ?? 0) / (admin?.p99 || 1)).toFixed(2)}× the administrator's), found ${((s?.found ?? 0) * 100).toFixed(0)} %`,
        );
      }
    }
  }
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${DATABASE} with (force)`);
  await admin.end();
}

await main();
