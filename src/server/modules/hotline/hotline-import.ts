import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { type ErrorParams, type LocalizedText, say } from '../../../shared/errors.ts';
import {
  HOTLINE_FIELD_LABELS,
  HOTLINE_FIELDS,
  type HotlineField,
  type HotlineMapping,
  hotlineMappingSchema,
  MAX_HOTLINE_BYTES,
  MAX_HOTLINE_ROWS,
  REQUIRED_HOTLINE_FIELDS,
} from '../../../shared/hotline.ts';
import { phoneSchema } from '../../../shared/people.ts';
import { unguardCsvCell } from '../../csv.ts';
import { AppError } from '../../errors.ts';
import { readXlsxRows, type SpreadsheetCell } from '../../spreadsheet.ts';
import { gcj02ToWgs84 } from '../territory/coordinates.ts';

/**
 * Reading a 12345 work-order export (CSV or XLSX) and checking each row on its own: everything that needs no
 * database. The service adds what does (category, grid, scope, orders already imported).
 */

/** A cell as read: text, or a date from a spreadsheet date cell (its wall-clock time, carried as UTC). */
export type Cell = SpreadsheetCell;

export interface SheetRow {
  /** The row number a spreadsheet shows (CSV: the record number). */
  number: number;
  cells: Cell[];
}

export interface Sheet {
  format: 'csv' | 'xlsx';
  encoding: 'utf-8' | 'gb18030' | 'utf-16le' | null;
  /** Rows with at least one non-blank cell. */
  rows: SheetRow[];
}

export interface HotlineTable {
  headerRow: number;
  headers: string[];
  rows: SheetRow[];
}

export type FieldMapping = Record<HotlineField, string | null>;

export interface ParsedHotlineRow {
  orderNo: string;
  receivedAt: Date | null;
  category: string;
  description: string;
  address: string | null;
  /** WGS-84. */
  point: { lon: number; lat: number } | null;
  region: string | null;
  callerName: string | null;
  callerPhone: string | null;
  /** The order's own due time for its handling (办理时限), when the file has one. */
  dueAt: Date | null;
  /** When the order was closed (办结); null while open. */
  closedAt: Date | null;
  /** The status as the file writes it. */
  status: string | null;
  /** The agency (承办单位) the order was given to, as the file writes it. */
  agency: string | null;
}

/** How the times of a file are read: the zone of times without an offset, the order of a year-last date. */
export interface TimeReading {
  timeZone: string;
  dateOrder: 'mdy' | 'dmy';
}

export const BEIJING_TIME: TimeReading = { timeZone: 'Asia/Shanghai', dateOrder: 'mdy' };

export function localized(template: LocalizedText, params: ErrorParams = {}): LocalizedText {
  return { zh: say(template, 'zh-CN', params), en: say(template, 'en-US', params) };
}

