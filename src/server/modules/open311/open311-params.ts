import type { FastifyRequest } from 'fastify';
import { Open311Error, type Open311Params } from './open311.service.ts';

/** The largest form body an Open311 write may send: a report is a few kilobytes, a photo goes by media_url. */
export const FORM_BODY_LIMIT = 1024 * 1024;
/**
 * Arguments one request may carry, query and form together. A report with every attribute of the largest
 * service definition stays far below it; a body repeating one name tens of thousands of times does not.
 */
export const MAX_PARAMS = 1_000;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The parsed body of a form post: the arguments in order, repeated names kept; a multipart post's photos. */
export class Open311Form {
  constructor(
    readonly entries: readonly (readonly [string, string])[],
    readonly files: readonly Buffer[] = [],
  ) {}
}

/** The photos a multipart post carried (none for any other body). */
export function photosOf(request: FastifyRequest): readonly Buffer[] {
  return request.body instanceof Open311Form ? request.body.files : [];
}

const t = (zh: string, en: string) => ({ zh, en });

const tooMany = () =>
  new Open311Error(400, t(`参数过多（最多 ${MAX_PARAMS} 个）`, `Too many arguments (at most ${MAX_PARAMS})`));

/**
 * Parses an application/x-www-form-urlencoded body in one pass, refusing it as soon as it holds more than
 * MAX_PARAMS arguments: the work is linear in the body and bounded by the route's body limit. Text PostgreSQL
 * or XML cannot carry (NUL, lone surrogates, broken percent-encoding) is refused here, naming the argument.
 */
export function parseForm(body: string): Open311Form {
  const entries: [string, string][] = [];
  let start = 0;
  while (start <= body.length) {
    let end = body.indexOf('&', start);
    if (end < 0) end = body.length;
    if (end > start) {
      if (entries.length >= MAX_PARAMS) throw tooMany();
      const pair = body.slice(start, end);
      const equals = pair.indexOf('=');
      const name = decode(equals < 0 ? pair : pair.slice(0, equals), null);
      const value = decode(equals < 0 ? '' : pair.slice(equals + 1), name);
      entries.push([name, value]);
    }
    start = end + 1;
  }
  return new Open311Form(entries);
}

function decode(text: string, name: string | null): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    throw badText(name ?? text.slice(0, 40), 'encoding');
  }
  checkText(name ?? decoded, decoded);
  return decoded;
}

function badText(name: string, kind: 'encoding' | 'nul' | 'surrogate'): Open311Error {
  const reasons = {
    encoding: t('不是有效的 UTF-8 百分号编码', 'is not valid percent-encoded UTF-8'),
    nul: t('不能包含空字符（NUL）', 'must not contain NUL characters'),
    surrogate: t('包含无效的 Unicode 字符', 'contains an invalid Unicode character'),
  }[kind];
  // The name is echoed back: keep it short and printable.
  const shown = name.replace(/[^\p{L}\p{N}_[\].-]/gu, '?').slice(0, 40);
  return new Open311Error(400, t(`${shown} ${reasons.zh}`, `${shown} ${reasons.en}`));
}

/** Refuses text no column or XML document can hold. */
export function checkText(name: string, value: string): void {
  if (value.includes('\u0000')) throw badText(name, 'nul');
  if (LONE_SURROGATE.test(value)) throw badText(name, 'surrogate');
}

/**
 * Query and form arguments together (the form wins); blank values are dropped, as the spec asks. Built once
 * per request and kept, so the api_key check and the service read the same map.
 */
export function paramsOf(request: FastifyRequest): Open311Params {
  const cached = parsedParams.get(request);
  if (cached) return cached;
  const params = new Map<string, string[]>();
  let count = 0;
  const add = (name: string, value: unknown) => {
    if (typeof value !== 'string') return;
    if (++count > MAX_PARAMS) throw tooMany();
    checkText(name, name);
    checkText(name, value);
    const trimmed = value.trim();
    if (trimmed === '') return;
    const values = params.get(name);
    if (values) values.push(trimmed);
    else params.set(name, [trimmed]);
  };
  const form = request.body instanceof Open311Form ? request.body.entries : [];
  const formNames = new Set(form.map(([name]) => name));
  for (const [name, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
    if (formNames.has(name)) continue;
    for (const v of Array.isArray(value) ? value : [value]) add(name, v);
  }
  for (const [name, value] of form) add(name, value);
  parsedParams.set(request, params);
  return params;
}

const parsedParams = new WeakMap<FastifyRequest, Open311Params>();

/** A path segment (id, token, service code) checked like any argument before it reaches a query. */
export function pathArgument(name: string, value: string): string {
  checkText(name, value);
  return value;
}
