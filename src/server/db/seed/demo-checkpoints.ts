import { idNumberCheckChar } from '../../../shared/registry-validation.ts';
import type { AreaGeometry } from '../../../shared/territory.ts';
import type { Services } from '../../deps.ts';
import { shanghaiDay } from '../../modules/patrols/patrol.policy.ts';
import { systemActor } from '../../modules/people/actor.ts';
import type { Db } from '../database.ts';
import { prng } from './demo-history-plan.ts';

/*
 * Synthetic checkpoints (卡点) for the demo town: three checkpoints in 河清 and 英明 (the demo grid workers'
 * villages), each with a weekly roster of the village's users and outside staff, and a week of entries marked
 * `synthetic` (shown as 演示数据) — a few dozen people and vehicles a day, some stopped. 河清's north entrance
 * asks the demo form's checks (卡点通行检查), so the phone's log screen shows them on the first start, and its
 * entries answer them. Entries are written in one statement per checkpoint, so the demo load stays quick.
 */

const DAYS = 7;
const CHECKPOINTS = [
  {
    village: '440605121015',
    login: 'heqing',
    name: '河清社区北入口卡点',
    kind: 'road',
    outside: '九江派出所 陈警官',
    checks: true,
  },
  {
    village: '440605121015',
    login: 'heqing',
    name: '河清花园小区门岗',
    kind: 'community',
    outside: '志愿者 梁姨',
    checks: false,
  },
  {
    village: '440605121018',
    login: 'yingming',
    name: '英明村沙口路卡口',
    kind: 'road',
    outside: '九江派出所 黎警官',
    checks: false,
  },
] as const;
const REASONS = ['体温异常', '无有效证件', '非本辖区人员'];
const RISK_REASON = '14 天内到过中高风险地区';
const RISK_PLACES = ['广州市白云区', '深圳市宝安区', '东莞市长安镇'];
const PROVINCE_PLATES = ['粤E', '粤E', '粤E', '粤A', '粤X', '湘A'];

/** A point inside a leaf grid: the mean of its outer ring (the demo grids are convex). */
function insidePoint(boundary: AreaGeometry): [number, number] {
  const ring = (boundary.type === 'Polygon' ? boundary.coordinates[0] : boundary.coordinates[0]?.[0]) ?? [];
  const points = ring.slice(0, -1);
  const sum = points.reduce(([x, y], [lon, lat]) => [x + (lon ?? 0), y + (lat ?? 0)], [0, 0]);
  return [sum[0] / points.length, sum[1] / points.length];
}

export async function loadDemoCheckpoints(
  db: Db,
  services: Services,
  options: {
    now: Date;
    seed: number /** The demo checkpoint checks' form (demo-forms.ts). */;
    checkpointFormId: number;
  },
): Promise<void> {
  const random = prng(options.seed + 17);
  const system = systemActor('demo');
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  for (const [index, spec] of CHECKPOINTS.entries()) {
    const grids = await db
      .selectFrom('regions')
      .select(['code', 'boundary'])
      .where('code', 'like', `${spec.village}%`)
      .where('level', '=', 'grid')
      .where('boundary', 'is not', null)
      .orderBy('code', 'desc')
      .execute();
    const grid = grids[index % grids.length];
    if (!grid?.boundary) continue;
    const [lon, lat] = insidePoint(grid.boundary as AreaGeometry);
    const created = await services.checkpoints.createCheckpoint(system, {
      name: spec.name,
      kind: spec.kind,
      status: 'active',
      lon,
      lat,
      note: '',
      formId: spec.checks ? options.checkpointFormId : null,
    });
    await db.updateTable('checkpoints').set({ synthetic: true }).where('id', '=', created.id).execute();
    const staff = (await services.checkpoints.listStaff(system, created.id)).staff;
    const login = staff.find(
      (s) => s.role === 'gridWorker' && s.name.includes(spec.login === 'heqing' ? '河清' : '英明'),
    );
    const others = staff.filter((s) => s.id !== login?.id).slice(0, 4);
    const duties = [1, 2, 3, 4, 5, 6, 7]
      .flatMap((weekday) => [
        { weekday, shift: 'early' as const, userId: login?.id ?? others[0]?.id ?? null, name: null },
        {
          weekday,
          shift: 'middle' as const,
          userId: others[weekday % Math.max(1, others.length)]?.id ?? null,
          name: null,
        },
        { weekday, shift: 'night' as const, userId: null, name: spec.outside },
      ])
      .map((d) => (d.userId === null ? { ...d, name: d.name ?? spec.outside } : d));
    await services.checkpoints.setRoster(system, created.id, { version: created.version, duties });
    const recorder = login?.id ?? others[0]?.id;
    if (!recorder) continue;

    const rows = [];
    for (let day = DAYS - 1; day >= 0; day--) {
      const count = 25 + Math.floor(random() * 35);
      for (let i = 0; i < count; i++) {
        // 06:00–22:00 Shanghai, before now.
        const at = new Date(
          options.now.getTime() - day * 86_400_000 - Math.floor(random() * 16 * 3_600_000) - 60_000,
        );
        const vehicle = random() < 0.3;
        // At the checkpoint with checks, a person who has been to a risk area is stopped, as its form is for.
        const risk = spec.checks && !vehicle && random() < 0.04;
        const stopped = risk || random() < 0.05;
        const birth = new Date(Date.UTC(1950, 0, 1) + Math.floor(random() * 20_000) * 86_400_000)
          .toISOString()
          .slice(0, 10)
          .replace(/-/g, '');
        const first17 = `440605${birth}${String(Math.floor(random() * 1000)).padStart(3, '0')}`;
        const temperature = vehicle ? null : Math.round((36 + random() * (stopped ? 2.5 : 1.1)) * 10) / 10;
        rows.push({
          client_key: `demo-checkpoint-${created.id}-${day}-${i}`,
          checkpoint_id: created.id,
          grid_code: created.gridCode,
          at,
          day: shanghaiDay(at),
          direction: random() < 0.55 ? 'in' : 'out',
          subject: vehicle ? 'vehicle' : 'person',
          plate: vehicle ? `${pick(PROVINCE_PLATES)}${Math.floor(10_000 + random() * 89_999)}` : null,
          id_number: vehicle ? null : `${first17}${idNumberCheckChar(first17)}`,
          temperature,
          checks: JSON.stringify(
            spec.checks
              ? {
                  risk_area: risk ? 'yes' : 'no',
                  ...(risk ? { risk_place: pick(RISK_PLACES) } : {}),
                  ...(vehicle ? { companions: Math.floor(random() * 4) } : {}),
                }
              : {},
          ),
          form_version_id: created.formVersionId,
          outcome: stopped ? 'stopped' : 'passed',
          reason: risk ? RISK_REASON : stopped ? pick(REASONS) : null,
          recorded_by: recorder,
          synthetic: true,
          created_at: at,
        });
      }
    }
    await db.insertInto('checkpoint_entries').values(rows).execute();
  }
}
