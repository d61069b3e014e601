import type { ActionInputs, CaseAction } from '../../../shared/case-workflow.ts';
import { SYNTHETIC_CASE_MARK } from '../../../shared/cases.ts';
import { fixedClock } from '../../clock.ts';
import { type Config, DEMO_HISTORY_MONTHS } from '../../config.ts';
import { createServices } from '../../deps.ts';
import { type Actor, systemActor } from '../../modules/people/actor.ts';
import { actorOf } from '../../modules/people/auth.service.ts';
import type { Backend, Db } from '../database.ts';
import { readHistoryState } from './demo-history.ts';
import { demoPeople, demoPhoto } from './demo-history-people.ts';

/*
 * The issues party members collected in their posts (the seed's 1,520), as cases reported by party-member
 * accounts over the demo history's months and taken through the case loop: most closed, a few rejected, the
 * latest still open. Loaded after the case history, in the background, only into the demo town.
 */
export const DEMO_PARTY_ISSUES = 1520;
const CLIENT_KEY = 'demo-party:';
const HOUR = 3_600_000;
const WHAT: Record<string, string[]> = {
  environmentSupervisor: ['河涌边垃圾堆放', '巷道污水外溢', '绿化带杂物堆积'],
  disputeMediator: ['邻里因占道堆物发生争执', '出租屋租金纠纷苗头', '宅基地边界争议'],
  safetyWatch: ['出租屋楼道电动车充电', '三小场所灭火器过期', '消防通道被占用'],
  policyPromoter: ['群众反映路灯不亮', '群众反映公交站牌破损', '群众反映健身器材损坏'],
  careHelper: ['独居老人家中门窗损坏', '困难户屋顶漏水', '残疾人出行坡道被占'],
  civilityGuide: ['路口乱摆卖', '人行道乱停放车辆', '小区门口乱张贴'],
};

interface Step {
  at: Date;
  index: number;
  action: CaseAction | 'report';
}

