import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendDocument } from '../../http/send-document.ts';
import { requireActor } from '../../http/session.plugin.ts';
import type { DocumentFormat, InspectionDocumentService } from './inspection-documents.service.ts';

const tags = ['inspections'];
const idParams = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647) });
const FORMATS: readonly DocumentFormat[] = ['pdf', 'docx'];

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
