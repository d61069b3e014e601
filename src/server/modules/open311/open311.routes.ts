import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERRORS, errorMessage, localize } from '../../../shared/errors.ts';
import { AppError } from '../../errors.ts';
import type { ApiKeyService, Open311Client } from './api-key.service.ts';
import { Open311Error, type Open311Service } from './open311.service.ts';
import {
  CONTENT_TYPES,
  OPEN311_FORMATS,
  type Open311Document,
  type Open311Format,
  serialize,
} from './open311-format.ts';
import { MULTIPART_BODY_LIMIT, parseMultipart } from './open311-multipart.ts';
import {
  FORM_BODY_LIMIT,
  type Open311Form,
  paramsOf,
  parseForm,
  pathArgument,
  photosOf,
} from './open311-params.ts';

declare module 'fastify' {
  interface FastifyRequest {
    open311Client: Open311Client | null;
  }
}

const FORM = 'application/x-www-form-urlencoded';
const MULTIPART = 'multipart/form-data';
const ONE_MINUTE = 60_000;
/** Reads one client address may make a minute: generous for any client, short of a scraper's pace. */
export const OPEN311_READS_PER_MINUTE = 300;

/**
 * The GeoReport v2 endpoints under /open311: discovery, services, service definitions, requests, tokens and
 * the servicerequestupdates extension, each as `.xml` or `.json`. Outside /api, so neither the session nor its
 * CSRF check applies: writes carry an api_key, checked here and limited per key.
 */
export function open311Routes(open311: Open311Service, keys: ApiKeyService) {
  return async (app: FastifyInstance) => {
    app.decorateRequest('open311Client', null);
    // POST bodies are form-encoded, as the spec requires, or multipart/form-data when a client uploads a photo
    // with its report; nothing else (a JSON body is refused in the spec's terms, not read as no arguments).
    app.removeAllContentTypeParsers();
    // Repeated names (attribute[code][]) are kept. Parsed in one bounded pass before the api_key check (the
    // key is in the body), so an anonymous body costs little.
    app.addContentTypeParser(
      FORM,
      { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT },
      (_request, body, done) => {
        let form: Open311Form;
        try {
          form = parseForm(body as string);
        } catch (error) {
          done(error as Error, undefined);
          return;
        }
        done(null, form);
      },
    );
    app.addContentTypeParser(
      MULTIPART,
      { parseAs: 'buffer', bodyLimit: MULTIPART_BODY_LIMIT },
      (request, body, done) => {
        parseMultipart(body as Buffer, request.headers['content-type'] ?? '').then(
          (form) => done(null, form),
          (error: Error) => done(error, undefined),
        );
      },
    );
    app.addContentTypeParser('*', (request, _payload, done) => {
      const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
      done(
        new Open311Error(400, {
          zh: `不支持的请求体类型 ${type}：GeoReport v2 的 POST 须为 ${FORM} 表单（上传照片时可用 ${MULTIPART}）`,
          en: `Unsupported body type ${type}: a GeoReport v2 POST is form-encoded (${FORM}), or ${MULTIPART} to upload a photo`,
        }),
        undefined,
      );
    });

    app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
      if (error instanceof Open311Error)
        return sendErrors(request, reply, error.status, [localize(error.text, request.locale)]);
      if (error.statusCode === 429) {
        return sendErrors(request, reply, 429, [
          request.locale === 'zh-CN' ? '请求过于频繁，请稍后再试' : 'Too many requests; try again later',
        ]);
      }
      if (error.statusCode === 413) {
        const multipart = request.headers['content-type']?.toLowerCase().startsWith(MULTIPART);
        const limit = multipart ? MULTIPART_BODY_LIMIT : FORM_BODY_LIMIT;
        return sendErrors(request, reply, 413, [
          request.locale === 'zh-CN'
            ? `请求体过大（最多 ${limit / 1024} KB）`
            : `Request body too large (at most ${limit / 1024} KB)`,
        ]);
      }
      if (error instanceof AppError) {
        // Refusals of the server's own checks (the input guard, limits), in the spec's terms.
        const status = ERRORS[error.code].status;
        return sendErrors(request, reply, [403, 404, 429].includes(status) ? status : 400, [
          errorMessage(error.code, error.params, request.locale),
        ]);
      }
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
        return sendErrors(request, reply, 400, [error.message]);
      }
      // The spec's "general service error": 400, with nothing of the internals.
      request.log.error({ err: error }, 'open311 request failed');
      return sendErrors(request, reply, 400, [`General service error (reference ${request.id})`]);
    });
    app.setNotFoundHandler(open311NotFound);

    const reply = async (
      request: FastifyRequest,
      response: FastifyReply,
      work: () => Promise<Open311Document>,
    ) => {
      const format = formatOf(request);
      const document = await work();
      return response.type(CONTENT_TYPES[format]).send(serialize(document, format));
    };

    /** Checks the api_key of a write: 403 in the spec's form when missing, unknown or revoked. */
    const authenticate = async (request: FastifyRequest) => {
      formatOf(request);
      const key = paramsOf(request).get('api_key')?.[0];
      const client = key ? await keys.authenticate(key) : null;
      if (!client) {
        throw new Open311Error(403, {
          zh: key ? 'api_key 无效或已吊销' : '缺少 api_key',
          en: key ? 'Invalid or revoked api_key' : 'api_key was not provided',
        });
      }
      request.open311Client = client;
    };
    const perKeyLimit = {
      rateLimit: {
        hook: 'preHandler' as const,
        timeWindow: ONE_MINUTE,
        keyGenerator: (request: FastifyRequest) => `open311:${request.open311Client?.keyId ?? request.ip}`,
        max: (request: FastifyRequest) => request.open311Client?.rateLimitPerMinute ?? 1,
      },
    };
    // Reads are public: limited per client address (an api_key on a read proves nothing, so it is no bucket).
    const perIpReads = {
      rateLimit: {
        timeWindow: ONE_MINUTE,
        keyGenerator: (request: FastifyRequest) => `open311-read:${request.ip}`,
        max: OPEN311_READS_PER_MINUTE,
      },
    };
    const reads = { config: perIpReads };
    // Each body type has its own limit (its parser's): a form 1 MB, a multipart post with photos more.
    const writes = { preHandler: authenticate, config: perKeyLimit };
    const client = (request: FastifyRequest) => request.open311Client as Open311Client;
    const params = (request: FastifyRequest) => paramsOf(request);
    const baseUrl = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

    for (const path of ['/discovery.:format', '/v2/discovery.:format']) {
      app.get(path, reads, (request, response) =>
        reply(request, response, () => open311.discovery(baseUrl(request))),
      );
    }
    app.get('/v2/services.:format', reads, (request, response) =>
      reply(request, response, () => open311.listServices(params(request), request.locale)),
    );
    app.get<{ Params: { code: string } }>('/v2/services/:code.:format', reads, (request, response) =>
      reply(request, response, () =>
        open311.serviceDefinition(params(request), pathArgument('service_code', request.params.code)),
      ),
    );
    app.post('/v2/requests.:format', writes, (request, response) =>
      reply(request, response, () =>
        open311.postRequest(client(request), params(request), request.locale, photosOf(request)),
      ),
    );
    app.get('/v2/requests.:format', reads, (request, response) =>
      reply(request, response, () => open311.listRequests(params(request), request.locale)),
    );
    app.get<{ Params: { id: string } }>('/v2/requests/:id.:format', reads, (request, response) =>
      reply(request, response, () =>
        open311.getRequest(
          params(request),
          pathArgument('service_request_id', request.params.id),
          request.locale,
        ),
      ),
    );
    app.get<{ Params: { token: string } }>('/v2/tokens/:token.:format', reads, (request, response) =>
      reply(request, response, () =>
        open311.tokenStatus(params(request), pathArgument('token', request.params.token)),
      ),
    );
    app.get('/v2/servicerequestupdates.:format', reads, (request, response) =>
      reply(request, response, () => open311.listUpdates(params(request), request.locale)),
    );
    app.post('/v2/servicerequestupdates.:format', writes, (request, response) =>
      reply(request, response, () => open311.postUpdate(client(request), params(request), photosOf(request))),
    );
  };
}

