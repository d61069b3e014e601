import { z } from 'zod';
import { bilingual, type LocalizedText, say } from './errors.ts';
import { type CheckResult, checkIdNumber, checkPhone, checkUscc } from './registry-validation.ts';
import { regionCodeSchema } from './territory.ts';

/*
 * The registry (四标四实): standard addresses, buildings, houses, residents, organisations and facilities. These
 * schemas are the contract of /api/v1/registry/* for the web console and the CLI; docs/API.md "The registry"
 * is the overview.
 */

export const REGISTRY_ENTITIES = [
  'address',
  'building',
  'house',
  'resident',
  'organisation',
  'facility',
] as const;
export type RegistryEntity = (typeof REGISTRY_ENTITIES)[number];

export const REGISTRY_ENTITY_LABELS: Record<RegistryEntity, LocalizedText> = {
  address: { zh: '标准地址', en: 'Standard address' },
  building: { zh: '建筑物', en: 'Building' },
  house: { zh: '房屋', en: 'House' },
  resident: { zh: '实有人口', en: 'Resident' },
  organisation: { zh: '实有单位', en: 'Organisation' },
  facility: { zh: '实有设施', en: 'Facility' },
};

/** The path segment of each entity under /api/v1/registry. */
export const REGISTRY_PATHS: Record<RegistryEntity, string> = {
  address: 'addresses',
  building: 'buildings',
  house: 'houses',
  resident: 'residents',
  organisation: 'organisations',
  facility: 'facilities',
};

export const HOUSE_USES = ['selfOccupied', 'rental', 'vacant', 'commercial'] as const;
export type HouseUse = (typeof HOUSE_USES)[number];
export const HOUSE_USE_LABELS: Record<HouseUse, LocalizedText> = {
  selfOccupied: { zh: '自住', en: 'Self-occupied' },
  rental: { zh: '出租屋', en: 'Rental' },
  vacant: { zh: '空置', en: 'Vacant' },
  commercial: { zh: '商用', en: 'Commercial' },
};

export const RESIDENT_KINDS = ['registered', 'floating'] as const;
export type ResidentKind = (typeof RESIDENT_KINDS)[number];
export const RESIDENT_KIND_LABELS: Record<ResidentKind, LocalizedText> = {
  registered: { zh: '户籍人口', en: 'Registered' },
  floating: { zh: '流动人口', en: 'Floating' },
};

export const SEXES = ['male', 'female'] as const;
export const SEX_LABELS: Record<(typeof SEXES)[number], LocalizedText> = {
  male: { zh: '男', en: 'Male' },
  female: { zh: '女', en: 'Female' },
};

/** Relation to the head of the household (与户主关系). */
export const RELATIONS = [
  'head',
  'spouse',
  'child',
  'parent',
  'grandchild',
  'grandparent',
  'sibling',
  'childInLaw',
  'other',
] as const;
export type Relation = (typeof RELATIONS)[number];
export const RELATION_LABELS: Record<Relation, LocalizedText> = {
  head: { zh: '户主', en: 'Head of household' },
  spouse: { zh: '配偶', en: 'Spouse' },
  child: { zh: '子女', en: 'Child' },
  parent: { zh: '父母', en: 'Parent' },
  grandchild: { zh: '孙子女', en: 'Grandchild' },
  grandparent: { zh: '祖父母', en: 'Grandparent' },
  sibling: { zh: '兄弟姐妹', en: 'Sibling' },
  childInLaw: { zh: '儿媳女婿', en: 'Child-in-law' },
  other: { zh: '其他', en: 'Other' },
};

/**
 * Care tags (关爱对象): residents the community looks after. Sensitive: a resident with any of them is visible
 * only to roles that care for them (registry.policy.ts).
 */
