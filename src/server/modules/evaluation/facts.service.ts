import type { Db } from '../../db/database.ts';
import type { CalendarService } from '../calendar/calendar.service.ts';
import { type WorkingCalendar, workingMillisBetween } from '../calendar/working-time.ts';
import { type CaseFacts, caseFacts } from './case-facts.ts';
import * as facts from './facts.repository.ts';

/** Cases recomputed per transaction: a timeline load and three statements each batch. */
const BATCH = 500;

export type FactsService = ReturnType<typeof createFactsService>;

/**
 * Keeps `case_facts` and the day and month counts current. Every timeline entry queues its case (a trigger);
 * `refreshQueued` — the `case-facts` job, every two seconds — recomputes the queued cases from their timelines
 * and moves the counts by the difference. `rebuild` recomputes everything and says what differed.
 */
export function createFactsService(deps: { db: Db; calendar: Pick<CalendarService, 'getCalendar'> }) {
  const { db, calendar } = deps;

  /**
   * The facts of these cases, in the caller's transaction. `working` is fetched before the transaction opens:
   * the calendar's cache refills through the pool, which on PGlite waits for the transaction's own session.
   */
  async function derive(trx: Db, ids: readonly number[], working: WorkingCalendar): Promise<CaseFacts[]> {
    const minutes = (from: Date, to: Date) => {
      const ms = workingMillisBetween(working, from, to);
      return ms === null ? null : Math.round(ms / 60_000);
    };
    const { cases, events } = await facts.loadTimelines(trx, ids);
    return cases.map((c) => caseFacts(c, events.get(c.id) ?? [], minutes));
  }

  /** Recomputes the queued cases, a batch per transaction, until the queue is empty; returns how many. */
  async function refreshQueued(): Promise<number> {
    let done = 0;
    for (;;) {
      const working = await calendar.getCalendar();
      const n = await db.transaction().execute(async (trx) => {
        const ids = await facts.claimQueued(trx, BATCH);
        await facts.replaceFacts(trx, ids, await derive(trx, ids, working));
        return ids.length;
      });
      done += n;
      if (n < BATCH) return done;
    }
  }

  /**
   * Recomputes every case's facts from its timeline and the counts from the facts, and reports where the kept
   * ones differed (none, when the incremental upkeep is right). The counts are replaced in one transaction.
   */
  async function rebuild(): Promise<{
    cases: number;
    factsDiffering: number[];
    buckets: number;
    differences: Awaited<ReturnType<typeof facts.rebuildCounts>>['differences'];
  }> {
    await refreshQueued();
    let after = 0;
    let cases = 0;
    const factsDiffering: number[] = [];
    for (;;) {
      const ids = await facts.caseIdsAfter(db, after, BATCH);
      if (ids.length === 0) break;
      const working = await calendar.getCalendar();
      await db.transaction().execute(async (trx) => {
        const fresh = await derive(trx, ids, working);
        const kept = new Map((await facts.findFacts(trx, ids)).map((f) => [Number(f.case_id), f]));
        for (const f of fresh) if (!sameFacts(f, kept.get(f.case_id))) factsDiffering.push(f.case_id);
        await facts.replaceFacts(trx, ids, fresh);
      });
      cases += ids.length;
      after = ids.at(-1) ?? after;
    }
    const counted = await db.transaction().execute((trx) => facts.rebuildCounts(trx));
    return { cases, factsDiffering, ...counted };
  }

  return { refreshQueued, rebuild, queued: () => facts.queuedCount(db) };
}

/** Whether kept facts agree with fresh ones on every dated field and flag (the overdue spans are compared by text). */
function sameFacts(fresh: CaseFacts, kept: Awaited<ReturnType<typeof facts.findFacts>>[number] | undefined) {
  if (!kept) return false;
  const time = (d: Date | null) => d?.getTime() ?? null;
  return (
    kept.region_code === fresh.region_code &&
    kept.department_id === fresh.department_id &&
    time(kept.registered_at) === time(fresh.registered_at) &&
    time(kept.dispatched_at) === time(fresh.dispatched_at) &&
    time(kept.handled_at) === time(fresh.handled_at) &&
    time(kept.closed_at) === time(fresh.closed_at) &&
    time(kept.reworked_at) === time(fresh.reworked_at) &&
    time(kept.extended_at) === time(fresh.extended_at) &&
    kept.registered_on_time === fresh.registered_on_time &&
    kept.handled_on_time === fresh.handled_on_time &&
    kept.closed_on_time === fresh.closed_on_time &&
    kept.returned === fresh.returned &&
    kept.score === fresh.score &&
    kept.handling_minutes === fresh.handling_minutes
  );
}
