import type { CaseAction, CaseSource } from '../../../shared/case-workflow.ts';
import { SYNTHETIC_CASE_MARK, type TimeLimitInput } from '../../../shared/cases.ts';
import {
  addWorkingTime,
  civilDateOf,
  instantOf,
  isWorkday,
  type WorkingCalendar,
  workingMillisBetween,
} from '../../modules/calendar/working-time.ts';

/*
 * The plan of the demo town's synthetic case history: which cases are reported when and where, and what
 * becomes of each (handled on time, late, returned, reworked, extended, suspended, left pending…), as a list
 * of timed steps. Pure and deterministic (a seeded PRNG, the working-time calendar passed in), so a load cut
 * short is planned again identically and resumed; demo-history.ts carries the steps out through the case
 * service on a moving clock.
 */

const TIME_ZONE = 'Asia/Shanghai';
const HOUR = 3_600_000;
const MINUTE = 60_000;
const DAY = 86_400_000;
/** Prefix of every synthetic case's description: the marker the console shows. */
export const SYNTHETIC_MARK = SYNTHETIC_CASE_MARK;

export type OutcomeKind =
  | 'onTime'
  | 'late'
  | 'returned'
  | 'rework'
  | 'extended'
  | 'suspended'
  | 'stalled'
  | 'onTheSpot'
  | 'rejected';

/** Who takes a step: the demo logins by role, the case's grid worker, or a department's handler. */
export type StepActor =
  | { kind: 'reporter' }
  | { kind: 'dispatcher' }
  | { kind: 'gridWorker' }
  | { kind: 'handler'; departmentCode: string };

export interface PlannedStep {
  at: Date;
  action: 'report' | CaseAction;
  actor: StepActor;
  input: Record<string, unknown>;
}

export interface PlannedCase {
  /** Its place in the plan: the client key is `demo-history:<index>`. */
  index: number;
  source: CaseSource;
  gridCode: string;
  categoryId: number;
  description: string;
  departmentCode: string | null;
  outcome: OutcomeKind;
  /** 0..1 pair choosing the point inside the grid. */
  spot: [number, number];
  reporterName: string | null;
  steps: PlannedStep[];
}

export interface PlanInput {
  /** First civil day of the history (YYYY-MM-DD) and the instant it ends at. */
  from: string;
  now: Date;
  calendar: WorkingCalendar;
  seed: number;
  /** Leaf grids by village code (12 digits). */
  gridsByVillage: ReadonlyMap<string, readonly string[]>;
  categories: readonly {
    id: number;
    name: string;
    departmentCode: string | null;
    onTheSpot: boolean;
    handle?: TimeLimitInput;
    verify?: TimeLimitInput;
  }[];
  departmentCodes: readonly string[];
  /** Reports on an ordinary working day, spread over the villages. */
  perWorkingDay?: [number, number];
}

/** How each department fares: the share of its cases with each troubled outcome (the rest on time). */
interface Profile {
  late: number;
  returned: number;
  rework: number;
  extended: number;
  suspended: number;
  stalled: number;
}
const DEFAULT_PROFILE: Profile = {
  late: 0.08,
  returned: 0.04,
  rework: 0.05,
  extended: 0.04,
  suspended: 0.01,
  stalled: 0.02,
};
// Varied so that the monthly ranking of departments is not a tie: 环卫 does well, 城管 and 住建 struggle.
const PROFILES: Record<string, Partial<Profile>> = {
  'JJ-HW': { late: 0.02, returned: 0.01, rework: 0.02, stalled: 0.005 },
  'JJ-CG': { late: 0.14, rework: 0.08, stalled: 0.04 },
  'JJ-ZJ': { late: 0.12, returned: 0.09, extended: 0.08, suspended: 0.03 },
  'JJ-SCJG': { late: 0.05, rework: 0.03 },
  'JJ-PCS': { late: 0.04, returned: 0.07 },
  'JJ-WJ': { late: 0.1, extended: 0.06, stalled: 0.03 },
  'JJ-XF': { late: 0.02, returned: 0.02, rework: 0.02 },
};

const SURNAMES = '陈李黄何梁张关冯罗潘吴刘卢区';
const PLACES = ['路口', '市场旁', '小区门口', '河涌边', '学校附近', '菜市场后巷', '公交站旁', '祠堂前'];
const DETAILS = ['已拍照', '影响通行', '群众反映多次', '需尽快处理', '现场核实属实', '请相关部门处置'];

