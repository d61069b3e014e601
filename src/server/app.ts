import { existsSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import { publicConfigSchema } from '../shared/people.ts';
import type { Config } from './config.ts';
import type { Backend } from './db/database.ts';
import type { Services } from './deps.ts';
import { AppError, ENTITY } from './errors.ts';
import { registerErrorHandler } from './http/error-handler.ts';
import { registerInputGuard } from './http/input-guard.ts';
import { type LogStream, loggerOptions } from './http/logging.ts';
import type { databaseRateLimitStore } from './http/rate-limit-store.ts';
import { registerSecurityHeaders } from './http/security-headers.ts';
import { registerSession } from './http/session.plugin.ts';
import type { WriteLimit } from './http/write-limit.ts';
import { calendarRoutes } from './modules/calendar/calendar.routes.ts';
import { caseRoutes } from './modules/cases/case.routes.ts';
import { categoryRoutes } from './modules/cases/category.routes.ts';
import { evidenceRoutes } from './modules/cases/evidence.routes.ts';
import { routingRoutes } from './modules/cases/routing.routes.ts';
import { bulletinRoutes } from './modules/evaluation/bulletin.routes.ts';
import { dashboardRoutes } from './modules/evaluation/dashboard.routes.ts';
import { indicatorRoutes } from './modules/evaluation/indicator.routes.ts';
import { checkpointRoutes } from './modules/forms/checkpoint.routes.ts';
import { formRoutes } from './modules/forms/form.routes.ts';
import { householdVisitRoutes } from './modules/forms/household-visit.routes.ts';
import { registrationRoutes } from './modules/forms/registration.routes.ts';
import { hotlineRoutes } from './modules/hotline/hotline.routes.ts';
import { inspectionRoutes } from './modules/inspections/inspection.routes.ts';
import { mapRoutes } from './modules/map/map.routes.ts';
import { mediationRoutes } from './modules/mediation/mediation.routes.ts';
import { notificationRoutes } from './modules/notifications/notification.routes.ts';
import { open311AdminRoutes } from './modules/open311/api-key.routes.ts';
import { isOpen311Path, open311NotFound, open311Routes } from './modules/open311/open311.routes.ts';
import { open311OutboundRoutes } from './modules/open311/open311-outbound.routes.ts';
import { partyRoutes } from './modules/party/party.routes.ts';
import { patrolRoutes } from './modules/patrols/patrol.routes.ts';
import { peopleRoutes } from './modules/people/people.routes.ts';
import { portalRoutes } from './modules/portal/portal.routes.ts';
import { registryRoutes } from './modules/registry/registry.routes.ts';
import { territoryRoutes } from './modules/territory/territory.routes.ts';
import { volunteerRoutes } from './modules/volunteers/volunteer.routes.ts';
import { webhookRoutes } from './modules/webhooks/webhook.routes.ts';

export interface BuildAppOptions {
  services: Services;
  config: Config;
  backend: Backend;
  /** The built web console (dist/web); when absent only the API is served. */
  webDir?: string | undefined;
  version: string;
  /** Off unless given; the log never holds personal data (see http/logging.ts). */
  logger?: boolean | { level: string; stream?: LogStream };
  /** Writes one signed-in user may make in this process (default http/write-limit.ts). */
  writeLimit?: WriteLimit;
  /**
   * Where the routes' rate limits count (logins, the portal, Open311): the database on the PostgreSQL server, so
   * that several processes enforce one limit (http/rate-limit-store.ts); unset, each process counts in memory.
   */
  rateLimitStore?: ReturnType<typeof databaseRateLimitStore>;
}

const BODY_LIMIT_BYTES = 50 * 1024 * 1024;
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** A file of the web build's assets/ folder, whose name carries its content hash (vite's default). */
function isHashedAsset(webDir: string | undefined, path: string): boolean {
  return webDir !== undefined && relative(webDir, path).split(sep)[0] === 'assets';
}

