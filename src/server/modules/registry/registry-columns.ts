import { type ErrorParams, type LocalizedText, say } from '../../../shared/errors.ts';
import {
  type AddressInput,
  type BuildingInput,
  CARE_TAG_LABELS,
  type CareTag,
  FACILITY_STATUS_LABELS,
  FACILITY_TYPE_LABELS,
  type FacilityInput,
  HOUSE_USE_LABELS,
  type HouseInput,
  type HouseUse,
  ORGANISATION_TYPE_LABELS,
  type OrganisationInput,
  RELATION_LABELS,
  RESIDENT_KIND_LABELS,
  type RegistryEntity,
  type ResidentInput,
} from '../../../shared/registry.ts';
import {
  type CheckResult,
  checkIdNumber,
  checkPhone,
  checkUscc,
  nfkc,
} from '../../../shared/registry-validation.ts';

/*
 * The columns of registry files, per entity: the headers gridgov writes and recognises, and how one row's cells
 * become an input. Everything here needs no database; the import service adds what does (places, keys, scope).
 */

export function localized(template: LocalizedText, params: ErrorParams = {}): LocalizedText {
  return { zh: say(template, 'zh-CN', params), en: say(template, 'en-US', params) };
}

export const COLUMN_TEXT = {
  required: { zh: '「{field}」为空', en: '"{field}" is empty' },
  tooLong: {
    zh: '「{field}」过长（{length} 个字，上限 {max}）',
    en: '"{field}" is too long ({length} characters, at most {max})',
  },
  notChoice: {
    zh: '「{field}」“{value}”不是可选值之一：{choices}',
    en: '"{field}" "{value}" is not one of: {choices}',
  },
  notNumber: { zh: '「{field}」“{value}”不是数字', en: '"{field}" "{value}" is not a number' },
  outOfRange: {
    zh: '「{field}」{value} 超出范围（{min} 至 {max}）',
    en: '"{field}" {value} is out of range ({min} to {max})',
  },
  notDate: {
    zh: '「{field}」“{value}”不是日期，请写成 2026-11-20',
    en: '"{field}" "{value}" is not a date: write it as 2026-11-20',
  },
  halfAddress: {
    zh: '地址须同时填写街路巷和门牌号',
    en: 'an address needs both the road and the door number',
  },
} as const satisfies Record<string, LocalizedText>;

/** One column: the input field it fills, its header, and the other headers it is known by. */
export interface Column {
  field: string;
  label: LocalizedText;
  aliases: readonly string[];
  required?: boolean;
}

const col = (field: string, zh: string, en: string, aliases: string[] = [], required = false): Column => ({
  field,
  label: { zh, en },
  aliases,
  required,
});

const ADDRESS_COLUMNS = (required: boolean): Column[] => [
  col('road', '街路巷', 'Road', ['街路巷名称', '道路', '街道', '路名', 'road'], required),
  col('number', '门牌号', 'Door number', ['门牌', '门牌号码', 'number', 'doornumber'], required),
  col('building', '楼栋', 'Building', ['楼栋号', '栋', '幢', 'building']),
  col('unit', '单元', 'Unit', ['单元号', 'unit']),
  col('room', '户室', 'Room', ['房号', '户室号', '室', 'room']),
];
const PLACE_COLUMNS: Column[] = [
  col('lon', '经度', 'Longitude', ['lon', 'lng', 'longitude']),
  col('lat', '纬度', 'Latitude', ['lat', 'latitude']),
  col('regionCode', '所属网格', 'Grid', [
    '所属网格代码',
    '网格代码',
    '网格名称',
    '网格编码',
    '村居代码',
    '所属网格',
    'regioncode',
    'grid',
  ]),
];

