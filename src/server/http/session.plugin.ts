import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LOCALES, type Locale, localeFromHeader } from '../../shared/errors.ts';
import { AppError } from '../errors.ts';
import type { Actor } from '../modules/people/actor.ts';
import type { AuthenticatedSession, AuthService } from '../modules/people/auth.service.ts';
import { createWriteLimiter, type WriteLimit } from './write-limit.ts';

export const SESSION_COOKIE = 'gridgov_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// Login has no session yet to carry a token; it is guarded by the same-origin check below instead.
const LOGIN_ROUTE = '/api/v1/auth/login';
// The resident portal has no accounts, hence no session and no CSRF token. Its writes are guarded instead by a
// per-IP rate limit, a honeypot field and a signed form token that must age before a report is accepted
// (modules/portal), and by the same-origin check below.
const PUBLIC_API = '/api/v1/public/';
// Open311 clients are other servers authenticating with an api_key in the request, not with our cookie.
const OPEN311 = '/open311/';
// Every route under the staff API needs a session, except these: refused before its input is even validated,
// so that an anonymous caller learns nothing of a route but that it exists.
const STAFF_API = '/api/v1/';
const OPEN_STAFF_ROUTES = new Set([LOGIN_ROUTE, '/api/v1/config']);

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
    auth: AuthenticatedSession | null;
  }
}

export interface SessionOptions {
  /** Writes one signed-in user may make; per process. */
  writeLimit?: WriteLimit;
}

/**
 * Resolves the request's language and session, and refuses state-changing requests without the session's
 * CSRF token. The cookie is SameSite=Lax and HttpOnly; the token (from the login or session answer) travels
 * in a header, which a cross-site form cannot set.
 *
 * Every decision is taken on the route the router matched, never on the URL as spelled: the router decodes
 * `/%61pi/v1/…` to the same handler as `/api/v1/…`, so a check on the raw URL can be walked around.
 */
export function registerSession(app: FastifyInstance, auth: AuthService, options: SessionOptions = {}): void {
  const writes = createWriteLimiter(options.writeLimit);
  app.decorateRequest('locale', 'zh-CN');
  app.decorateRequest('auth', null);
  // onRequest runs after routing, so routeOptions.url is the matched pattern (undefined when nothing matched).
  app.addHook('onRequest', async (request) => {
    request.locale = requestLocale(request);
    const route = request.routeOptions.url;
    const token = request.cookies[SESSION_COOKIE];
    // A public request acts for nobody, even when a staff member's browser sends it with their cookie.
    const isPublic = route?.startsWith(PUBLIC_API) ?? false;
    request.auth = token && !isPublic ? await auth.authenticate(token, request.locale) : null;
    if (!request.auth && route?.startsWith(STAFF_API) && !isPublic && !OPEN_STAFF_ROUTES.has(route)) {
      throw new AppError('NOT_AUTHENTICATED');
    }
    if (SAFE_METHODS.has(request.method)) return;
    // No state-changing request is taken from a page of another origin, exempt or not.
    if (!sameOrigin(request)) throw new AppError('CSRF_FAILED');
    // Nothing matched: the not-found handler answers, nothing can change.
    if (route === undefined) return;
    if (route === LOGIN_ROUTE || isPublic || route.startsWith(OPEN311)) return;
    if (!request.auth) throw new AppError('NOT_AUTHENTICATED');
    if (request.headers[CSRF_HEADER] !== request.auth.csrfToken) throw new AppError('CSRF_FAILED');
    if (!writes.take(request.auth.actor.id)) throw new AppError('RATE_LIMITED');
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

/**
 * Browsers send Origin on cross-site POSTs (and some privacy settings send only a Referer); when either is
 * present it must name this host. Neither means a non-browser client, which cannot carry a victim's cookie.
 */
function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin ?? request.headers.referer;
  if (origin === undefined || origin === '') return true;
  try {
    return new URL(origin).host === request.host;
  } catch {
    return false;
  }
}
