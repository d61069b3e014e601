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
  regionCode: z
    .string()
    .regex(/^\d{2,21}$/, bilingual('须为行政区划代码', 'must be a region code'))
    .optional()
    .describe('The region the key reports in (within your scope); your scope by default'),
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

export const OUTBOUND_STATUSES = ['pending', 'sent', 'failed', 'dead'] as const;
export type OutboundStatus = (typeof OUTBOUND_STATUSES)[number];

/** A remote GeoReport v2 server a department takes its cases through (Open311 outbound). */
export const open311EndpointSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  departmentId: z.number().int(),
  departmentName: z.string().nullable(),
  baseUrl: z.string(),
  apiKeyMasked: z.string().describe('The first four characters of the api_key, then asterisks'),
  jurisdictionId: z.string().nullable(),
  categoryIds: z.array(z.number().int()).describe('Categories sent there; empty = every category'),
  active: z.boolean(),
  pulledUntil: z.string().describe('Remote updates up to this instant have been pulled'),
  lastPullAt: z.string().nullable(),
  lastPullError: z.string().nullable(),
  failedCount: z.number().int().describe('Sends failed (retrying) or dead'),
  createdAt: z.string(),
  version: z.number().int(),
});
export type Open311Endpoint = z.infer<typeof open311EndpointSchema>;

const endpointFields = z.object({
  name: z.string().trim().min(1).max(80),
  departmentId: z.number().int(),
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .describe('The GeoReport v2 root, e.g. https://311.example.org/open311/v2'),
  apiKey: z.string().trim().min(1).max(200),
  jurisdictionId: z.string().trim().min(1).max(100).nullable(),
  categoryIds: z.array(z.number().int()).max(500),
  active: z.boolean(),
});

export const createOpen311EndpointSchema = endpointFields.extend({
  jurisdictionId: endpointFields.shape.jurisdictionId.default(null),
  categoryIds: endpointFields.shape.categoryIds.default([]),
  active: endpointFields.shape.active.default(true),
});

/** Without the defaults of creation: a field left out of a change keeps its value (zod 4 fills defaults in). */
export const updateOpen311EndpointSchema = endpointFields.partial().extend({
  version: z.number().int(),
});

/** One case sent (or being sent) to a remote endpoint. */
export const open311OutboundSchema = z.object({
  id: z.number().int(),
  endpointId: z.number().int(),
  caseId: z.number().int(),
  caseNumber: z.string(),
  status: z.enum(OUTBOUND_STATUSES),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  remoteRequestId: z.string().nullable(),
  remoteToken: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type Open311Outbound = z.infer<typeof open311OutboundSchema>;

export const outboundListQuerySchema = z.object({
  status: z.enum(OUTBOUND_STATUSES).optional(),
  endpointId: z.coerce.number().int().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
