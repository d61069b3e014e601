import { Busboy } from '@fastify/busboy';
import { MAX_EVIDENCE_BYTES } from '../cases/evidence.service.ts';
import { Open311Error } from './open311.service.ts';
import { checkText, MAX_PARAMS, Open311Form } from './open311-params.ts';

/** Photos one report may carry (each kept as evidence, at most 10 MB). */
export const MAX_PHOTOS = 3;
/** The largest multipart body: the photos and a form's worth of arguments. */
export const MULTIPART_BODY_LIMIT = MAX_PHOTOS * MAX_EVIDENCE_BYTES + 1024 * 1024;

const t = (zh: string, en: string) => ({ zh, en });

const malformed = (what: string) =>
  new Open311Error(
    400,
    t(`multipart/form-data 请求体格式错误：${what}`, `Malformed multipart/form-data body: ${what}`),
  );
const tooManyParts = () =>
  new Open311Error(400, t(`参数过多（最多 ${MAX_PARAMS} 个）`, `Too many arguments (at most ${MAX_PARAMS})`));
const tooManyPhotos = () =>
  new Open311Error(400, t(`照片最多 ${MAX_PHOTOS} 张`, `At most ${MAX_PHOTOS} photos`));
const tooLarge = () =>
  new Open311Error(
    400,
    t(
      `照片不能超过 ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB`,
      `A photo may not exceed ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB`,
    ),
  );

/**
 * Parses a multipart/form-data body (RFC 7578, with busboy), as clients that upload a photo with a report send
 * it: text parts become arguments like a form's, file parts (those with a filename) photos. Bounded like a form:
 * at most MAX_PARAMS parts, MAX_PHOTOS non-empty files of at most MAX_EVIDENCE_BYTES each.
 */
export function parseMultipart(body: Buffer, contentType: string): Promise<Open311Form> {
  return new Promise((resolve, reject) => {
    let parser: ReturnType<typeof Busboy>;
    try {
      parser = Busboy({
        headers: { 'content-type': contentType },
        // One more than allowed of each, so that going over is seen (busboy drops the rest quietly).
        limits: { parts: MAX_PARAMS + 1, files: MAX_PHOTOS + 1, fileSize: MAX_EVIDENCE_BYTES },
      });
    } catch {
      reject(malformed('boundary'));
      return;
    }
    const entries: [string, string][] = [];
    const files: Buffer[] = [];
    let failure: Open311Error | null = null;
    const fail = (error: Open311Error) => {
      failure ??= error;
    };
    parser.on('field', (name, value) => {
      try {
        checkText(name, name);
        checkText(name, value);
        entries.push([name, value]);
      } catch (error) {
        fail(error as Open311Error);
      }
    });
    parser.on('file', (_name, stream) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => fail(tooLarge()));
      stream.on('end', () => {
        const data = Buffer.concat(chunks);
        // An empty file input (a form sent without choosing a photo) is no photo.
        if (data.length === 0) return;
        if (files.length >= MAX_PHOTOS) fail(tooManyPhotos());
        else files.push(data);
      });
    });
    parser.on('partsLimit', () => fail(tooManyParts()));
    parser.on('filesLimit', () => fail(tooManyPhotos()));
    parser.on('error', () => reject(failure ?? malformed('parts')));
    parser.on('finish', () => {
      if (failure) reject(failure);
      else resolve(new Open311Form(entries, files));
    });
    parser.end(body);
  });
}
