import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { GridDuty, Role } from '../../../shared/roles.ts';
import type { AreaGeometry } from '../../../shared/territory.ts';
import type { Services } from '../../deps.ts';
import { systemActor } from '../../modules/people/actor.ts';
import { gcj02ToWgs84 } from '../../modules/territory/coordinates.ts';
import { generateDemoTerritory } from '../../modules/territory/demo-territory.ts';
import type { Db } from '../database.ts';
import { loadDemoChecklists } from './demo-checklists.ts';
import { loadDemoCheckpoints } from './demo-checkpoints.ts';
import { loadDemoForms } from './demo-forms.ts';
import { createDemoVisitCampaign } from './demo-household-visits.ts';
import { loadDemoInspections } from './demo-inspections.ts';
import { loadDemoMediation } from './demo-mediation.ts';
import { loadDemoParty } from './demo-party.ts';
import { loadDemoPatrols } from './demo-patrols.ts';
import { createNameSource } from './demo-people.ts';
import { loadDemoRegistrations } from './demo-registrations.ts';
import { loadDemoVolunteers } from './demo-volunteers.ts';

const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), 'data');
export const DEMO_TOWN_CODE = '440605121';
export const DEMO_PASSWORD = 'Gridgov@2026';
/**
 * The town's extent, WGS-84: its published span (about 112.94–113.05 E, 22.81–22.87 N) widened a little so
 * that every real village centre (河清 lies just west, 烟南 just north of that span) falls inside.
 */
const TOWN_BOX: [number, number, number, number] = [112.93, 22.805, 113.055, 22.88];
// Close to the seeds' 27 first-level, 181 second-level and 426 third-level party grids; one first-level grid
// per village (31), since every grid belongs to exactly one village here.
const LEAF_TARGET = 426;
const LEVEL2_TARGET = 181;
const SEED = 20_260_101;

export const DEMO_DEPARTMENTS = [
  { code: 'JJ-CG', name: '九江镇城管执法办' },
  { code: 'JJ-SCJG', name: '九江市场监督管理所' },
  { code: 'JJ-PCS', name: '九江派出所' },
  { code: 'JJ-XF', name: '九江消防救援站' },
  { code: 'JJ-WJ', name: '九江镇卫生健康办公室' },
  { code: 'JJ-HW', name: '九江镇环卫站' },
  { code: 'JJ-WMB', name: '九江镇精神文明建设办公室（文明办）' },
  { code: 'JJ-ZZB', name: '九江镇综治办' },
  { code: 'JJ-ZJ', name: '九江镇住房城乡建设和水利办' },
  { code: 'JJ-YJ', name: '九江镇应急管理办公室' },
] as const;

interface DemoLogin {
  username: string;
  displayName: string;
  role: Role;
  /** A village code, or the town's. */
  regionCode: string;
  department?: string;
  phone?: string;
}

export const DEMO_LOGINS: readonly DemoLogin[] = [
  { username: 'admin', displayName: '系统管理员', role: 'administrator', regionCode: DEMO_TOWN_CODE },
  { username: 'leader', displayName: '镇领导（演示）', role: 'leader', regionCode: DEMO_TOWN_CODE },
  { username: 'dispatcher', displayName: '指挥中心派遣员', role: 'dispatcher', regionCode: DEMO_TOWN_CODE },
  {
    username: 'inspector',
    displayName: '文明办督查员',
    role: 'inspector',
    regionCode: DEMO_TOWN_CODE,
    department: 'JJ-WMB',
  },
  {
    username: 'chengguan',
    displayName: '城管执法办处置员',
    role: 'departmentHandler',
    regionCode: DEMO_TOWN_CODE,
    department: 'JJ-CG',
  },
  {
    username: 'heqing',
    displayName: '河清社区网格员',
    role: 'gridWorker',
    regionCode: '440605121015',
    phone: '19999000015',
  },
  {
    username: 'yingming',
    displayName: '英明社区网格员',
    role: 'gridWorker',
    regionCode: '440605121018',
    phone: '19999000018',
  },
];

export interface DemoSeedReport {
  loaded: boolean;
  regions: number;
  grids: { level1: number; level2: number; level3: number };
  users: number;
  departments: number;
  ms: number;
}

/** A short village name for grid names: 河清社区居委会 → 河清社区, 上西村委会 → 上西村. */
function shortName(name: string): string {
  return name.replace(/居委会$/, '').replace(/村委会$/, '村');
}

