import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

// The widest integer any of our integer columns holds (int4); bigint ids are far from it in practice.
const MAX_INT = 2_147_483_647;
// Nothing we take is nested deeper; deeper input is refused instead of walked.
const MAX_DEPTH = 64;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

interface Finding {
  path: string;
  message: string;
}

const MESSAGES = {
  nul: '不能包含空字符（NUL）|must not contain NUL characters',
  surrogate: '包含无效的 Unicode 字符（孤立代理项）|contains an invalid Unicode character (lone surrogate)',
  integer: `整数超出范围（±${MAX_INT}）|integer out of range (±${MAX_INT})`,
  depth: `嵌套超过 ${MAX_DEPTH} 层|nested more than ${MAX_DEPTH} levels deep`,
};

/**
 * Cleans input at the edge, before any of it reaches a service or the database: PostgreSQL refuses NUL bytes
 * in text and lone surrogates cannot be encoded as UTF-8, and an integer beyond int4 overflows its column —
 * each would otherwise surface as a 500. Refused with 400 VALIDATION_FAILED naming the field.
 *
 * Text is checked before validation (on what the client sent, including object keys); integers after it,
 * on the numbers the route's schema coerced query and path strings into.
 */
export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    refuse(request, findBadText(request));
  });
  app.addHook('preHandler', async (request) => {
    refuse(request, findHugeInteger(request));
  });
}

function refuse(request: FastifyRequest, finding: Finding | null): void {
  if (!finding) return;
  const message = pickMessage(finding.message, request.locale);
  // Only a text body (CSV) is a bare string at the root.
  const path = finding.path || 'body';
  throw new AppError(
    'VALIDATION_FAILED',
    { summary: `${path}: ${message}` },
    { issues: [{ path, message }] },
  );
}

function pickMessage(message: string, locale: string): string {
  const [zh, en] = message.split('|');
  return (locale === 'en-US' ? en : zh) ?? message;
}

function findBadText(request: FastifyRequest): Finding | null {
  return walk(
    request,
    (value, path) => {
      if (typeof value !== 'string') return null;
      if (value.includes('\u0000')) return { path, message: MESSAGES.nul };
      if (value.search(LONE_SURROGATE) >= 0) return { path, message: MESSAGES.surrogate };
      return null;
    },
    true,
  );
}

function findHugeInteger(request: FastifyRequest): Finding | null {
  return walk(
    request,
    (value, path) => {
      if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) > MAX_INT) {
        return { path, message: MESSAGES.integer };
      }
      return null;
    },
    false,
  );
}

function isPlainData(value: unknown): value is object {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return false;
  // Streams and sockets (event emitters) are not data: an upload route takes the request stream as its body.
  return typeof (value as { on?: unknown }).on !== 'function';
}

/** Visits params, query and body depth first, without recursion; the first finding wins. */
function walk(
  request: FastifyRequest,
  check: (value: unknown, path: string) => Finding | null,
  checkKeys: boolean,
): Finding | null {
  const stack: { value: unknown; path: string; depth: number }[] = [
    { value: request.body, path: '', depth: 0 },
    { value: request.query, path: '', depth: 0 },
    { value: request.params, path: '', depth: 0 },
  ];
  while (stack.length) {
    const { value, path, depth } = stack.pop() as { value: unknown; path: string; depth: number };
    const found = check(value, path);
    if (found) return found;
    // Only parsed JSON, forms and query strings are walked: an upload handed on as a stream or a buffer is
    // read by its own parser, and walking a stream would wander through the socket behind it.
    if (!isPlainData(value)) continue;
    if (depth >= MAX_DEPTH) return { path, message: MESSAGES.depth };
    for (const [key, child] of Object.entries(value)) {
      // A bad key is named in the answer in a form that can be shown.
      const shown = key.replace(LONE_SURROGATE, '\uFFFD').replaceAll('\u0000', '\\0');
      const childPath = path ? `${path}.${shown}` : shown;
      if (checkKeys) {
        const keyFound = check(key, childPath);
        if (keyFound) return keyFound;
      }
      stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return null;
}
