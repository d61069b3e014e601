import { type AttributeValues, checkAttributeValues, parseW3cDateTime } from '../../../shared/attributes.ts';
import type { CategoryAttribute } from '../../../shared/cases.ts';
import { errorMessage, type Locale, type LocalizedText } from '../../../shared/errors.ts';
import { AppError } from '../../errors.ts';

/**
 * The arguments of an Open311 request as the spec reads them, and its refusals: what every part of the
 * server (open311.service.ts) shares.
 */

/** The arguments of a request, query and form merged; an empty argument is no argument (the spec says so). */
export type Open311Params = ReadonlyMap<string, readonly string[]>;

/** A refusal in the spec's terms: 404 for what does not exist, 403 for the api_key, 400 for anything else. */
export class Open311Error extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 429,
    readonly text: LocalizedText,
  ) {
    super(text.en);
    this.name = 'Open311Error';
  }
}

export const t = (zh: string, en: string): LocalizedText => ({ zh, en });

/** The first value of an argument; blank values count as absent. */
export function one(params: Open311Params, name: string): string | undefined {
  return params.get(name)?.[0];
}

/** A comma-delimited argument, possibly given several times. */
export function list(params: Open311Params, name: string): string[] | undefined {
  const values = (params.get(name) ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  return values.length ? values : undefined;
}

export function text(params: Open311Params, name: string, max: number): string | undefined {
  const value = one(params, name);
  if (value !== undefined && value.length > max) {
    throw new Open311Error(400, t(`${name} 超过 ${max} 个字符`, `${name} is longer than ${max} characters`));
  }
  return value;
}

export function url(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed = new URL(value);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return value.slice(0, 2000);
  } catch {
    // reported below
  }
  throw new Open311Error(
    400,
    t(`media_url 不是 http(s) 地址：${value}`, `media_url is not an http(s) URL: ${value}`),
  );
}

export function dateArgument(params: Open311Params, name: string): Date | undefined {
  const value = one(params, name);
  if (value === undefined) return undefined;
  const at = parseW3cDateTime(value);
  if (!at) {
    throw new Open311Error(
      400,
      t(
        `${name} 须为带时区的 W3C 日期时间，如 2010-01-01T00:00:00Z：${value}`,
        `${name} must be a W3C date-time with time zone, e.g. 2010-01-01T00:00:00Z: ${value}`,
      ),
    );
  }
  return at;
}

export function pointOf(params: Open311Params): { lon: number; lat: number } | null {
  const lat = one(params, 'lat');
  const long = one(params, 'long');
  if (lat === undefined && long === undefined) return null;
  const point = { lat: Number(lat), lon: Number(long) };
  if (
    lat === undefined ||
    long === undefined ||
    !Number.isFinite(point.lat) ||
    !Number.isFinite(point.lon) ||
    Math.abs(point.lat) > 90 ||
    Math.abs(point.lon) > 180
  ) {
    throw new Open311Error(
      400,
      t('lat 和 long 须同时给出，且为 WGS-84 经纬度', 'lat and long must both be sent, as WGS-84 degrees'),
    );
  }
  return point;
}

/** Attributes a report names that its service does not ask for: kept as sent (bounded), never refused. */
export type IgnoredAttributes = Record<string, string[]>;
const MAX_IGNORED = 20;
const MAX_IGNORED_VALUE = 200;

/**
 * The attribute[code] (and attribute[code][] for a multivaluelist) arguments, checked against the service
 * definition (shared/attributes.ts); a refusal names each field by its argument. A code the service does not
 * define (or shows as information only) is no reason to refuse a report — the spec lets clients send what
 * they have: it is left out of the values and returned as ignored, for the report to note.
 */
export function parseAttributes(
  params: Open311Params,
  definitions: readonly CategoryAttribute[],
): { values: AttributeValues; ignored: IgnoredAttributes } {
  const asked = new Set(definitions.filter((d) => d.variable).map((d) => d.code));
  const given = new Map<string, string[]>();
  const ignored = new Map<string, string[]>();
  for (const [name, values] of params) {
    const code = /^attribute\[([^\]]+)\](\[\])?$/.exec(name)?.[1];
    if (code === undefined) continue;
    if (asked.has(code)) {
      given.set(code, [...(given.get(code) ?? []), ...values]);
      continue;
    }
    const key = code.slice(0, 100);
    if (ignored.has(key) || ignored.size < MAX_IGNORED) {
      const kept = values.map((v) => v.slice(0, MAX_IGNORED_VALUE));
      ignored.set(key, [...(ignored.get(key) ?? []), ...kept].slice(0, MAX_IGNORED));
    }
  }
  const check = checkAttributeValues(definitions, given);
  if (check.ok) return { values: check.values, ignored: Object.fromEntries(ignored) };
  const said = (locale: 'zh' | 'en') =>
    check.problems.map((p) => `attribute[${p.code}] ${p.reason[locale]}`).join(locale === 'zh' ? '；' : '; ');
  throw new Open311Error(400, t(said('zh'), said('en')));
}

/** A refusal from the case loop in the spec's terms: outside the key's scope is 403, anything else 400. */
export function toOpen311Error(error: unknown): unknown {
  if (!(error instanceof AppError)) return error;
  const status = error.code === 'FORBIDDEN_SCOPE' || error.code === 'FORBIDDEN_ROLE' ? 403 : 400;
  return new Open311Error(status, { zh: messageOf(error, 'zh-CN'), en: messageOf(error, 'en-US') });
}

function messageOf(error: AppError, locale: Locale): string {
  return errorMessage(error.code, error.params, locale);
}
