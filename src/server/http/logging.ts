import type { FastifyServerOptions } from 'fastify';

type LoggerOptions = Exclude<FastifyServerOptions['logger'], boolean | undefined>;
/** Where log lines go; a test captures them. */
export interface LogStream {
  write(line: string): void;
}

// A resident ID number (GB 11643: region, birth date, sequence, check digit) and a mobile number. The birth
// date is required so grid codes, which are also 18 digits, stay readable in the log.
const ID_NUMBER =
  /(?<![0-9A-Za-z])(\d{6})((?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))(\d{3}[\dXx])(?![0-9A-Za-z])/g;
const PHONE = /(?<!\d)(1\d{2})\d{4}(\d{4})(?!\d)/g;
// Drivers attach a failed statement's bound values to the error (PGlite: params, queryOptions); they are
// exactly the personal data the statement wrote or looked for.
const DROPPED_KEYS = new Set(['params', 'parameters', 'queryOptions', 'values', 'bindings', 'body']);
const MAX_DEPTH = 8;

/** Masks ID numbers (440605********1234) and mobile numbers (138****5678) in a text. */
export function maskPersonalData(text: string): string {
  return text.replace(ID_NUMBER, '$1********$3').replace(PHONE, '$1****$2');
}

/** A copy of a plain value fit for the log: strings masked, bound statement values and bodies dropped. */
function clean(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPersonalData(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => clean(item, depth + 1));
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (!DROPPED_KEYS.has(key)) copy[key] = clean(child, depth + 1);
  }
  return copy;
}

interface LoggedError {
  type: string;
  message: string;
  stack: string;
  [key: string]: unknown;
}

/**
 * An error as the log shows it: its own fields (SQLSTATE code, detail, hint …) masked, minus the bound values,
 * and its causes the same way.
 */
function serializeError(error: unknown, depth = 0): LoggedError {
  if (!(error instanceof Error)) {
    return { type: typeof error, message: maskPersonalData(String(error)), stack: '' };
  }
  const fields = clean({ ...error }, depth) as Record<string, unknown>;
  const logged: LoggedError = {
    ...fields,
    type: error.constructor?.name ?? 'Error',
    message: maskPersonalData(error.message),
    stack: maskPersonalData(error.stack ?? ''),
  };
  if (error.cause !== undefined && depth < MAX_DEPTH) logged.cause = serializeError(error.cause, depth + 1);
  return logged;
}

interface LoggedRequest {
  method: string;
  url: string;
  ip?: string;
  host?: string;
}

/**
 * Options for the server's logger: no personal data reaches the log. Errors are logged without the values
 * bound to a failed statement; URLs (query strings) and every other logged text have ID numbers and mobile
 * numbers masked; request bodies are never logged.
 */
export function loggerOptions(level: string, stream?: LogStream): LoggerOptions {
  return {
    level,
    ...(stream ? { stream } : {}),
    serializers: {
      err: (error: Error) => serializeError(error),
      req: (request: LoggedRequest) => ({
        method: request.method,
        url: maskPersonalData(request.url),
        host: request.host,
        remoteAddress: request.ip,
      }),
    },
    formatters: {
      log: (object: Record<string, unknown>) => {
        const copy: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(object)) {
          // Errors, requests and replies go through their serializers above.
          if (DROPPED_KEYS.has(key)) continue;
          copy[key] = value instanceof Error ? value : clean(value);
        }
        return copy;
      },
    },
    hooks: {
      logMethod(args: unknown[], method: (...args: unknown[]) => void) {
        method.apply(
          this,
          args.map((arg) => (typeof arg === 'string' ? maskPersonalData(arg) : arg)),
        );
      },
    },
  };
}
