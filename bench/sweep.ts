/**
 * The overdue sweep over 1,000,000 open cases, timed REPEATS times (default 7) on the same work, as
 * `timeSweeps` (sweeps.ts) re-arms it: the sweep alone, where bench/cases times it after intake.
 *
 * To compare with an older version: `git worktree add /tmp/old <commit>`, copy bench/ into it, and run both
 * alternately (SWEEP_DB names each one's database). NEWLY sets how many cases each sweep escalates
 * (default 1,000). Diagnostics: DROP_INDEX=a,b drops indexes after the load (what an index costs the sweep);
 * PROFILE=1 logs every statement of the last sweep to the server's log.
 * Run: npm run bench:sweep   (BENCH_DATABASE_URL as for bench/cases)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { systemClock } from '../src/server/clock.ts';
import { loadConfig } from '../src/server/config.ts';
import { createDatabase } from '../src/server/db/database.ts';
import { migrateToLatest } from '../src/server/db/migrate.ts';
import { createServices } from '../src/server/deps.ts';
import { systemActor } from '../src/server/modules/people/actor.ts';
import { freshDatabase, loadOpenCases, seedBenchTown } from './bench-town.ts';
import { timeSweeps } from './sweeps.ts';

const REPEATS = Number(process.env.REPEATS ?? 7);
/** Cases each sweep escalates: bench/cases' single sweep escalates about 7,400 (its reports' too). */
const NEWLY = Number(process.env.NEWLY ?? 1_000);

async function main() {
  const fresh = await freshDatabase(process.env.SWEEP_DB ?? 'gridgov_sweep');
  const config = { ...loadConfig({}), dataDir: mkdtempSync(join(tmpdir(), 'sw-')), loadDemo: false };
  const handle = await createDatabase({ databaseUrl: fresh.url, dataDir: '', poolSize: 8 });
  const { db } = handle;
  await migrateToLatest(db);
  // Loose types where older versions differ (their config): the file runs in both.
  const services = createServices({ db, backend: 'postgres', clock: systemClock, config } as never);
  const town = await seedBenchTown(services, systemActor('bench'));
  await loadOpenCases(db, town, 1_000_000);
  const client = new pg.Client({ connectionString: fresh.url });
  await client.connect();
  const q = (text: string, values: unknown[] = []) => client.query(text, values);
  await q(
    `update cases set overdue = false, step_due_at = now() - interval '30 seconds'
    where id in (select id from cases where overdue order by id desc limit $1)`,
    [NEWLY],
  );
  for (const index of (process.env.DROP_INDEX ?? '').split(',').filter(Boolean))
    await q(`drop index ${index}`);
  const { escalated, median, times } = await timeSweeps(
    fresh.url,
    () => services.cases.sweepOverdue(),
    REPEATS,
  );
  console.log(JSON.stringify({ escalated, median, times: times.map(Math.round) }));
  await client.end();
  await handle.close();
  await fresh.drop();
  process.exit(0);
}
main();
