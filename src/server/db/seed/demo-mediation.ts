import type { DisputeType, ReferralTarget } from '../../../shared/mediation.ts';
import { CONFIRMATION_DAYS, DISPUTE_TYPE_LABELS, FOLLOW_UP_DAYS } from '../../../shared/mediation.ts';
import { idNumberCheckChar } from '../../../shared/registry-validation.ts';
import type { Services } from '../../deps.ts';
import { markSeedDisputeCategories } from '../../modules/mediation/dispute-categories.ts';
import type { NewMediation } from '../../modules/mediation/mediation.repository.ts';
import * as mediations from '../../modules/mediation/mediation.repository.ts';
import { addDays, formatNumber, MEDIATION_SERIES } from '../../modules/mediation/mediation.service.ts';
import { systemActor } from '../../modules/people/actor.ts';
import { actorOf } from '../../modules/people/auth.service.ts';
import { findUserByUsername } from '../../modules/people/user.repository.ts';
import type { Db } from '../database.ts';
import { raiseNumber } from '../number-counters.ts';
import { demoPhoto } from './demo-history-people.ts';
import { createNameSource } from './demo-people.ts';

/*
 * The demo town's dispute mediation (矛盾纠纷调解), matching the seed's "数读": over the last twelve months 456
 * disputes mediated and closed, 393 of them settled (86.18 %) — every settled one with its agreement and a
 * follow-up visit, every other one referred on with a reason — written in a few bulk statements and marked
 * synthetic (【演示数据】). Then a few open mediations through the real service: one from a dispute case reported
 * in 河清, one with an agreed extension, and one desk application 35 days old, past its limit and escalated.
 */

export const DEMO_MEDIATIONS = { handled: 456, settled: 393 } as const;
const DAY = 86_400_000;
const BATCH = 500;

/** The logins the demo adds: the town's mediator and 河清's. */
export const DEMO_MEDIATOR_LOGINS = [
  { username: 'tiaojie', displayName: '镇人民调解员（演示）', scope: 'town' },
  { username: 'hqtiaojie', displayName: '河清社区调解员（演示）', scope: '440605121015' },
] as const;

const TYPES: readonly DisputeType[] = [
  'neighbour',
  'neighbour',
  'family',
  'family',
  'housing',
  'contract',
  'damages',
  'labour',
  'property',
  'land',
  'other',
];
const REFERRALS: readonly { to: ReferralTarget; department: string | null; reason: string }[] = [
  {
    to: 'litigation',
    department: null,
    reason: '双方对赔偿数额分歧较大，经两次调解未能达成一致，引导当事人向人民法院起诉',
  },
  { to: 'arbitration', department: null, reason: '涉及劳动报酬和工伤认定，引导当事人申请劳动人事争议仲裁' },
  { to: 'department', department: '九江镇综治办', reason: '涉及违法建设，移交相关职能部门依法处理' },
];
const DEMO_ID_FIRST17 = '44060519820315002';
const DEMO_ID_NUMBER = `${DEMO_ID_FIRST17}${idNumberCheckChar(DEMO_ID_FIRST17)}`;
const PLACES = ['村（居）委会调解室', '当事人家中', '纠纷现场'];

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

function syntheticIdNumber(next: () => number): string {
  const year = 1950 + Math.floor(next() * 50);
  const month = String(1 + Math.floor(next() * 12)).padStart(2, '0');
  const day = String(1 + Math.floor(next() * 28)).padStart(2, '0');
  const first17 = `440605${year}${month}${day}${String(Math.floor(next() * 1000)).padStart(3, '0')}`;
  return `${first17}${idNumberCheckChar(first17)}`;
}

export interface DemoMediationReport {
  handled: number;
  settled: number;
  open: number;
}

