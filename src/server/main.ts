import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './app.ts';
import { systemClock } from './clock.ts';
import { loadConfig } from './config.ts';
import { createDatabase, redactUrl } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { loadDemoRegistry } from './db/seed/demo-registry.ts';
import { DEMO_LOGINS, DEMO_PASSWORD, loadDemoTown } from './db/seed/demo-town.ts';
import { createServices } from './deps.ts';
import { sealAuditChain } from './modules/audit/audit.service.ts';

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
  const database = await createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  if (database.recoveredStaleLock) {
    console.log('The previous gridgov process did not shut down cleanly; its stale lock was cleared.');
  }
  const { applied } = await migrateToLatest(database.db);
  if (applied.length) console.log(`Migrated: ${applied.join(', ')}`);
  const services = createServices({ db: database.db, backend: database.backend, clock: systemClock, config });
  await services.calendar.ensureSeeded();

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
  });
  // Overdue steps turn red within a minute of their due time, on whichever process runs the sweep.
  const sweep = setInterval(() => {
    services.cases
      .sweepOverdue()
      .catch((error: unknown) => app.log.error({ err: error }, 'overdue sweep failed'));
  }, 60_000);
  sweep.unref();
  // Audit entries are appended without a lock; this links them into the hash chain, one batch a second.
  const seal = setInterval(() => {
    sealAuditChain(database.db).catch((error: unknown) =>
      app.log.error({ err: error }, 'audit sealing failed'),
    );
  }, 1_000);
  seal.unref();
  // Webhook deliveries and SMS copies queued by committed changes go out within seconds. A round may wait on
  // slow receivers for longer than the interval, so a tick is skipped while the previous round still runs.
  const outbox = [
    { name: 'webhook delivery', run: services.webhooks.deliverDueWebhooks },
    { name: 'SMS sending', run: services.notifications.sendDueSms },
    { name: 'Open311 outbound', run: services.open311Outbound.syncDue },
  ].map(({ name, run }) => {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      run()
        .catch((error: unknown) => app.log.error({ err: error }, `${name} failed`))
        .finally(() => {
          running = false;
        });
    }, 5_000);
    timer.unref();
    return timer;
  });
  // The delivery log keeps settled deliveries for GRIDGOV_WEBHOOK_KEEP_DAYS; older ones go once an hour.
  const prune = setInterval(() => {
    services.webhooks
      .pruneDeliveries()
      .then((deleted) => {
        if (deleted) app.log.info({ deleted }, 'old webhook deliveries deleted');
      })
      .catch((error: unknown) => app.log.error({ err: error }, 'webhook delivery pruning failed'));
  }, 3_600_000);
  prune.unref();
  let closing = false;
  let demoRegistry: Promise<unknown> = Promise.resolve();
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: shutting down`);
    // A demo registry load in progress stops at its next batch; the next start loads it again.
    await demoRegistry;
    clearInterval(sweep);
    clearInterval(seal);
    clearInterval(prune);
    for (const timer of outbox) clearInterval(timer);
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
    demoRegistry = loadDemoRegistry(database.db, services, { shouldStop: () => closing })
      .then((report) => {
        if (!report.loaded) return;
        console.log(
          `Demo registry loaded in the background in ${(report.ms / 1000).toFixed(1)} s: ${report.residents} ` +
            `residents in ${report.houses} houses, ${report.organisations} organisations, ${report.facilities} facilities.`,
        );
      })
      .catch((error: unknown) => app.log.error({ err: error }, 'loading the demo registry failed'));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
