import { isLateRegistration } from '../../../shared/registrations.ts';
import { idNumberCheckChar } from '../../../shared/registry-validation.ts';
import type { Services } from '../../deps.ts';
import { shanghaiDay } from '../../modules/patrols/patrol.policy.ts';
import { shortVillageName } from '../../modules/registry/registry-place.ts';
import type { Db } from '../database.ts';
import { createNameSource } from './demo-people.ts';

/*
 * Synthetic public registrations (报备) for the demo town, so the registrations page has a week of arrivals on the
 * first start: a few a day per community, some registered late, the older ones mostly confirmed by the grid's
 * grid worker. Every row is marked `synthetic` (shown as 演示数据). Deterministic for a seed and `now`; written in
 * one statement.
 */

const DAYS = 7;
/** Where people come from, with the 6-digit division code their ID numbers start with. */
const ORIGINS: [string, string][] = [
  ['湖南省长沙市岳麓区', '430104'],
  ['广西壮族自治区南宁市青秀区', '450103'],
  ['江西省南昌市东湖区', '360102'],
  ['四川省成都市锦江区', '510104'],
  ['湖北省武汉市江岸区', '420102'],
  ['广东省湛江市赤坎区', '440802'],
];
const ROADS = ['沙口路', '河清大道', '新村路', '正街', '北环路'];

export async function loadDemoRegistrations(
  db: Db,
  services: Pick<Services, 'registrations' | 'territory'>,
  options: { townCode: string; now: Date; seed: number },
): Promise<number> {
  const grids = await db
    .selectFrom('regions as r')
    .leftJoin('grid_people as gp', (j) =>
      j.onRef('gp.grid_code', '=', 'r.code').on('gp.duty', '=', 'gridWorker'),
    )
    .select(['r.code', 'gp.user_id'])
    .where('r.code', 'like', `${options.townCode}%`)
    .where('r.level', '=', 'grid')
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('regions as c').select('c.code').whereRef('c.parent_code', '=', 'r.code'))),
    )
    .orderBy('r.code')
    .execute();
  const villages = await services.territory.getRegionNames([
    ...new Set(grids.map((g) => g.code.slice(0, 12))),
  ]);
  const names = createNameSource(options.seed + 17);
  let state = (options.seed + 17) >>> 0;
  const random = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 4_294_967_296;
  };
  const windowHours = services.registrations.windowHours;
  const rows = [];
  const now = options.now.getTime();
  let sequence = 0;
  for (const grid of grids) {
    for (let day = 0; day < DAYS; day++) {
      // About one arrival every other day per grid; none in the future.
      if (random() < 0.55) continue;
      const registeredAt = new Date(now - day * 86_400_000 - random() * 10 * 3_600_000);
      // Most within the window, one in five well past it.
      const delayHours = random() < 0.2 ? windowHours + 2 + random() * 30 : random() * windowHours * 0.9;
      const arrivedAt = new Date(registeredAt.getTime() - delayHours * 3_600_000);
      const [origin, area] = ORIGINS[Math.floor(random() * ORIGINS.length)] as [string, string];
      const first17 = `${area}19${String(60 + Math.floor(random() * 40))}0${1 + Math.floor(random() * 9)}1${Math.floor(random() * 10)}${String(++sequence % 1000).padStart(3, '0')}`;
      const confirmed = day >= 1 && grid.user_id !== null && random() < 0.6;
      rows.push({
        client_key: null,
        name: names.name(),
        id_number: `${first17}${idNumberCheckChar(first17)}`,
        phone: names.phone(),
        origin,
        arrived_at: arrivedAt,
        registered_at: registeredAt,
        window_hours: windowHours,
        late: isLateRegistration(arrivedAt, registeredAt, windowHours),
        address: `${shortVillageName(villages.get(grid.code.slice(0, 12)) ?? '')} ${ROADS[Math.floor(random() * ROADS.length)]} ${1 + Math.floor(random() * 80)} 号`,
        lon: null,
        lat: null,
        region_code: grid.code,
        village_code: grid.code.slice(0, 12),
        county_code: grid.code.slice(0, 6),
        day: shanghaiDay(registeredAt),
        confirmed_at: confirmed
          ? new Date(Math.min(now, registeredAt.getTime() + (6 + random() * 20) * 3_600_000))
          : null,
        confirmed_by: confirmed ? grid.user_id : null,
        confirm_note: confirmed ? '已上门核实，信息属实（演示数据）' : null,
      });
    }
  }
  await services.registrations.loadSynthetic(rows);
  return rows.length;
}