/** mulberry32: small, fast and the same on every platform. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Plans the whole history; cases are in report order. Steps falling after `now` are left out. */
export function planHistory(input: PlanInput): PlannedCase[] {
  const random = prng(input.seed);
  const between = (lo: number, hi: number) => lo + (hi - lo) * random();
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const cal = input.calendar;
  const working = (at: Date, ms: number): Date => {
    const result = addWorkingTime(cal, at, { amount: ms / HOUR, unit: 'workingHours' });
    return 'due' in result ? result.due : new Date(at.getTime() + ms);
  };
  const dueAfter = (at: Date, limit: TimeLimitInput | undefined): Date | null => {
    if (!limit) return null;
    const result = addWorkingTime(cal, at, limit);
    return 'due' in result ? result.due : null;
  };
  const span = (from: Date, to: Date | null) =>
    to ? (workingMillisBetween(cal, from, to) ?? to.getTime() - from.getTime()) : 2 * 8 * HOUR;

  // Some villages report much more than others, so rankings by village differ.
  const villages = [...input.gridsByVillage.keys()].sort();
  const villageWeight = new Map(villages.map((v) => [v, 0.4 + 1.6 * random() ** 2]));
  const totalWeight = [...villageWeight.values()].reduce((a, b) => a + b, 0);
  const pickVillage = () => {
    let r = random() * totalWeight;
    for (const v of villages) {
      r -= villageWeight.get(v) ?? 0;
      if (r <= 0) return v;
    }
    return villages[villages.length - 1] ?? '';
  };
  const [low, high] = input.perWorkingDay ?? [15, 25];
  const routed = input.categories.filter((c) => c.departmentCode !== null);
  const plans: PlannedCase[] = [];
  const endDay = civilDateOf(input.now.getTime(), TIME_ZONE);

  for (let day = input.from; day <= endDay; day = nextDay(day)) {
    const workday = isWorkday(cal, day) ?? true;
    const count = workday ? Math.round(between(low, high)) : Math.round(between(1, 4));
    for (let n = 0; n < count; n++) {
      const source: CaseSource = workday
        ? pickWeighted(random, [
            ['gridWorker', 0.62],
            ['resident', 0.15],
            ['hotline', 0.16],
            ['inspector', 0.07],
          ])
        : pickWeighted(random, [
            ['resident', 0.5],
            ['hotline', 0.5],
          ]);
      // Staff report in office hours; residents and the hotline from early morning to late evening.
      const minutes =
        source === 'gridWorker' || source === 'inspector' ? between(510, 1050) : between(420, 1320);
      const reportAt = new Date(instantOf(day, Math.floor(minutes) * MINUTE, TIME_ZONE));
      const village = pickVillage();
      const gridCode = pick(input.gridsByVillage.get(village) ?? []);
      const category = pick(routed);
      const place = pick(PLACES);
      const plan: PlannedCase = {
        index: plans.length,
        source,
        gridCode,
        categoryId: category.id,
        description: `${SYNTHETIC_MARK}${place}发现${category.name}问题，${pick(DETAILS)}。`,
        departmentCode: category.departmentCode,
        outcome: 'onTime',
        spot: [random(), random()],
        reporterName: source === 'resident' || source === 'hotline' ? `${pick([...SURNAMES])}先生` : null,
        steps: [{ at: reportAt, action: 'report', actor: { kind: 'reporter' }, input: {} }],
      };
      plan.outcome = chooseOutcome(random, plan, category.onTheSpot);
      scheduleSteps(plan, {
        random,
        between,
        working,
        dueAfter,
        span,
        category,
        otherDepartment: pick(input.departmentCodes.filter((d) => d !== category.departmentCode)),
      });
      plan.steps = plan.steps.filter((s) => s.at <= input.now);
      if (plan.steps.length > 0) plans.push(plan);
    }
  }
  plans.sort((a, b) => (a.steps[0]?.at.getTime() ?? 0) - (b.steps[0]?.at.getTime() ?? 0));
  return plans.map((p, index) => ({ ...p, index }));
}

function chooseOutcome(random: () => number, plan: PlannedCase, onTheSpot: boolean): OutcomeKind {
  if (plan.source === 'gridWorker' && onTheSpot && random() < 0.5) return 'onTheSpot';
  if ((plan.source === 'resident' || plan.source === 'hotline') && random() < 0.04) return 'rejected';
  const profile = { ...DEFAULT_PROFILE, ...PROFILES[plan.departmentCode ?? ''] };
  let r = random();
  for (const kind of ['late', 'returned', 'rework', 'extended', 'suspended', 'stalled'] as const) {
    r -= profile[kind];
    if (r < 0) return kind;
  }
  return 'onTime';
}

interface Tools {
  random: () => number;
  between: (lo: number, hi: number) => number;
  working: (at: Date, ms: number) => Date;
  dueAfter: (at: Date, limit: TimeLimitInput | undefined) => Date | null;
  span: (from: Date, to: Date | null) => number;
  category: PlanInput['categories'][number];
  otherDepartment: string;
}

