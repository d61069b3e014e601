import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { evidenceSchema } from '../../../shared/cases.ts';
import { AppError } from '../../errors.ts';
import { requireActor } from '../../http/session.plugin.ts';
import { type EvidenceService, MAX_EVIDENCE_BYTES } from './evidence.service.ts';
import { EVIDENCE_TYPES } from './evidence-store.ts';

const tags = ['cases'];

/** Photo uploads send the photo as the request body itself; its type is checked from its bytes, not the header. */
export function acceptPhotoBodies(app: FastifyInstance): void {
  app.addContentTypeParser(
    [...EVIDENCE_TYPES, 'application/octet-stream'],
    { parseAs: 'buffer', bodyLimit: MAX_EVIDENCE_BYTES + 1 },
    (_request, body, done) => done(null, body),
  );
}

/** The body of a photo upload, or a refusal when something else was sent. */
export function photoBody(body: unknown): Buffer {
  if (!Buffer.isBuffer(body)) {
    throw new AppError('VALIDATION_FAILED', {
      summary: { zh: '请以图片文件作为请求体上传', en: 'send the image file as the request body' },
    });
  }
  return body;
}

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
            'get it without metadata. `caseId` names the case the photo is shown with, to check it quickly.',
          params: z.object({ id: z.string().regex(/^[0-9a-f]{64}$/) }),
          querystring: z.object({
            variant: z.enum(['original', 'thumbnail']).default('original'),
            caseId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
          }),
        },
      },
      async (request, reply) => {
        const actor = requireActor(request);
        const file = await evidence.readEvidence(actor, request.params.id, {
          variant: request.query.variant,
          caseId: request.query.caseId,
        });
        // Checked on every request: a cached copy would outlive a permission (a case dispatched elsewhere, the
        // next user of a shared browser). The tag spares the bytes when the answer has not changed.
        reply.header('cache-control', 'private, no-cache').header('etag', file.etag).header('vary', 'cookie');
        if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
        return reply.type(file.mime).send(file.bytes);
      },
    );
  };
