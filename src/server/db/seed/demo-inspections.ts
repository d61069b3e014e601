import sharp from 'sharp';
import type { ChecklistItem } from '../../../shared/checklists.ts';
import type { ItemAnswerInput, SiteType } from '../../../shared/inspections.ts';
import type { VisitDetail } from '../../../shared/visits.ts';
import type { Services } from '../../deps.ts';
import { civilDateOf } from '../../modules/calendar/working-time.ts';
import type { Actor } from '../../modules/people/actor.ts';
import { systemActor } from '../../modules/people/actor.ts';
import { actorOf } from '../../modules/people/auth.service.ts';
import { findUserByUsername } from '../../modules/people/user.repository.ts';
import type { Db } from '../database.ts';

/*
 * The demo town's inspections, so that a newcomer sees results on the first start: a finished, published covert
 * civilised-city inspection (文明城市实地测评（暗访）) with scores, a vetoed target, failure rates and rectification
 * cases part re-inspected, and a running open special inspection of pharmacies and clinics, partly visited. Every
 * place, finding and note is synthetic (made up, named like the town's places, describing no real business); the
 * pharmacies and clinics are added to the registry here, since the demo registry loads later, in the background.
 * Everything goes through the services as the demo inspector, on a timeline counted back from `now`, so the
 * deadlines look right on the first start.
 */

const TIME_ZONE = 'Asia/Shanghai';
const DAY_MS = 86_400_000;

export interface DemoInspectionsReport {
  covertCampaignId: number;
  openCampaignId: number;
  visits: number;
}

interface Place {
  name: string;
  siteType: SiteType;
  /** The village it lies in (the last three digits of its code: 河清 is 015) and which of its leaf grids. */
  village: string;
  grid: number;
}

/** What the inspector found at a place: failed items by key with the note written on site. */
type Findings = Record<string, string>;

// Synthetic places of the covert inspection. The market and the dry-goods shop lie in 河清, the village of the
// demo grid worker `heqing` (who could not see the campaign before it was published).
const COVERT_PLACES: (Place & { findings: Findings })[] = [
  {
    name: '九江农贸市场',
    siteType: 'market',
    village: '015',
    grid: 0,
    findings: { '3.2': '东门 3 个果蔬摊位出线经营', '3.4': '仅见公益广告 3 处' },
  },
  // A dry-goods shop is judged by the market-and-mall items (干货抽查 3.5), so it is entered as a mall.
  {
    name: '河清南北干货店',
    siteType: 'mall',
    village: '015',
    grid: 1,
    findings: { '3.5': '货架上 2 包香菇已霉变' },
  },
  {
    name: '农商银行九江支行',
    siteType: 'bank',
    village: '001',
    grid: 0,
    findings: { '4.3': '无障碍坡道被电动车占用' },
  },
  {
    name: '九江镇人民医院',
    siteType: 'hospital',
    village: '003',
    grid: 0,
    findings: { '4.2': '母婴室无洗手池' },
  },
  {
    name: '沙口综合市场',
    siteType: 'market',
    village: '004',
    grid: 0,
    findings: { '5.1': '市场内发生缺斤短两被群众投诉、经查属实' },
  },
  { name: '儒林商业广场', siteType: 'mall', village: '003', grid: 1, findings: {} },
  {
    name: '英明老街',
    siteType: 'backStreet',
    village: '018',
    grid: 0,
    findings: { '1.3': '电杆上有小广告 6 处' },
  },
  { name: '南方花园小区', siteType: 'residentialEstate', village: '008', grid: 0, findings: {} },
];

