import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createOpen311KeySchema,
  open311KeyCreatedSchema,
  open311KeySchema,
  open311PendingSchema,
  placePendingSchema,
} from '../../../shared/open311.ts';
import { requireActor } from '../../http/session.plugin.ts';
import type { ApiKeyService } from './api-key.service.ts';
import type { Open311Service } from './open311.service.ts';

const tags = ['open311'];

/** Administration of the Open311 server: api keys, and the reports queued for a dispatcher to place. */
export const open311AdminRoutes =
  (keys: ApiKeyService, open311: Open311Service): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/open311/keys',
      {
        schema: {
          tags,
          summary: 'Api keys of Open311 client applications in your scope (administrator)',
          response: { 200: z.array(open311KeySchema) },
        },
      },
      async (request) => keys.listKeys(requireActor(request)),
    );

    app.post(
      '/open311/keys',
      {
        schema: {
          tags,
          summary: 'Issue an api key; the answer carries the key, shown this once',
          body: createOpen311KeySchema,
          response: { 200: open311KeyCreatedSchema },
        },
      },
      async (request) => keys.createKey(requireActor(request), request.body),
    );

    app.post(
      '/open311/keys/:id/revoke',
      {
        schema: {
          tags,
          summary: 'Revoke an api key: the next request with it is refused (403)',
          params: z.object({ id: z.coerce.number().int() }),
          response: { 200: open311KeySchema },
        },
      },
      async (request) => keys.revokeKey(requireActor(request), request.params.id),
    );

    app.get(
      '/open311/pending',
      {
        schema: {
          tags,
          summary: 'Reports sent with an address_string only, waiting to be placed in a grid (dispatcher)',
          response: { 200: z.array(open311PendingSchema) },
        },
      },
      async (request) => open311.listPending(requireActor(request)),
    );

    app.post(
      '/open311/pending/:token/place',
      {
        schema: {
          tags,
          summary: 'Place a queued report by a point or a grid: it becomes a case, and its token resolves',
          params: z.object({ token: z.string() }),
          body: placePendingSchema,
          response: { 200: z.object({ token: z.string(), caseNumber: z.string() }) },
        },
      },
      async (request) => open311.placePending(requireActor(request), request.params.token, request.body),
    );
  };
