import { z } from 'zod';
import { REGISTRATION_READER_ROLES } from './access.ts';
import { bilingual } from './errors.ts';
import { idNumberSchema, registryPhoneSchema } from './registry-inputs.ts';
import { REGISTRY_POLICY } from './registry-policy.ts';
import { ROLES, type Role } from './roles.ts';
import { regionCodeSchema } from './territory.ts';

/*
 * Public self-registration (报备): people arriving from elsewhere register with their destination community on
 * a public form (POST /api/v1/public/registrations); the community reads, reveals and confirms them in the
 * console (/api/v1/registrations). Used by the server, the web and the CLI.
 */

/** The default window: a registration made more than this many hours after arrival is late. */
export const DEFAULT_REGISTRATION_WINDOW_HOURS = 12;

export { REGISTRATION_READER_ROLES };
/** Who confirms a registration after visiting the person: the grid worker, or the community's administrator. */
export const REGISTRATION_CONFIRMER_ROLES = [
  'administrator',
  'gridWorker',
] as const satisfies readonly Role[];

/**
 * Late (逾期报备): registered more than `windowHours` after arrival. Exactly the window is on time, as "within
 * 12 hours" reads.
 */
export function isLateRegistration(arrivedAt: Date, registeredAt: Date, windowHours: number): boolean {
  return registeredAt.getTime() - arrivedAt.getTime() > windowHours * 3_600_000;
}

export const REGISTRATION_SENSITIVE_FIELDS = ['idNumber', 'phone'] as const;
export type RegistrationSensitiveField = (typeof REGISTRATION_SENSITIVE_FIELDS)[number];

/**
 * Roles that may reveal a registrant's ID number or phone, one value at a time: readers whom the registry does not
 * keep to masked values for the same kind of data (src/shared/registry-policy.ts). Lists are always masked.
 */
export function registrationRevealRoles(field: RegistrationSensitiveField): Role[] {
  return ROLES.filter(
    (role) =>
      (REGISTRATION_READER_ROLES as readonly Role[]).includes(role) &&
      REGISTRY_POLICY[role][field] !== 'masked',
  );
}

const civilDate = z.iso.date().describe('YYYY-MM-DD, Asia/Shanghai');
const text = (max: number, message: string) => z.string().trim().min(1, message).max(max);

export const publicRegistrationSchema = z.object({
  name: text(40, bilingual('请填写姓名', 'enter your name')).describe('Full name'),
  idNumber: idNumberSchema,
  phone: registryPhoneSchema
    .refine((value) => Boolean(value), bilingual('请填写联系电话', 'enter a phone number'))
    .transform((value) => value ?? ''),
  origin: text(100, bilingual('请填写从何处来', 'say where you came from')).describe(
    'Where from: a city or county, as the registrant writes it',
  ),
  arrivedAt: z.iso
    .datetime({ offset: true })
    .describe('When the registrant arrived; refused when in the future'),
  address: text(200, bilingual('请填写目的地地址', 'enter the destination address')).describe(
    'Destination address; with lon/lat the point places it, otherwise the address does',
  ),
  lon: z.number().min(-180).max(180).optional().describe('Destination point (WGS-84), from GPS or the map'),
  lat: z.number().min(-90).max(90).optional(),
  formToken: z.string().max(200).describe('From GET /public/form-token'),
  website: z.string().max(200).optional().describe('Leave out: a field people never see; bots fill it in'),
  clientKey: z
    .string()
    .trim()
    .min(8)
    .max(100)
    .optional()
    .describe('Idempotency key: a retry gets the same receipt'),
});
export type PublicRegistrationInput = z.infer<typeof publicRegistrationSchema>;

export const publicRegistrationAnswerSchema = z.object({
  receiptCode: z.string().describe('The receipt code (回执码): 16 characters, random'),
  late: z.boolean().describe('Registered more than the window after arrival'),
  windowHours: z.number().int(),
  communityName: z.string().describe('The destination community (村居)'),
  gridName: z.string().nullable().describe('The destination grid, when the point or address placed one'),
});
export type PublicRegistrationAnswer = z.infer<typeof publicRegistrationAnswerSchema>;

export const registrationSchema = z.object({
  id: z.number().int(),
  receiptCode: z.string(),
  name: z.string(),
  idNumber: z.string().describe('Masked (440605********1234); shown in clear only by an audited reveal'),
  phone: z.string().describe('Masked (138****5678); shown in clear only by an audited reveal'),
  origin: z.string(),
  arrivedAt: z.string(),
  registeredAt: z.string(),
  hoursAfterArrival: z.number().describe('Hours between arrival and registration, one decimal'),
  windowHours: z.number().int(),
  late: z.boolean(),
  address: z.string(),
  lon: z.number().nullable(),
  lat: z.number().nullable(),
  regionCode: z.string().describe('The leaf grid, or the village when only the address placed it'),
  villageCode: z.string(),
  villageName: z.string(),
  gridName: z.string().nullable(),
  day: z.string(),
  confirmedAt: z.string().nullable(),
  confirmedByName: z.string().nullable(),
  confirmNote: z.string().nullable(),
  version: z.number().int(),
  synthetic: z.boolean(),
});
export type Registration = z.infer<typeof registrationSchema>;

const flag = z.enum(['true', 'false']).optional();

export const registrationListQuerySchema = z.object({
  from: civilDate.optional().describe('First day of registration (default: 6 days before `to`)'),
  to: civilDate.optional().describe('Last day (default: today)'),
  late: flag.describe('Only late (true) or only on time (false)'),
  confirmed: flag.describe('Only confirmed (true) or only waiting for a visit (false)'),
  regionCode: regionCodeSchema.optional().describe('Only under this village or grid (within your scope)'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type RegistrationListQuery = z.infer<typeof registrationListQuerySchema>;

export const registrationPageSchema = z.object({
  items: z.array(registrationSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type RegistrationPage = z.infer<typeof registrationPageSchema>;

export const registrationCountQuerySchema = z.object({
  from: civilDate.optional(),
  to: civilDate.optional(),
  regionCode: regionCodeSchema.optional(),
});
export type RegistrationCountQuery = z.infer<typeof registrationCountQuerySchema>;

export const registrationCountSchema = z.object({
  day: z.string(),
  villageCode: z.string(),
  villageName: z.string(),
  total: z.number().int(),
  late: z.number().int(),
  confirmed: z.number().int(),
});
export type RegistrationCount = z.infer<typeof registrationCountSchema>;
export const registrationCountsSchema = z.object({
  from: z.string(),
  to: z.string(),
  rows: z.array(registrationCountSchema).describe('One row per community and day that has registrations'),
});
export type RegistrationCounts = z.infer<typeof registrationCountsSchema>;

export const confirmRegistrationSchema = z.object({
  version: z.number().int().min(1).max(2_147_483_647),
  note: z.string().trim().max(500).optional().describe('What the visit found'),
});
export type ConfirmRegistrationInput = z.infer<typeof confirmRegistrationSchema>;

export const registrationRevealInputSchema = z.object({
  field: z.enum(REGISTRATION_SENSITIVE_FIELDS).describe('The field to show in clear'),
});
export const registrationRevealResultSchema = z.object({
  field: z.enum(REGISTRATION_SENSITIVE_FIELDS),
  value: z.string(),
});
export type RegistrationRevealResult = z.infer<typeof registrationRevealResultSchema>;
