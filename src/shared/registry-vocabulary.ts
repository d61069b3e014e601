import type { LocalizedText } from './errors.ts';

/*
 * The registry's words (四标四实): its entity types — standard addresses, buildings, houses, residents,
 * organisations and facilities — the values their fields take, and which fields hold personal data, with labels.
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
 * only to roles that care for them (registry-policy.ts).
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
 * Personal data fields: masked in lists, answers and exports unless the role grants them (registry-policy.ts);
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
