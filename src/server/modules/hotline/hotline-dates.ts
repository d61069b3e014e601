import { type Cell, formatCell } from './hotline-sheet.ts';

/** The times of a 12345 export: the ways they are written, and the time zone of those without an offset. */

/** How the times of a file are read: the zone of times without an offset, the order of a year-last date. */
export interface TimeReading {
  timeZone: string;
  dateOrder: 'mdy' | 'dmy';
}

export const BEIJING_TIME: TimeReading = { timeZone: 'Asia/Shanghai', dateOrder: 'mdy' };

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
