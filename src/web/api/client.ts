import type { ErrorCode } from '../../shared/errors.ts';
import { currentLocale, i18n } from '../i18n/index.ts';

/** An error answered by the server (`{ error: { code, message, details } }`) or raised on the way to it. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | 'NETWORK' | 'UNEXPECTED';
  readonly details: unknown;

  constructor(options: { status: number; code: ApiError['code']; message: string; details?: unknown }) {
    super(options.message);
    this.name = 'ApiError';
    this.status = options.status;
    this.code = options.code;
    this.details = options.details;
  }

  /** Field problems of a VALIDATION_FAILED answer, as `{ path, message }`. */
  get issues(): { path: string; message: string }[] {
    const issues = (this.details as { issues?: unknown } | undefined)?.issues;
    if (!Array.isArray(issues)) return [];
    return issues
      .filter((issue): issue is { path: unknown; message: string } => typeof issue?.message === 'string')
      .map((issue) => ({
        path: Array.isArray(issue.path) ? issue.path.join('.') : String(issue.path ?? ''),
        message: issue.message,
      }));
  }
}

/** The message to show a user for any thrown value: the server's own text when there is one. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return i18n.t('common.unexpectedError');
}

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the server says the session has ended, so the app can go back to the login page. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

/** One page of a paged list, as every list endpoint answers. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** What a screen does after a change the server accepted or refused; features' api hooks take these. */
export interface MutationCallbacks<T> {
  onSuccess?: (result: T) => void;
  onError?: (error: Error) => void;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Record<string, string | number | boolean | null | undefined>;
  body?: unknown;
  signal?: AbortSignal;
  /** Leave false for calls where 401 is an expected answer (login, session probe). */
  redirectOn401?: boolean;
}

export function apiUrl(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return `/api/v1${path}${search ? `?${search}` : ''}`;
}

/**
 * Uploads a photo as the raw request body (the server checks its type from the bytes) and returns its id,
 * the SHA-256 of its content. The public portal uploads to `/public/photos`.
 */
export async function uploadEvidence(file: Blob, path = '/evidence'): Promise<{ id: string }> {
  const response = await fetch(apiUrl(path), {
    method: 'POST',
    headers: {
      'Content-Type': file.type || 'application/octet-stream',
      'Accept-Language': currentLocale(),
      ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}),
    },
    credentials: 'same-origin',
    body: file,
  });
  const payload = (await response.json().catch(() => null)) as
    | { id: string; error?: undefined }
    | { error?: { code?: string; message?: string } }
    | null;
  if (!response.ok || !payload || !('id' in payload)) {
    const body = payload && 'error' in payload ? payload.error : undefined;
    throw new ApiError({
      status: response.status,
      code: (body?.code as ErrorCode | undefined) ?? 'UNEXPECTED',
      message: body?.message || i18n.t('common.unexpectedError'),
    });
  }
  return { id: payload.id };
}

/** Calls the gridgov API: cookies, JSON, the UI language, CSRF token on writes; throws ApiError. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': currentLocale() };
  // A Blob (a CSV or GeoJSON file to import) goes as it is, with its own type; anything else as JSON.
  const { body } = options;
  if (body instanceof Blob) headers['Content-Type'] = body.type || 'application/octet-stream';
  else if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined || body instanceof Blob ? body : JSON.stringify(body),
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({ status: 0, code: 'NETWORK', message: i18n.t('common.networkError') });
  }

  const text = await response.text();
  let payload: unknown = null;
  if (text) {
    try {
      payload = JSON.parse(text);
    } catch {
      payload = null;
    }
  }

  if (!response.ok) {
    const body = (payload as { error?: { code?: string; message?: string; details?: unknown } } | null)
      ?.error;
    const error = new ApiError({
      status: response.status,
      code: (body?.code as ErrorCode | undefined) ?? 'UNEXPECTED',
      message: body?.message || i18n.t('common.unexpectedError'),
      details: body?.details,
    });
    if (response.status === 401 && options.redirectOn401 !== false) onUnauthorized?.();
    throw error;
  }
  return payload as T;
}