/** Builds the HTTP application: used by `main.ts` to listen and by tests through `app.inject()`. */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { services, config } = options;
  const app = Fastify({
    logger:
      options.logger === undefined || options.logger === false
        ? false
        : options.logger === true
          ? loggerOptions('info')
          : loggerOptions(options.logger.level, options.logger.stream),
    bodyLimit: BODY_LIMIT_BYTES,
    // Believing every X-Forwarded-For would let any client pick the address its per-IP limits count under.
    trustProxy: config.trustProxy,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );
  registerErrorHandler(app);
  const webDir = options.webDir;
  const indexHtml = webDir !== undefined ? join(webDir, 'index.html') : undefined;
  const hasWeb = indexHtml !== undefined && existsSync(indexHtml);
  registerSecurityHeaders(app, {
    basemap: services.basemap,
    indexHtml: hasWeb ? readFileSync(indexHtml, 'utf8') : undefined,
  });
  // Answers of 1 KB or more go out brotli- or gzip-compressed when the client accepts it (the API's JSON, the
  // console files that have no precompressed copy); the build's own .br/.gz copies are sent as they are.
  await app.register(compress, { threshold: 1024, encodings: ['br', 'gzip'] });
  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    ...(options.rateLimitStore ? { store: options.rateLimitStore } : {}),
  });
  registerSession(app, services.auth, options.writeLimit ? { writeLimit: options.writeLimit } : {});
  registerInputGuard(app);

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'gridgov API',
        version: options.version,
        description:
          'REST API of gridgov, the platform for grid-based community governance. Errors are ' +
          '`{ error: { code, message, details } }` in the language of Accept-Language (zh-CN or en-US). ' +
          'State-changing requests need the x-csrf-token header from the login answer, and are refused when ' +
          'their Origin (or Referer) names another host. Integers are bounded to 32 bits; text may not hold NUL ' +
          'bytes or lone surrogates.',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'gridgov_session' } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/api/health',
    {
      schema: {
        tags: ['system'],
        response: { 200: z.object({ status: z.literal('ok'), backend: z.string() }) },
      },
    },
    async () => ({ status: 'ok' as const, backend: options.backend }),
  );
  api.get(
    '/api/v1/config',
    {
      schema: { tags: ['system'], summary: 'Public UI configuration', response: { 200: publicConfigSchema } },
    },
    async () => {
      const basemap = await services.basemap.current();
      return {
        basemapUrl: basemap?.url ?? null,
        basemapLabelUrl: basemap?.labelUrl ?? null,
        basemapAttribution: basemap?.attribution ?? null,
        demo: config.loadDemo,
        version: options.version,
      };
    },
  );
  await app.register(peopleRoutes({ ...services, config }), { prefix: '/api/v1' });
  await app.register(territoryRoutes(services.territory), { prefix: '/api/v1' });
  await app.register(
    mapRoutes({ basemap: services.basemap, search: services.mapSearch, registry: services.registry }),
    { prefix: '/api/v1' },
  );
  await app.register(categoryRoutes(services.categories), { prefix: '/api/v1' });
  await app.register(calendarRoutes(services.calendar), { prefix: '/api/v1' });
  await app.register(routingRoutes(services.routing), { prefix: '/api/v1' });
  await app.register(caseRoutes(services.cases), { prefix: '/api/v1' });
  await app.register(evidenceRoutes(services.evidence), { prefix: '/api/v1' });
  await app.register(hotlineRoutes(services.hotline), { prefix: '/api/v1' });
  await app.register(notificationRoutes(services.notifications), { prefix: '/api/v1' });
  await app.register(webhookRoutes(services.webhooks), { prefix: '/api/v1' });
  await app.register(registryRoutes(services.registry, services.registryImports), { prefix: '/api/v1' });
  await app.register(open311AdminRoutes(services.apiKeys, services.open311), { prefix: '/api/v1' });
  await app.register(open311OutboundRoutes(services.open311Outbound), { prefix: '/api/v1' });
  await app.register(inspectionRoutes(services.inspections), { prefix: '/api/v1' });
  await app.register(indicatorRoutes(services.indicators, services.rankings), { prefix: '/api/v1' });
  await app.register(bulletinRoutes(services.bulletins), { prefix: '/api/v1' });
  await app.register(dashboardRoutes(services.dashboard), { prefix: '/api/v1' });
  await app.register(patrolRoutes(services.patrols), { prefix: '/api/v1' });
  await app.register(formRoutes(services.forms), { prefix: '/api/v1' });
  await app.register(mediationRoutes(services.mediation), { prefix: '/api/v1' });
  await app.register(volunteerRoutes(services.volunteers), { prefix: '/api/v1' });
  await app.register(partyRoutes(services.party), { prefix: '/api/v1' });
  await app.register(checkpointRoutes(services.checkpoints), { prefix: '/api/v1' });
  await app.register(householdVisitRoutes(services.householdVisits), { prefix: '/api/v1' });
  await app.register(open311Routes(services.open311, services.apiKeys), { prefix: '/open311' });
  await app.register(portalRoutes(services.portal, { reportsPerHour: config.portalReportsPerHour }), {
    prefix: '/api/v1',
  });
  // The same per-IP budget as the portal's reports: registering is as public and as open to floods.
  await app.register(registrationRoutes(services.registrations, { perHour: config.portalReportsPerHour }), {
    prefix: '/api/v1',
  });

  // Files are looked up per request (wildcard), so a console rebuilt while the server runs is served as is.
  // The build's hashed files under /assets/ never change under their name: browsers keep them for a year;
  // everything else (index.html, sw.js) is asked again each time, so a new build is seen at once.
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: webDir,
      wildcard: true,
      preCompressed: true,
      cacheControl: false,
      setHeaders: (reply, path) => {
        reply.header('Cache-Control', isHashedAsset(webDir, path) ? IMMUTABLE : 'no-cache');
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    // Open311 clients get the spec's error form for any path under /open311 the static files let through.
    if (isOpen311Path(request.url)) return open311NotFound(request, reply);
    // The console is a single-page app: any non-API path is one of its routes.
    if (hasWeb && request.method === 'GET' && !request.url.startsWith('/api')) {
      return reply.sendFile('index.html');
    }
    throw new AppError('NOT_FOUND', {
      entity: ENTITY.route,
      id: `${request.method} ${request.url.split('?')[0]}`,
    });
  });
  return app;
}
