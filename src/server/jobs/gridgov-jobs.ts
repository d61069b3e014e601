import type { Db } from '../db/database.ts';
import type { Services } from '../deps.ts';
import { deleteExpiredCounters } from '../http/rate-limit.repository.ts';
import { sealAuditChain } from '../modules/audit/audit.service.ts';
import type { JobDefinition } from './job-runner.ts';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Every background job of a gridgov process, with its interval. Jobs that claim their own rows (deliveries,
 * SMS, outbound sends, sealing) run on every process so that several share the work (`once: false`); the
 * others run once per interval across all processes on the database.
 */
export function gridgovJobs(deps: { db: Db; services: Services; now: () => Date }): JobDefinition[] {
  const { db, services } = deps;
  return [
    // Overdue steps turn red within a minute of their due time.
    {
      name: 'overdue-sweep',
      intervalMs: MINUTE,
      run: () => services.cases.sweepOverdue().then((c) => c.length),
    },
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
      run: () => deleteExpiredCounters(db, new Date(deps.now().getTime() - HOUR * 24)),
    },
  ];
}
