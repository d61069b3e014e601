import type { LocalizedText } from '../../../shared/errors.ts';
import {
  HOTLINE_FIELD_LABELS,
  HOTLINE_FIELDS,
  type HotlineField,
  type HotlineMapping,
  hotlineMappingSchema,
  MAX_HOTLINE_ROWS,
  REQUIRED_HOTLINE_FIELDS,
} from '../../../shared/hotline.ts';
import {
  type Cell,
  fileError,
  formatCell,
  HEADER_SEARCH_ROWS,
  SHEET_TEXT,
  type Sheet,
  type SheetRow,
} from './hotline-sheet.ts';
import { localized } from './hotline-texts.ts';

/** The header row of a 12345 export, and which of its columns holds which field: proposed, then chosen. */

export interface HotlineTable {
  headerRow: number;
  headers: string[];
  rows: SheetRow[];
}

export type FieldMapping = Record<HotlineField, string | null>;

const MAPPING_TEXT = {
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
} as const;

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

function normalizeHeader(header: string): string {
  return header
    .replace(/[(（[【].*?[)）\]】]/g, '')
    .replace(/[\s*＊:：_-]/g, '')
    .toLowerCase();
}

const ALIAS_FIELD = new Map<string, HotlineField>(
  HOTLINE_FIELDS.flatMap((field) => HEADER_ALIASES[field].map((alias) => [alias, field] as const)),
);

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
  if (rows.length === 0) throw fileError(SHEET_TEXT.empty);
  if (rows.length > MAX_HOTLINE_ROWS) {
    throw fileError(localized(SHEET_TEXT.tooManyRows, { count: rows.length, limit: MAX_HOTLINE_ROWS }));
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
        localized(MAPPING_TEXT.headerMissing, {
          field: HOTLINE_FIELD_LABELS[field],
          header,
          row: headerRow,
        }),
      );
    }
  }
  for (const field of REQUIRED_HOTLINE_FIELDS) {
    if (!mapping[field]) {
      problems.push(localized(MAPPING_TEXT.fieldUnmapped, { field: HOTLINE_FIELD_LABELS[field] }));
    }
  }
  if (Boolean(mapping.lon) !== Boolean(mapping.lat)) problems.push(MAPPING_TEXT.halfPoint);
  else if (!mapping.lon && !mapping.region) problems.push(MAPPING_TEXT.noLocationColumn);
  return { mapping, problems };
}

/** The `mapping` query parameter: a JSON object of field → header. */
export function parseMappingParam(json: string | undefined): HotlineMapping {
  if (!json) return {};
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw fileError(localized(MAPPING_TEXT.badMapping, { reason: (error as Error).message }));
  }
  const parsed = hotlineMappingSchema.safeParse(value);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw fileError(localized(MAPPING_TEXT.badMapping, { reason }));
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