export const REGISTRY_COLUMNS: Record<RegistryEntity, readonly Column[]> = {
  address: [...ADDRESS_COLUMNS(true), ...PLACE_COLUMNS],
  building: [
    col('code', '建筑物编码', 'Building code', ['楼栋编码', '建筑编码', 'code']),
    col('name', '建筑物名称', 'Building name', ['楼栋名称', '名称', 'name'], true),
    col('floors', '层数', 'Floors', ['楼层数', '总层数', 'floors']),
    ...ADDRESS_COLUMNS(false),
    ...PLACE_COLUMNS,
  ],
  house: [
    ...ADDRESS_COLUMNS(true),
    col('use', '房屋用途', 'Use', ['用途', '房屋类型', '使用情况', 'use'], true),
    col('buildingCode', '建筑物编码', 'Building code', ['楼栋编码', 'buildingcode']),
    col('areaSquareMetres', '面积（平方米）', 'Area (m²)', ['面积', '建筑面积', 'area']),
    col('landlordName', '房东姓名', 'Landlord', ['房东', '房主', '产权人', 'landlord', 'landlordname']),
    col('landlordPhone', '房东电话', 'Landlord phone', ['房东联系电话', '房主电话', 'landlordphone']),
    col('landlordIdNumber', '房东身份证号', 'Landlord ID number', ['房主身份证号', 'landlordidnumber']),
    ...PLACE_COLUMNS,
  ],
  resident: [
    col('name', '姓名', 'Name', ['名字', 'name'], true),
    col(
      'idNumber',
      '身份证号',
      'ID number',
      ['身份证号码', '公民身份号码', '证件号码', 'idnumber', 'id'],
      true,
    ),
    col('phone', '联系电话', 'Phone', ['电话', '手机', '手机号码', '联系方式', 'phone', 'mobile']),
    col('kind', '人口类型', 'Kind', ['人员类型', '户籍类型', '类型', 'kind'], true),
    col('householdNo', '户号', 'Household number', ['户编号', 'householdno', 'household']),
    col('relation', '与户主关系', 'Relation', ['户主关系', '关系', 'relation']),
    col('careTags', '关爱标签', 'Care tags', ['关爱对象', '特殊人群', '标签', 'caretags', 'tags']),
    ...ADDRESS_COLUMNS(true),
    col('houseUse', '房屋用途', 'House use', ['用途', 'houseuse']),
    ...PLACE_COLUMNS,
  ],
  organisation: [
    col('name', '单位名称', 'Name', ['名称', '企业名称', '商户名称', 'name'], true),
    col('type', '单位类型', 'Type', ['类型', '行业类别', 'type'], true),
    col('uscc', '统一社会信用代码', 'Credit code', ['信用代码', '社会信用代码', 'uscc'], false),
    col('contactName', '联系人', 'Contact', ['负责人', '法定代表人', 'contact', 'contactname']),
    col('contactPhone', '联系电话', 'Contact phone', ['电话', '联系方式', 'contactphone', 'phone']),
    ...ADDRESS_COLUMNS(false),
    ...PLACE_COLUMNS,
  ],
  facility: [
    col('code', '设施编号', 'Code', ['编号', '点位编号', '资产编号', 'code'], true),
    col('type', '设施类型', 'Type', ['类型', 'type'], true),
    col('name', '设施名称', 'Name', ['名称', '点位名称', 'name']),
    col('status', '状态', 'Status', ['设施状态', 'status']),
    col('lastCheckedOn', '最近检查日期', 'Last checked', ['检查日期', '最近巡检日期', 'lastcheckedon']),
    col('lon', '经度', 'Longitude', ['lon', 'lng', 'longitude'], true),
    col('lat', '纬度', 'Latitude', ['lat', 'latitude'], true),
  ],
};

/** Headers compared without brackets, spaces, asterisks or case: "* 身份证号（必填）" is 身份证号. */
export function normalizeHeader(header: string): string {
  return nfkc(header)
    .replace(/[(（[【].*?[)）\]】]/g, '')
    .replace(/[\s*:：_-]/g, '')
    .toLowerCase();
}

