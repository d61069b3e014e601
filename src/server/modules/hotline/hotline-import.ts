import type { LocalizedText } from '../../../shared/errors.ts';
import { HOTLINE_FIELD_LABELS, type HotlineField } from '../../../shared/hotline.ts';
import { phoneSchema } from '../../../shared/people.ts';
import { gcj02ToWgs84 } from '../territory/coordinates.ts';
import { BEIJING_TIME, formatInZone, parseTime, type TimeReading } from './hotline-dates.ts';
import { type Cell, formatCell } from './hotline-sheet.ts';
import { localized } from './hotline-texts.ts';

/**
 * Checking each row of a 12345 work-order export on its own: everything that needs no database. The file is
 * read in hotline-sheet.ts, its columns mapped in hotline-mapping.ts; the service adds what needs the database
 * (category, grid, scope, orders already imported).
 */

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

const ROW_TEXT = {
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
        localized(ROW_TEXT.tooLong, {
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
    if (!value) problems.push(localized(ROW_TEXT.required, { field: HOTLINE_FIELD_LABELS[field] }));
    return value ?? '';
  };

  const orderNo = required('orderNo');
  const category = required('category');
  const description = required('description');
  if (description.length === 1) {
    problems.push(localized(ROW_TEXT.tooShort, { field: HOTLINE_FIELD_LABELS.description, min: 2 }));
  }

  const reading: TimeReading = options.reading ?? BEIJING_TIME;
  const shown = (at: Date) => formatInZone(at, reading.timeZone);
  const time = (field: 'receivedAt' | 'dueAt' | 'closedAt', future: boolean): Date | null => {
    const at = parseTime(cells[field], reading);
    if (at === 'invalid') {
      problems.push(
        localized(ROW_TEXT.badTime, { field: HOTLINE_FIELD_LABELS[field], value: textOf(field) }),
      );
      return null;
    }
    if (at && !future && at.getTime() > options.now.getTime() + 10 * 60_000) {
      problems.push(localized(ROW_TEXT.futureTime, { field: HOTLINE_FIELD_LABELS[field], value: shown(at) }));
    }
    return at;
  };
  const receivedAt = time('receivedAt', false);
  const dueAt = time('dueAt', true);
  const closedAt = time('closedAt', false);
  const dueText = textOf('dueAt');
  const closedText = textOf('closedAt');
  if (!receivedAt && !textOf('receivedAt') && (dueText || closedText)) {
    problems.push(ROW_TEXT.historyWithoutReceived);
  }
  for (const [field, at] of [
    ['dueAt', dueAt],
    ['closedAt', closedAt],
  ] as const) {
    if (receivedAt && at && at < receivedAt) {
      problems.push(
        localized(ROW_TEXT.beforeReceived, {
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
    problems.push(localized(ROW_TEXT.closedWithoutTime, { status: status ?? '' }));
  if (saysClosed === false && closedAt) {
    problems.push(localized(ROW_TEXT.openWithClosedTime, { status: status ?? '', value: shown(closedAt) }));
  }

  let callerPhone = normalizePhone(textOf('callerPhone'));
  if (callerPhone === 'invalid') {
    problems.push(localized(ROW_TEXT.badPhone, { value: textOf('callerPhone') }));
    callerPhone = null;
  }

  const coordinate = (field: 'lon' | 'lat', limit: number): number | null => {
    const value = textOf(field);
    if (!value) return null;
    const number = Number(value);
    if (Number.isFinite(number) && Math.abs(number) <= limit) return number;
    problems.push(localized(ROW_TEXT.badCoordinate, { field: HOTLINE_FIELD_LABELS[field], value }));
    return Number.NaN;
  };
  const lon = coordinate('lon', 180);
  const lat = coordinate('lat', 90);
  let point: ParsedHotlineRow['point'] = null;
  if ((lon === null) !== (lat === null)) problems.push(ROW_TEXT.halfCoordinate);
  else if (lon !== null && lat !== null && !Number.isNaN(lon) && !Number.isNaN(lat)) {
    const [x, y] = options.crs === 'gcj02' ? gcj02ToWgs84(lon, lat) : [lon, lat];
    point = { lon: x, lat: y };
  }
  const region = optional('region');
  if (lon === null && lat === null && !region) problems.push(ROW_TEXT.noLocation);

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
