import type { UnitKind } from '../../../shared/volunteers.ts';
import type { Services } from '../../deps.ts';
import { shanghaiDay } from '../../modules/patrols/patrol.policy.ts';
import { systemActor } from '../../modules/people/actor.ts';
import type { Db } from '../database.ts';
import { DEMO_VISIT_CAMPAIGN } from './demo-household-visits.ts';
import { createNameSource } from './demo-people.ts';

/*
 * Synthetic volunteer service (志愿服务) for the demo town, after the seed's figures: 150 member units of the
 * town's 大党委 sent volunteers over 6,000 person-times to its communities over the last four weeks, and one
 * unit (镇党建工作办公室) sent at least 18 party members every day to the 三询问一完善 door-to-door visits. Every
 * row is marked `synthetic`. Past requests are filled, signed in and out; today's are filled and waiting for the
 * community's staff to sign people in (the demo's 河清 grid worker has one). Written in a handful of bulk
 * statements so the demo start stays quick. Deterministic for a seed and `now`.
 */

const DAYS = 28;
/** The units the seed names (2020 advanced units of the town's offices); the rest are generated. */
const NAMED_UNITS: readonly [string, UnitKind][] = [
  ['镇党建工作办公室', 'department'],
  ['镇市政管理办公室', 'department'],
  ['镇统计办公室', 'department'],
  ['镇消防办公室', 'department'],
  ['市自然资源局南海分局九江管理所', 'department'],
  ['市生态环境局南海分局九江监督管理所', 'department'],
  ['镇社区卫生服务中心', 'institution'],
  ['镇教育发展中心', 'institution'],
];
const GENERATED_KINDS: readonly [string, UnitKind][] = [
  ['有限公司党支部', 'enterprise'],
  ['小学党支部', 'institution'],
  ['商会', 'socialOrg'],
  ['社工服务中心', 'socialOrg'],
  ['经联社党支部', 'other'],
];
const TRADES = [
  '家具',
  '鱼花',
  '酒业',
  '医卫材料',
  '五金',
  '纺织',
  '物流',
  '建材',
  '电子',
  '食品',
  '印刷',
  '陶瓷',
];
export const UNIT_COUNT = 150;
/** The unit that sends party members to the door-to-door visits every day. */
export const LEAD_UNIT = '镇党建工作办公室';
const LEAD_DAILY = 20;
const VISIT_TITLE = '三询问一完善入户走访';
const OTHER_DAILY = 12;

export const DEMO_VOLUNTEER_LOGINS = [
  { username: 'unit', displayName: '镇党建工作办公室联络员', role: 'unitContact' as const },
  { username: 'volunteer', displayName: '党员志愿者（演示）', role: 'volunteer' as const },
];

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Options {
  townCode: string;
  now: Date;
  seed: number;
  password: string;
  /** The village whose staff the demo shows signing volunteers in today (河清). */
  showcaseVillage: string;
}

/**
 * The tool a demo request names, as a community would: the 三询问一完善 visits in the campaign's villages during
 * its dates name the campaign (demo-household-visits.ts); a checkpoint shift names its village's checkpoint
 * (demo-checkpoints.ts), where it has one. Both load before the volunteers.
 */
async function demoTools(db: Db) {
  const campaign = await db
    .selectFrom('visit_campaigns')
    .select(['id', 'region_codes', 'starts_on', 'ends_on'])
    .where('name', '=', DEMO_VISIT_CAMPAIGN)
    .executeTakeFirst();
  const checkpoints = await db
    .selectFrom('checkpoints')
    .select(['id', 'grid_code'])
    .where('synthetic', '=', true)
    .orderBy('id')
    .execute();
  return (region: string, day: string, kind: string, title: string) => {
    const visitCampaign =
      kind === 'doorToDoor' &&
      title === VISIT_TITLE &&
      campaign?.region_codes.includes(region) &&
      day >= campaign.starts_on &&
      day <= campaign.ends_on
        ? campaign.id
        : null;
    const checkpoint =
      kind === 'checkpoint' ? checkpoints.find((c) => c.grid_code.startsWith(region)) : undefined;
    return { visit_campaign_id: visitCampaign, checkpoint_id: checkpoint?.id ?? null };
  };
}