const HOTLINE_TEXT = {
  tooLarge: {
    zh: '文件为 {size} MB，超过 {limit} MB 上限，请拆分后分批导入',
    en: 'the file is {size} MB, over the {limit} MB limit: split it and import the parts',
  },
  tooManyRows: {
    zh: '文件有 {count} 行数据，超过 {limit} 行上限，请拆分后分批导入',
    en: 'the file has {count} data rows, over the limit of {limit}: split it and import the parts',
  },
  legacyXls: {
    zh: '不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV 后导入',
    en: 'old Excel (.xls) files are not supported: save it as .xlsx or CSV in Excel and import that',
  },
  notTabular: {
    zh: '该文件不是 CSV 或 XLSX 表格，请从 12345 系统导出 Excel 或 CSV 文件后导入',
    en: 'this is not a CSV or XLSX table: export an Excel or CSV file from the 12345 system and import that',
  },
  badCsv: { zh: 'CSV 格式有误：{reason}', en: 'the CSV is malformed: {reason}' },
  empty: { zh: '文件中没有数据行', en: 'the file has no data rows' },
  badMapping: { zh: '字段对应关系格式有误：{reason}', en: 'the field mapping is malformed: {reason}' },
  headerMissing: {
    zh: '「{field}」对应的列“{header}”不在表头（第 {row} 行）中',
    en: '"{field}" is mapped to column "{header}", which is not in the header row (row {row})',
  },
  fieldUnmapped: { zh: '请为「{field}」选择对应的列', en: 'choose the column for "{field}"' },
  halfPoint: {
    zh: '经度和纬度须同时指定对应的列',
    en: 'map both longitude and latitude, or neither',
  },
  noLocationColumn: {
    zh: '请为位置选择对应的列：经度和纬度，或所属网格（村居）',
    en: 'choose the columns of the location: longitude and latitude, or grid or village',
  },
  required: { zh: '「{field}」为空', en: '"{field}" is empty' },
  tooLong: {
    zh: '「{field}」过长（{length} 个字，上限 {max}）',
    en: '"{field}" is too long ({length} characters, at most {max})',
  },
  tooShort: {
    zh: '「{field}」过短（至少 {min} 个字）',
    en: '"{field}" is too short (at least {min} characters)',
  },
  badTime: {
    zh: '{field}“{value}”无法识别，请写成 2026-11-20 09:30',
    en: '{field} "{value}" is not a date: write it as 2026-11-20 09:30',
  },
  futureTime: {
    zh: '{field} {value} 晚于当前时间',
    en: '{field} {value} is in the future',
  },
  beforeReceived: {
    zh: '{field} {value} 早于受理时间 {received}',
    en: '{field} {value} is before the received time {received}',
  },
  historyWithoutReceived: {
    zh: '有办理时限或办结时间的工单须填写受理时间',
    en: 'an order with a due or closed time needs its received time',
  },
  closedWithoutTime: {
    zh: '工单状态为“{status}”（已办结），但没有办结时间',
    en: 'the status "{status}" says closed, but there is no closed time',
  },
  openWithClosedTime: {
    zh: '工单状态为“{status}”（未办结），却填有办结时间 {value}',
    en: 'the status "{status}" says open, but a closed time ({value}) is given',
  },
  badPhone: {
    zh: '联系电话“{value}”无效，应为 11 位手机号或带区号的固定电话',
    en: 'phone "{value}" is invalid: give an 11-digit mobile number or a landline with its area code',
  },
  badCoordinate: {
    zh: '{field}“{value}”无效：经度应在 -180 至 180 之间，纬度在 -90 至 90 之间（经纬度是否填反？）',
    en: '{field} "{value}" is invalid: longitude lies between -180 and 180, latitude between -90 and 90 (swapped?)',
  },
  halfCoordinate: {
    zh: '经度和纬度须同时填写',
    en: 'give both longitude and latitude, or neither',
  },
  noLocation: {
    zh: '缺少位置：请填写经纬度或所属网格（村居）代码或名称，仅有地址无法确定网格',
    en: 'no location: give lon/lat or the grid or village (code or name); an address alone does not place it in a grid',
  },
} as const;

const MAX_LENGTH: Partial<Record<HotlineField, number>> = {
  orderNo: 64,
  description: 2000,
  address: 200,
  callerName: 40,
  category: 100,
  region: 100,
  status: 64,
  agency: 200,
};

/**
 * Headers the usual 12345 platforms export, per field, best first. Compared after `normalizeHeader`, so
 * "联系电话（来电）" and "* 工单编号" match too.
 */