/** The format named by the resource's extension; anything else is a resource that does not exist. */
function formatOf(request: FastifyRequest): Open311Format {
  const format = (request.params as { format?: string }).format;
  if (format && (OPEN311_FORMATS as readonly string[]).includes(format)) return format as Open311Format;
  throw new Open311Error(404, {
    zh: `不支持的格式：${format ?? ''}（请用 .xml 或 .json）`,
    en: `Unsupported format: ${format ?? ''} (use .xml or .json)`,
  });
}

/** Whether a path lies under the Open311 server: it answers there in the spec's terms, never with the console. */
export function isOpen311Path(url: string): boolean {
  return /^\/open311(\/|\?|$)/.test(url);
}

/** A resource the Open311 server does not have: 404 in the spec's error form (JSON for a .json path, else XML). */
export function open311NotFound(request: FastifyRequest, reply: FastifyReply) {
  return sendErrors(request, reply, 404, [
    `No such resource: ${request.method} ${request.url.split('?')[0]}`,
  ]);
}

function sendErrors(request: FastifyRequest, reply: FastifyReply, status: number, descriptions: string[]) {
  const extension = /\.(xml|json)(\?|$)/.exec(request.url)?.[1];
  const format: Open311Format = extension === 'json' ? 'json' : 'xml';
  return reply
    .status(status)
    .type(CONTENT_TYPES[format])
    .send(
      serialize(
        { root: 'errors', body: descriptions.map((description) => ({ code: status, description })) },
        format,
      ),
    );
}
