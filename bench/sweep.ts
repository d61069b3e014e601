/**
 * The overdue sweep over 1,000,000 open cases, timed REPEATS times (default 7) on the same work: the cases are
 * loaded once, then before each sweep the same newly overdue cases are re-armed (overdue and warned flags
 * cleared, the timeline entries and inbox rows the sweep wrote deleted, tables vacuumed, a checkpoint).
 * bench/cases times one sweep, too noisy to compare two versions by.
 *
 * To compare with an older version: `git worktree add /tmp/old <commit>`, copy this file into its bench/, and
 * run both alternately (SWEEP_DB names each one's database). NEWLY sets how many cases each sweep escalates
 * (default 1,000). Diagnostics: DROP_INDEX=a,b drops indexes after the
 * load (what an index costs the sweep); PROFILE=1 logs every statement of the last sweep to the server's log.
 * Run: npm run bench:sweep   (BENCH_DATABASE_URL as for bench/cases)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { systemClock } from '../src/server/clock.ts';
import { loadConfig } from '../src/server/config.ts';
import * as database from '../src/server/db/database.ts';
import { migrateToLatest } from '../src/server/db/migrate.ts';
import { createServices } from '../src/server/deps.ts';
import { systemActor } from '../src/server/modules/people/actor.ts';
import { freshDatabase, loadOpenCases, seedBenchTown } from './bench-town.ts';

const REPEATS = Number(process.env.REPEATS ?? 7);
/** Cases each sweep escalates: bench/cases' single sweep escalates about 7,400 (its reports' too). */
const NEWLY = Number(process.env.NEWLY ?? 1_000);

async function main() {
  const fresh = await freshDatabase(process.env.SWEEP_DB ?? 'gridgov_sweep');
  const config = { ...loadConfig({}), dataDir: mkdtempSync(join(tmpdir(), 'sw-')), loadDemo: false };
  const handle = await database.createDatabase({ databaseUrl: fresh.url, dataDir: '', poolSize: 8 });
  const { db } = handle;
  await migrateToLatest(db);
  // Loose types where older versions differ (their config, and no withLongStatements): the file runs in both.
  const services = createServices({ db, backend: 'postgres', clock: systemClock, config } as never);
  const town = await seedBenchTown(services, systemActor('bench'));
  const long = (database as { withLongStatements?: (db: unknown, f: (t: unknown) => unknown) => unknown })
    .withLongStatements;
  // Loading a million rows is set-up, not a request: it may take longer than the server's statement timeout.
  if (long) await long(db, (trx) => loadOpenCases(trx as never, town, 1_000_000));
  else await loadOpenCases(db, town, 1_000_000);
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
  await q('create table arm_o as select id from cases where not overdue');
  await q('create table arm_w as select id from cases where not warned');
  const max = async (t: string) => Number((await q(`select coalesce(max(id), 0) as m from ${t}`)).rows[0]?.m);
  // Each sweep is timed on the same footing: the tables are vacuumed before it, by the bench, and no autovacuum
  // worker starts beside it.
  const tables = await q(
    `select relname from pg_class where relkind = 'r' and relnamespace = 'public'::regnamespace`,
  );
  for (const { relname } of tables.rows) await q(`alter table "${relname}" set (autovacuum_enabled = false)`);
  const events = await max('case_events');
  const notes = await max('notifications');
  const times: number[] = [];
  let n = 0;
  for (let i = 0; i < REPEATS; i++) {
    await q('update cases set overdue = false where overdue and id in (select id from arm_o)');
    await q('update cases set warned = false where warned and id in (select id from arm_w)');
    await q('delete from case_events where id > $1', [events]);
    await q('delete from notifications where id > $1', [notes]);
    await q('delete from case_fact_queue').catch(() => {});
    await q('vacuum analyze cases');
    await q('vacuum analyze case_events');
    await q('vacuum analyze notifications');
    // The running steps' clocks (0049 on); versions before have none.
    await q('vacuum analyze case_timers').catch(() => {});
    // A sweep's thousand cases lie on pages no sweep touched since the last checkpoint (in a district, they
    // are spread over a million), so each page's first change writes its whole image to the WAL. Here they are
    // the same cases each time: a checkpoint before each sweep keeps that cost in every one, not every fifth.
    await q('checkpoint');
    if (process.env.PROFILE && (i === REPEATS - 1 || process.env.PROFILE === 'all')) {
      await q('alter system set log_min_duration_statement = 0');
      await q('select pg_reload_conf()');
      await new Promise((r) => setTimeout(r, 500));
      console.log('PROFILE START', new Date().toISOString());
    }
    const t = performance.now();
    n = (await services.cases.sweepOverdue()).length;
    times.push(performance.now() - t);
    if (process.env.PROFILE && (i === REPEATS - 1 || process.env.PROFILE === 'all')) {
      console.log('PROFILE END', new Date().toISOString());
      await q('alter system reset log_min_duration_statement');
      await q('select pg_reload_conf()');
    }
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      escalated: n,
      median: sorted[Math.floor(sorted.length / 2)],
      times: times.map(Math.round),
    }),
  );
  await client.end();
  await handle.close();
  await fresh.drop();
  process.exit(0);
}
main();