const HEADER_ALIASES: Record<HotlineField, readonly string[]> = {
  orderNo: [
    '工单编号',
    '工单号',
    '工单编码',
    '受理编号',
    '诉求编号',
    '编号',
    'orderno',
    'ordernumber',
    'servicerequestid',
    'servicerequestnumber',
    'servicerequestno',
    'srnumber',
    'requestid',
    'uniquekey',
    'casenumber',
    'caseid',
    'ticketid',
    'ticketnumber',
    'id',
  ],
  receivedAt: [
    '受理时间',
    '来电时间',
    '登记时间',
    '诉求时间',
    '创建时间',
    '派单时间',
    'receivedat',
    'createddate',
    'createddatetime',
    'createdat',
    'requesteddatetime',
    'requesteddate',
    'receiveddate',
    'opendate',
    'opendatetime',
    'openeddate',
    'dateopened',
    'datecreated',
    'srcreateddate',
  ],
  category: [
    '诉求类别',
    '事项分类',
    '事件类别',
    '问题分类',
    '诉求分类',
    '案件类别',
    '小类',
    '类别',
    '分类',
    'category',
    'complainttype',
    'requesttype',
    'servicename',
    'problemtype',
    'issuetype',
    'type',
  ],
  description: [
    '诉求内容',
    '问题描述',
    '来电内容',
    '工单内容',
    '诉求描述',
    '事件描述',
    '内容',
    '描述',
    'description',
    'descriptor',
    'details',
    'requestdetails',
    'summary',
  ],
  address: [
    '事发地址',
    '事发地点',
    '诉求地址',
    '详细地址',
    '地址',
    'address',
    'incidentaddress',
    'streetaddress',
    'location',
  ],
  lon: ['经度', 'lon', 'lng', 'longitude'],
  lat: ['纬度', 'lat', 'latitude'],
  region: ['所属网格', '所属村居', '网格编码', '所属社区', '网格', '村居', '社区', 'region', 'grid'],
  callerName: ['来电人', '来电人姓名', '诉求人', '反映人', '联系人', 'callername', 'caller'],
  callerPhone: ['联系电话', '来电号码', '来电电话', '联系方式', '手机号码', '电话', 'callerphone', 'phone'],
  dueAt: [
    '办理时限',
    '办结时限',
    '要求办结时间',
    '应办结时间',
    '截止时间',
    '到期时间',
    '处理时限',
    'dueat',
    'duedate',
    'duedatetime',
    'deadline',
    'targetdate',
    'dueby',
  ],
  closedAt: [
    '办结时间',
    '结案时间',
    '办理完成时间',
    '完成时间',
    '关闭时间',
    'closedat',
    'closeddate',
    'closeddatetime',
    'closedate',
    'dateclosed',
    'resolutiondate',
    'resolveddate',
    'completeddate',
    'completiondate',
  ],
  status: ['工单状态', '办理状态', '处理状态', '状态', 'status', 'srstatus'],
  agency: [
    '承办单位',
    '办理单位',
    '承办部门',
    '责任单位',
    '处置部门',
    '主办单位',
    '处置单位',
    'agency',
    'agencyname',
    'responsibleagency',
    'department',
    'assignedto',
  ],
};

/** Statuses that say an order is closed (办结), and that it is open, compared after `normalizeStatus`. */
const CLOSED_STATUSES = new Set([
  'closed',
  'resolved',
  'completed',
  'complete',
  'done',
  'finished',
  '已办结',
  '办结',
  '已结案',
  '结案',
  '已完成',
  '完成',
  '已关闭',
  '关闭',
  '已归档',
  '归档',
  '已回访',
]);
const OPEN_STATUSES = new Set([
  'open',
  'new',
  'assigned',
  'inprogress',
  'pending',
  'started',
  'received',
  'opened',
  'reopened',
  '受理',
  '已受理',
  '办理中',
  '处理中',
  '待办理',
  '待处理',
  '已派单',
  '已派发',
  '已签收',
  '未办结',
]);

function normalizeStatus(status: string): string {
  return status.replace(/[\s_-]/g, '').toLowerCase();
}

/** Whether a status says the order is closed (true), open (false), or neither (null: the closed time decides). */
export function statusSaysClosed(status: string): boolean | null {
  const normalized = normalizeStatus(status);
  if (CLOSED_STATUSES.has(normalized)) return true;
  if (OPEN_STATUSES.has(normalized)) return false;
  return null;
}

function normalizeHeader(header: string): string {
  return header
    .replace(/[(（[【].*?[)）\]】]/g, '')
    .replace(/[\s*＊:：_-]/g, '')
    .toLowerCase();
}

const ALIAS_FIELD = new Map<string, HotlineField>(
  HOTLINE_FIELDS.flatMap((field) => HEADER_ALIASES[field].map((alias) => [alias, field] as const)),
);

function fileError(summary: LocalizedText): AppError {
  return new AppError('VALIDATION_FAILED', { summary });
}

export function fileTooLarge(size: number): AppError {
  return fileError(
    localized(HOTLINE_TEXT.tooLarge, {
      size: (size / 1024 / 1024).toFixed(1),
      limit: MAX_HOTLINE_BYTES / 1024 / 1024,
    }),
  );
}

