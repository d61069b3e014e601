import { z } from 'zod';
import type { LocalizedText } from './errors.ts';

export { HOTLINE_IMPORT_ROLES } from './access.ts';

/** The gridgov fields a column of a 12345 export can fill, in the order the mapping form lists them. */
export const HOTLINE_FIELDS = [
  'orderNo',
  'receivedAt',
  'category',
  'description',
  'address',
  'lon',
  'lat',
  'region',
  'callerName',
  'callerPhone',
  'dueAt',
  'closedAt',
  'status',
  'agency',
] as const;
export type HotlineField = (typeof HOTLINE_FIELDS)[number];

/** Fields every file must map; the location (lon + lat, or region) is checked besides. */
export const REQUIRED_HOTLINE_FIELDS: readonly HotlineField[] = ['orderNo', 'category', 'description'];

export const HOTLINE_FIELD_LABELS: Record<HotlineField, LocalizedText> = {
  orderNo: { zh: '工单编号', en: 'Order number' },
  receivedAt: { zh: '受理时间', en: 'Received at' },
  category: { zh: '事件类别', en: 'Category' },
  description: { zh: '诉求内容', en: 'Description' },
  address: { zh: '事发地址', en: 'Address' },
  lon: { zh: '经度', en: 'Longitude' },
  lat: { zh: '纬度', en: 'Latitude' },
  region: { zh: '所属网格（村居）', en: 'Grid or village' },
  callerName: { zh: '来电人', en: 'Caller' },
  callerPhone: { zh: '联系电话', en: 'Caller phone' },
  dueAt: { zh: '办理时限', en: 'Due at' },
  closedAt: { zh: '办结时间', en: 'Closed at' },
  status: { zh: '工单状态', en: 'Status' },
  agency: { zh: '承办单位', en: 'Agency' },
};

/**
 * Time zones an export's times may be written in (times without an offset are read in the chosen one); any
 * IANA name is accepted, these are offered.
 */
export const HOTLINE_TIME_ZONES = [
  'Asia/Shanghai',
  'UTC',
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'Europe/London',
  'Europe/Berlin',
] as const;

/** How a date with the year last is read: 03/05/2026 is 5 March (mdy, US) or 3 May (dmy). */
export const HOTLINE_DATE_ORDERS = ['mdy', 'dmy'] as const;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Agency (as the file writes it) → department id; null forgets a remembered mapping. */
export const hotlineAgencyMappingSchema = z
  .record(z.string().trim().min(1).max(200), z.number().int().positive().nullable())
  .describe('Agency as the file writes it → department id (null: none)');
export type HotlineAgencyMapping = z.infer<typeof hotlineAgencyMappingSchema>;

export const MAX_HOTLINE_BYTES = 10 * 1024 * 1024;
export const MAX_HOTLINE_ROWS = 20_000;
/** Rows shown in the preview table; every rejected row is listed besides. */
export const HOTLINE_PREVIEW_ROWS = 20;

const fieldSchema = z.enum(HOTLINE_FIELDS);

/** Which file column (by its header text) fills which field; null leaves the field empty. */
export const hotlineMappingSchema = z
  .partialRecord(fieldSchema, z.string().trim().min(1).max(200).nullable())
  .describe('Field → header of the column that fills it; null = not in the file');
export type HotlineMapping = z.infer<typeof hotlineMappingSchema>;

