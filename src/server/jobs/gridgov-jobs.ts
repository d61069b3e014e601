import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import { analyzeStaleTables } from '../db/analyze.ts';
import { newestBackupAt, takeNightlyBackup } from '../db/backup.ts';
import type { DatabaseHandle } from '../db/database.ts';
import type { Services } from '../deps.ts';
import { deleteExpiredCounters } from '../http/rate-limit.repository.ts';
import { sealAuditChain } from '../modules/audit/audit.service.ts';
import type { JobDefinition } from './job-runner.ts';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** A backup is taken when the newest is older than this: about daily, whenever the server is up. */
const BACKUP_AGE = 23 * HOUR;
/** Nor in the first minutes after start, while a first start loads the demo registry. */
const BACKUP_SETTLE = 15 * MINUTE;

/**
 * Every background job of a gridgov process, with its interval. Jobs that claim their own rows (deliveries,
 * SMS, outbound sends, sealing) run on every process so that several share the work (`once: false`); the
 * others run once per interval across all processes on the database.
 */
export function gridgovJobs(deps: {
  database: DatabaseHandle;
  services: Services;
  config: Config;
  clock: Clock;
  startedAt: Date;
}): JobDefinition[] {
  const { database, services, config, clock } = deps;
  const { db } = database;
  const jobs: JobDefinition[] = [
    // Overdue steps turn red within a minute of their due time.
    {
      name: 'overdue-sweep',
      intervalMs: MINUTE,
      run: () => services.cases.sweepOverdue().then((c) => c.length),
    },
    // Dispatchers find each new report in their inbox within a minute (see tellNewReports).
    { name: 'new-report-notices', intervalMs: MINUTE, run: services.cases.tellNewReports },
    // Mediations past their 30-day limit turn red and are escalated; follow-ups and confirmations are reminded.
    { name: 'mediation-sweep', intervalMs: MINUTE, run: services.mediation.sweep },
    // Every timeline entry queues its case; the evaluation's facts and counts follow within seconds.
    { name: 'case-facts', intervalMs: 2 * SECOND, run: services.caseFacts.refreshQueued },
    // Audit entries are appended without a lock; sealing links them into the hash chain under its own lock.
    {
      name: 'audit-seal',
      intervalMs: SECOND,
      once: false,
      run: () => sealAuditChain(db).then(() => undefined),
    },
    // Queued by committed changes; each process claims due rows with a lease, so several share the queue.
    {
      name: 'webhook-delivery',
      intervalMs: 5 * SECOND,
      once: false,
      run: services.webhooks.deliverDueWebhooks,
    },
    { name: 'sms-sending', intervalMs: 5 * SECOND, once: false, run: services.notifications.sendDueSms },
    { name: 'open311-outbound', intervalMs: 5 * SECOND, once: false, run: services.open311Outbound.syncDue },
    // The delivery log keeps settled deliveries for GRIDGOV_WEBHOOK_KEEP_DAYS.
    { name: 'webhook-pruning', intervalMs: HOUR, run: services.webhooks.pruneDeliveries },
    {
      name: 'rate-limit-pruning',
      intervalMs: HOUR,
      run: () => deleteExpiredCounters(db, new Date(clock.now().getTime() - 24 * HOUR)),
    },
    // The embedded database runs no autovacuum: without fresh statistics a plan made for an empty table can
    // scan millions of rows (imports and the demo load analyse what they fill; this catches the rest).
    { name: 'table-statistics', intervalMs: HOUR, run: () => analyzeStaleTables(db).then((t) => t.length) },
  ];
  const { backupDir } = config;
  if (backupDir) {
    jobs.push({
      name: 'daily-backup',
      intervalMs: HOUR,
      run: async () => {
        const now = clock.now().getTime();
        if (now - deps.startedAt.getTime() < BACKUP_SETTLE) return;
        const newest = await newestBackupAt(backupDir);
        if (newest && now - newest.getTime() < BACKUP_AGE) return;
        const { path } = await takeNightlyBackup(
          { database, config, clock, pgBinDir: process.env.GRIDGOV_PG_BIN_DIR },
          { dir: backupDir, keep: config.backupKeep },
        );
        return path;
      },
    });
  }
  return jobs;
}
