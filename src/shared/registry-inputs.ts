import { z } from 'zod';
import { bilingual, say } from './errors.ts';
import { type CheckResult, checkIdNumber, checkPhone, checkUscc } from './registry-validation.ts';
import {
  CARE_TAGS,
  FACILITY_STATUSES,
  FACILITY_TYPES,
  HOUSE_USES,
  ORGANISATION_TYPES,
  RELATIONS,
  RESIDENT_KINDS,
} from './registry-vocabulary.ts';
import { regionCodeSchema } from './territory.ts';

/*
 * What a registry record is written with (POST and PATCH of /api/v1/registry/*, and each row of an import): the
 * same checks as an import applies to a cell, with the same bilingual messages.
 */

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
