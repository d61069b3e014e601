import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createOpen311EndpointSchema,
  open311EndpointSchema,
  open311OutboundSchema,
  outboundListQuerySchema,
  updateOpen311EndpointSchema,
} from '../../../shared/open311.ts';
import { requireActor } from '../../http/session.plugin.ts';
import type { Open311OutboundService } from './open311-outbound.service.ts';

const tags = ['open311'];
const idParams = z.object({ id: z.coerce.number().int() });

/** Open311 outbound (administrator): remote GeoReport v2 endpoints of departments, and the cases sent there. */
export const open311OutboundRoutes =
  (service: Open311OutboundService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/open311/endpoints',
      {
        schema: {
          tags,
          summary: 'Remote Open311 endpoints cases are sent to (administrator); api keys masked',
          response: { 200: z.array(open311EndpointSchema) },
        },
      },
      async (request) => service.listEndpoints(requireActor(request)),
    );

    app.post(
      '/open311/endpoints',
      {
        schema: {
          tags,
          summary: "Add a department's remote Open311 endpoint",
          body: createOpen311EndpointSchema,
          response: { 200: open311EndpointSchema },
        },
      },
      async (request) => service.createEndpoint(requireActor(request), request.body),
    );

    app.patch(
      '/open311/endpoints/:id',
      {
        schema: {
          tags,
          summary: 'Change an endpoint: name, department, URL, api key, jurisdiction, categories, active',
          params: idParams,
          body: updateOpen311EndpointSchema,
          response: { 200: open311EndpointSchema },
        },
      },
      async (request) => service.updateEndpoint(requireActor(request), request.params.id, request.body),
    );

    app.delete(
      '/open311/endpoints/:id',
      { schema: { tags, summary: 'Delete an endpoint and its send log', params: idParams } },
      async (request, reply) => {
        await service.deleteEndpoint(requireActor(request), request.params.id);
        return reply.status(204).send();
      },
    );

    app.get(
      '/open311/outbound',
      {
        schema: {
          tags,
          summary: 'Cases sent to remote endpoints, newest first: status, attempts, last error',
          querystring: outboundListQuerySchema,
          response: { 200: z.array(open311OutboundSchema) },
        },
      },
      async (request) => service.listOutbound(requireActor(request), request.query),
    );

    app.post(
      '/open311/outbound/:id/retry',
      {
        schema: {
          tags,
          summary: 'Attempt a failed or dead send again now',
          params: idParams,
          response: { 200: open311OutboundSchema },
        },
      },
      async (request) => service.retryOutbound(requireActor(request), request.params.id),
    );
  };
