import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../http/session.plugin.ts';
import type {
  DocumentFormat,
  InspectionDocumentService,
  PrintedDocument,
} from './inspection-documents.service.ts';

const tags = ['inspections'];
const idParams = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647) });
const FORMATS: readonly DocumentFormat[] = ['pdf', 'docx'];

/** RFC 5987: percent-encoded UTF-8, including the characters encodeURIComponent leaves but attr-char excludes. */
const rfc5987 = (name: string) =>
  encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function sendDocument(reply: FastifyReply, file: PrintedDocument): FastifyReply {
  return reply
    .type(file.contentType)
    .header(
      'content-disposition',
      `attachment; filename="${file.asciiName}"; filename*=UTF-8''${rfc5987(file.fileName)}`,
    )
    .send(file.bytes);
}

/** The printable documents: a visit's inspection opinion and a campaign's report, as PDF or Word. */
export const inspectionDocumentRoutes =
  (documents: InspectionDocumentService): FastifyPluginAsyncZod =>
  async (app) => {
    for (const format of FORMATS) {
      app.get(
        `/visits/:id/opinion.${format}`,
        {
          schema: {
            tags,
            summary: `The visit's inspection opinion (检查意见书) as ${format === 'pdf' ? 'PDF' : 'Word (.docx)'}: every failed item with its deadline and rectification case`,
            params: idParams,
          },
        },
        async (request, reply) =>
          sendDocument(reply, await documents.opinion(requireActor(request), request.params.id, format)),
      );
      app.get(
        `/campaigns/:id/report.${format}`,
        {
          schema: {
            tags,
            summary: `The campaign's report (专项检查情况报告) as ${format === 'pdf' ? 'PDF' : 'Word (.docx)'}, numbered when first printed; a viewer who does not run the campaign gets the targets in their scope`,
            params: idParams,
          },
        },
        async (request, reply) =>
          sendDocument(
            reply,
            await documents.campaignReport(requireActor(request), request.params.id, format),
          ),
      );
    }
  };
