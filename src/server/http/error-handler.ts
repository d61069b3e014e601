import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ERRORS,
  type ErrorBody,
  type ErrorCode,
  errorMessage,
  type Locale,
  pickLanguage,
} from '../../shared/errors.ts';
import { AppError } from '../errors.ts';

const zodLocales = { 'zh-CN': z.locales.zhCN(), 'en-US': z.locales.en() };

interface ValidationIssue {
  path: string;
  message: string;
}

/**
 * Turns every thrown error into `{ error: { code, message, details } }` in the request's language.
 * Unexpected errors are logged with the request id and answered without internals.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const locale = request.locale;
    if (error instanceof AppError) {
      return send(reply, error.code, errorMessage(error.code, error.params, locale), error.details);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((v) => localizeIssue(v, locale));
      const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
      return send(reply, 'VALIDATION_FAILED', errorMessage('VALIDATION_FAILED', { summary }, locale), {
        issues,
      });
    }
    if (error.statusCode === 429)
      return send(reply, 'RATE_LIMITED', errorMessage('RATE_LIMITED', {}, locale));
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      // Malformed JSON, a body too large, a wrong content type: the client's mistake, said plainly.
      return send(
        reply,
        'VALIDATION_FAILED',
        errorMessage('VALIDATION_FAILED', { summary: error.message }, locale),
        {
          issues: [{ path: '', message: error.message }],
        },
      );
    }
    const database = databaseInputError(error);
    if (database) {
      // A net, not the check: input is cleaned at the edge and in route schemas, so this firing means a check
      // is missing somewhere. Logged (without the statement's values, see logging.ts) so it gets added.
      request.log.warn({ err: error, route: request.routeOptions.url }, 'input refused by the database');
      const message = pickLanguage(database.message, locale);
      const summary = database.path ? `${database.path}: ${message}` : message;
      return send(reply, 'VALIDATION_FAILED', errorMessage('VALIDATION_FAILED', { summary }, locale), {
        issues: [{ path: database.path, message }],
      });
    }
    request.log.error({ err: error }, 'unhandled error');
    return send(reply, 'INTERNAL', errorMessage('INTERNAL', { requestId: request.id }, locale));
  });
}

function send(reply: import('fastify').FastifyReply, code: ErrorCode, message: string, details?: unknown) {
  const body: ErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  return reply.status(ERRORS[code].status).send(body);
}

// SQLSTATEs a statement fails with because of the values it was given, not because of the server: invalid
// text representation, numeric out of range, bad encoding, untranslatable character, string too long, bad or
// overflowing date/time. (Division by zero and the like stay 500s: those are our bugs.)
const FOREIGN_KEY_VIOLATION = '23503';
const BAD_VALUE = new Set(['22P02', '22003', '22021', '22P05', '22001', '22007', '22008']);

/**
 * A PostgreSQL error (pg or PGlite) caused by input: a value the column cannot hold, or a reference to a row
 * that does not exist. The column is named when
 * the server says which; the offending value is never echoed.
 */
function databaseInputError(error: unknown): ValidationIssue | null {
  const { code, severity, column, detail } = error as {
    code?: unknown;
    severity?: unknown;
    column?: unknown;
    detail?: unknown;
  };
  if (typeof code !== 'string' || typeof severity !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return null;
  if (code === FOREIGN_KEY_VIOLATION) {
    const key = typeof detail === 'string' ? /^Key \(([^)]+)\)/.exec(detail)?.[1] : undefined;
    return { path: key ?? '', message: '引用的记录不存在|refers to a record that does not exist' };
  }
  if (BAD_VALUE.has(code)) {
    return {
      path: typeof column === 'string' ? column : '',
      message: '值的格式或范围无效|value of an invalid form or out of range',
    };
  }
  return null;
}

function localizeIssue(
  v: { instancePath: string; keyword: string; message?: string | undefined; params: Record<string, unknown> },
  locale: Locale,
): ValidationIssue {
  const path = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const message = v.message ?? '';
  // Our own messages are bilingual; zod's built-in ones are re-rendered by zod's locale for the language.
  if (message.includes('|')) return { path, message: pickLanguage(message, locale) };
  const rendered = zodLocales[locale].localeError?.({
    ...v.params,
    code: v.keyword,
    path: [],
    message,
  } as never);
  const text = typeof rendered === 'string' ? rendered : (rendered?.message ?? message);
  return { path, message: text };
}
