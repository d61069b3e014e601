import type { ActionInputs, CaseAction } from '../../../shared/case-workflow.ts';
import { fixedClock } from '../../clock.ts';
import type { Config } from '../../config.ts';
import { createServices, type Services } from '../../deps.ts';
import { civilDateOf, isWorkday, type WorkingCalendar } from '../../modules/calendar/working-time.ts';
import { systemActor } from '../../modules/people/actor.ts';
import { findUserByUsername } from '../../modules/people/user.repository.ts';
import type { Backend, Db } from '../database.ts';
import { actorFor, demoPeople, demoPhoto, pointsInGrids } from './demo-history-people.ts';
import { type PlannedCase, type PlannedStep, planHistory } from './demo-history-plan.ts';
import { DEMO_DEPARTMENTS, DEMO_TOWN_CODE } from './demo-town.ts';

/*
 * The demo town's synthetic case history: three full months before the current one and the current month up
 * to now, so that on the first start the dashboard, last week's bulletin and last month's ranking have
 * something to show. Every case goes through the case service of a second set of services whose clock is set
 * to each step's planned time, so timelines, deadlines (working-time calendar), notices and audit entries are
 * the real ones. Every description starts with 【演示数据】 and the settings row `demo.history` says what was
 * loaded: the console can tell the history is synthetic.
 */

export const HISTORY_KEY = 'demo.history';
const CLIENT_KEY = 'demo-history:';
const SEED = 20_260_914;
const TIME_ZONE = 'Asia/Shanghai';

export interface HistoryState {
  state: 'loading' | 'done';
  /** The instant the history runs up to, kept so a load cut short is planned again the same way. */
  now: string;
  from: string;
  /** When this process began loading (wall time): the deadline sweep waits for a load under way. */
  startedAt?: string;
  cases?: number;
  ms?: number;
}

export interface DemoHistoryReport {
  loaded: boolean;
  cases: number;
  steps: number;
  from: string;
  to: string;
  ms: number;
  /** Of which the deadline sweeps in the past took this long. */
  sweepMs?: number;
}

/** The first day of the month `months` months before `now`'s (Asia/Shanghai): 2026-12-05, 3 → 2026-09-01. */
export function historyStart(now: Date, months = 3): string {
  const [year = 0, month = 1] = civilDateOf(now.getTime(), TIME_ZONE).split('-').map(Number);
  const first = new Date(Date.UTC(year, month - 1 - months, 1));
  return first.toISOString().slice(0, 10);
}

/**
 * Loads the history once. Does nothing when it is done, or when the town was not loaded here (no demo
 * dispatcher); a load cut short resumes where it stopped: each case is found by its client key and its
 * timeline tells which of its planned steps were taken.
 */
