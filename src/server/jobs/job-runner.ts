import type { Clock } from '../clock.ts';
import type { Backend, Db } from '../db/database.ts';
import * as jobs from './job.repository.ts';

/** A piece of background work and how often it runs. */
export interface JobDefinition {
  /** Stable name: the job's row and its advisory lock are keyed by it. */
  name: string;
  intervalMs: number;
  /** Returns what is worth logging (e.g. how many rows it touched), or nothing. */
  run: () => Promise<unknown>;
  /** Runs at most this often on one process however many processes there are (the default); false: every process. */
  once?: boolean;
  /** No timer: the job runs when `tick` is called (e.g. once after start), and is still recorded in its row. */
  manual?: true;
}

export interface JobLog {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

/**
 * Runs the jobs on their intervals. Three guards keep each job to one run at a time and once per interval:
 * - in this process, a tick is skipped while the job's previous run still goes on;
 * - across processes, the job's row is claimed only when its interval has passed since it last started
 *   (one statement, so of two processes ticking together one wins);
 * - on the PostgreSQL server, an advisory lock held during the run keeps a slow run from overlapping the next
 *   claim on another process. (The embedded database admits one process, so it needs no lock.)
 */
export function createJobRunner(deps: { db: Db; backend: Backend; clock: Clock; log: JobLog }) {
  const { db, backend, clock, log } = deps;
  const defined = new Map<string, JobDefinition>();
  const running = new Map<string, Promise<void>>();
  const timers: NodeJS.Timeout[] = [];
  const ensured = new Set<string>();
  let stopped = false;

  async function ensure(names: string[]): Promise<void> {
    const missing = names.filter((name) => !ensured.has(name));
    await jobs.ensureJobs(db, missing);
    for (const name of missing) ensured.add(name);
  }

  function define(job: JobDefinition): void {
    if (defined.has(job.name)) throw new Error(`job ${job.name} is defined twice`);
    defined.set(job.name, job);
  }

  async function runJob(job: JobDefinition): Promise<boolean> {
    const now = clock.now();
    if (
      job.once !== false &&
      !(await jobs.claimRun(db, { name: job.name, now, intervalMs: job.intervalMs }))
    ) {
      return false;
    }
    const started = Date.now();
    let error: string | null = null;
    try {
      const result = await job.run();
      if (result) log.info({ job: job.name, result }, `${job.name} done`);
    } catch (cause) {
      error = cause instanceof Error ? cause.message : String(cause);
      log.error({ job: job.name, err: cause }, `${job.name} failed`);
    }
    await jobs.recordRun(db, { name: job.name, finishedAt: clock.now(), ms: Date.now() - started, error });
    return true;
  }

  /**
   * One tick of a job: runs it if no run is going on here, its interval has passed (across processes) and, on
   * the server, no other process holds its lock. True when it ran.
   */
  async function tick(name: string): Promise<boolean> {
    const job = defined.get(name);
    if (!job || stopped || running.has(name)) return false;
    let ran = false;
    const run = (async () => {
      await ensure([name]);
      if (backend === 'postgres' && job.once !== false) {
        ran = (await jobs.withAdvisoryLock(db, name, () => runJob(job))) ?? false;
      } else {
        ran = await runJob(job);
      }
    })().catch((cause: unknown) => log.error({ job: name, err: cause }, `${name} could not start`));
    running.set(name, run);
    await run;
    running.delete(name);
    return ran;
  }

  /**
   * Starts every defined job's timer (manual ones apart) and ticks each once now: a sweep after downtime should
   * not wait a whole interval. Of several processes starting together, the claim lets one of them run it.
   */
  async function start(): Promise<void> {
    await ensure([...defined.keys()]);
    for (const job of defined.values()) {
      if (job.manual) continue;
      const timer = setInterval(() => void tick(job.name), job.intervalMs);
      timer.unref();
      timers.push(timer);
      void tick(job.name);
    }
  }

  /** Stops the timers and waits for runs in progress to end. */
  async function stop(): Promise<void> {
    stopped = true;
    for (const timer of timers) clearInterval(timer);
    await Promise.all(running.values());
  }

  return { define, start, stop, tick, list: () => jobs.listJobs(db) };
}

export type JobRunner = ReturnType<typeof createJobRunner>;
