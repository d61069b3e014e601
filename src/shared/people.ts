import { z } from 'zod';
import { bilingual, LOCALES } from './errors.ts';
import { ROLES } from './roles.ts';
import { regionCodeSchema, regionSummarySchema } from './territory.ts';

export const roleSchema = z.enum(ROLES);
export const localeSchema = z.enum(LOCALES as unknown as ['zh-CN', 'en-US']);

export const usernameSchema = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(
    /^[A-Za-z0-9_.-]+$/,
    bilingual('只能包含字母、数字、“_”“.”“-”', 'letters, digits, "_", "." and "-" only'),
  );
/** Shorter passwords fall to guessing; the server also refuses common ones (password-policy.ts). */
export const MIN_PASSWORD_LENGTH = 10;
export const passwordSchema = z
  .string()
  .min(
    MIN_PASSWORD_LENGTH,
    bilingual(`密码至少 ${MIN_PASSWORD_LENGTH} 个字符`, `at least ${MIN_PASSWORD_LENGTH} characters`),
  )
  .max(200);
export const phoneSchema = z
  .string()
  .trim()
  .regex(
    /^1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$/,
    bilingual(
      '应为 11 位手机号或固定电话（如 0757-86501234）',
      'an 11-digit mobile number or a landline such as 0757-86501234',
    ),
  );

export const loginSchema = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(200),
});

export const departmentSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  regionCode: regionCodeSchema,
  regionName: z.string(),
  userCount: z.number().int(),
  version: z.number().int(),
});
export type Department = z.infer<typeof departmentSchema>;

export const createDepartmentSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(
      /^[A-Za-z0-9_-]{2,32}$/,
      bilingual('2–32 位字母、数字、“_”或“-”', '2–32 letters, digits, "_" or "-"'),
    ),
  name: z.string().trim().min(2).max(64),
  regionCode: regionCodeSchema,
});
export const updateDepartmentSchema = createDepartmentSchema.partial().extend({ version: z.number().int() });

export const userSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  phone: z.string().nullable(),
  role: roleSchema,
  regionCode: regionCodeSchema.describe('Root of the user’s data scope'),
  regionName: z.string(),
  departmentId: z.number().int().nullable(),
  departmentName: z.string().nullable(),
  active: z.boolean(),
  canLogin: z.boolean().describe('False for people recorded only as responsible persons, without a password'),
  lockedUntil: z.string().nullable(),
  version: z.number().int(),
});
export type User = z.infer<typeof userSchema>;

export const createUserSchema = z.object({
  username: usernameSchema,
  displayName: z.string().trim().min(1).max(64),
  phone: phoneSchema.nullable().optional(),
  role: roleSchema,
  regionCode: regionCodeSchema,
  departmentId: z.number().int().nullable().optional(),
  password: passwordSchema.optional().describe('Leave out to record a person who cannot log in'),
});
export const updateUserSchema = z.object({
  version: z.number().int(),
  displayName: z.string().trim().min(1).max(64).optional(),
  phone: phoneSchema.nullable().optional(),
  role: roleSchema.optional(),
  regionCode: regionCodeSchema.optional(),
  departmentId: z.number().int().nullable().optional(),
  active: z.boolean().optional(),
});
export const resetPasswordSchema = z.object({ password: passwordSchema });

/** What the web needs about the signed-in user. */
export const sessionInfoSchema = z.object({
  user: userSchema,
  scope: regionSummarySchema,
  csrfToken: z.string(),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

export const listQuerySchema = z.object({
  q: z.string().trim().max(100).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export function pageOf<T extends z.ZodTypeAny>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}

export const publicConfigSchema = z.object({
  basemapUrl: z
    .string()
    .nullable()
    .describe('Raster tile URL template, or null for the built-in blank basemap'),
  basemapLabelUrl: z
    .string()
    .nullable()
    .describe('A transparent layer of place names drawn over basemapUrl (天地图 annotation), or null'),
  basemapAttribution: z.string().nullable(),
  demo: z.boolean(),
  version: z.string(),
});