/** Reads the first worksheet of an XLSX file, or a CSV file in UTF-8 (with or without BOM), UTF-16 or GBK. */
export async function readSheet(bytes: Buffer): Promise<Sheet> {
  if (bytes.length > MAX_HOTLINE_BYTES) throw fileTooLarge(bytes.length);
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0])) throw fileError(HOTLINE_TEXT.legacyXls);
  const sheet = startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) ? await readXlsx(bytes) : readCsv(bytes);
  if (sheet.rows.length === 0) throw fileError(HOTLINE_TEXT.empty);
  return sheet;
}

function startsWith(bytes: Buffer, magic: readonly number[]): boolean {
  return magic.every((byte, i) => bytes[i] === byte);
}

/** The rows at the top of a sheet among which the header row is looked for. */
const HEADER_SEARCH_ROWS = 10;

async function readXlsx(bytes: Buffer): Promise<Sheet> {
  const rows: SheetRow[] = [];
  for await (const row of readXlsxRows(Readable.from(slices(bytes)), {
    maxRows: MAX_HOTLINE_ROWS,
    // A title line may stand above the header: the rows where `locateHeader` looks for it.
    headerRows: HEADER_SEARCH_ROWS,
  })) {
    rows.push(row);
  }
  return { format: 'xlsx', encoding: null, rows };
}

/** The upload in pieces, so the reader's bounds act on the first pieces rather than on the whole file. */
function* slices(bytes: Buffer, size = 64 * 1024): Generator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

function readCsv(bytes: Buffer): Sheet {
  const { text, encoding } = decodeText(bytes);
  // NUL bytes or undecodable sequences: a PDF, an image, a Word file — not text at all.
  if (text.includes('\u0000') || text.includes('\uFFFD')) throw fileError(HOTLINE_TEXT.notTabular);
  // Comma, tab (Excel's "Unicode text") or semicolon: whichever the first lines use most.
  const head = text.split('\n', 10).join('\n');
  const delimiter = [',', '\t', ';'].reduce((best, candidate) =>
    head.split(candidate).length > head.split(best).length ? candidate : best,
  );
  let records: string[][];
  try {
    records = parse(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
    });
  } catch (error) {
    throw fileError(localized(HOTLINE_TEXT.badCsv, { reason: (error as Error).message }));
  }
  const rows = records
    .map((cells, i) => ({ number: i + 1, cells: cells.map(unguardCsvCell) }))
    .filter((row) => row.cells.some((c) => c.trim() !== ''));
  return { format: 'csv', encoding, rows };
}

/**
 * Hotline platforms on Windows export GBK as often as UTF-8. Text that is not valid UTF-8 is read as
 * GB 18030 (a superset of GBK); the preview says which encoding was used.
 */
function decodeText(bytes: Buffer): { text: string; encoding: NonNullable<Sheet['encoding']> } {
  if (startsWith(bytes, [0xff, 0xfe])) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  }
  const body = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(body), encoding: 'gb18030' };
  }
}

/**
 * Exports often carry a title line ("九江镇 12345 工单明细") above the headers: the header row is the one of the
 * first ten that names the most known columns, or the first row when none does.
 */
export function locateHeader(sheet: Sheet): HotlineTable {
  const candidates = sheet.rows.slice(0, HEADER_SEARCH_ROWS);
  let best = 0;
  let bestScore = 0;
  candidates.forEach((row, index) => {
    const score = row.cells.filter(
      (c) => typeof c === 'string' && ALIAS_FIELD.has(normalizeHeader(c)),
    ).length;
    if (score > bestScore) {
      best = index;
      bestScore = score;
    }
  });
  const header = sheet.rows[best] as SheetRow;
  const seen = new Map<string, number>();
  const headers = header.cells.map((cell, i) => {
    const text = formatCell(cell).trim() || `#${i + 1}`;
    const count = (seen.get(text) ?? 0) + 1;
    seen.set(text, count);
    return count === 1 ? text : `${text} (${count})`;
  });
  const rows = sheet.rows.slice(best + 1);
  if (rows.length === 0) throw fileError(HOTLINE_TEXT.empty);
  if (rows.length > MAX_HOTLINE_ROWS) {
    throw fileError(localized(HOTLINE_TEXT.tooManyRows, { count: rows.length, limit: MAX_HOTLINE_ROWS }));
  }
  return { headerRow: header.number, headers, rows };
}

