import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './app.ts';
import { systemClock } from './clock.ts';
import { type Config, loadConfig } from './config.ts';
import { createDatabase, type DatabaseHandle, redactUrl } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { historyLoading, loadDemoHistory } from './db/seed/demo-history.ts';
import { loadDemoHouseholdVisits } from './db/seed/demo-household-visits.ts';
import { loadDemoPartyHistory } from './db/seed/demo-party-history.ts';
import { loadDemoRegistry } from './db/seed/demo-registry.ts';
import { DEMO_LOGINS, DEMO_PASSWORD, DEMO_TOWN_CODE, loadDemoTown } from './db/seed/demo-town.ts';
import { createServices } from './deps.ts';
import { databaseRateLimitStore } from './http/rate-limit-store.ts';
import { gridgovJobs } from './jobs/gridgov-jobs.ts';
import { createJobRunner } from './jobs/job-runner.ts';
import { sealAuditChain } from './modules/audit/audit.service.ts';
import { systemActor } from './modules/people/actor.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfig();
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string })
    .version;
  const where = config.databaseUrl ? redactUrl(config.databaseUrl) : config.dataDir;
  console.log(
    `gridgov ${version}: opening ${config.databaseUrl ? 'PostgreSQL' : 'embedded database'} at ${where}`,
  );
  const database = await createDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    statementTimeoutMs: config.statementTimeoutMs,
  });
  if (database.recoveredStaleLock) {
    console.log('The previous gridgov process did not shut down cleanly; its stale lock was cleared.');
  }
  const { applied } = await migrateWithoutTimeout(database, config);
  if (applied.length) console.log(`Migrated: ${applied.join(', ')}`);
  const services = createServices({ db: database.db, backend: database.backend, clock: systemClock, config });
  await services.calendar.ensureSeeded();
  await services.registryImports.failInterruptedImports();

  if (config.loadDemo) {
    const report = await loadDemoTown(database.db, services, (step) =>
      console.log(`Loading the demo town: ${step}…`),
    );
    if (report.loaded) {
      console.log(
        `Demo town 九江镇 loaded in ${(report.ms / 1000).toFixed(1)} s: ${report.regions} regions, ` +
          `${report.grids.level1}/${report.grids.level2}/${report.grids.level3} grids (levels 1/2/3, synthetic), ` +
          `${report.departments} departments, ${report.users} people.`,
      );
    }
  }

  const app = await buildApp({
    services,
    config,
    backend: database.backend,
    webDir: join(ROOT, 'dist', 'web'),
    version,
    logger: { level: config.logLevel === 'info' ? 'warn' : config.logLevel },
    ...(database.backend === 'postgres'
      ? { rateLimitStore: databaseRateLimitStore(database.db, systemClock) }
      : {}),
  });
  const jobs = createJobRunner({
    db: database.db,
    backend: database.backend,
    clock: systemClock,
    log: app.log,
  });
  for (const job of gridgovJobs({
    database,
    services,
    config,
    clock: systemClock,
    startedAt: new Date(started),
  })) {
    // The deadline sweep waits while the demo history is written in the past (see historyLoading).
    const run = job.run;
    jobs.define(
      job.name === 'overdue-sweep'
        ? { ...job, run: async () => ((await historyLoading(database.db)) ? 0 : run()) }
        : job,
    );
  }
  await jobs.start();
  let closing = false;
  let demoRegistry: Promise<unknown> = Promise.resolve();
  let demoHistory: Promise<unknown> = Promise.resolve();
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: shutting down`);
    // A demo registry load in progress stops at its next batch; the next start loads it again.
    await demoRegistry;
    await demoHistory;
    await jobs.stop();
    await sealAuditChain(database.db);
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ host: config.host, port: config.port });
  const shownHost = config.host === '0.0.0.0' ? 'localhost' : config.host;
  console.log(
    `gridgov listening on http://${shownHost}:${config.port} (started in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  console.log(`API docs: http://${shownHost}:${config.port}/api/docs`);
  if (config.loadDemo) {
    console.log(`Demo logins (password ${DEMO_PASSWORD}):`);
    for (const login of DEMO_LOGINS) console.log(`  ${login.username.padEnd(11)} ${login.displayName}`);
  }
  if (config.loadDemo && config.loadDemoRegistry) {
    // After listening, so the first start is not held up: the registry fills in while the console is in use.
    // A job, so that of several processes started together one loads it, and its outcome is in the jobs table.
    jobs.define({
      name: 'demo-registry',
      intervalMs: 0,
      manual: true,
      run: async () => {
        const report = await loadDemoRegistry(database.db, services, { shouldStop: () => closing });
        // The demo visit campaign's visits need the registry's households (once; nothing if already there).
        if (!closing) await loadDemoHouseholdVisits(database.db, services);
        // The demo's party members live in the town: each becomes one of their village's residents (once).
        if (!closing) await services.party.linkMembersToResidents(systemActor('demo-seed'));
        if (!report.loaded) return;
        console.log(
          `Demo registry loaded in the background in ${(report.ms / 1000).toFixed(1)} s: ${report.residents} ` +
            `residents in ${report.houses} houses, ${report.organisations} organisations, ${report.facilities} facilities.`,
        );
      },
    });
    demoRegistry = jobs.tick('demo-registry');
  }
  if (config.loadDemo && config.loadDemoHistory) {
    // A few months of synthetic cases, each through the case service on a clock set in the past: over a
    // minute on the embedded database, so in the background like the registry, with its progress logged.
    jobs.define({
      name: 'demo-history',
      intervalMs: 0,
      manual: true,
      run: async () => {
        const report = await loadDemoHistory(
          { db: database.db, backend: database.backend, config },
          {
            shouldStop: () => closing,
            onProgress: (done, total) => console.log(`Demo case history: ${done} of ${total} steps…`),
          },
        );
        // The issues party members reported in their posts (设岗定责), once the case history is in.
        const party = await loadDemoPartyHistory(
          { db: database.db, backend: database.backend, config },
          { shouldStop: () => closing },
        );
        if (party.loaded) {
          console.log(
            `Demo party members' issues (synthetic): ${party.cases} cases in ${(party.ms / 1000).toFixed(1)} s.`,
          );
        }
        if (!report.loaded) return;
        console.log(
          `Demo case history (synthetic) loaded in the background in ${(report.ms / 1000).toFixed(1)} s: ` +
            `${report.cases} cases from ${report.from}, ${report.steps} steps.`,
        );
        // Last week's bulletin, published, so a newcomer finds one in the list: counted from the history.
        await services.caseFacts.refreshQueued();
        const editor = systemActor('九江镇网格化服务管理中心（演示）');
        const bulletin = await services.bulletins.generate(editor, { regionCode: DEMO_TOWN_CODE });
        await services.bulletins.publish(editor, bulletin.id, bulletin.version);
      },
    });
    demoHistory = jobs.tick('demo-history');
  }
}

/**
 * Migrations may build an index over millions of rows, and wait for another process's migration to finish:
 * on the PostgreSQL server they run on a connection of their own without the requests' statement timeout.
 */
async function migrateWithoutTimeout(database: DatabaseHandle, config: Config) {
  if (database.backend === 'pglite') return migrateToLatest(database.db);
  const migrator = await createDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: '',
    poolSize: 1,
    statementTimeoutMs: 0,
  });
  try {
    return await migrateToLatest(migrator.db);
  } finally {
    await migrator.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
