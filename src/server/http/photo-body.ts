import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';
import { MAX_EVIDENCE_BYTES } from '../modules/cases/evidence.service.ts';
import { EVIDENCE_TYPES } from '../modules/cases/evidence-store.ts';

// Photo uploads, by staff (evidence) and by residents (the portal), share how a photo travels over HTTP.

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