export const CARE_TAGS = [
  'elderlyAlone',
  'emptyNest',
  'disabled',
  'lowIncome',
  'extremelyPoor',
  'leftBehindChild',
  'seriouslyIll',
] as const;
export type CareTag = (typeof CARE_TAGS)[number];
export const CARE_TAG_LABELS: Record<CareTag, LocalizedText> = {
  elderlyAlone: { zh: '独居老人', en: 'Elderly living alone' },
  emptyNest: { zh: '空巢老人', en: 'Empty-nest elderly' },
  disabled: { zh: '残疾人', en: 'Disabled' },
  lowIncome: { zh: '低保户', en: 'Low-income' },
  extremelyPoor: { zh: '特困人员', en: 'Extremely poor' },
  leftBehindChild: { zh: '留守儿童', en: 'Left-behind child' },
  seriouslyIll: { zh: '重病患者', en: 'Seriously ill' },
};

export const ORGANISATION_TYPES = [
  'market',
  'shop',
  'restaurant',
  'pharmacy',
  'clinic',
  'hospital',
  'bank',
  'school',
  'kindergarten',
  'hotel',
  'enterprise',
  'government',
  'other',
] as const;
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];
export const ORGANISATION_TYPE_LABELS: Record<OrganisationType, LocalizedText> = {
  market: { zh: '市场', en: 'Market' },
  shop: { zh: '商铺', en: 'Shop' },
  restaurant: { zh: '餐饮店', en: 'Restaurant' },
  pharmacy: { zh: '药店', en: 'Pharmacy' },
  clinic: { zh: '诊所', en: 'Clinic' },
  hospital: { zh: '医院', en: 'Hospital' },
  bank: { zh: '银行', en: 'Bank' },
  school: { zh: '学校', en: 'School' },
  kindergarten: { zh: '幼儿园', en: 'Kindergarten' },
  hotel: { zh: '旅馆', en: 'Hotel' },
  enterprise: { zh: '企业', en: 'Enterprise' },
  government: { zh: '机关事业单位', en: 'Public body' },
  other: { zh: '其他单位', en: 'Other' },
};

export const FACILITY_TYPES = [
  'fireHydrant',
  'cameraClass1',
  'cameraClass2',
  'accessGate',
  'wasteBin',
  'streetLight',
  'manholeCover',
  'other',
] as const;
export type FacilityType = (typeof FACILITY_TYPES)[number];
export const FACILITY_TYPE_LABELS: Record<FacilityType, LocalizedText> = {
  fireHydrant: { zh: '消防栓', en: 'Fire hydrant' },
  cameraClass1: { zh: '一类视频监控', en: 'Camera, class 1' },
  cameraClass2: { zh: '二类视频监控', en: 'Camera, class 2' },
  accessGate: { zh: '门禁（出入口）', en: 'Gate or access point' },
  wasteBin: { zh: '垃圾分类投放点', en: 'Waste bin' },
  streetLight: { zh: '路灯', en: 'Street light' },
  manholeCover: { zh: '井盖', en: 'Manhole cover' },
  other: { zh: '其他设施', en: 'Other' },
};

export const FACILITY_STATUSES = ['normal', 'faulty', 'outOfService'] as const;
export type FacilityStatus = (typeof FACILITY_STATUSES)[number];
export const FACILITY_STATUS_LABELS: Record<FacilityStatus, LocalizedText> = {
  normal: { zh: '正常', en: 'Working' },
  faulty: { zh: '故障', en: 'Faulty' },
  outOfService: { zh: '停用', en: 'Out of service' },
};

/**
 * Personal data fields: masked in lists, answers and exports unless the role grants them (registry.policy.ts);
 * `reveal` shows one in clear and records it in the audit log.
 */
