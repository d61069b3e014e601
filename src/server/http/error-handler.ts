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
    request.log.error({ err: error }, 'unhandled error');
    return send(reply, 'INTERNAL', errorMessage('INTERNAL', { requestId: request.id }, locale));
  });
}

function send(reply: import('fastify').FastifyReply, code: ErrorCode, message: string, details?: unknown) {
  const body: ErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  return reply.status(ERRORS[code].status).send(body);
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