/** Loads the demo volunteer service; returns the person-times written. */
export async function loadDemoVolunteers(db: Db, services: Services, options: Options): Promise<number> {
  const random = mulberry32(options.seed ^ 0x5eed);
  const names = createNameSource(options.seed + 36);
  const at = options.now;
  const villages = (
    await db
      .selectFrom('regions')
      .select('code')
      .where('parent_code', '=', options.townCode)
      .where('grid_level', 'is', null)
      .orderBy('code')
      .execute()
  ).map((r) => r.code);
  if (!villages.length) return 0;
  const county = options.townCode.slice(0, 6);

  const unitRows = NAMED_UNITS.map(([name, kind]) => ({ name, kind }));
  for (let i = 0; unitRows.length < UNIT_COUNT; i++) {
    const [suffix, kind] = GENERATED_KINDS[i % GENERATED_KINDS.length] as [string, UnitKind];
    const trade = TRADES[Math.floor(i / GENERATED_KINDS.length) % TRADES.length];
    const seq = Math.floor(i / (GENERATED_KINDS.length * TRADES.length)) + 1;
    unitRows.push({ name: `九江${trade}${seq > 1 ? seq : ''}${suffix}`, kind });
  }
  const units = await db
    .insertInto('volunteer_units')
    .values(
      unitRows.map((u) => ({
        ...u,
        region_code: options.townCode,
        county_code: county,
        contact_name: names.name(),
        contact_phone: names.phone(),
        synthetic: true,
        created_at: at,
        updated_at: at,
      })),
    )
    .returning(['id', 'name'])
    .execute();

  // Volunteers: the lead unit's are all party members (enough for 20 a day); others 6–14, a third party members.
  const volunteerRows = units.flatMap((unit) => {
    const lead = unit.name === LEAD_UNIT;
    const count = lead ? 30 : 6 + Math.floor(random() * 9);
    return Array.from({ length: count }, () => ({
      unit_id: unit.id,
      name: names.name(),
      phone: names.phone(),
      party_member: lead || random() < 0.35,
      synthetic: true,
      created_at: at,
      updated_at: at,
    }));
  });
  const volunteers = await db
    .insertInto('volunteers')
    .values(volunteerRows)
    .returning(['id', 'unit_id'])
    .execute();
  const byUnit = new Map<number, number[]>();
  for (const v of volunteers) byUnit.set(v.unit_id, [...(byUnit.get(v.unit_id) ?? []), v.id]);
  const leadUnit = units.find((u) => u.name === LEAD_UNIT)?.id ?? 0;
  const others = units.filter((u) => u.id !== leadUnit).map((u) => u.id);

  // Requests: every day the lead unit's door-to-door visit in one community (in turn), and twelve other tasks.
  // `withDemoVolunteer`: the demo login goes too (today's checkpoint shift, after the morning's visit).
  type Plan = {
    request: Record<string, unknown>;
    senders: number[];
    past: boolean;
    withDemoVolunteer?: true;
  };
  const plans: Plan[] = [];
  const toolOf = await demoTools(db);
  const kinds = [
    ['checkpoint', '村口卡点值守', '村口卡点'],
    ['cleanUp', '人居环境清洁行动', '河涌两岸'],
    ['doorToDoor', '出租屋安全入户宣传', '出租屋片区'],
    ['other', '党群服务中心活动保障', '党群服务中心'],
  ] as const;
  const today = shanghaiDay(at);
  let todayVisitIndex = 0;
  for (let back = DAYS - 1; back >= 0; back--) {
    const day = shanghaiDay(new Date(at.getTime() - back * 86_400_000));
    const past = day < today;
    if (back === 0) todayVisitIndex = plans.length;
    const visitVillage = back === 0 ? options.showcaseVillage : (villages[back % villages.length] as string);
    plans.push({
      request: base(
        visitVillage,
        day,
        'doorToDoor',
        VISIT_TITLE,
        '党群服务中心集合',
        '08:30',
        '12:00',
        LEAD_DAILY,
      ),
      senders: [leadUnit],
      past,
    });
    for (let k = 0; k < OTHER_DAILY; k++) {
      const village = villages[Math.floor(random() * villages.length)] as string;
      const [kind, title, place] = kinds[k % kinds.length] as (typeof kinds)[number];
      const wanted = 14 + Math.floor(random() * 15);
      const senders = [
        ...new Set(Array.from({ length: 3 }, () => others[Math.floor(random() * others.length)] as number)),
      ];
      plans.push({
        request: base(village, day, kind, title, place, '14:30', '17:30', wanted),
        senders,
        past,
      });
    }
  }
  // Today the demo volunteer also keeps a checkpoint shift at the showcase village, so their task list holds a
  // visit and a checkpoint log.
  plans.push({
    request: base(
      options.showcaseVillage,
      today,
      'checkpoint',
      '村口卡点值守',
      '河清社区北入口',
      '14:30',
      '17:30',
      4,
    ),
    senders: [leadUnit],
    past: false,
    withDemoVolunteer: true,
  });
  function base(
    region: string,
    day: string,
    kind: string,
    title: string,
    place: string,
    start: string,
    end: string,
    wanted: number,
  ) {
    return {
      region_code: region,
      county_code: county,
      kind,
      title,
      place,
      day,
      start_time: start,
      end_time: end,
      wanted,
      note: '演示数据',
      ...toolOf(region, day, kind, title),
      synthetic: true,
      created_at: at,
    };
  }
  const requests = await db
    .insertInto('volunteer_requests')
    .values(plans.map((p) => p.request as never))
    .returning('id')
    .execute();

  // Named volunteers until each request is filled, nobody twice on one day (but the demo login); past ones signed
  // in and out. The demo login is the first sent to today's visit.
  const assignments: Record<string, unknown>[] = [];
  const busy = new Map<string, Set<number>>();
  let demoVolunteer: { unitId: number; id: number } | undefined;
  plans.forEach((plan, index) => {
    const request = plan.request as { day: string; wanted: number; start_time: string; end_time: string };
    const used = busy.get(request.day) ?? new Set<number>();
    busy.set(request.day, used);
    const free = plan.senders.flatMap((unitId) =>
      (byUnit.get(unitId) ?? []).filter((id) => !used.has(id)).map((id) => ({ unitId, id })),
    );
    if (plan.withDemoVolunteer && demoVolunteer) free.unshift(demoVolunteer);
    const start = new Date(`${request.day}T${request.start_time}:00+08:00`);
    const picks = free.slice(0, request.wanted);
    if (index === todayVisitIndex) demoVolunteer = picks[0];
    for (const pick of picks) {
      used.add(pick.id);
      const late = Math.floor(random() * 15) * 60_000;
      const hours = 2.5 + random();
      assignments.push({
        request_id: requests[index]?.id,
        unit_id: pick.unitId,
        volunteer_id: pick.id,
        assigned_at: new Date(start.getTime() - 86_400_000),
        signed_in_at: plan.past ? new Date(start.getTime() + late) : null,
        signed_out_at: plan.past ? new Date(start.getTime() + late + hours * 3_600_000) : null,
      });
    }
  });
  for (let i = 0; i < assignments.length; i += 5_000) {
    await db
      .insertInto('volunteer_assignments')
      .values(assignments.slice(i, i + 5_000) as never)
      .execute();
  }

  // The demo logins: the lead unit's contact, and one of its party members, sent to today's visit.
  const system = systemActor('demo-seed');
  const userIds: number[] = [];
  for (const login of DEMO_VOLUNTEER_LOGINS) {
    const user = await services.people.createUser(system, {
      ...login,
      regionCode: options.townCode,
      departmentId: null,
      phone: null,
      password: options.password,
    });
    userIds.push(user.id);
  }
  await db
    .insertInto('volunteer_unit_contacts')
    .values({ unit_id: leadUnit, user_id: userIds[0] ?? 0 })
    .execute();
  if (demoVolunteer)
    await db
      .updateTable('volunteers')
      .set({ user_id: userIds[1] ?? null })
      .where('id', '=', demoVolunteer.id)
      .execute();
  return assignments.filter((a) => a.signed_in_at).length;
}