export const SENSITIVE_FIELDS = {
  resident: ['idNumber', 'phone'],
  house: ['landlordIdNumber', 'landlordPhone'],
  organisation: ['contactPhone'],
} as const satisfies Partial<Record<RegistryEntity, readonly string[]>>;
export type SensitiveField = (typeof SENSITIVE_FIELDS)[keyof typeof SENSITIVE_FIELDS][number];
export const SENSITIVE_FIELD_LABELS: Record<SensitiveField, LocalizedText> = {
  idNumber: { zh: '身份证号', en: 'ID number' },
  phone: { zh: '联系电话', en: 'Phone' },
  landlordIdNumber: { zh: '房东身份证号', en: 'Landlord ID number' },
  landlordPhone: { zh: '房东电话', en: 'Landlord phone' },
  contactPhone: { zh: '联系电话', en: 'Contact phone' },
};
/** What kind of personal data a field holds: the policy grants ID numbers and phones separately. */
export const SENSITIVE_FIELD_KIND: Record<SensitiveField, 'idNumber' | 'phone'> = {
  idNumber: 'idNumber',
  phone: 'phone',
  landlordIdNumber: 'idNumber',
  landlordPhone: 'phone',
  contactPhone: 'phone',
};

// ---------------------------------------------------------------------------------------------------------
// Field schemas: the same checks as an import applies to a cell, with the same bilingual messages.

/** A zod refinement from one of the pure checks, with its bilingual message. */
function passes(check: (value: string) => CheckResult<unknown>) {
  return (value: string, ctx: z.RefinementCtx<string>) => {
    const result = check(value);
    if (result.ok) return;
    const params = result.params ?? {};
    ctx.addIssue({
      code: 'custom',
      message: bilingual(say(result.problem, 'zh-CN', params), say(result.problem, 'en-US', params)),
    });
  };
}

export const idNumberSchema = z
  .string()
  .trim()
  .superRefine(passes((v) => checkIdNumber(v)))
  .transform((v) => v.replace(/\s+/g, '').toUpperCase())
  .describe('Resident ID number (GB 11643), 18 characters with a valid check character');
export const usccSchema = z
  .string()
  .trim()
  .superRefine(passes(checkUscc))
  .transform((v) => v.replace(/\s+/g, '').toUpperCase())
  .describe('Unified social credit code (GB 32100), 18 characters with a valid check character');
export const registryPhoneSchema = z
  .string()
  .trim()
  .superRefine(passes(checkPhone))
  .transform((v) => {
    const result = checkPhone(v);
    return result.ok ? result.value : v;
  })
  .describe('11-digit mobile number or a landline with its area code; +86 and spaces are dropped');

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

export const pointSchema = z.object({
  lon: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
});

/**
 * Where a record lies: a WGS-84 point (located into its grid), or — without one — a grid or village code.
 * Records that hang off an address (houses, residents) take the address's place instead.
 */
const placeShape = {
  lon: z.number().min(-180).max(180).nullable().optional(),
  lat: z.number().min(-90).max(90).nullable().optional(),
  regionCode: regionCodeSchema
    .nullable()
    .optional()
    .describe('Grid or village, when there is no point; ignored when lon/lat are given'),
};

export const addressInputSchema = z.object({
  road: text(60).describe('Road, street or lane (街路巷)'),
  number: text(20).describe('Door number (门牌号), with or without 号'),
  building: optionalText(20).describe('Building (楼栋), with or without 栋'),
  unit: optionalText(10).describe('Unit (单元)'),
  room: optionalText(20).describe('Room (户室)'),
  ...placeShape,
});
export type AddressInput = z.infer<typeof addressInputSchema>;

/** An address given by id, or by its parts (found by its canonical text in its village, created if new). */
const addressRefShape = {
  addressId: z.number().int().nullable().optional(),
  address: addressInputSchema.nullable().optional(),
};

export const buildingInputSchema = z.object({
  name: text(100).describe('What people call it, e.g. 河清大道3号1栋'),
  floors: z.number().int().min(1).max(200).nullable().optional(),
  ...addressRefShape,
  ...placeShape,
});
export type BuildingInput = z.infer<typeof buildingInputSchema>;

export const houseInputSchema = z.object({
  ...addressRefShape,
  use: z.enum(HOUSE_USES),
  buildingId: z.number().int().nullable().optional(),
  areaSquareMetres: z.number().positive().max(100_000).nullable().optional(),
  landlordName: optionalText(40),
  landlordPhone: registryPhoneSchema.nullable().optional(),
  landlordIdNumber: idNumberSchema.nullable().optional(),
});
export type HouseInput = z.infer<typeof houseInputSchema>;

