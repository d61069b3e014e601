import type {
  CareTag,
  FacilityType,
  HouseUse,
  OrganisationType,
  Relation,
} from '../../../shared/registry.ts';
import { idNumberCheckChar, usccCheckChar } from '../../../shared/registry-validation.ts';
import type { Services } from '../../deps.ts';
import { systemActor } from '../../modules/people/actor.ts';
import type { SyntheticAddress, SyntheticRegistry } from '../../modules/registry/registry-bulk.ts';
import type { Db } from '../database.ts';
import { DEMO_TOWN_CODE } from './demo-town.ts';

/*
 * A synthetic registry for the demo town: made-up people, houses and places of realistic size and mix, the same
 * on every machine (one seed). ID numbers and credit codes carry valid check characters; phone numbers use the
 * 19999 block of the demo's responsible people. Nothing here describes a real person or business.
 */

export const DEMO_REGISTRY_COUNTS = {
  houses: 30_000,
  residents: 100_000,
  organisations: 3_000,
  camerasClass1: 300,
  camerasClass2: 2_700,
  hydrants: 700,
  gates: 600,
  wasteBins: 800,
};
export type DemoRegistryCounts = typeof DEMO_REGISTRY_COUNTS;

const SEED = 20_261_123;
/** Dates are counted from a fixed day, so the data is the same whenever it is generated. */
const AS_OF = Date.UTC(2026, 10, 1);

export interface DemoGrid {
  code: string;
  /** The village's short name (河清社区). */
  villageName: string;
  /** [west, south, east, north] of the grid's boundary. */
  bbox: [number, number, number, number];
}

/** mulberry32: small, fast, and the same sequence on every platform. */
function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T,
    chance: (p: number) => next() < p,
  };
}
type Random = ReturnType<typeof createRandom>;

// Surnames common in Nanhai first, with their rough weight; given-name characters by sex.
const SURNAMES = '陈陈陈陈李李李黄黄黄梁梁何何关冯潘罗吴邓谭麦区岑伍郑钟卢朱刘杨林叶张王周曾余苏莫胡赖'.split(
  '',
);
const MALE = '志伟强军辉杰明建国海伦俊文荣锦华永富家宝振威浩俊峰'.split('');
const FEMALE = '丽敏芳燕玲婷霞凤英秀慧嘉欣颖琳洁雪梅兰淑红美'.split('');
/** Where floating residents' ID numbers were issued: real county codes of the provinces Nanhai draws workers from. */
const ORIGINS = ['450921', '430524', '522401', '440881', '360731', '511621', '412726', '450881', '431121'];
const ROAD_WORDS = [
  '大道',
  '东路',
  '西路',
  '南路',
  '北路',
  '中路',
  '大街',
  '新街',
  '一巷',
  '二巷',
  '三巷',
  '四巷',
  '五巷',
  '六巷',
  '七巷',
  '八巷',
  '九巷',
  '十巷',
  '沙边路',
  '龙涌路',
  '滨江路',
  '工业路',
  '文化路',
  '市场路',
];

function stemOf(villageName: string): string {
  return villageName.replace(/(社区|村)$/, '');
}

function personName(random: Random, sex: 'male' | 'female', surname = random.pick(SURNAMES)): string {
  const chars = sex === 'male' ? MALE : FEMALE;
  return surname + random.pick(chars) + (random.chance(0.65) ? random.pick(chars) : '');
}

function phone(random: Random): string {
  return `19999${String(random.int(0, 999_999)).padStart(6, '0')}`;
}

/**
 * Generates the registry over the given grids. `contains` tells whether a point lies in a grid (the town's
 * locator), so every point falls where its record says.
 */