/** The mapping gridgov proposes: each field to the first header that is one of its usual names. */
export function suggestMapping(headers: readonly string[]): FieldMapping {
  const normalized = headers.map(normalizeHeader);
  const used = new Set<number>();
  const mapping = Object.fromEntries(HOTLINE_FIELDS.map((f) => [f, null])) as FieldMapping;
  for (const field of HOTLINE_FIELDS) {
    for (const alias of HEADER_ALIASES[field]) {
      const index = normalized.findIndex((h, i) => h === alias && !used.has(i));
      if (index >= 0) {
        used.add(index);
        mapping[field] = headers[index] ?? null;
        break;
      }
    }
  }
  return mapping;
}

/** The suggested mapping with the client's choices over it, and what keeps it from being imported. */
export function resolveMapping(
  headers: readonly string[],
  headerRow: number,
  override: HotlineMapping = {},
): { mapping: FieldMapping; problems: LocalizedText[] } {
  const mapping = { ...suggestMapping(headers), ...override } as FieldMapping;
  const problems: LocalizedText[] = [];
  for (const field of HOTLINE_FIELDS) {
    const header = mapping[field];
    if (header && !headers.includes(header)) {
      problems.push(
        localized(HOTLINE_TEXT.headerMissing, {
          field: HOTLINE_FIELD_LABELS[field],
          header,
          row: headerRow,
        }),
      );
    }
  }
  for (const field of REQUIRED_HOTLINE_FIELDS) {
    if (!mapping[field]) {
      problems.push(localized(HOTLINE_TEXT.fieldUnmapped, { field: HOTLINE_FIELD_LABELS[field] }));
    }
  }
  if (Boolean(mapping.lon) !== Boolean(mapping.lat)) problems.push(HOTLINE_TEXT.halfPoint);
  else if (!mapping.lon && !mapping.region) problems.push(HOTLINE_TEXT.noLocationColumn);
  return { mapping, problems };
}

/** The `mapping` query parameter: a JSON object of field → header. */
export function parseMappingParam(json: string | undefined): HotlineMapping {
  if (!json) return {};
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw fileError(localized(HOTLINE_TEXT.badMapping, { reason: (error as Error).message }));
  }
  const parsed = hotlineMappingSchema.safeParse(value);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw fileError(localized(HOTLINE_TEXT.badMapping, { reason }));
  }
  return parsed.data;
}

/** The cells of a row under the mapped fields. */
export function mappedCells(
  table: HotlineTable,
  mapping: FieldMapping,
  row: SheetRow,
): Partial<Record<HotlineField, Cell>> {
  const cells: Partial<Record<HotlineField, Cell>> = {};
  for (const field of HOTLINE_FIELDS) {
    const header = mapping[field];
    const index = header ? table.headers.indexOf(header) : -1;
    if (index >= 0) cells[field] = row.cells[index] ?? '';
  }
  return cells;
}

/** A cell as text: dates as the wall-clock time the sheet shows. */
export function formatCell(cell: Cell | undefined): string {
  if (cell === undefined) return '';
  if (!(cell instanceof Date)) return cell;
  const iso = cell.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** How far a zone's wall clock is ahead of UTC at an instant, in milliseconds. */
function zoneOffset(timeZone: string, at: number): number {
  let format = zoneFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    zoneFormats.set(timeZone, format);
  }
  const part = (parts: Intl.DateTimeFormatPart[], type: string) =>
    Number(parts.find((p) => p.type === type)?.value ?? 0);
  const parts = format.formatToParts(new Date(at));
  const wall = Date.UTC(
    part(parts, 'year'),
    part(parts, 'month') - 1,
    part(parts, 'day'),
    part(parts, 'hour') % 24,
    part(parts, 'minute'),
    part(parts, 'second'),
  );
  return wall - (at - (((at % 1000) + 1000) % 1000));
}

/** The instant a wall-clock time (carried as UTC) stands for in a zone. */
export function fromWallClock(wall: number, timeZone: string): Date {
  const first = wall - zoneOffset(timeZone, wall);
  // Near a daylight-saving change the offset at the first guess may differ from the offset then.
  return new Date(wall - zoneOffset(timeZone, first));
}