export const residentInputSchema = z.object({
  name: text(40),
  idNumber: idNumberSchema,
  phone: registryPhoneSchema.nullable().optional(),
  kind: z.enum(RESIDENT_KINDS),
  houseId: z.number().int().nullable().optional().describe('The house lived in; or give `address`'),
  address: addressInputSchema
    .nullable()
    .optional()
    .describe('The address lived at: its house is used, or created with `houseUse`'),
  houseUse: z
    .enum(HOUSE_USES)
    .optional()
    .describe('For a house created from `address`; default selfOccupied'),
  householdNo: optionalText(30).describe('户号; residents without one form a household per house'),
  relation: z.enum(RELATIONS).nullable().optional(),
  careTags: z.array(z.enum(CARE_TAGS)).max(CARE_TAGS.length).optional(),
});
export type ResidentInput = z.infer<typeof residentInputSchema>;

export const organisationInputSchema = z.object({
  name: text(100),
  type: z.enum(ORGANISATION_TYPES),
  uscc: usccSchema.nullable().optional(),
  contactName: optionalText(40),
  contactPhone: registryPhoneSchema.nullable().optional(),
  ...addressRefShape,
  ...placeShape,
});
export type OrganisationInput = z.infer<typeof organisationInputSchema>;

export const facilityInputSchema = z.object({
  code: text(40).describe('The owner’s number for it (消防栓编号, 点位编号): the natural key'),
  type: z.enum(FACILITY_TYPES),
  name: optionalText(100),
  status: z.enum(FACILITY_STATUSES).default('normal'),
  lastCheckedOn: z.iso.date().nullable().optional().describe('YYYY-MM-DD of the last check'),
  lon: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  addressId: z.number().int().nullable().optional(),
});
export type FacilityInput = z.infer<typeof facilityInputSchema>;

const version = { version: z.number().int().describe('The version you read; a stale one gets 409') };
export const addressUpdateSchema = addressInputSchema.partial().extend(version);
export const buildingUpdateSchema = buildingInputSchema.partial().extend(version);
export const houseUpdateSchema = houseInputSchema.partial().extend(version);
export const residentUpdateSchema = residentInputSchema.omit({ houseUse: true }).partial().extend(version);
export const organisationUpdateSchema = organisationInputSchema.partial().extend(version);
export const facilityUpdateSchema = facilityInputSchema.partial().extend(version);

export const REGISTRY_INPUT_SCHEMAS = {
  address: addressInputSchema,
  building: buildingInputSchema,
  house: houseInputSchema,
  resident: residentInputSchema,
  organisation: organisationInputSchema,
  facility: facilityInputSchema,
} as const;
export const REGISTRY_UPDATE_SCHEMAS = {
  address: addressUpdateSchema,
  building: buildingUpdateSchema,
  house: houseUpdateSchema,
  resident: residentUpdateSchema,
  organisation: organisationUpdateSchema,
  facility: facilityUpdateSchema,
} as const;

// ---------------------------------------------------------------------------------------------------------
// What the API answers.

const placeOut = {
  regionCode: regionCodeSchema.describe('The leaf grid (or the village given without a point)'),
  regionName: z.string(),
  villageName: z.string().nullable(),
  lon: z.number().nullable(),
  lat: z.number().nullable(),
};
const stamps = {
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
};

/**
 * A personal data field as this user may see it: `masked` tells whether `value` is the mask; `revealable`
 * whether POST …/reveal would show it.
 */
export const sensitiveValueSchema = z
  .object({ value: z.string(), masked: z.boolean(), revealable: z.boolean() })
  .nullable();
export type SensitiveValue = z.infer<typeof sensitiveValueSchema>;