/** The steps after the report, timed in working time against the category's limits. */
function scheduleSteps(plan: PlannedCase, t: Tools): void {
  const { between, working, dueAfter, span, category } = t;
  const dept = category.departmentCode ?? '';
  const handler: StepActor = { kind: 'handler', departmentCode: dept };
  const dispatcher: StepActor = { kind: 'dispatcher' };
  const worker: StepActor = { kind: 'gridWorker' };
  let at = plan.steps[0]?.at ?? new Date(0);
  const step = (
    action: PlannedStep['action'],
    actor: StepActor,
    input: Record<string, unknown>,
    next: Date,
  ) => {
    // Strictly after the step before, so the timeline's order is the order the steps were taken in.
    at = next.getTime() > at.getTime() ? next : new Date(at.getTime() + MINUTE);
    plan.steps.push({ at, action, actor, input });
  };
  const photo = { evidence: ['$after'] };

  if (plan.outcome === 'onTheSpot') {
    step(
      'handleOnTheSpot',
      worker,
      { note: '现场即办完成', beforePhotos: ['$before'], afterPhotos: ['$after'] },
      new Date(at.getTime() + between(5, 30) * MINUTE),
    );
    return;
  }
  step('register', dispatcher, {}, working(at, between(5, 70) * MINUTE));
  if (plan.outcome === 'rejected') {
    plan.steps.pop();
    step(
      'reject',
      dispatcher,
      { reason: 'invalid', note: '经核实不属实' },
      working(at, between(5, 60) * MINUTE),
    );
    return;
  }
  step('dispatch', dispatcher, { leadDepartmentId: dept }, working(at, between(5, 45) * MINUTE));
  if (plan.outcome === 'returned') {
    // Sent first to the wrong department, which returns it; the dispatcher then sends it where it belongs.
    plan.steps[plan.steps.length - 1] = {
      ...plan.steps[plan.steps.length - 1],
      input: { leadDepartmentId: t.otherDepartment },
    } as PlannedStep;
    step(
      'return',
      { kind: 'handler', departmentCode: t.otherDepartment },
      { reason: '非本部门职责，请重新派遣' },
      working(at, between(0.5, 4) * HOUR),
    );
    step('dispatch', dispatcher, { leadDepartmentId: dept }, working(at, between(10, 60) * MINUTE));
  }
  let dispatchedAt = at;
  let due = dueAfter(dispatchedAt, category.handle);
  let total = span(dispatchedAt, due);
  step('accept', handler, {}, working(dispatchedAt, Math.max(5 * MINUTE, total * between(0.03, 0.15))));
  const finishWithin = (share: number) => working(dispatchedAt, total * share);
  const verify = () => {
    const verifySpan = span(at, dueAfter(at, category.verify));
    return working(at, Math.max(10 * MINUTE, verifySpan * between(0.1, 0.8)));
  };

  switch (plan.outcome) {
    case 'stalled':
      return;
    case 'suspended':
      step(
        'suspend',
        handler,
        { reason: '需协调产权单位，暂缓处置（挂账）' },
        finishWithin(between(0.2, 0.5)),
      );
      return;
    case 'extended': {
      step(
        'requestExtension',
        handler,
        { extension: { amount: 3, unit: 'workingDays' }, reason: '需采购材料，申请延期' },
        finishWithin(between(0.4, 0.7)),
      );
      step(
        'approveExtension',
        dispatcher,
        { extension: { amount: 3, unit: 'workingDays' } },
        working(at, between(15, 90) * MINUTE),
      );
      const extendedDue = due ? dueAfter(due, { amount: 3, unit: 'workingDays' }) : null;
      const from = due && due > at ? due : at;
      step(
        'finish',
        handler,
        { note: '延期内处置完毕', ...photo },
        working(from, span(from, extendedDue) * between(0.1, 0.8)),
      );
      break;
    }
    case 'late':
      step('finish', handler, { note: '已处置完毕（超期）', ...photo }, finishWithin(between(1.1, 2.2)));
      break;
    default:
      step('finish', handler, { note: '已处置完毕', ...photo }, finishWithin(between(0.25, 0.9)));
  }
  if (plan.outcome === 'rework') {
    step('verifyFail', worker, { reason: '现场复核仍未整改到位' }, verify());
    // Rework starts a fresh handling limit from the failed verification.
    dispatchedAt = at;
    due = dueAfter(dispatchedAt, category.handle);
    total = span(dispatchedAt, due);
    step('finish', handler, { note: '已返工处置完毕', ...photo }, finishWithin(between(0.2, 0.8)));
  }
  step('verifyPass', worker, { note: '现场核查已整改' }, verify());
  if (plan.source === 'resident' || plan.source === 'hotline') {
    const score = pickWeighted(t.random, [
      [5, 0.55],
      [4, 0.28],
      [3, 0.1],
      [2, 0.04],
      [1, 0.03],
    ]);
    step('rate', dispatcher, { score, comment: '回访记录' }, working(at, between(1, 10) * HOUR));
  }
}

function pickWeighted<T>(random: () => number, table: readonly [T, number][]): T {
  let r = random() * table.reduce((a, [, w]) => a + w, 0);
  for (const [value, weight] of table) {
    r -= weight;
    if (r <= 0) return value;
  }
  return (table[table.length - 1] as [T, number])[0];
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
}
