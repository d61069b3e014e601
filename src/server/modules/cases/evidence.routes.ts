import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { evidenceSchema } from '../../../shared/cases.ts';
import { acceptPhotoBodies, photoBody } from '../../http/photo-body.ts';
import { requireActor } from '../../http/session.plugin.ts';
import type { EvidenceService } from './evidence.service.ts';

const tags = ['cases'];

export const evidenceRoutes =
  (evidence: EvidenceService): FastifyPluginAsyncZod =>
  async (app) => {
    acceptPhotoBodies(app);

    app.post(
      '/evidence',
      {
        schema: {
          tags,
          summary:
            'Upload a photo (JPEG, PNG or WebP, ≤ 10 MB) as the raw body; returns its id (SHA-256) and the ' +
            'time and place its EXIF records',
          response: { 200: evidenceSchema },
        },
      },
      async (request) => {
        const actor = requireActor(request);
        return evidence.uploadEvidence(actor, photoBody(request.body));
      },
    );

    app.get(
      '/evidence/:id',
      {
        schema: {
          tags,
          summary: 'Download a photo, or its thumbnail (JPEG, at most 320 px) with ?variant=thumbnail',
          description:
            'Only for who may read a case whose history names the photo, or its uploader (404 otherwise). The ' +
            'original keeps its EXIF (GPS, camera) for dispatchers, inspectors and administrators only; others ' +
            'get it without metadata. `caseId` names the case the photo is shown with, to check it quickly; ' +
            '`visitId` the inspection visit, whose readers may see the photos it names.',
          params: z.object({ id: z.string().regex(/^[0-9a-f]{64}$/) }),
          querystring: z.object({
            variant: z.enum(['original', 'thumbnail']).default('original'),
            caseId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
            visitId: z.coerce.number().int().positive().max(2_147_483_647).optional(),
          }),
        },
      },
      async (request, reply) => {
        const actor = requireActor(request);
        const file = await evidence.readEvidence(actor, request.params.id, {
          variant: request.query.variant,
          caseId: request.query.caseId,
          visitId: request.query.visitId,
        });
        // Checked on every request: a cached copy would outlive a permission (a case dispatched elsewhere, the
        // next user of a shared browser). The tag spares the bytes when the answer has not changed.
        reply.header('cache-control', 'private, no-cache').header('etag', file.etag).header('vary', 'cookie');
        if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
        return reply.type(file.mime).send(file.bytes);
      },
    );
  };
