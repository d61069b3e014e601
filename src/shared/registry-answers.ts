import { z } from 'zod';
import {
  CARE_TAGS,
  FACILITY_STATUSES,
  FACILITY_TYPES,
  HOUSE_USES,
  ORGANISATION_TYPES,
  REGISTRY_ENTITIES,
  RELATIONS,
  RESIDENT_KINDS,
  type RegistryEntity,
  SEXES,
} from './registry-vocabulary.ts';
import { regionCodeSchema } from './territory.ts';

/* What /api/v1/registry/* answers: records, lists, search hits, coverage figures, history and the personal data log. */

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

/**
 * What the personal data log lists: the registry's clear reads and exports, a case reporter's phone shown, and a
 * registrant's (报备) ID number or phone shown or the registrations exported.
 */
export const PERSONAL_DATA_ACTIONS = [
  'registry.reveal',
  'registry.read',
  'registry.export',
  'case.reveal',
  'registration.reveal',
  'registration.export',
  'checkpoint.reveal',
  'checkpoint.export',
] as const;
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
      "reveal: one value shown on request; read: shown in clear by role; export: a file written; case.reveal: a case reporter's phone shown on request; registration.reveal / registration.export: a registrant's ID number or phone shown, registrations exported (masked); checkpoint.reveal / checkpoint.export: a checkpoint entry's ID number shown, entries or counts exported (masked)",
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