// Synthetic pharmacies and clinics, added to the registry for the open special inspection.
const HEALTH_PLACES: Place[] = [
  { name: '九江康民大药房', siteType: 'pharmacy', village: '001', grid: 1 },
  { name: '河清仁和药店', siteType: 'pharmacy', village: '015', grid: 2 },
  { name: '沙头百姓药房', siteType: 'pharmacy', village: '019', grid: 0 },
  { name: '英明同济药店', siteType: 'pharmacy', village: '018', grid: 1 },
  { name: '下东益寿堂药店', siteType: 'pharmacy', village: '211', grid: 0 },
  { name: '上西健民药房', siteType: 'pharmacy', village: '206', grid: 0 },
  { name: '河清陈氏诊所', siteType: 'clinic', village: '015', grid: 3 },
  { name: '儒林社区诊所', siteType: 'clinic', village: '003', grid: 2 },
  { name: '沙口何氏中医诊所', siteType: 'clinic', village: '004', grid: 1 },
  { name: '大谷口腔诊所', siteType: 'clinic', village: '014', grid: 0 },
  { name: '烟南梁氏诊所', siteType: 'clinic', village: '214', grid: 0 },
  { name: '镇南卫生站', siteType: 'clinic', village: '216', grid: 0 },
];
/** The pharmacies and clinics visited so far (by name), with what was found. */
const HEALTH_VISITS: Record<string, Findings> = {
  九江康民大药房: {},
  河清仁和药店: { '2.3': '温湿度计校准标识已过期', '4.1': '抽查 3 张处方药销售记录无处方留存' },
  河清陈氏诊所: { '1.2': '2 个品种缺供货方资质材料' },
  沙口何氏中医诊所: {},
  沙头百姓药房: { '4.2': '处方药与保健食品混放' },
};

/** A civil day `days` from `day` (YYYY-MM-DD), moved back to the Friday before when it falls on a weekend. */
function workday(day: string, days: number): string {
  const date = new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS);
  const back = date.getUTCDay() === 0 ? 2 : date.getUTCDay() === 6 ? 1 : 0;
  return new Date(date.getTime() - back * DAY_MS).toISOString().slice(0, 10);
}
const dayAfter = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const at = (day: string, time: string) => new Date(`${day}T${time}:00+08:00`);

/** A plain photo, standing in for what the inspector took on site (synthetic). */
const photo = (colour: string) =>
  sharp({ create: { width: 96, height: 72, channels: 3, background: colour } })
    .jpeg()
    .toBuffer();

/** Every item that applies to the site answered: passed, or failed as found, with a photo where asked. */
function answersFor(
  items: readonly ChecklistItem[],
  siteType: SiteType,
  findings: Findings,
  evidence: string,
) {
  return items
    .filter((i) => i.siteTypes.length === 0 || i.siteTypes.includes(siteType))
    .map((i): ItemAnswerInput => {
      const note = findings[i.key];
      const failed = note !== undefined;
      const threshold = i.threshold ?? 0;
      const value =
        i.rule === 'graded'
          ? failed
            ? Math.floor(i.points / 2)
            : i.points
          : i.rule === 'count'
            ? i.comparator === '<='
              ? failed
                ? threshold + 2
                : threshold
              : failed
                ? Math.max(0, threshold - 2)
                : threshold + 1
            : null;
      const photographed = i.photo === 'always' || (failed && i.photo === 'onFail');
      return {
        itemKey: i.key,
        outcome: failed ? 'fail' : 'pass',
        value,
        note: note ?? '',
        evidence: photographed ? [evidence] : [],
      };
    });
}