/** The mapping gridgov proposes: each field to the first header that is its label or one of its aliases. */
export function suggestMapping(
  entity: RegistryEntity,
  headers: readonly string[],
): Record<string, string | null> {
  const normalized = headers.map(normalizeHeader);
  const used = new Set<number>();
  const mapping: Record<string, string | null> = {};
  for (const column of REGISTRY_COLUMNS[entity]) {
    const names = [column.label.zh, column.label.en, column.field, ...column.aliases].map(normalizeHeader);
    const index = normalized.findIndex((h, i) => !used.has(i) && names.includes(h));
    if (index >= 0) used.add(index);
    mapping[column.field] = index >= 0 ? (headers[index] ?? null) : null;
  }
  return mapping;
}

/** A value chosen from a list, written as its code or its label in either language (or a short form). */
function choice<T extends string>(labels: Record<T, LocalizedText>, extra: Record<string, T> = {}) {
  const lookup = new Map<string, T>();
  for (const [code, label] of Object.entries(labels) as [T, LocalizedText][]) {
    for (const name of [code, label.zh, label.en]) {
      lookup.set(name, code);
      lookup.set(normalizeHeader(name), code);
    }
  }
  for (const [name, code] of Object.entries(extra)) {
    lookup.set(name, code);
    lookup.set(normalizeHeader(name), code);
  }
  const choices = Object.values<LocalizedText>(labels);
  return {
    // A value written exactly as a label is the common case, found before normalising it.
    parse: (value: string): T | undefined => lookup.get(value) ?? lookup.get(normalizeHeader(value)),
    choices: { zh: choices.map((c) => c.zh).join('、'), en: choices.map((c) => c.en).join(', ') },
  };
}

const HOUSE_USE = choice(HOUSE_USE_LABELS, {
  出租: 'rental',
  出租房: 'rental',
  自用: 'selfOccupied',
  商铺: 'commercial',
});
const KIND = choice(RESIDENT_KIND_LABELS, {
  户籍: 'registered',
  常住: 'registered',
  流动: 'floating',
  外来: 'floating',
});
const RELATION = choice(RELATION_LABELS, {
  本人: 'head',
  妻: 'spouse',
  夫: 'spouse',
  子: 'child',
  女: 'child',
  儿子: 'child',
  女儿: 'child',
  父亲: 'parent',
  母亲: 'parent',
  孙子: 'grandchild',
  孙女: 'grandchild',
  儿媳: 'childInLaw',
  女婿: 'childInLaw',
});
const CARE_TAG = choice(CARE_TAG_LABELS, {
  独居: 'elderlyAlone',
  空巢: 'emptyNest',
  低保: 'lowIncome',
  残疾: 'disabled',
});
const ORGANISATION_TYPE = choice(ORGANISATION_TYPE_LABELS, {
  农贸市场: 'market',
  菜市场: 'market',
  门店: 'shop',
  个体工商户: 'shop',
  餐饮: 'restaurant',
  药房: 'pharmacy',
  大药房: 'pharmacy',
  卫生站: 'clinic',
  卫生院: 'hospital',
  公司: 'enterprise',
  工厂: 'enterprise',
  酒店: 'hotel',
});
const FACILITY_TYPE = choice(FACILITY_TYPE_LABELS, {
  消火栓: 'fireHydrant',
  一类监控: 'cameraClass1',
  二类监控: 'cameraClass2',
  门禁: 'accessGate',
  出入口: 'accessGate',
  垃圾桶: 'wasteBin',
});
const FACILITY_STATUS = choice(FACILITY_STATUS_LABELS, {
  完好: 'normal',
  损坏: 'faulty',
  报废: 'outOfService',
});

/** The cells of one row by field, read through a mapping. */
export type RowCells = Record<string, string>;

interface Reader {
  problems: LocalizedText[];
  text(field: string, max: number): string | null;
  required(field: string, max: number): string;
  /** The following read an empty cell as null, or — when `required` — as a problem. */
  pick<T extends string>(field: string, from: ReturnType<typeof choice<T>>, required?: boolean): T | null;
  number(field: string, min: number, max: number, required?: boolean): number | null;
  date(field: string): string | null;
  checked<T>(field: string, check: (value: string) => CheckResult<T>, required?: boolean): T | null;
}