export const addressSchema = z.object({
  id: z.number().int(),
  road: z.string(),
  number: z.string(),
  building: z.string().nullable(),
  unit: z.string().nullable(),
  room: z.string().nullable(),
  text: z.string().describe('Canonical text: 河清大道3号1栋2单元302室'),
  fullText: z.string().describe('With the village: 河清社区河清大道3号1栋2单元302室'),
  ...placeOut,
  ...stamps,
});
export type Address = z.infer<typeof addressSchema>;

export const addressSummarySchema = z.object({
  id: z.number().int(),
  text: z.string(),
  fullText: z.string(),
});

export const buildingSchema = z.object({
  id: z.number().int(),
  code: z
    .string()
    .describe('Standard building code: the grid code it was first located in + 4-digit sequence'),
  name: z.string(),
  floors: z.number().int().nullable(),
  address: addressSummarySchema.nullable(),
  houseCount: z.number().int(),
  ...placeOut,
  ...stamps,
});
export type Building = z.infer<typeof buildingSchema>;

export const houseSchema = z.object({
  id: z.number().int(),
  address: addressSummarySchema,
  use: z.enum(HOUSE_USES),
  buildingId: z.number().int().nullable(),
  buildingCode: z.string().nullable(),
  areaSquareMetres: z.number().nullable(),
  landlordName: z.string().nullable(),
  landlordPhone: sensitiveValueSchema,
  landlordIdNumber: sensitiveValueSchema,
  residentCount: z.number().int().describe('Residents you may see'),
  ...placeOut,
  ...stamps,
});
export type House = z.infer<typeof houseSchema>;

export const residentSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  idNumber: sensitiveValueSchema,
  sex: z.enum(SEXES),
  birthDate: z.string(),
  age: z.number().int(),
  phone: sensitiveValueSchema,
  kind: z.enum(RESIDENT_KINDS),
  houseId: z.number().int(),
  address: addressSummarySchema,
  householdNo: z.string().nullable(),
  relation: z.enum(RELATIONS).nullable(),
  careTags: z.array(z.enum(CARE_TAGS)).describe('Empty for roles that may not see care tags'),
  ...placeOut,
  ...stamps,
});
export type Resident = z.infer<typeof residentSchema>;

export const organisationSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  type: z.enum(ORGANISATION_TYPES),
  uscc: z.string().nullable(),
  contactName: z.string().nullable(),
  contactPhone: sensitiveValueSchema,
  address: addressSummarySchema.nullable(),
  ...placeOut,
  ...stamps,
});
export type Organisation = z.infer<typeof organisationSchema>;

export const facilitySchema = z.object({
  id: z.number().int(),
  code: z.string(),
  type: z.enum(FACILITY_TYPES),
  name: z.string().nullable(),
  status: z.enum(FACILITY_STATUSES),
  lastCheckedOn: z.string().nullable(),
  address: addressSummarySchema.nullable(),
  ...placeOut,
  ...stamps,
});
export type Facility = z.infer<typeof facilitySchema>;

export const REGISTRY_RECORD_SCHEMAS = {
  address: addressSchema,
  building: buildingSchema,
  house: houseSchema,
  resident: residentSchema,
  organisation: organisationSchema,
  facility: facilitySchema,
} as const;
export interface RegistryRecords {
  address: Address;
  building: Building;
  house: House;
  resident: Resident;
  organisation: Organisation;
  facility: Facility;
}

// ---------------------------------------------------------------------------------------------------------
// Lists, search and figures.

