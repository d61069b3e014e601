import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  BULLETIN_FORMATS,
  bulletinGenerateSchema,
  bulletinListQuerySchema,
  bulletinPageSchema,
  bulletinPublishSchema,
  bulletinSchema,
  bulletinUpdateSchema,
} from '../../../shared/bulletins.ts';
import { requireActor } from '../../http/session.plugin.ts';
import type { BulletinService } from './bulletin.service.ts';

const tags = ['evaluation'];
const idParams = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647) });
const FORMAT_NAMES = {
  docx: 'Word (.docx), laid out as an official document',
  pdf: 'PDF',
  xlsx: 'XLSX (its tables)',
};

/** RFC 5987: percent-encoded UTF-8, including the characters encodeURIComponent leaves but attr-char excludes. */
const rfc5987 = (name: string) =>
  encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Bulletins (通报): generate from the rankings, edit the prose, publish (frozen), download. */
export const bulletinRoutes =
  (service: BulletinService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/bulletins',
      {
        schema: {
          tags,
          summary: 'Bulletins (通报) of your area and the areas within it, newest first',
          querystring: bulletinListQuerySchema,
          response: { 200: bulletinPageSchema },
        },
      },
      async (request) => service.list(requireActor(request), request.query),
    );
    app.post(
      '/bulletins',
      {
        schema: {
          tags,
          summary:
            'Generate a draft bulletin for a period (default last week, Monday–Sunday) and an area in your scope, numbered per area and year',
          body: bulletinGenerateSchema,
          response: { 201: bulletinSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await service.generate(requireActor(request), request.body)),
    );
    app.get(
      '/bulletins/:id',
      {
        schema: {
          tags,
          summary: 'One bulletin: its prose and its figures',
          params: idParams,
          response: { 200: bulletinSchema },
        },
      },
      async (request) => service.get(requireActor(request), request.params.id),
    );
    app.patch(
      '/bulletins/:id',
      {
        schema: {
          tags,
          summary:
            "Edit a draft's prose (title, office, headline, closing); a published bulletin is frozen (409)",
          params: idParams,
          body: bulletinUpdateSchema,
          response: { 200: bulletinSchema },
        },
      },
      async (request) => service.update(requireActor(request), request.params.id, request.body),
    );
    app.post(
      '/bulletins/:id/publish',
      {
        schema: {
          tags,
          summary:
            'Publish a draft: its content and text are frozen, and its files are the same bytes whenever made',
          params: idParams,
          body: bulletinPublishSchema,
          response: { 200: bulletinSchema },
        },
      },
      async (request) => service.publish(requireActor(request), request.params.id, request.body.version),
    );
    for (const format of BULLETIN_FORMATS) {
      app.get(
        `/bulletins/:id/bulletin.${format}`,
        { schema: { tags, summary: `The bulletin as ${FORMAT_NAMES[format]}`, params: idParams } },
        async (request, reply) => {
          const file = await service.document(requireActor(request), request.params.id, format);
          return reply
            .type(file.contentType)
            .header(
              'content-disposition',
              `attachment; filename="${file.asciiName}"; filename*=UTF-8''${rfc5987(file.fileName)}`,
            )
            .send(file.bytes);
        },
      );
    }
  };
