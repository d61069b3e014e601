import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LOCALES, type Locale, localeFromHeader } from '../../shared/errors.ts';
import { AppError } from '../errors.ts';
import type { Actor } from '../modules/people/actor.ts';
import type { AuthenticatedSession, AuthService } from '../modules/people/auth.service.ts';

export const SESSION_COOKIE = 'gridgov_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// Login has no session yet to carry a token; it is guarded by the same-origin check below instead.
const CSRF_EXEMPT = new Set(['/api/v1/auth/login']);
// The resident portal has no accounts, hence no session and no CSRF token. Its writes are guarded instead by a
// per-IP rate limit, a honeypot field and a signed form token that must age before a report is accepted
// (modules/portal), and by the same-origin check below.
const PUBLIC_API = '/api/v1/public/';

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
    auth: AuthenticatedSession | null;
  }
}

/**
 * Resolves the request's language and session, and refuses state-changing requests without the session's
 * CSRF token. The cookie is SameSite=Lax and HttpOnly; the token (from the login or session answer) travels
 * in a header, which a cross-site form cannot set.
 */
export function registerSession(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('locale', 'zh-CN');
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request) => {
    request.locale = requestLocale(request);
    const path = request.url.split('?')[0] ?? '';
    const token = request.cookies[SESSION_COOKIE];
    // A public request acts for nobody, even when a staff member's browser sends it with their cookie.
    const isPublic = path.startsWith(PUBLIC_API);
    request.auth = token && !isPublic ? await auth.authenticate(token, request.locale) : null;
    if (SAFE_METHODS.has(request.method) || !request.url.startsWith('/api/')) return;
    if (CSRF_EXEMPT.has(path) || isPublic) {
      if (!sameOrigin(request)) throw new AppError('CSRF_FAILED');
      return;
    }
    if (!request.auth) throw new AppError('NOT_AUTHENTICATED');
    if (request.headers[CSRF_HEADER] !== request.auth.csrfToken) throw new AppError('CSRF_FAILED');
  });
}

/** The signed-in actor, or a 401 that the web turns into the login page. */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.auth) throw new AppError('NOT_AUTHENTICATED');
  return request.auth.actor;
}

function requestLocale(request: FastifyRequest): Locale {
  const chosen = request.headers['x-gridgov-locale'];
  if (typeof chosen === 'string' && (LOCALES as readonly string[]).includes(chosen)) return chosen as Locale;
  return localeFromHeader(request.headers['accept-language']);
}

/** Browsers send Origin on cross-site POSTs; when present it must name this host. */
function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