/** Loads the demo's mediations into the demo town just loaded (its villages, users and categories exist). */
export async function loadDemoMediation(
  db: Db,
  services: Services,
  options: { townCode: string; now: Date; seed: number; password: string },
): Promise<DemoMediationReport> {
  const { townCode, now } = options;
  const system = systemActor('demo-seed');
  const next = random(options.seed);
  const names = createNameSource(options.seed + 7);
  const categoryIds = await markSeedDisputeCategories(services.categories, services.mediation.service);

  const villages = (
    await db
      .selectFrom('regions')
      .select(['code', 'name'])
      .where('level', '=', 'village')
      .where('code', 'like', `${townCode}%`)
      .orderBy('code')
      .execute()
  ).map((v) => v.code);
  const mediatorOf = new Map<string, number>();
  for (const login of DEMO_MEDIATOR_LOGINS) {
    const user = await services.people.createUser(system, {
      username: login.username,
      displayName: login.displayName,
      role: 'mediator',
      regionCode: login.scope === 'town' ? townCode : login.scope,
      password: options.password,
    });
    mediatorOf.set(login.scope, user.id);
  }
  for (const village of villages) {
    if (mediatorOf.has(village)) continue;
    const user = await services.people.createUser(system, {
      username: `tj${village.slice(-3)}`,
      displayName: names.name(),
      phone: names.phone(),
      role: 'mediator',
      regionCode: village,
    });
    mediatorOf.set(village, user.id);
  }
  const townMediator = mediatorOf.get('town') ?? null;

  // The history: closing days spread over the last 360 days, so the default twelve-month figures hold them all.
  const settledIndex = new Set(
    Array.from({ length: DEMO_MEDIATIONS.handled }, (_, i) => i)
      .map((i) => ({ i, key: next() }))
      .sort((a, b) => a.key - b.key)
      .slice(0, DEMO_MEDIATIONS.settled)
      .map((x) => x.i),
  );
  const today = mediations.civilDay(now);
  const plans = Array.from({ length: DEMO_MEDIATIONS.handled }, (_, i) => {
    const closedAt = new Date(
      now.getTime() - (1 + Math.floor(next() * 360)) * DAY - Math.floor(next() * 8) * 3_600_000,
    );
    // About one in twelve ran past the 30 days (counted late in the on-time rate).
    const days = next() < 0.08 ? 31 + Math.floor(next() * 10) : 2 + Math.floor(next() * 27);
    const acceptedAt = new Date(closedAt.getTime() - days * DAY);
    const village = villages[Math.floor(next() * villages.length)] ?? townCode;
    return {
      settled: settledIndex.has(i),
      closedAt,
      acceptedAt,
      village,
      type: TYPES[Math.floor(next() * TYPES.length)] ?? 'other',
      mediator: next() < 0.2 ? townMediator : (mediatorOf.get(village) ?? townMediator),
      source:
        (['application', 'application', 'screening', 'entrusted', 'petition'] as const)[
          Math.floor(next() * 5)
        ] ?? 'application',
      simplified: next() < 0.4,
      referral: (REFERRALS[Math.floor(next() * REFERRALS.length)] ??
        REFERRALS[0]) as (typeof REFERRALS)[number],
      followUpDone: next() < 0.92,
      performed: next() < 0.95,
      confirmed: next() < 0.2,
    };
  }).sort((a, b) => a.acceptedAt.getTime() - b.acceptedAt.getTime());

  // Numbered here, year by year, in bulk; the service's counters then carry on from them.
  const issued = new Map<string, number>();
  const numberOf = (series: string, day: string) => {
    const year = Number(day.slice(0, 4));
    const n = (issued.get(`${series}:${year}`) ?? 0) + 1;
    issued.set(`${series}:${year}`, n);
    return formatNumber(series, year, n);
  };
  const rows: NewMediation[] = plans.map((p) => {
    const signed = mediations.civilDay(p.closedAt);
    const followUpDue = addDays(signed, FOLLOW_UP_DAYS);
    const followUpDone = p.settled && followUpDue <= today && p.followUpDone;
    return {
      number: numberOf(MEDIATION_SERIES.register, mediations.civilDay(p.acceptedAt)),
      client_key: null,
      case_id: null,
      region_code: p.village,
      county_code: p.village.slice(0, 6),
      dispute_type: p.type,
      source: p.source,
      procedure: p.simplified ? 'simplified' : 'standard',
      summary: `【演示数据】${DISPUTE_TYPE_LABELS[p.type].zh}：当事人双方因${DISPUTE_TYPE_LABELS[p.type].zh.replace(/纠纷|争议/, '')}事宜发生争执，申请调解`,
      mediator_id: p.mediator,
      state: p.settled ? 'settled' : 'unsettled',
      accepted_at: p.acceptedAt,
      due_at: new Date(p.acceptedAt.getTime() + 30 * DAY),
      escalated_at: null,
      closed_at: p.closedAt,
      referred_to: p.settled ? null : p.referral.to,
      referral_department: p.settled ? null : p.referral.department,
      referral_reason: p.settled ? null : p.referral.reason,
      follow_up_due_on: p.settled ? followUpDue : null,
      follow_up_done_at: followUpDone ? new Date(Date.parse(`${followUpDue}T10:00:00+08:00`)) : null,
      follow_up_performed: followUpDone ? p.performed : null,
      follow_up_note: followUpDone
        ? p.performed
          ? '电话回访，双方均已按协议履行'
          : '上门回访，一方尚未按期履行，已督促'
        : null,
      follow_up_reminded: true,
      confirmation_due_on: p.settled ? addDays(signed, CONFIRMATION_DAYS) : null,
      confirmation_applied: p.settled && p.confirmed ? true : null,
      confirmation_note: p.settled && p.confirmed ? '双方已共同向九江人民法庭申请司法确认' : null,
      confirmation_reminded: true,
      synthetic: true,
      created_by: null,
      created_at: p.acceptedAt,
      updated_at: p.closedAt,
    };
  });
  await db.transaction().execute(async (trx) => {
    for (let from = 0; from < rows.length; from += BATCH) {
      const batch = rows.slice(from, from + BATCH);
      const ids = await mediations.insertMediations(trx, batch);
      const slice = plans.slice(from, from + BATCH);
      await mediations.insertParties(
        trx,
        ids.flatMap((id, k) =>
          (['applicant', 'respondent'] as const).map((side, position) => ({
            mediation_id: id,
            position,
            side,
            name: names.name(),
            id_number: syntheticIdNumber(next),
            phone: names.phone(),
            address: `${slice[k]?.village === townCode ? '九江镇' : ''}演示地址${Math.floor(next() * 200) + 1}号`,
          })),
        ),
      );
      await mediations.insertSessions(
        trx,
        ids.map((id, k) => {
          const p = slice[k];
          return {
            mediation_id: id,
            held_at: new Date((p?.closedAt.getTime() ?? now.getTime()) - 2 * 3_600_000),
            place: PLACES[k % PLACES.length] ?? '调解室',
            matter: '听取双方陈述，核实争议事实',
            result: p?.settled ? '双方达成一致意见' : '双方分歧较大，未能达成一致',
            transcript: p?.simplified ? null : '【演示数据】调解员：请双方分别陈述纠纷经过和诉求……',
            recorded_by: p?.mediator ?? null,
            recorded_by_name: '调解员',
            created_at: p?.closedAt ?? now,
          };
        }),
      );
      await mediations.insertAgreements(
        trx,
        ids.flatMap((id, k) => {
          const p = slice[k];
          if (!p?.settled) return [];
          const signed = mediations.civilDay(p.closedAt);
          return [
            {
              mediation_id: id,
              number: numberOf(MEDIATION_SERIES.agreement, signed),
              facts: `【演示数据】双方因${DISPUTE_TYPE_LABELS[p.type].zh}发生争执，经村（居）委会人民调解委员会调解。`,
              terms:
                '一、双方互谅互让，就争议事项达成一致。\n二、一方于履行期限前向另一方支付补偿款人民币贰仟元整。\n三、双方今后不再就此事发生争执。',
              performance_method: '现金或银行转账一次性支付',
              performance_place: '村（居）委会人民调解委员会调解室',
              perform_by: addDays(signed, 10),
              signed_on: signed,
            },
          ];
        }),
      );
    }
    for (const [key, last] of issued) {
      const [series = '', year = ''] = key.split(':');
      await raiseNumber(trx, series, Number(year), last);
    }
  });

  const open = await loadOpenMediations(db, services, { now, townCode, mediatorOf, categoryIds });
  await services.mediation.sweep();
  return { handled: rows.length, settled: DEMO_MEDIATIONS.settled, open };
}