export const hotlineImportQuerySchema = z.object({
  fileName: z.string().trim().min(1).max(255).default('hotline.xlsx'),
  mapping: z
    .string()
    .max(10_000)
    .optional()
    .describe('JSON object overriding the suggested mapping, e.g. {"orderNo":"工单号","lon":null}'),
  crs: z
    .enum(['wgs84', 'gcj02'])
    .default('wgs84')
    .describe('Coordinate system of the lon/lat columns; gcj02 (Amap, Tencent) is converted to WGS-84'),
  timeZone: z
    .string()
    .trim()
    .max(64)
    .default('Asia/Shanghai')
    .refine(isTimeZone, { message: 'not an IANA time zone (e.g. Asia/Shanghai, America/New_York)' })
    .describe('IANA time zone of the times written without an offset (and of spreadsheet date cells)'),
  dateOrder: z
    .enum(HOTLINE_DATE_ORDERS)
    .default('mdy')
    .describe('How a date with the year last (03/05/2026) is read: mdy (US) or dmy'),
  source: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .default('12345')
    .describe(
      'The system the file comes from: its agency → department mapping is remembered under this name',
    ),
  agencies: z
    .string()
    .max(20_000)
    .optional()
    .describe('JSON object agency → department id (null: none) over the remembered mapping, e.g. {"DSNY":3}'),
});

/**
 * ready: would become a case (or, imported before and changed since, be updated); created / updated: became
 * one / rewrote its history; alreadyImported: imported before, unchanged (or not gridgov's to change).
 */
export const HOTLINE_ROW_STATUSES = ['ready', 'created', 'updated', 'alreadyImported', 'rejected'] as const;

export const hotlineRowSchema = z.object({
  row: z.number().int().describe('Row number in the file as a spreadsheet shows it (the header row counts)'),
  orderNo: z.string().nullable(),
  status: z.enum(HOTLINE_ROW_STATUSES),
  caseId: z.number().int().nullable(),
  caseNumber: z.string().nullable(),
  values: z
    .partialRecord(fieldSchema, z.string())
    .describe('The mapped cells as read (in an import result: for rejected rows only)'),
  reasons: z.array(z.string()).describe('Why the row is rejected, in the language of the request'),
});
export type HotlineRow = z.infer<typeof hotlineRowSchema>;

const countsShape = {
  total: z.number().int().describe('Data rows in the file (empty rows not counted)'),
  alreadyImported: z.number().int().describe('Orders imported before and unchanged'),
  rejected: z.number().int(),
};

/** An agency the file names, with the department it maps to (remembered for the source, or by name). */
export const hotlineAgencySchema = z.object({
  agency: z.string(),
  rows: z.number().int().describe('Rows naming it'),
  departmentId: z.number().int().nullable(),
  departmentName: z.string().nullable(),
  mappedBy: z
    .enum(['request', 'remembered', 'name', 'none'])
    .describe(
      'Where the mapping comes from: this request, the one remembered for the source, the department name',
    ),
});
export type HotlineAgency = z.infer<typeof hotlineAgencySchema>;

export const hotlinePreviewSchema = z.object({
  fileName: z.string(),
  format: z.enum(['csv', 'xlsx']),
  encoding: z
    .enum(['utf-8', 'gb18030', 'utf-16le'])
    .nullable()
    .describe('How a CSV file was decoded (gb18030 covers GBK exports); null for XLSX'),
  headerRow: z.number().int(),
  headers: z.array(z.string()),
  mapping: z.record(fieldSchema, z.string().nullable()),
  mappingProblems: z.array(z.string()).describe('What must change in the mapping before importing'),
  source: z.string(),
  timeZone: z.string(),
  agencies: z.array(hotlineAgencySchema).describe('Every agency the file names, most rows first'),
  ...countsShape,
  ready: z.number().int().describe('Rows that would become cases or update the case of a corrected order'),
  changed: z.number().int().describe('Of the ready rows: orders imported before that the file corrects'),
  rows: z.array(hotlineRowSchema).describe(`The first ${HOTLINE_PREVIEW_ROWS} rows`),
  rejectedRows: z.array(hotlineRowSchema),
});
export type HotlinePreview = z.infer<typeof hotlinePreviewSchema>;

export const hotlineImportResultSchema = z.object({
  id: z.number().int().describe('The import, for its error report'),
  fileName: z.string(),
  ...countsShape,
  created: z.number().int(),
  updated: z.number().int().describe('Orders imported before whose case this file corrected'),
  rows: z.array(hotlineRowSchema).describe('Every row with what became of it'),
});
export type HotlineImportResult = z.infer<typeof hotlineImportResultSchema>;