export async function generateDemoRegistry(options: {
  grids: readonly DemoGrid[];
  contains: (code: string, lon: number, lat: number) => Promise<boolean>;
  counts?: DemoRegistryCounts;
  seed?: number;
}): Promise<SyntheticRegistry> {
  const counts = options.counts ?? DEMO_REGISTRY_COUNTS;
  const random = createRandom(options.seed ?? SEED);
  const grids = [...options.grids].sort((a, b) => a.code.localeCompare(b.code));
  const data: SyntheticRegistry = {
    addresses: [],
    buildings: [],
    houses: [],
    residents: [],
    organisations: [],
    facilities: [],
  };
  const issued = new Set<string>();

  async function pointIn(grid: DemoGrid): Promise<{ lon: number; lat: number }> {
    const [west, south, east, north] = grid.bbox;
    for (let attempt = 0; attempt < 50; attempt++) {
      const lon = Math.round((west + random.next() * (east - west)) * 1e6) / 1e6;
      const lat = Math.round((south + random.next() * (north - south)) * 1e6) / 1e6;
      if (await options.contains(grid.code, lon, lat)) return { lon, lat };
    }
    throw new Error(`no point found inside grid ${grid.code}`);
  }

  function idNumber(area: string, age: number, sex: 'male' | 'female'): string {
    for (;;) {
      const born = new Date(AS_OF - (age * 365.25 + random.int(0, 364)) * 86_400_000);
      const date = born.toISOString().slice(0, 10).replaceAll('-', '');
      const sequence = random.int(0, 499) * 2 + (sex === 'male' ? 1 : 0);
      const first17 = `${area}${date}${String(sequence).padStart(3, '0')}`;
      const id = `${first17}${idNumberCheckChar(first17)}`;
      if (!issued.has(id)) {
        issued.add(id);
        return id;
      }
    }
  }

  // Addresses, buildings and houses: each grid has roads of its own; a door is a village house of one to six
  // dwellings (one per floor), or — one in eight — a compound of apartment buildings.
  const housesPerGrid = Math.ceil(counts.houses / grids.length);
  const villageGridIndex = new Map<string, number>();
  const doorsByGrid = new Map<string, number[]>();
  const buildingSeq = new Map<string, number>();
  const addAddress = (address: SyntheticAddress) => data.addresses.push(address) - 1;
  for (const grid of grids) {
    const village = grid.code.slice(0, 12);
    const index = villageGridIndex.get(village) ?? 0;
    villageGridIndex.set(village, index + 1);
    const stem = stemOf(grid.villageName);
    const word = ROAD_WORDS[index % ROAD_WORDS.length] ?? '路';
    const road = `${stem}${word}${index >= ROAD_WORDS.length ? Math.floor(index / ROAD_WORDS.length) + 1 : ''}`;
    const doors: number[] = [];
    let made = 0;
    let number = 0;
    while (made < housesPerGrid && data.houses.length < counts.houses) {
      number++;
      const point = await pointIn(grid);
      const door = addAddress({
        regionCode: grid.code,
        villageName: grid.villageName,
        road,
        number: String(number),
        building: null,
        unit: null,
        room: null,
        ...point,
      });
      doors.push(door);
      const newBuilding = (addressIndex: number, name: string, floors: number) => {
        const seq = (buildingSeq.get(grid.code) ?? 0) + 1;
        buildingSeq.set(grid.code, seq);
        return (
          data.buildings.push({
            addressIndex,
            code: `${grid.code}${String(seq).padStart(4, '0')}`,
            name,
            floors,
          }) - 1
        );
      };
      const house = (addressIndex: number, buildingIndex: number, rental: boolean) => {
        const use: HouseUse = rental
          ? 'rental'
          : random.chance(0.09)
            ? 'vacant'
            : random.chance(0.06)
              ? 'commercial'
              : 'selfOccupied';
        const owner =
          use === 'rental' ? { sex: random.chance(0.5) ? ('male' as const) : ('female' as const) } : null;
        data.houses.push({
          addressIndex,
          buildingIndex,
          use,
          landlordName: owner ? personName(random, owner.sex) : null,
          landlordPhone: owner ? phone(random) : null,
          landlordIdNumber: owner ? idNumber('440605', random.int(35, 75), owner.sex) : null,
        });
        made++;
      };
      if (random.chance(0.125)) {
        for (let b = 1; b <= random.int(2, 4); b++) {
          const buildingAddress = addAddress({
            ...data.addresses[door],
            building: String(b),
          } as SyntheticAddress);
          const building = newBuilding(buildingAddress, `${road}${number}号${b}栋`, 6);
          for (let unit = 1; unit <= 2; unit++) {
            for (let floor = 1; floor <= 6; floor++) {
              for (let flat = 1; flat <= 2; flat++) {
                const room = `${floor}0${flat}`;
                const address = addAddress({
                  ...data.addresses[door],
                  building: String(b),
                  unit: String(unit),
                  room,
                } as SyntheticAddress);
                house(address, building, random.chance(0.3));
              }
            }
          }
        }
      } else {
        const floors = random.int(1, 6);
        const building = newBuilding(door, `${road}${number}号`, floors);
        // One family below, rooms let above: how village houses in the Pearl River Delta are used.
        const rentedAbove = floors > 2 && random.chance(0.45);
        if (floors === 1 || !rentedAbove) house(door, building, false);
        else {
          for (let floor = 1; floor <= floors; floor++) {
            const address = addAddress({ ...data.addresses[door], room: `${floor}01` } as SyntheticAddress);
            house(address, building, floor > 1);
          }
        }
      }
    }
    doorsByGrid.set(grid.code, doors);
  }

  // Residents: a family per self-occupied house, workers from elsewhere in rentals, no one in vacant houses.
  let householdSeq = 0;
  const addPerson = (
    houseIndex: number,
    person: { sex: 'male' | 'female'; age: number; relation: Relation; surname: string; floating: boolean },
    householdNo: string | null,
    careTags: CareTag[] = [],
  ) => {
    data.residents.push({
      houseIndex,
      name: personName(random, person.sex, person.surname),
      idNumber: idNumber(person.floating ? random.pick(ORIGINS) : '440605', person.age, person.sex),
      phone: person.age >= 14 && random.chance(0.8) ? phone(random) : null,
      kind: person.floating ? 'floating' : 'registered',
      householdNo,
      relation: person.relation,
      careTags: [
        ...careTags,
        ...(random.chance(0.012) ? (['disabled'] as const) : []),
        ...(random.chance(0.008) && person.relation === 'head' ? (['lowIncome'] as const) : []),
      ],
    });
  };
  const family = (houseIndex: number, size: number, floating: boolean) => {
    householdSeq++;
    const householdNo = floating ? null : `440605${String(householdSeq).padStart(7, '0')}`;
    const headSex = random.chance(0.8) ? ('male' as const) : ('female' as const);
    const surname = random.pick(SURNAMES);
    const headAge = random.int(floating ? 22 : 30, floating ? 55 : 72);
    if (size === 1 && headAge >= 65 && !floating) {
      addPerson(
        houseIndex,
        { sex: headSex, age: headAge, relation: 'head', surname, floating },
        householdNo,
        ['elderlyAlone'],
      );
      return;
    }
    addPerson(houseIndex, { sex: headSex, age: headAge, relation: 'head', surname, floating }, householdNo);
    const other = headSex === 'male' ? 'female' : 'male';
    const members: { sex: 'male' | 'female'; age: number; relation: Relation; surname: string }[] = [];
    if (size >= 2)
      members.push({
        sex: other,
        age: Math.max(20, headAge + random.int(-5, 5)),
        relation: 'spouse',
        surname: random.pick(SURNAMES),
      });
    for (let i = members.length + 1; i < size; i++) {
      const roll = random.next();
      if (roll < 0.6 && headAge >= 24) {
        members.push({
          sex: random.chance(0.5) ? 'male' : 'female',
          age: Math.max(0, headAge - random.int(22, 34)),
          relation: 'child',
          surname,
        });
      } else if (roll < 0.8 && !floating) {
        members.push({
          sex: random.chance(0.5) ? 'male' : 'female',
          age: Math.min(98, headAge + random.int(24, 32)),
          relation: 'parent',
          surname,
        });
      } else if (headAge >= 50) {
        members.push({
          sex: random.chance(0.5) ? 'male' : 'female',
          age: random.int(0, 12),
          relation: 'grandchild',
          surname,
        });
      } else {
        members.push({
          sex: random.chance(0.5) ? 'male' : 'female',
          age: random.int(18, 60),
          relation: 'other',
          surname: random.pick(SURNAMES),
        });
      }
    }
    for (const member of members) addPerson(houseIndex, { ...member, floating }, householdNo);
  };
  data.houses.forEach((house, houseIndex) => {
    if (house.use === 'selfOccupied') family(houseIndex, random.chance(0.06) ? 1 : random.int(2, 7), false);
    else if (house.use === 'rental') family(houseIndex, random.int(1, 5), true);
  });
  const occupied = data.houses.flatMap((h, i) => (h.use === 'selfOccupied' ? [i] : []));
  while (data.residents.length < counts.residents && occupied.length) {
    family(random.pick(occupied), random.int(2, 5), false);
  }

  // Organisations at doors of the grids, in the mix a town of 100,000 has; every one with a valid credit code.
  const orgTypes: [OrganisationType, number][] = [
    ['market', 40],
    ['pharmacy', 120],
    ['clinic', 90],
    ['hospital', 3],
    ['bank', 25],
    ['school', 18],
    ['kindergarten', 30],
    ['restaurant', 450],
    ['hotel', 40],
    ['enterprise', 600],
    ['government', 34],
  ];
  // The mix is that of the full 3,000 (shops making up the rest), scaled to the count asked for.
  const fixed = orgTypes.reduce((total, [, n]) => total + n, 0);
  orgTypes.push(['shop', DEMO_REGISTRY_COUNTS.organisations - fixed]);
  const scale = counts.organisations / DEMO_REGISTRY_COUNTS.organisations;
  const usccs = new Set<string>();
  const doorList = grids.flatMap((g) => (doorsByGrid.get(g.code) ?? []).map((door) => ({ grid: g, door })));
  let orgSeq = 0;
  for (const [type, wanted] of orgTypes) {
    for (let i = 0; i < Math.round(wanted * scale) && data.organisations.length < counts.organisations; i++) {
      orgSeq++;
      const { grid, door } = random.pick(doorList);
      const stem = stemOf(grid.villageName);
      const contactSex = random.chance(0.5) ? ('male' as const) : ('female' as const);
      data.organisations.push({
        addressIndex: door,
        name: organisationName(random, type, stem, orgSeq),
        type,
        uscc: uniqueUscc(random, type, usccs),
        contactName: personName(random, contactSex),
        contactPhone: phone(random),
      });
    }
  }

  // Facilities at points of their own: cameras, hydrants, gates of rental buildings, sorted-waste points.
  const facilityTypes: [FacilityType, number, string, string][] = [
    ['cameraClass1', counts.camerasClass1, 'SP1', '一类视频监控点'],
    ['cameraClass2', counts.camerasClass2, 'SP2', '视频监控点'],
    ['fireHydrant', counts.hydrants, 'XHS', '市政消火栓'],
    ['accessGate', counts.gates, 'MJ', '出租屋门禁'],
    ['wasteBin', counts.wasteBins, 'LJ', '垃圾分类投放点'],
  ];
  for (const [type, count, prefix, label] of facilityTypes) {
    for (let i = 1; i <= count; i++) {
      const grid = random.pick(grids);
      const point = await pointIn(grid);
      const roll = random.next();
      data.facilities.push({
        code: `JJ-${prefix}-${String(i).padStart(5, '0')}`,
        type,
        name: `${stemOf(grid.villageName)}${label}${i}`,
        status: roll < 0.95 ? 'normal' : roll < 0.99 ? 'faulty' : 'outOfService',
        lastCheckedOn: new Date(AS_OF - random.int(0, 180) * 86_400_000).toISOString().slice(0, 10),
        regionCode: grid.code,
        villageName: grid.villageName,
        ...point,
      });
    }
  }
  return data;
}