function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Loads the party members' issues once, after the case history; a load cut short resumes by client key. */
export async function loadDemoPartyHistory(
  deps: { db: Db; backend: Backend; config: Config },
  options: { total?: number; shouldStop?: () => boolean } = {},
): Promise<{ loaded: boolean; cases: number; ms: number }> {
  const started = Date.now();
  const { db } = deps;
  const state = await readHistoryState(db);
  // The seed's count is for the default span; a shorter history (GRIDGOV_DEMO_HISTORY_MONTHS) has as many
  // issues for its months, so a quick demo (the e2e flows load one month) is not held up by 1,520 cases.
  const total =
    options.total ?? Math.round((DEMO_PARTY_ISSUES * deps.config.demoHistoryMonths) / DEMO_HISTORY_MONTHS);
  const done = await db
    .selectFrom('cases')
    .select(['client_key', 'id', 'version', 'state'])
    .where('client_key', 'like', `${CLIENT_KEY}%`)
    .execute();
  if (state?.state !== 'done' || done.length >= total) return { loaded: false, cases: 0, ms: 0 };
  const reporters = await db
    .selectFrom('party_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .innerJoin('party_posts as p', 'p.id', 'm.post_id')
    .innerJoin('regions as r', 'r.code', 'u.region_code')
    .selectAll('u')
    .select(['p.kind as post_kind', 'm.region_code as village', 'r.name as region_name'])
    .select((eb) => eb.val<string | null>(null).as('department_name'))
    .where('m.synthetic', '=', true)
    .orderBy('m.id')
    .execute();
  if (reporters.length === 0) return { loaded: false, cases: 0, ms: 0 };

  const now = new Date(state.now);
  const from = Date.parse(`${state.from}T01:00:00Z`);
  const clock = fixedClock(now);
  const services = createServices({ ...deps, clock });
  const system = systemActor('demo-party-history');
  const people = await demoPeople(db, services, system);
  const photo = await demoPhoto(services, people.dispatcher);
  const categories = (await services.categories.getCategoryTree())
    .flatMap((major) => major.children)
    .filter((c) => c.active && c.defaultDepartmentId !== null);
  const departmentCode = new Map([...people.departments].map(([code, id]) => [id, code]));
  const leaves = await db
    .selectFrom('regions')
    .select('code')
    .where('grid_level', '=', 3)
    .where('code', 'like', '440605121%')
    .orderBy('code')
    .execute();

  const next = random(20_260_035);
  const plans = Array.from({ length: total }, (_, index) => {
    const reporter = reporters[Math.floor(next() * reporters.length)] as (typeof reporters)[number];
    const grids = leaves.filter((l) => l.code.startsWith(reporter.village));
    const grid = grids[Math.floor(next() * grids.length)]?.code ?? reporter.village;
    const category = categories[Math.floor(next() * categories.length)];
    const reportAt = new Date(from + ((now.getTime() - from - 6 * HOUR) * index) / total + next() * 4 * HOUR);
    const recent = now.getTime() - reportAt.getTime() < 4 * 24 * HOUR;
    const roll = next();
    const outcome = roll < 0.04 ? 'rejected' : recent && roll < 0.6 ? 'open' : 'closed';
    const what = WHAT[reporter.post_kind] ?? WHAT.environmentSupervisor ?? [];
    return {
      index,
      reporter: actorOf(reporter, 'zh-CN'),
      grid,
      categoryId: category?.id ?? 0,
      department: category?.defaultDepartmentId
        ? (departmentCode.get(category.defaultDepartmentId) ?? '')
        : '',
      description: `${SYNTHETIC_CASE_MARK}党员在岗发现：${what[Math.floor(next() * what.length)]}。`,
      outcome,
      reportAt,
    };
  });
  const seen = new Map(done.map((d) => [d.client_key ?? '', d]));
  const steps: Step[] = [];
  for (const plan of plans) {
    if (seen.has(`${CLIENT_KEY}${plan.index}`)) continue;
    const at = (hours: number) =>
      new Date(Math.min(plan.reportAt.getTime() + hours * HOUR, now.getTime() - 60_000));
    steps.push({ at: plan.reportAt, index: plan.index, action: 'report' });
    if (plan.outcome === 'rejected') steps.push({ at: at(0.5), index: plan.index, action: 'reject' });
    if (plan.outcome !== 'closed') continue;
    const finish = 20 + next() * 30;
    const actions: [CaseAction, number][] = [
      ['register', 0.4],
      ['dispatch', 0.8],
      ['accept', 2],
      ['finish', finish],
      ['verifyPass', finish + 4 + next() * 20],
    ];
    for (const [action, hours] of actions) steps.push({ at: at(hours), index: plan.index, action });
  }
  steps.sort((a, b) => a.at.getTime() - b.at.getTime() || a.index - b.index);

  const cases = new Map<number, { id: number; version: number }>();
  const inputs: Partial<Record<CaseAction, Record<string, unknown>>> = {
    reject: { reason: 'invalid', note: '经核实已自行解决' },
    finish: { note: '已处置完毕', evidence: [photo] },
    verifyPass: { note: '党员回访已整改' },
  };
  for (const step of steps) {
    if (options.shouldStop?.()) return { loaded: false, cases: cases.size, ms: Date.now() - started };
    const plan = plans[step.index];
    if (!plan) continue;
    clock.set(step.at);
    if (step.action === 'report') {
      const created = await services.cases.reportCase(
        plan.reporter,
        {
          clientKey: `${CLIENT_KEY}${plan.index}`,
          categoryId: plan.categoryId,
          description: plan.description,
          regionCode: plan.grid,
        },
        'partyMember',
      );
      cases.set(plan.index, { id: created.id, version: created.version });
      continue;
    }
    const current = cases.get(plan.index);
    if (!current) continue;
    const actor: Actor =
      step.action === 'accept' || step.action === 'finish'
        ? (people.handlers.get(plan.department) ?? people.dispatcher)
        : step.action === 'verifyPass'
          ? (people.gridWorkers.get(plan.grid) ?? people.dispatcher)
          : people.dispatcher;
    const input =
      step.action === 'dispatch'
        ? { leadDepartmentId: people.departments.get(plan.department) }
        : (inputs[step.action] ?? {});
    const detail = await services.cases.actOnCase(actor, {
      caseId: current.id,
      action: step.action,
      version: current.version,
      input: input as ActionInputs[CaseAction],
    });
    current.version = detail.version;
  }
  clock.set(now);
  return { loaded: true, cases: cases.size, ms: Date.now() - started };
}