function reader(entity: RegistryEntity, cells: RowCells): Reader {
  const problems: LocalizedText[] = [];
  const label = (field: string) =>
    REGISTRY_COLUMNS[entity].find((c) => c.field === field)?.label ?? { zh: field, en: field };
  const raw = (field: string) => (cells[field] ?? '').trim();
  const empty = (field: string, required: boolean | undefined) => {
    if (required) problems.push(localized(COLUMN_TEXT.required, { field: label(field) }));
    return null;
  };
  const r: Reader = {
    problems,
    text(field, max) {
      const value = raw(field);
      if (value.length > max) {
        problems.push(localized(COLUMN_TEXT.tooLong, { field: label(field), length: value.length, max }));
      }
      return value || null;
    },
    required(field, max) {
      const value = r.text(field, max);
      if (!value) problems.push(localized(COLUMN_TEXT.required, { field: label(field) }));
      return value ?? '';
    },
    pick(field, from, required) {
      const value = raw(field);
      if (!value) return empty(field, required);
      const code = from.parse(value);
      if (!code)
        problems.push(
          localized(COLUMN_TEXT.notChoice, { field: label(field), value, choices: from.choices }),
        );
      return code ?? null;
    },
    number(field, min, max, required) {
      const value = raw(field);
      if (!value) return empty(field, required);
      const n = Number(value);
      if (!Number.isFinite(n)) {
        problems.push(localized(COLUMN_TEXT.notNumber, { field: label(field), value }));
        return null;
      }
      if (n < min || n > max) {
        problems.push(localized(COLUMN_TEXT.outOfRange, { field: label(field), value, min, max }));
        return null;
      }
      return n;
    },
    date(field) {
      const value = raw(field);
      if (!value) return null;
      const match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?$/.exec(value);
      const [year, month, day] = (match?.slice(1) ?? []).map(Number);
      const at = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 0));
      if (!match || at.getUTCMonth() !== (month ?? 0) - 1 || at.getUTCDate() !== day) {
        problems.push(localized(COLUMN_TEXT.notDate, { field: label(field), value }));
        return null;
      }
      return at.toISOString().slice(0, 10);
    },
    checked(field, check, required) {
      const value = raw(field);
      if (!value) return empty(field, required);
      const result = check(value);
      if (!result.ok) {
        problems.push(localized(result.problem, result.params ?? {}));
        return null;
      }
      return result.value;
    },
  };
  return r;
}

function placeOf(r: Reader): { lon: number | null; lat: number | null; regionCode: string | null } {
  return {
    lon: r.number('lon', -180, 180),
    lat: r.number('lat', -90, 90),
    // A code, or a village's or grid's name (resolved in the actor's scope when the record is placed).
    regionCode: r.text('regionCode', 40),
  };
}

/** The address columns of a row; null when the row gives none (and need not). */
function addressOf(r: Reader, required: boolean): AddressInput | null {
  const road = r.text('road', 60);
  const number = r.text('number', 20);
  const building = r.text('building', 20);
  const unit = r.text('unit', 10);
  const room = r.text('room', 20);
  if (!road && !number && !required) return null;
  if (!road || !number) {
    r.problems.push(COLUMN_TEXT.halfAddress);
    return null;
  }
  return { road, number, building, unit, room, ...placeOf(r) };
}

export interface ParsedRow<T> {
  input: T | null;
  problems: LocalizedText[];
}