/** The wall-clock time of an instant in a zone, as people write it (2026-03-05 14:30). */
export function formatInZone(at: Date, timeZone: string): string {
  return formatCell(new Date(at.getTime() + zoneOffset(timeZone, at.getTime()))).slice(0, 16);
}

const YEAR_FIRST =
  /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2})(?:\.\d+)?)?[分秒]?\s*([AaPp]\.?[Mm]\.?)?)?$/;
const YEAR_LAST =
  /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.\d+)?)?\s*([AaPp]\.?[Mm]\.?)?)?$/;

/**
 * A time as work-order exports write it: 2026-11-20 09:30[:00], 2026/11/20 9:30, 2026年11月20日 09时30分,
 * US 03/05/2026 02:30:00 PM (or day first, by `dateOrder`), ISO 8601 with an offset, or a spreadsheet date
 * cell. Times without an offset are wall-clock times of `timeZone` (Beijing time unless told).
 */
export function parseTime(
  cell: Cell | undefined,
  reading: TimeReading = BEIJING_TIME,
): Date | null | 'invalid' {
  if (cell instanceof Date) return fromWallClock(cell.getTime(), reading.timeZone);
  const value = (cell ?? '').trim();
  if (!value) return null;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) {
    const at = new Date(value);
    return Number.isNaN(at.getTime()) ? 'invalid' : at;
  }
  let parts: (string | undefined)[];
  const yearFirst = YEAR_FIRST.exec(value);
  const yearLast = yearFirst ? null : YEAR_LAST.exec(value);
  if (yearFirst) parts = yearFirst.slice(1);
  else if (yearLast) {
    const [a, b, year, ...time] = yearLast.slice(1);
    parts = reading.dateOrder === 'mdy' ? [year, a, b, ...time] : [year, b, a, ...time];
  } else return 'invalid';
  const [year, month, day, hour = 0, minute = 0, second = 0] = parts.slice(0, 6).map((n) => Number(n ?? 0));
  const meridiem = parts[6]?.[0]?.toLowerCase();
  let hours = hour ?? 0;
  if (meridiem) {
    if (hours < 1 || hours > 12) return 'invalid';
    hours = (hours % 12) + (meridiem === 'p' ? 12 : 0);
  }
  const wall = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day, hours, minute, second));
  if (
    wall.getUTCMonth() !== (month ?? 1) - 1 ||
    wall.getUTCDate() !== day ||
    hours > 23 ||
    (minute ?? 0) > 59 ||
    (second ?? 0) > 59
  ) {
    return 'invalid';
  }
  return fromWallClock(wall.getTime(), reading.timeZone);
}

/** A received time in Beijing time (see `parseTime`). */
export function parseReceivedAt(cell: Cell | undefined): Date | null | 'invalid' {
  return parseTime(cell, BEIJING_TIME);
}

/**
 * A caller's number as the hotline wrote it: spaces, brackets and a +86 prefix dropped. Hotline platforms mask
 * numbers in exports (138****5678); such a number is kept as it is.
 */
export function normalizePhone(value: string): string | null | 'invalid' {
  const phone = value.replace(/[\s()（）]/g, '').replace(/^\+?86(?=1[3-9]\d{9}$)/, '');
  if (!phone) return null;
  if (/^1[3-9]\d\*{4}\d{4}$/.test(phone)) return phone;
  return phoneSchema.safeParse(phone).success ? phone : 'invalid';
}

/**
 * Checks what a row says by itself: required fields, lengths, time, phone and coordinates. Problems are
 * collected, not thrown, so the error report lists every one at once.
 */