export async function loadDemoHistory(
  deps: { db: Db; backend: Backend; config: Config },
  options: {
    now?: Date;
    onProgress?: (done: number, total: number) => void;
    shouldStop?: () => boolean;
    perWorkingDay?: [number, number];
  } = {},
): Promise<DemoHistoryReport> {
  const started = Date.now();
  const { db } = deps;
  const stored = await readHistoryState(db);
  const skipped = { loaded: false, cases: 0, steps: 0, from: '', to: '', ms: 0 };
  if (stored?.state === 'done') return skipped;
  // Only into the demo town this gridgov drew itself (synthetic boundaries), never a real town's database.
  const town = await db
    .selectFrom('regions')
    .select('synthetic')
    .where('code', '=', DEMO_TOWN_CODE)
    .executeTakeFirst();
  if (!town?.synthetic || !(await findUserByUsername(db, 'dispatcher'))) return skipped;
  const now = stored ? new Date(stored.now) : (options.now ?? new Date());
  const from = stored?.from ?? historyStart(now, deps.config.demoHistoryMonths);
  await writeHistoryState(db, {
    state: 'loading',
    now: now.toISOString(),
    from,
    startedAt: new Date(started).toISOString(),
  });

  const clock = fixedClock(now);
  const services = createServices({ ...deps, clock });
  const system = systemActor('demo-history');
  const people = await demoPeople(db, services, system);
  const calendar = await services.calendar.getCalendar();
  const tree = await services.categories.getCategoryTree();
  const departmentCode = new Map([...people.departments].map(([code, id]) => [id, code]));
  const leaves = await services.territory.listGridFeatures(system, { root: DEMO_TOWN_CODE, level: 'leaf' });
  const gridsByVillage = new Map<string, string[]>();
  for (const f of leaves.features) {
    const village = f.properties.code.slice(0, 12);
    gridsByVillage.set(village, [...(gridsByVillage.get(village) ?? []), f.properties.code].sort());
  }
  const plans = planHistory({
    from,
    now,
    calendar,
    seed: SEED,
    gridsByVillage,
    categories: tree
      .flatMap((major) => major.children)
      .filter((c) => c.active)
      .map((c) => ({
        id: c.id,
        name: c.name,
        departmentCode: c.defaultDepartmentId ? (departmentCode.get(c.defaultDepartmentId) ?? null) : null,
        onTheSpot: c.onTheSpot,
        handle: c.limits.handle,
        verify: c.limits.verify,
      })),
    departmentCodes: DEMO_DEPARTMENTS.map((d) => d.code),
    ...(options.perWorkingDay ? { perWorkingDay: options.perWorkingDay } : {}),
  });

  // What a cut-short load already did: each case's id, version and steps taken (its timeline, less the
  // sweep's escalations, which are not planned steps).
  const done = await historyProgress(db);
  const cases = new Map<number, { id: number; version: number }>();
  const queue: { plan: PlannedCase; step: PlannedStep; n: number }[] = [];
  for (const plan of plans) {
    const seen = done.get(`${CLIENT_KEY}${plan.index}`);
    if (seen) cases.set(plan.index, { id: seen.id, version: seen.version });
    plan.steps.forEach((step, n) => {
      if (n >= (seen?.steps ?? 0)) queue.push({ plan, step, n });
    });
  }
  queue.sort((a, b) => a.step.at.getTime() - b.step.at.getTime() || a.plan.index - b.plan.index || a.n - b.n);

  const photos = {
    before: await demoPhoto(services, people.dispatcher, 'before'),
    after: await demoPhoto(services, people.dispatcher, 'after'),
  };
  const points = pointsInGrids(leaves.features);
  const sweepEvery = 3_600_000;
  let nextSweep = queue[0] ? queue[0].step.at.getTime() + sweepEvery : 0;
  let taken = 0;
  let sweepMs = 0;
  for (const { plan, step } of queue) {
    if (options.shouldStop?.()) return { ...skipped, ms: Date.now() - started };
    // The deadline sweep runs every minute on a live server; an hourly sweep in the past marks what ran late
    // (and escalates it, 督办) at about the time it did.
    while (nextSweep && step.at.getTime() >= nextSweep) {
      // Due times fall in working hours: a sweep at night or on a day off would find nothing new.
      if (isWorkingHour(calendar, nextSweep)) {
        const sweepStarted = Date.now();
        clock.set(new Date(nextSweep));
        await sweep(services);
        sweepMs += Date.now() - sweepStarted;
      }
      nextSweep += sweepEvery;
    }
    clock.set(step.at);
    const actor = await actorFor(step.actor, plan, people);
    if (step.action === 'report') {
      const point = await points(services, plan.gridCode, plan.spot);
      const created = await services.cases.reportCase(
        actor,
        {
          clientKey: `${CLIENT_KEY}${plan.index}`,
          categoryId: plan.categoryId,
          description: plan.description,
          ...(point ? point : { regionCode: plan.gridCode }),
          ...(plan.reporterName ? { reporterName: plan.reporterName } : {}),
          // Reports from a phone come with a photo of the problem; calls to the hotline do not.
          ...(plan.source === 'hotline' ? {} : { evidence: [photos.before] }),
        },
        plan.source,
        plan.source === 'hotline'
          ? { externalRef: `DEMO-12345-${String(plan.index).padStart(6, '0')}`, receivedAt: step.at }
          : undefined,
      );
      cases.set(plan.index, { id: created.id, version: created.version });
    } else {
      const current = cases.get(plan.index);
      if (!current) continue;
      const detail = await services.cases.actOnCase(actor, {
        caseId: current.id,
        action: step.action as CaseAction,
        version: current.version,
        input: resolveInput(step, photos, people.departments) as ActionInputs[CaseAction],
      });
      current.version = detail.version;
    }
    taken++;
    if (taken % 500 === 0) options.onProgress?.(taken, queue.length);
  }
  clock.set(now);
  await sweep(services);
  const ms = Date.now() - started;
  await writeHistoryState(db, { state: 'done', now: now.toISOString(), from, cases: plans.length, ms });
  return { loaded: true, cases: plans.length, steps: taken, from, to: now.toISOString(), ms, sweepMs };
}