/** Reads a row into the input of its entity, or the problems that keep it from being one. */
export const ROW_PARSERS: { [E in RegistryEntity]: (cells: RowCells, today: Date) => ParsedRow<unknown> } = {
  address(cells) {
    const r = reader('address', cells);
    const address = addressOf(r, true);
    return finish(r, address);
  },
  building(cells) {
    const r = reader('building', cells);
    const input: BuildingInput & { code: string | null } = {
      code: r.text('code', 40),
      name: r.required('name', 100),
      floors: r.number('floors', 1, 200),
      address: addressOf(r, false),
      ...placeOf(r),
    };
    return finish(r, input);
  },
  house(cells) {
    const r = reader('house', cells);
    const use = r.pick('use', HOUSE_USE, true);
    const input: HouseInput & { buildingCode: string | null } = {
      address: addressOf(r, true),
      use: use ?? 'selfOccupied',
      buildingCode: r.text('buildingCode', 40),
      areaSquareMetres: r.number('areaSquareMetres', 0.01, 100_000),
      landlordName: r.text('landlordName', 40),
      landlordPhone: r.checked('landlordPhone', checkPhone),
      landlordIdNumber: r.checked('landlordIdNumber', (v) => checkId(v)),
    };
    return finish(r, input);
  },
  resident(cells, today) {
    const r = reader('resident', cells);
    const name = r.required('name', 40);
    const idNumber = r.checked('idNumber', (v) => checkId(v, today), true);
    const kind = r.pick('kind', KIND, true);
    const careTags: CareTag[] = [];
    for (const part of careTagParts(cells.careTags ?? '')) {
      const tag = CARE_TAG.parse(part);
      if (tag) careTags.push(tag);
      else {
        r.problems.push(
          localized(COLUMN_TEXT.notChoice, {
            field: { zh: '关爱标签', en: 'Care tags' },
            value: part,
            choices: CARE_TAG.choices,
          }),
        );
      }
    }
    const input: ResidentInput = {
      name,
      idNumber: idNumber ?? '',
      phone: r.checked('phone', checkPhone),
      kind: kind ?? 'registered',
      address: addressOf(r, true),
      houseUse: (r.pick('houseUse', HOUSE_USE) as HouseUse | null) ?? undefined,
      householdNo: r.text('householdNo', 30),
      relation: r.pick('relation', RELATION),
      careTags: [...new Set(careTags)].sort(),
    };
    return finish(r, input);
  },
  organisation(cells) {
    const r = reader('organisation', cells);
    const name = r.required('name', 100);
    const type = r.pick('type', ORGANISATION_TYPE, true);
    const input: OrganisationInput = {
      name,
      type: type ?? 'other',
      uscc: r.checked('uscc', checkUscc),
      contactName: r.text('contactName', 40),
      contactPhone: r.checked('contactPhone', checkPhone),
      address: addressOf(r, false),
      ...placeOf(r),
    };
    return finish(r, input);
  },
  facility(cells) {
    const r = reader('facility', cells);
    const code = r.required('code', 40);
    const type = r.pick('type', FACILITY_TYPE, true);
    const lon = r.number('lon', -180, 180, true);
    const lat = r.number('lat', -90, 90, true);
    const input: FacilityInput = {
      code,
      type: type ?? 'other',
      name: r.text('name', 100),
      status: r.pick('status', FACILITY_STATUS) ?? 'normal',
      lastCheckedOn: r.date('lastCheckedOn'),
      lon: lon ?? 0,
      lat: lat ?? 0,
    };
    return finish(r, input);
  },
};

/**
 * Care tags as written in one cell: separated by punctuation, or by spaces between Chinese labels (English labels
 * have spaces of their own, so a part that is a label as a whole is kept whole).
 */
function careTagParts(cell: string): string[] {
  return cell
    .split(/[;；,，、/|\n]+/)
    .map((part) => part.trim())
    .filter(Boolean)
    .flatMap((part) => (CARE_TAG.parse(part) ? [part] : part.split(/\s+/)));
}

function checkId(value: string, today = new Date()): CheckResult<string> {
  const result = checkIdNumber(value, today);
  return result.ok ? { ok: true, value: result.value.idNumber } : result;
}

function finish<T>(r: Reader, input: T | null): ParsedRow<T> {
  return r.problems.length || input === null
    ? { input: null, problems: r.problems }
    : { input, problems: [] };
}