function organisationName(random: Random, type: OrganisationType, stem: string, seq: number): string {
  switch (type) {
    case 'market':
      return `${stem}${random.pick(['农贸市场', '综合市场', '肉菜市场'])}${seq}`;
    case 'pharmacy':
      return `${random.pick(['惠民', '康泰', '百姓', '仁和', '南海', '济世'])}大药房（${stem}${seq}店）`;
    case 'clinic':
      return `${stem}${random.pick(SURNAMES)}氏诊所${seq}`;
    case 'hospital':
      return ['九江镇医院', '九江镇中医院', '九江镇妇幼保健院'][seq % 3] ?? '九江镇医院';
    case 'bank':
      return `${random.pick(['工商银行', '农业银行', '建设银行', '中国银行', '农商银行', '邮储银行'])}九江${stem}支行${seq}`;
    case 'school':
      return `九江镇${stem}${random.pick(['小学', '中学'])}${seq}`;
    case 'kindergarten':
      return `${stem}${random.pick(['幼儿园', '童乐幼儿园', '育英幼儿园'])}${seq}`;
    case 'restaurant':
      return `${stem}${random.pick(['鱼生馆', '烧腊店', '粥粉面', '大排档', '茶楼', '农家菜'])}${seq}`;
    case 'hotel':
      return `${stem}${random.pick(['商务旅馆', '假日旅馆', '江景旅馆'])}${seq}`;
    case 'enterprise':
      return `佛山市南海区九江${random.pick(['鸿', '盛', '华', '兴', '利', '德', '泰'])}${random.pick(['五金', '纺织', '塑料', '食品', '家具', '电子', '机械'])}有限公司${seq}`;
    case 'government':
      return `九江镇${stem}${random.pick(['党群服务中心', '综治中心', '文化站'])}`;
    default:
      return `${stem}${random.pick(['便利店', '五金店', '士多', '理发店', '手机店', '服装店', '水果店', '文具店'])}${seq}`;
  }
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** 91 for companies, 92 for individual businesses, 12 for public bodies; Nanhai's division code inside. */
function uniqueUscc(random: Random, type: OrganisationType, taken: Set<string>): string {
  const prefix =
    type === 'government' || type === 'school' || type === 'hospital'
      ? '12'
      : type === 'shop' || type === 'restaurant'
        ? '92'
        : '91';
  for (;;) {
    let body = `${prefix}440605`;
    for (let i = 0; i < 9; i++) body += USCC_CHARS[random.int(0, USCC_CHARS.length - 1)];
    const code = `${body}${usccCheckChar(body)}`;
    if (!taken.has(code)) {
      taken.add(code);
      return code;
    }
  }
}

export interface DemoRegistryReport {
  loaded: boolean;
  addresses: number;
  buildings: number;
  houses: number;
  residents: number;
  organisations: number;
  facilities: number;
  ms: number;
}

/**
 * Loads the demo registry into the demo town when the town is there and the registry is empty; otherwise does
 * nothing. Bulk inserts in batches, between which other work on the database goes on (the server loads it
 * after it starts listening). `shouldStop` ends the load between batches, for a server shutting down.
 */
export async function loadDemoRegistry(
  db: Db,
  services: Services,
  options: { onStep?: (step: string) => void; shouldStop?: () => boolean; counts?: DemoRegistryCounts } = {},
): Promise<DemoRegistryReport> {
  const started = Date.now();
  const none = {
    loaded: false,
    addresses: 0,
    buildings: 0,
    houses: 0,
    residents: 0,
    organisations: 0,
    facilities: 0,
    ms: 0,
  };
  const [town, anyResident] = await Promise.all([
    db.selectFrom('regions').select('code').where('code', '=', DEMO_TOWN_CODE).executeTakeFirst(),
    db.selectFrom('registry_residents').select('id').limit(1).executeTakeFirst(),
  ]);
  if (!town || anyResident) return none;
  const system = systemActor('demo-seed');
  options.onStep?.('generating');
  const leaves = await services.territory.listGridFeatures(system, { root: DEMO_TOWN_CODE, level: 'leaf' });
  const grids: DemoGrid[] = leaves.features.map((f) => ({
    code: f.properties.code,
    villageName: (f.properties.villageName ?? '').replace(/居委会$/, '').replace(/村委会$/, '村'),
    bbox: bboxOf(
      f.geometry.type === 'Polygon' ? f.geometry.coordinates.flat() : f.geometry.coordinates.flat(2),
    ),
  }));
  const data = await generateDemoRegistry({
    grids,
    contains: async (code, lon, lat) => (await services.territory.locateCode(lon, lat)) === code,
    ...(options.counts ? { counts: options.counts } : {}),
  });
  const loaded = await services.registry.loadSynthetic(system, data, {
    onStep: options.onStep,
    shouldStop: options.shouldStop,
  });
  if (!loaded) return none;
  return {
    loaded: true,
    addresses: data.addresses.length,
    buildings: data.buildings.length,
    houses: data.houses.length,
    residents: data.residents.length,
    organisations: data.organisations.length,
    facilities: data.facilities.length,
    ms: Date.now() - started,
  };
}

function bboxOf(positions: readonly (readonly number[])[]): [number, number, number, number] {
  let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [lon = 0, lat = 0] of positions) {
    west = Math.min(west, lon);
    east = Math.max(east, lon);
    south = Math.min(south, lat);
    north = Math.max(north, lat);
  }
  return [west, south, east, north];
}
