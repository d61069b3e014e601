import { z } from 'zod';
import { bilingual } from './errors.ts';

/** An api key of an Open311 client application, as administrators see it: never the key itself. */
export const open311KeySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  prefix: z.string().describe('The first characters of the key, to tell keys apart'),
  regionCode: z.string().describe('Reports posted with the key must lie in this region'),
  regionName: z.string().nullable(),
  rateLimitPerMinute: z.number().int(),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type Open311Key = z.infer<typeof open311KeySchema>;

export const createOpen311KeySchema = z.object({
  name: z.string().trim().min(1).max(80).describe('The client application, e.g. 市民随手拍 App'),
  rateLimitPerMinute: z.number().int().min(1).max(10_000).default(60),
});

export const open311KeyCreatedSchema = open311KeySchema.extend({
  key: z.string().describe('The api_key itself, shown this once'),
});
export type Open311KeyCreated = z.infer<typeof open311KeyCreatedSchema>;

/** A report an Open311 client sent with an address_string only, waiting to be placed in a grid. */
export const open311PendingSchema = z.object({
  token: z.string(),
  keyName: z.string(),
  serviceCode: z.string(),
  description: z.string(),
  addressString: z.string(),
  createdAt: z.string(),
});

export const placePendingSchema = z
  .object({
    lon: z.number().min(-180).max(180).optional(),
    lat: z.number().min(-90).max(90).optional(),
    regionCode: z
      .string()
      .regex(/^\d{12,21}$/)
      .optional(),
  })
  .refine((v) => (v.lon !== undefined && v.lat !== undefined) || v.regionCode !== undefined, {
    message: bilingual('请在地图上选点（经纬度）或选择网格', 'give a point (lon, lat) or a grid'),
    path: ['lon'],
  });