export function parseHotlineRow(
  cells: Partial<Record<HotlineField, Cell>>,
  options: { now: Date; crs: 'wgs84' | 'gcj02'; reading?: TimeReading },
): { parsed: ParsedHotlineRow; problems: LocalizedText[] } {
  const problems: LocalizedText[] = [];
  const textOf = (field: HotlineField): string => formatCell(cells[field]).trim();
  const optional = (field: HotlineField): string | null => {
    const value = textOf(field);
    const max = MAX_LENGTH[field];
    if (max && value.length > max) {
      problems.push(
        localized(HOTLINE_TEXT.tooLong, {
          field: HOTLINE_FIELD_LABELS[field],
          length: value.length,
          max,
        }),
      );
    }
    return value || null;
  };
  const required = (field: HotlineField): string => {
    const value = optional(field);
    if (!value) problems.push(localized(HOTLINE_TEXT.required, { field: HOTLINE_FIELD_LABELS[field] }));
    return value ?? '';
  };

  const orderNo = required('orderNo');
  const category = required('category');
  const description = required('description');
  if (description.length === 1) {
    problems.push(localized(HOTLINE_TEXT.tooShort, { field: HOTLINE_FIELD_LABELS.description, min: 2 }));
  }

  const reading: TimeReading = options.reading ?? BEIJING_TIME;
  const shown = (at: Date) => formatInZone(at, reading.timeZone);
  const time = (field: 'receivedAt' | 'dueAt' | 'closedAt', future: boolean): Date | null => {
    const at = parseTime(cells[field], reading);
    if (at === 'invalid') {
      problems.push(
        localized(HOTLINE_TEXT.badTime, { field: HOTLINE_FIELD_LABELS[field], value: textOf(field) }),
      );
      return null;
    }
    if (at && !future && at.getTime() > options.now.getTime() + 10 * 60_000) {
      problems.push(
        localized(HOTLINE_TEXT.futureTime, { field: HOTLINE_FIELD_LABELS[field], value: shown(at) }),
      );
    }
    return at;
  };
  const receivedAt = time('receivedAt', false);
  const dueAt = time('dueAt', true);
  const closedAt = time('closedAt', false);
  const dueText = textOf('dueAt');
  const closedText = textOf('closedAt');
  if (!receivedAt && !textOf('receivedAt') && (dueText || closedText)) {
    problems.push(HOTLINE_TEXT.historyWithoutReceived);
  }
  for (const [field, at] of [
    ['dueAt', dueAt],
    ['closedAt', closedAt],
  ] as const) {
    if (receivedAt && at && at < receivedAt) {
      problems.push(
        localized(HOTLINE_TEXT.beforeReceived, {
          field: HOTLINE_FIELD_LABELS[field],
          value: shown(at),
          received: shown(receivedAt),
        }),
      );
    }
  }
  const status = optional('status');
  const saysClosed = status ? statusSaysClosed(status) : null;
  if (saysClosed === true && !closedText)
    problems.push(localized(HOTLINE_TEXT.closedWithoutTime, { status: status ?? '' }));
  if (saysClosed === false && closedAt) {
    problems.push(
      localized(HOTLINE_TEXT.openWithClosedTime, { status: status ?? '', value: shown(closedAt) }),
    );
  }

  let callerPhone = normalizePhone(textOf('callerPhone'));
  if (callerPhone === 'invalid') {
    problems.push(localized(HOTLINE_TEXT.badPhone, { value: textOf('callerPhone') }));
    callerPhone = null;
  }

  const coordinate = (field: 'lon' | 'lat', limit: number): number | null => {
    const value = textOf(field);
    if (!value) return null;
    const number = Number(value);
    if (Number.isFinite(number) && Math.abs(number) <= limit) return number;
    problems.push(localized(HOTLINE_TEXT.badCoordinate, { field: HOTLINE_FIELD_LABELS[field], value }));
    return Number.NaN;
  };
  const lon = coordinate('lon', 180);
  const lat = coordinate('lat', 90);
  let point: ParsedHotlineRow['point'] = null;
  if ((lon === null) !== (lat === null)) problems.push(HOTLINE_TEXT.halfCoordinate);
  else if (lon !== null && lat !== null && !Number.isNaN(lon) && !Number.isNaN(lat)) {
    const [x, y] = options.crs === 'gcj02' ? gcj02ToWgs84(lon, lat) : [lon, lat];
    point = { lon: x, lat: y };
  }
  const region = optional('region');
  if (lon === null && lat === null && !region) problems.push(HOTLINE_TEXT.noLocation);

  return {
    parsed: {
      orderNo,
      receivedAt,
      category,
      description,
      address: optional('address'),
      point,
      region,
      callerName: optional('callerName'),
      callerPhone,
      dueAt,
      closedAt,
      status,
      agency: optional('agency'),
    },
    problems,
  };
}
