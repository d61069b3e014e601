import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  myReinspectionSchema,
  recordVisitSchema,
  reinspectSchema,
  visitDetailSchema,
} from '../../../shared/visits.ts';
import { requireActor } from '../../http/session.plugin.ts';
import type { VisitService } from './visit.service.ts';

const tags = ['inspections'];
const idParams = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647) });

export const visitRoutes =
  (visits: VisitService): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/campaigns/:id/visits',
      {
        schema: {
          tags,
          summary:
            'Record a visit (检查记录) of a target: scored, numbered as a rectification notice, each failed item a rectification case; idempotent by clientKey',
          params: idParams,
          body: recordVisitSchema,
          response: { 200: visitDetailSchema },
        },
      },
      async (request) => visits.recordVisit(requireActor(request), request.params.id, request.body),
    );

    app.get(
      '/visits/:id',
      {
        schema: {
          tags,
          summary:
            'A visit with its answers, score, veto and rectification cases: the content of its rectification notice',
          params: idParams,
          response: { 200: visitDetailSchema },
        },
      },
      async (request) => visits.getVisit(requireActor(request), request.params.id),
    );

    app.get(
      '/inspections/my-reinspections',
      {
        schema: {
          tags,
          summary:
            'Failed items of the campaigns you inspect or organise whose rectification awaits verification: the re-inspections (回头看) to make',
          response: { 200: z.array(myReinspectionSchema) },
        },
      },
      async (request) => visits.myReinspections(requireActor(request)),
    );

    app.post(
      '/visits/:id/items/:itemKey/reinspect',
      {
        schema: {
          tags,
          summary:
            'Re-inspect (回头看) a failed item whose case awaits verification: pass closes the case, fail sends it back to rework',
          params: idParams.extend({ itemKey: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z.\-_]{0,19}$/) }),
          body: reinspectSchema,
          response: { 200: visitDetailSchema },
        },
      },
      async (request) =>
        visits.reinspect(requireActor(request), request.params.id, request.params.itemKey, request.body),
    );
  };