const listShape = {
  q: z.string().trim().max(100).optional().describe('Name, address fragment, ID number, phone or code'),
  regionCode: regionCodeSchema.optional().describe('Only this region or grid and below'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
};
/** Filters each list takes besides `q`, `regionCode` and paging. */
export const registryListQuerySchemas = {
  address: z.object(listShape),
  building: z.object(listShape),
  house: z.object({ ...listShape, use: z.enum(HOUSE_USES).optional() }),
  resident: z.object({
    ...listShape,
    kind: z.enum(RESIDENT_KINDS).optional(),
    tag: z.enum(CARE_TAGS).optional(),
    houseId: z.coerce.number().int().optional(),
  }),
  organisation: z.object({ ...listShape, type: z.enum(ORGANISATION_TYPES).optional() }),
  facility: z.object({
    ...listShape,
    type: z.enum(FACILITY_TYPES).optional(),
    status: z.enum(FACILITY_STATUSES).optional(),
  }),
} as const;
export type RegistryListQuery<E extends RegistryEntity> = z.infer<(typeof registryListQuerySchemas)[E]>;

/** A list page; `total` stops counting at 10,000 and `more` says there are more. */
export function registryPageOf<T extends z.ZodTypeAny>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    more: z.boolean(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}

export const registrySearchQuerySchema = z.object({
  q: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .describe(
      'Words all found in a name, address or code ("河清 3号"); or a full ID number, a phone number, a unified ' +
        'social credit code; or a name with the last 4 characters of an ID number ("陈志伟 1234")',
    ),
  entities: z
    .string()
    .optional()
    .describe(
      'Comma-separated entity types to search (address,building,house,resident,organisation,facility)',
    ),
  regionCode: regionCodeSchema.optional(),
  type: z.string().max(40).optional().describe('An organisation type, facility type or house use'),
  tag: z.enum(CARE_TAGS).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type RegistrySearchQuery = z.infer<typeof registrySearchQuerySchema>;

export const SEARCH_MATCHES = ['name', 'idNumber', 'phone', 'address', 'code'] as const;
export const registrySearchHitSchema = z.object({
  entity: z.enum(REGISTRY_ENTITIES),
  id: z.number().int(),
  title: z.string().describe('Name, address or code, as the list shows it'),
  subtitle: z.string().describe('Address, type or masked ID: what tells two hits apart'),
  match: z.enum(SEARCH_MATCHES),
  ...placeOut,
});
export type RegistrySearchHit = z.infer<typeof registrySearchHitSchema>;
export const registrySearchResultSchema = z.object({
  items: z.array(registrySearchHitSchema),
  more: z.boolean(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type RegistrySearchResult = z.infer<typeof registrySearchResultSchema>;

const countsByType = (types: readonly string[]) =>
  z.object(Object.fromEntries(types.map((t) => [t, z.number().int()])) as Record<string, z.ZodNumber>);
export const coverageFiguresSchema = z.object({
  addresses: z.number().int(),
  buildings: z.number().int(),
  houses: z.number().int(),
  rentalHouses: z.number().int(),
  households: z
    .number()
    .int()
    .describe('Distinct household numbers per house; residents without one count as one household per house'),
  residents: z.number().int(),
  registeredResidents: z.number().int(),
  floatingResidents: z.number().int(),
  careResidents: countsByType(CARE_TAGS).describe('Residents with each care tag (counts only)'),
  organisations: z.number().int(),
  organisationsByType: countsByType(ORGANISATION_TYPES),
  facilities: z.number().int(),
  facilitiesByType: countsByType(FACILITY_TYPES),
});
export type CoverageFigures = z.infer<typeof coverageFiguresSchema>;

const regionRef = z.object({ code: regionCodeSchema, name: z.string(), level: z.string() });
export const coverageSchema = z.object({
  region: regionRef,
  figures: coverageFiguresSchema,
  children: z.array(z.object({ region: regionRef, figures: coverageFiguresSchema })),
});
export type Coverage = z.infer<typeof coverageSchema>;

export const revealInputSchema = z.object({
  field: z.string().describe('A personal data field of the record'),
});
export const revealResultSchema = z.object({ field: z.string(), value: z.string().nullable() });

export const historyEntrySchema = z.object({
  at: z.string(),
  actorName: z.string(),
  action: z.string().describe('create, update, delete, import, reveal …'),
  changes: z
    .record(z.string(), z.object({ from: z.unknown(), to: z.unknown() }))
    .describe('Changed fields; personal data appears masked'),
  importId: z.number().int().nullable(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

export const PERSONAL_DATA_ACTIONS = ['registry.reveal', 'registry.read', 'registry.export'] as const;
export const personalDataLogQuerySchema = z.object({
  action: z.enum(PERSONAL_DATA_ACTIONS).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export const personalDataLogEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actorId: z.number().int().nullable(),
  actorName: z.string(),
  action: z
    .enum(PERSONAL_DATA_ACTIONS)
    .describe(
      'reveal: one value shown on request; read: shown in clear by ' + 'role; export: a file written',
    ),
  entity: z.string(),
  recordIds: z.array(z.number().int()),
  fields: z.array(z.string()),
  regionCode: z.string().nullable(),
  count: z.number().int().describe('Records concerned'),
});
export type PersonalDataLogEntry = z.infer<typeof personalDataLogEntrySchema>;

export const relocationResultSchema = z.object({
  moved: countsByType(REGISTRY_ENTITIES).describe('Records now in another grid'),
  conflicts: z
    .number()
    .int()
    .describe(
      'Addresses left where they were: the same address already exists in the village they would move to',
    ),
  outside: z.number().int().describe('Records whose point now lies outside every grid: left where they were'),
});
export type RelocationResult = z.infer<typeof relocationResultSchema>;

// ---------------------------------------------------------------------------------------------------------
// Import and export.

/** The largest file the API takes; the CLI reads files of any size. */
export const MAX_REGISTRY_UPLOAD_BYTES = 512 * 1024 * 1024;
export const REGISTRY_PREVIEW_ROWS = 20;
/** Rejected rows an import answer lists; the error report has all of them. */
export const REGISTRY_RESULT_ERRORS = 100;

export const registryImportQuerySchema = z.object({
  fileName: z.string().trim().min(1).max(255).default('registry.csv'),
  mapping: z
    .string()
    .max(10_000)
    .optional()
    .describe('JSON object field → header overriding the suggested mapping, e.g. {"idNumber":"证件号码"}'),
  crs: z
    .enum(['wgs84', 'gcj02'])
    .default('wgs84')
    .describe('Coordinate system of the lon/lat columns; gcj02 (Amap, Tencent) is converted to WGS-84'),
});

export const registryImportFieldSchema = z.object({
  field: z.string(),
  label: z.string(),
  required: z.boolean(),
});

export const registryImportErrorSchema = z.object({
  row: z.number().int().describe('Row number as a spreadsheet shows it (the header row counts)'),
  reason: z.string(),
});

export const IMPORT_STATUSES = ['running', 'done', 'failed'] as const;
export const registryImportSchema = z.object({
  id: z.number().int(),
  entity: z.enum(REGISTRY_ENTITIES),
  fileName: z.string(),
  status: z.enum(IMPORT_STATUSES),
  actorName: z.string(),
  total: z.number().int().describe('Data rows read so far'),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  errors: z.array(registryImportErrorSchema).describe(`The first ${REGISTRY_RESULT_ERRORS} rejected rows`),
  failure: z.string().nullable().describe('Why an import stopped (status failed)'),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type RegistryImport = z.infer<typeof registryImportSchema>;

export const registryPreviewSchema = z.object({
  format: z.enum(['csv', 'xlsx']),
  headerRow: z.number().int(),
  headers: z.array(z.string()),
  fields: z.array(registryImportFieldSchema),
  mapping: z
    .record(z.string(), z.string().nullable())
    .describe('Field → header gridgov suggests (or you chose)'),
  problems: z.array(z.string()).describe('What keeps the mapping from being imported'),
  rows: z.array(
    z.object({
      row: z.number().int(),
      values: z.record(z.string(), z.string()),
      problems: z.array(z.string()).describe('What is wrong with the row by itself (no database checks)'),
    }),
  ),
});
export type RegistryPreview = z.infer<typeof registryPreviewSchema>;

export const registryExportQuerySchema = z.object({
  format: z.enum(['csv', 'xlsx']).default('xlsx'),
  regionCode: regionCodeSchema.optional(),
});
