import { z } from 'zod';
import { REGISTRY_ENTITIES } from './registry-vocabulary.ts';
import { regionCodeSchema } from './territory.ts';

/* Registry imports (a CSV or XLSX file, previewed and mapped) and exports. */

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
