import type { FastifyReply } from 'fastify';

/** A generated document as it is downloaded: bytes, type, and its name (Chinese, with an ASCII fallback). */
export interface DownloadedDocument {
  bytes: Buffer | Uint8Array;
  contentType: string;
  fileName: string;
  asciiName: string;
}

/** RFC 5987: percent-encoded UTF-8, including the characters encodeURIComponent leaves but attr-char excludes. */
const rfc5987 = (name: string) =>
  encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Sends a generated document (PDF, Word) as an attachment whose Chinese name survives every browser. */
export function sendDocument(reply: FastifyReply, file: DownloadedDocument): FastifyReply {
  return reply
    .type(file.contentType)
    .header(
      'content-disposition',
      `attachment; filename="${file.asciiName}"; filename*=UTF-8''${rfc5987(file.fileName)}`,
    )
    .send(file.bytes);
}