export async function loadDemoInspections(
  db: Db,
  services: Services,
  options: { templateIds: { pharmacyClinic: number; field: number }; townCode: string; now: Date },
): Promise<DemoInspectionsReport> {
  const { townCode, now } = options;
  const system = systemActor('demo-seed');
  const user = async (username: string): Promise<Actor> => {
    const row = await findUserByUsername(db, username);
    if (!row) throw new Error(`demo user ${username} is missing`);
    return actorOf(row, 'zh-CN');
  };
  const inspector = await user('inspector');
  const office = await db
    .selectFrom('departments')
    .select('id')
    .where('code', '=', 'JJ-WMB')
    .executeTakeFirstOrThrow();
  const cg = await db
    .selectFrom('departments')
    .select('id')
    .where('code', '=', 'JJ-CG')
    .executeTakeFirstOrThrow();

  // A point inside a given leaf grid, for each place: the middle of the grid's outline, or nearer a corner
  // when the middle falls outside it.
  const leaves = await services.territory.listGridFeatures(system, { root: townCode, level: 'leaf' });
  const byVillage = new Map<string, typeof leaves.features>();
  for (const f of [...leaves.features].sort((a, b) => a.properties.code.localeCompare(b.properties.code))) {
    const village = f.properties.code.slice(0, 12);
    byVillage.set(village, [...(byVillage.get(village) ?? []), f]);
  }
  const pointIn = async (village: string, grid: number) => {
    const features = byVillage.get(village) ?? [];
    const feature = features[grid % features.length];
    if (!feature) throw new Error(`no grid in ${village}`);
    const ring =
      feature.geometry.type === 'Polygon'
        ? feature.geometry.coordinates[0]
        : feature.geometry.coordinates[0]?.[0];
    const corners = (ring ?? []).map(([lon = 0, lat = 0]) => [lon, lat] as const);
    const middle = corners.reduce(
      ([x, y], [lon, lat]) => [x + lon / corners.length, y + lat / corners.length],
      [0, 0],
    );
    for (const [lon, lat] of [
      middle,
      ...corners.map(([x, y]) => [(x + middle[0]) / 2, (y + middle[1]) / 2]),
    ]) {
      if ((await services.territory.locateCode(lon ?? 0, lat ?? 0)) === feature.properties.code)
        return { lon: lon ?? 0, lat: lat ?? 0 };
    }
    throw new Error(`no point found inside grid ${feature.properties.code}`);
  };
  const villageOf = (suffix: string) => `${townCode}${suffix}`;

  const photos = await Promise.all(
    ['#b55', '#5b5', '#55b', '#bb5', '#5bb'].map(
      async (c) => (await services.evidence.uploadEvidence(inspector, await photo(c))).id,
    ),
  );
  const itemsOf = async (templateId: number) =>
    (await services.inspections.checklists.getTemplate(system, templateId)).sections.flatMap((s) => s.items);
  const today = civilDateOf(now.getTime(), TIME_ZONE);
  const campaigns = services.inspections.campaigns;
  const visits = services.inspections.visits;
  let visitCount = 0;

  // (a) The covert civilised-city inspection, two weeks ago to yesterday: finished and published.
  const fieldItems = await itemsOf(options.templateIds.field);
  const covert = await campaigns.createCampaign(inspector, {
    name: '文明城市实地测评（暗访）',
    templateId: options.templateIds.field,
    regionCode: townCode,
    organiserDepartmentId: office.id,
    inspectorIds: [inspector.id],
    covert: true,
    startsOn: dayAfter(today, -14),
    endsOn: dayAfter(today, -1),
    recurrence: 'once',
    rectifyLimit: { amount: 5, unit: 'workingDays' },
    signatureRequired: false,
  });
  for (const place of COVERT_PLACES)
    await campaigns.addManualTarget(inspector, covert.id, {
      name: place.name,
      siteType: place.siteType,
      address: null,
      ...(await pointIn(villageOf(place.village), place.grid)),
    });
  const covertDraft = await campaigns.getCampaign(inspector, covert.id);
  await campaigns.startCampaign(inspector, covert.id, covertDraft.rowVersion);
  const [covertRound] = await campaigns.listRounds(inspector, covert.id);
  const covertTargets = (await campaigns.getCampaign(inspector, covert.id)).targets;
  const found = new Map<string, VisitDetail>();
  for (const [i, place] of COVERT_PLACES.entries()) {
    const target = covertTargets.find((t) => t.name === place.name);
    if (!target || !covertRound) continue;
    // The hospital first, nine days ago, so its rectification is overdue by now; the rest in the last week.
    const day = workday(today, place.siteType === 'hospital' ? -9 : -7 + (i % 4));
    found.set(
      place.name,
      await visits.recordVisit(inspector, covert.id, {
        roundId: covertRound.id,
        targetId: target.id,
        visitedAt: at(day, `${String(9 + (i % 7)).padStart(2, '0')}:30`).toISOString(),
        lon: target.lon,
        lat: target.lat,
        note: '',
        personInCharge: null,
        answers: answersFor(fieldItems, place.siteType, place.findings, photos[i % photos.length] ?? ''),
      }),
    );
    visitCount++;
  }

  // The departments rectify four findings (synthetic case steps, by the system); the inspector re-inspects:
  // three pass and close, the bank's ramp is still blocked and goes back to rework.
  const caseOf = (name: string, key: string) =>
    found.get(name)?.answers.find((a) => a.itemKey === key)?.case?.id;
  const rectified: [string, string, 'pass' | 'fail', string][] = [
    ['九江农贸市场', '3.2', 'pass', '摊位已退回线内'],
    ['九江农贸市场', '3.4', 'pass', '已增设公益广告 4 处'],
    ['河清南北干货店', '3.5', 'pass', '霉变干货已下架销毁'],
    ['农商银行九江支行', '4.3', 'fail', '坡道仍有电动车停放'],
  ];
  for (const [name, key, outcome, note] of rectified) {
    const caseId = caseOf(name, key);
    if (caseId === undefined) continue;
    for (const [action, input] of [
      ['register', {}],
      ['dispatch', { leadDepartmentId: cg.id }],
      ['accept', {}],
      ['finish', { note: '已按检查意见整改', evidence: [photos[4]] }],
    ] as const) {
      const current = await services.cases.getCase(system, caseId);
      await services.cases.actOnCase(system, {
        caseId,
        action: action as never,
        version: current.version,
        input: input as never,
      });
    }
    const visit = found.get(name);
    if (visit) await visits.reinspect(inspector, visit.id, key, { outcome, note, evidence: [] });
  }
  const running = await campaigns.getCampaign(inspector, covert.id);
  const finished = await campaigns.finishCampaign(inspector, covert.id, running.rowVersion);
  await campaigns.publishCampaign(inspector, covert.id, finished.rowVersion);

  // (b) The open special inspection of pharmacies and clinics, started a week ago, running for two more.
  for (const place of HEALTH_PLACES)
    await services.registry.createRecord(system, 'organisation', {
      name: place.name,
      type: place.siteType,
      ...(await pointIn(villageOf(place.village), place.grid)),
    } as never);
  const health = await campaigns.createCampaign(inspector, {
    name: '药店诊所专项检查',
    templateId: options.templateIds.pharmacyClinic,
    regionCode: townCode,
    organiserDepartmentId: office.id,
    inspectorIds: [inspector.id],
    covert: false,
    startsOn: dayAfter(today, -7),
    endsOn: dayAfter(today, 14),
    recurrence: 'once',
    rectifyLimit: { amount: 5, unit: 'workingDays' },
    signatureRequired: false,
  });
  await campaigns.addTargets(inspector, health.id, {
    source: 'organisationTypes',
    types: ['pharmacy', 'clinic'],
    regionCode: townCode,
  });
  const healthDraft = await campaigns.getCampaign(inspector, health.id);
  await campaigns.startCampaign(inspector, health.id, healthDraft.rowVersion);
  const [healthRound] = await campaigns.listRounds(inspector, health.id);
  const healthItems = await itemsOf(options.templateIds.pharmacyClinic);
  const healthTargets = (await campaigns.getCampaign(inspector, health.id)).targets;
  for (const [i, [name, findings]] of Object.entries(HEALTH_VISITS).entries()) {
    const target = healthTargets.find((t) => t.name === name);
    if (!target || !healthRound) continue;
    await visits.recordVisit(inspector, health.id, {
      roundId: healthRound.id,
      targetId: target.id,
      visitedAt: at(workday(today, -5 + i), '14:00').toISOString(),
      lon: target.lon,
      lat: target.lat,
      note: '',
      personInCharge: null,
      answers: answersFor(healthItems, target.siteType, findings, photos[i % photos.length] ?? ''),
    });
    visitCount++;
  }
  return { covertCampaignId: covert.id, openCampaignId: health.id, visits: visitCount };
}