function readCsv(file: string): Record<string, string>[] {
  return parse(readFileSync(join(DATA_DIR, file), 'utf8'), {
    columns: true,
    bom: true,
    skip_empty_lines: true,
  });
}

/**
 * Loads the demo town into an empty database: Foshan's real divisions, synthetic grids at three levels for
 * 九江镇, its departments, the demo logins and a named grid worker for every grid. Does nothing when the
 * database already holds regions, so a restart never duplicates or overwrites anything.
 */
export async function loadDemoTown(
  db: Db,
  services: Services,
  onStep?: (step: string) => void,
  /** The seeding's "now", from which the demo inspections' timeline is counted back. */
  now = new Date(),
): Promise<DemoSeedReport> {
  const started = Date.now();
  const existing = await db.selectFrom('regions').select('code').limit(1).executeTakeFirst();
  if (existing) {
    return {
      loaded: false,
      regions: 0,
      grids: { level1: 0, level2: 0, level3: 0 },
      users: 0,
      departments: 0,
      ms: 0,
    };
  }
  const system = systemActor('demo-seed');
  onStep?.('divisions');
  const divisions = await services.territory.importDivisions(system, {
    csv: readFileSync(join(DATA_DIR, 'foshan-divisions.csv'), 'utf8'),
  });

  onStep?.('grids');
  const villages = readCsv('jiujiang-town-divisions.csv').filter((r) => r.level === 'village');
  const centres = new Map(
    readCsv('jiujiang-village-points-gcj02.csv').map((r) => [
      r.code ?? '',
      gcj02ToWgs84(Number(r.lon_gcj02), Number(r.lat_gcj02)),
    ]),
  );
  const territory = generateDemoTerritory({
    townBox: TOWN_BOX,
    villages: villages.map((v) => ({ code: v.code ?? '', centre: centres.get(v.code ?? '') })),
    leafTarget: LEAF_TARGET,
    level2Target: LEVEL2_TARGET,
    seed: SEED,
  });
  const villageName = new Map(villages.map((v) => [v.code ?? '', shortName(v.name ?? '')]));
  const gridName = (code: string, level: number, seq: number, parentSeq: number) => {
    const village = villageName.get(code.slice(0, 12)) ?? '';
    if (level === 1) return `${village}综合网格`;
    if (level === 2) return `${village}第${seq}网格`;
    return `${village}第${parentSeq}-${seq}网格`;
  };
  const seqOf = new Map(territory.grids.map((g) => [g.code, g.seq]));
  const feature = (code: string, geometry: AreaGeometry, name?: string) => ({
    type: 'Feature',
    geometry,
    properties: { code, ...(name ? { name } : {}) },
  });
  const grids = [...territory.grids].sort(
    (a, b) => a.gridLevel - b.gridLevel || a.code.localeCompare(b.code),
  );
  await services.territory.importBoundaries(system, {
    crs: 'wgs84',
    synthetic: true,
    geojson: {
      type: 'FeatureCollection',
      features: [
        feature(DEMO_TOWN_CODE, territory.town),
        ...territory.villages.map((v) => feature(v.code, v.geometry)),
        ...grids.map((g) =>
          feature(g.code, g.geometry, gridName(g.code, g.gridLevel, g.seq, seqOf.get(g.parentCode) ?? 0)),
        ),
      ],
    },
  });

  onStep?.('people');
  const departmentIds = new Map<string, number>();
  for (const d of DEMO_DEPARTMENTS) {
    const created = await services.people.createDepartment(system, { ...d, regionCode: DEMO_TOWN_CODE });
    departmentIds.set(d.code, created.id);
  }
  for (const login of DEMO_LOGINS) {
    await services.people.createUser(system, {
      username: login.username,
      displayName: login.displayName,
      role: login.role,
      regionCode: login.regionCode,
      departmentId: login.department ? (departmentIds.get(login.department) ?? null) : null,
      phone: login.phone ?? null,
      password: DEMO_PASSWORD,
    });
  }
  onStep?.('categories');
  await services.categories.importCategories(system, {
    csv: readFileSync(join(DATA_DIR, 'categories.csv'), 'utf8'),
  });
  const loginIds = new Map(
    (await db.selectFrom('users').select(['id', 'username']).execute()).map((u) => [u.username, u.id]),
  );

  // Every leaf grid gets a grid worker; every first-level grid a grid leader and a party-grid secretary.
  // The two demo grid workers take the first leaf grid of their village, so they see themselves on the map.
  const names = createNameSource(SEED);
  const people = new Map<string, { userId: number; duty: GridDuty }[]>();
  const leaves = grids.filter((g) => g.gridLevel === 3);
  const firstLeafOf = new Map<string, string>();
  for (const leaf of leaves)
    if (!firstLeafOf.has(leaf.code.slice(0, 12))) firstLeafOf.set(leaf.code.slice(0, 12), leaf.code);
  const demoWorkerOf = new Map(
    DEMO_LOGINS.filter((l) => l.role === 'gridWorker').map((l) => [
      firstLeafOf.get(l.regionCode),
      loginIds.get(l.username),
    ]),
  );
  let sequence = 0;
  const person = async (regionCode: string, role: Role) => {
    sequence++;
    const user = await services.people.createUser(system, {
      username: `gw${String(sequence).padStart(4, '0')}`,
      displayName: names.name(),
      phone: names.phone(),
      role,
      regionCode,
    });
    return user.id;
  };
  for (const grid of grids) {
    const village = grid.code.slice(0, 12);
    if (grid.gridLevel === 3) {
      const userId = demoWorkerOf.get(grid.code) ?? (await person(village, 'gridWorker'));
      people.set(grid.code, [{ userId, duty: 'gridWorker' }]);
    } else if (grid.gridLevel === 1) {
      people.set(grid.code, [
        { userId: await person(village, 'gridWorker'), duty: 'gridLeader' },
        { userId: await person(village, 'gridWorker'), duty: 'partySecretary' },
      ]);
    }
  }
  for (const [code, list] of people) {
    await services.territory.setGridPeople(system, {
      code,
      version: await gridVersion(db, code),
      people: list,
    });
  }

  onStep?.('party');
  await loadDemoParty(db, services, { townCode: DEMO_TOWN_CODE, seed: SEED, password: DEMO_PASSWORD });

  onStep?.('forms');
  const { checkpointFormId } = await loadDemoForms(services, DEMO_TOWN_CODE);
  // Its visits follow the registry, which loads in the background (main.ts).
  await createDemoVisitCampaign(db, services, now);
  onStep?.('checklists');
  const [pharmacyClinic = 0, field = 0] = await loadDemoChecklists(services, DEMO_TOWN_CODE);
  onStep?.('inspections');
  await loadDemoInspections(db, services, {
    templateIds: { pharmacyClinic, field },
    townCode: DEMO_TOWN_CODE,
    now,
  });
  onStep?.('patrols');
  await loadDemoPatrols(db, {
    townCode: DEMO_TOWN_CODE,
    now,
    seed: SEED,
    skipTodayFor: DEMO_LOGINS.filter((l) => l.role === 'gridWorker').map(
      (l) => loginIds.get(l.username) ?? 0,
    ),
  });
  onStep?.('checkpoints');
  await loadDemoCheckpoints(db, services, { now, seed: SEED, checkpointFormId });
  onStep?.('mediation');
  await loadDemoMediation(db, services, {
    townCode: DEMO_TOWN_CODE,
    now,
    seed: SEED,
    password: DEMO_PASSWORD,
  });
  onStep?.('volunteers');
  await loadDemoVolunteers(db, services, {
    townCode: DEMO_TOWN_CODE,
    now,
    seed: SEED,
    password: DEMO_PASSWORD,
    showcaseVillage: '440605121015',
  });

  onStep?.('registrations');
  await loadDemoRegistrations(db, services, { townCode: DEMO_TOWN_CODE, now, seed: SEED });

  const count = (level: number) => territory.grids.filter((g) => g.gridLevel === level).length;
  return {
    loaded: true,
    regions: divisions.created,
    grids: { level1: count(1), level2: count(2), level3: count(3) },
    users: DEMO_LOGINS.length + sequence,
    departments: DEMO_DEPARTMENTS.length,
    ms: Date.now() - started,
  };
}

async function gridVersion(db: Db, code: string): Promise<number> {
  const row = await db
    .selectFrom('regions')
    .select('version')
    .where('code', '=', code)
    .executeTakeFirstOrThrow();
  return row.version;
}
