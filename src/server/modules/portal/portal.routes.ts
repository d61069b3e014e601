import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  formTokenSchema,
  MAX_PORTAL_PHOTOS,
  portalCategorySchema,
  portalRatingSchema,
  portalReportAnswerSchema,
  portalReportSchema,
  publicTicketSchema,
  ticketNoSchema,
} from '../../../shared/portal.ts';
import { acceptPhotoBodies, photoBody } from '../../http/photo-body.ts';
import type { PortalService } from './portal.service.ts';

const tags = ['public portal'];
const ticketParams = z.object({ ticketNo: ticketNoSchema });
/** Per client IP address; over the limit the answer is 429 RATE_LIMITED with Retry-After. */
const perIp = (max: number, timeWindow: string) => ({ rateLimit: { max, timeWindow } });
/**
 * The largest report body: a 1,000-character description and 50 extra fields fit many times over. Anonymous
 * bodies are refused at this size instead of the server's general limit, before any of them is parsed.
 */
const REPORT_BODY_LIMIT = 256 * 1024;
const RATING_BODY_LIMIT = 16 * 1024;

/**
 * The resident portal's API under /api/v1/public: no session. The session plugin lets its POSTs through
 * without a CSRF token (there is no session to carry one); every write is limited per IP address instead, and
 * a report must pass the honeypot and the form token (portal.service.ts).
 */
export const portalRoutes =
  (portal: PortalService, limits: { reportsPerHour: number }): FastifyPluginAsyncZod =>
  async (app) => {
    acceptPhotoBodies(app);
    const security: [] = [];

    app.get(
      '/public/categories',
      {
        schema: {
          tags,
          security,
          summary: 'What a resident may report: public, active minor classes',
          response: { 200: z.array(portalCategorySchema) },
        },
        config: perIp(120, '1 minute'),
      },
      async () => portal.listCategories(),
    );

    app.get(
      '/public/grids',
      {
        schema: {
          tags,
          security,
          summary: 'Leaf grids as GeoJSON for the report map (boundaries and names only)',
        },
        config: perIp(30, '1 minute'),
      },
      async (_request, reply) =>
        reply
          .type('application/geo+json')
          .header('cache-control', 'public, max-age=300')
          .send(await portal.listGrids()),
    );

    app.get(
      '/public/form-token',
      {
        schema: {
          tags,
          security,
          summary: 'A signed token for the report form; a report sent less than 3 s after it is refused',
          response: { 200: formTokenSchema },
        },
        config: perIp(60, '1 minute'),
      },
      async (_request, reply) => reply.header('cache-control', 'no-store').send(await portal.formToken()),
    );

    app.post(
      '/public/photos',
      {
        schema: {
          tags,
          security,
          summary: `Upload a photo for a report (JPEG, PNG or WebP, ≤ 10 MB, raw body; up to ${MAX_PORTAL_PHOTOS} a report)`,
          response: { 200: z.object({ id: z.string() }) },
        },
        config: perIp(limits.reportsPerHour * MAX_PORTAL_PHOTOS, '1 hour'),
      },
      async (request) => portal.uploadPhoto(photoBody(request.body)),
    );

    app.post(
      '/public/reports',
      {
        schema: {
          tags,
          security,
          summary: 'Report a problem; answers the ticket number (the case number) and the rating key',
          body: portalReportSchema,
          response: { 200: portalReportAnswerSchema },
        },
        config: perIp(limits.reportsPerHour, '1 hour'),
        bodyLimit: REPORT_BODY_LIMIT,
      },
      async (request) => portal.report(request.body, request.locale),
    );

    app.get(
      '/public/tickets/:ticketNo',
      {
        schema: {
          tags,
          security,
          summary:
            'Follow a report: stage, public timeline, department, public photos — nothing of the reporter',
          params: ticketParams,
          response: { 200: publicTicketSchema },
        },
        config: perIp(60, '1 minute'),
      },
      async (request, reply) =>
        reply
          .header('cache-control', 'no-store')
          .send(await portal.getTicket(request.params.ticketNo, request.locale)),
    );

    app.get(
      '/public/tickets/:ticketNo/photos/:photoId',
      {
        schema: {
          tags,
          security,
          summary: 'A public photo of a ticket, without its metadata, or its thumbnail (?variant=thumbnail)',
          params: ticketParams.extend({ photoId: z.string().regex(/^[0-9a-f]{64}$/) }),
          querystring: z.object({ variant: z.enum(['original', 'thumbnail']).default('original') }),
        },
        config: perIp(240, '1 minute'),
      },
      async (request, reply) => {
        const { ticketNo, photoId } = request.params;
        const file = await portal.readPhoto(ticketNo, photoId, request.query.variant);
        // Not cached by shared caches: staff may hide the photo at any time.
        return reply.type(file.mime).header('cache-control', 'private, max-age=300').send(file.bytes);
      },
    );

    app.post(
      '/public/tickets/:ticketNo/rating',
      {
        schema: {
          tags,
          security,
          summary:
            'Rate the handling (1–5) once the case is closed; once, with the rating key from the report',
          params: ticketParams,
          body: portalRatingSchema,
          response: { 200: publicTicketSchema },
        },
        config: perIp(20, '1 hour'),
        bodyLimit: RATING_BODY_LIMIT,
      },
      async (request) => portal.rate(request.params.ticketNo, request.body, request.locale),
    );
  };