/**
 * The plan names departments by code and the photos as `$before` (the problem) and `$after` (the result): the
 * ids of this database.
 */
function resolveInput(
  step: PlannedStep,
  photos: { before: string; after: string },
  departments: Map<string, number>,
) {
  const swap = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map((v) => (v === '$before' ? photos.before : v === '$after' ? photos.after : v))
      : value;
  const input = Object.fromEntries(Object.entries(step.input).map(([k, v]) => [k, swap(v)]));
  if (typeof input.leadDepartmentId === 'string') {
    input.leadDepartmentId = departments.get(input.leadDepartmentId);
  }
  return input;
}

/**
 * The deadline sweep names the swept cases' categories from the category cache inside its transaction; on the
 * embedded database a cache refill there would wait for the transaction's own session, so it is filled first.
 */
async function sweep(services: Services): Promise<void> {
  await services.categories.getCategoryTree();
  await services.cases.sweepOverdue();
}

/** Whether an instant falls on a working day between 08:00 and 19:00 in Jiujiang. */
function isWorkingHour(calendar: WorkingCalendar, at: number): boolean {
  const hour = new Date(at + 8 * 3_600_000).getUTCHours();
  return hour >= 8 && hour <= 19 && isWorkday(calendar, civilDateOf(at, TIME_ZONE)) !== false;
}

async function historyProgress(db: Db) {
  const rows = await db
    .selectFrom('cases')
    .leftJoin('case_events', (join) =>
      join.onRef('case_events.case_id', '=', 'cases.id').on('case_events.action', '<>', 'escalate'),
    )
    .select(({ fn }) => [
      'cases.id',
      'cases.version',
      'cases.client_key',
      fn.count<string>('case_events.id').as('steps'),
    ])
    .where('cases.client_key', 'like', `${CLIENT_KEY}%`)
    .groupBy(['cases.id', 'cases.version', 'cases.client_key'])
    .execute();
  return new Map(
    rows.map((r) => [r.client_key ?? '', { id: r.id, version: r.version, steps: Number(r.steps) }]),
  );
}

/**
 * Whether a history load is under way (started less than half an hour ago, so a load cut short does not hold
 * the sweep back for ever). The live deadline sweep waits meanwhile: it would escalate, at today's date, cases
 * the history has not yet carried past their deadline in the past, and their timelines would say so.
 */
export async function historyLoading(db: Db, wallNow = new Date()): Promise<boolean> {
  const state = await readHistoryState(db);
  if (state?.state !== 'loading' || !state.startedAt) return false;
  return wallNow.getTime() - Date.parse(state.startedAt) < 30 * 60_000;
}

export async function readHistoryState(db: Db): Promise<HistoryState | null> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', HISTORY_KEY)
    .executeTakeFirst();
  return (row?.value as HistoryState | undefined) ?? null;
}

async function writeHistoryState(db: Db, state: HistoryState): Promise<void> {
  const value = JSON.stringify(state);
  await db
    .insertInto('settings')
    .values({ key: HISTORY_KEY, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}