/** A few mediations still open, through the service, so the console shows the live path and a red light. */
async function loadOpenMediations(
  db: Db,
  services: Services,
  options: { now: Date; townCode: string; mediatorOf: Map<string, number>; categoryIds: Map<string, number> },
): Promise<number> {
  const system = systemActor('demo-seed');
  const heqing = '440605121015';
  const yingming = '440605121018';
  const parties = (a: string, b: string) => [
    {
      side: 'applicant' as const,
      name: a,
      idNumber: DEMO_ID_NUMBER,
      phone: '19999001234',
      address: '演示路1号',
    },
    { side: 'respondent' as const, name: b, idNumber: null, phone: '19999005678', address: '演示路3号' },
  ];
  const day = (days: number) => mediations.civilDay(new Date(options.now.getTime() - days * DAY));
  const service = services.mediation.service;
  let count = 0;

  // Past its limit: accepted 35 days ago, no extension agreed — red, and escalated by the sweep.
  await service.openMediation(system, {
    regionCode: heqing,
    disputeType: 'housing',
    source: 'petition',
    procedure: 'standard',
    summary: '【演示数据】信访转来的宅基地边界纠纷，双方对界址各执一词（访调对接）',
    mediatorId: options.mediatorOf.get(heqing) ?? null,
    acceptedOn: day(35),
    parties: parties('何志强', '梁伟明'),
  });
  count++;

  // Extended with consent: accepted 28 days ago, 15 more days agreed.
  const extended = await service.openMediation(system, {
    regionCode: yingming,
    disputeType: 'contract',
    source: 'application',
    procedure: 'standard',
    summary: '【演示数据】装修工程款结算纠纷',
    mediatorId: options.mediatorOf.get(yingming) ?? null,
    acceptedOn: day(28),
    parties: parties('关丽芳', '潘建国'),
  });
  await service.extend(system, extended.id, {
    days: 15,
    reason: '需委托第三方核算工程量',
    consent: '双方当事人书面同意延长调解期限',
    version: extended.version,
  });
  count++;

  // From a dispute case the 河清 grid worker reported today: the case moves to 处置中 as the mediation opens.
  const workerRow = await findUserByUsername(db, 'heqing');
  const categoryId = options.categoryIds.get('16001');
  if (workerRow && categoryId) {
    const worker = actorOf(workerRow, 'zh-CN');
    const reported = await services.cases.reportCase(worker, {
      categoryId,
      description: '【演示数据】两户村民因排水沟堵塞、污水漫流发生争吵',
      lon: 112.945,
      lat: 22.85,
      evidence: [await demoPhoto(services, worker)],
    } as never);
    const opened = await service.openMediation(system, {
      caseId: reported.id,
      disputeType: 'neighbour',
      source: 'screening',
      procedure: 'standard',
      summary: '【演示数据】网格员排查发现的排水沟邻里纠纷',
      mediatorId: options.mediatorOf.get(heqing) ?? null,
      parties: parties('陈嘉俊', '麦秀英'),
    });
    await service.recordSession(system, opened.id, {
      heldAt: new Date(options.now.getTime() - 3_600_000).toISOString(),
      place: '河清社区人民调解室',
      matter: '排水沟清理责任和费用分担',
      result: '双方同意现场查看后再议',
      transcript: '【演示数据】调解员：请双方陈述排水沟堵塞的经过……',
      version: opened.version,
    });
    count++;
  }
  return count;
}
