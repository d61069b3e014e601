import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createWebhookSchema,
  deliveryListQuerySchema,
  deliveryPageSchema,
  deliverySchema,
  updateWebhookSchema,
  webhookCreatedSchema,
  webhookSchema,
} from '../../../shared/webhooks.ts';
import { requireActor } from '../../http/session.plugin.ts';
import type { WebhookService } from './webhook.service.ts';

const tags = ['webhooks'];
const idParams = z.object({ id: z.coerce.number().int() });
const deliveryParams = idParams.extend({ deliveryId: z.uuid() });

export const webhookRoutes =
  (webhooks: WebhookService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/webhooks',
      {
        schema: {
          tags,
          summary: 'Webhooks in your scope (administrator)',
          response: { 200: z.array(webhookSchema) },
        },
      },
      async (request) => webhooks.listWebhooks(requireActor(request)),
    );

    app.post(
      '/webhooks',
      {
        schema: {
          tags,
          summary: 'Create a webhook; the answer carries its secret, shown this once',
          body: createWebhookSchema,
          response: { 200: webhookCreatedSchema },
        },
      },
      async (request) => webhooks.createWebhook(requireActor(request), request.body),
    );

    app.get(
      '/webhooks/:id',
      { schema: { tags, summary: 'One webhook', params: idParams, response: { 200: webhookSchema } } },
      async (request) => webhooks.getWebhook(requireActor(request), request.params.id),
    );

    app.patch(
      '/webhooks/:id',
      {
        schema: {
          tags,
          summary: 'Change a webhook: name, URL, events, active, or a new secret',
          params: idParams,
          body: updateWebhookSchema,
          response: { 200: webhookSchema },
        },
      },
      async (request) => webhooks.updateWebhook(requireActor(request), request.params.id, request.body),
    );

    app.delete(
      '/webhooks/:id',
      { schema: { tags, summary: 'Delete a webhook and its delivery log', params: idParams } },
      async (request, reply) => {
        await webhooks.deleteWebhook(requireActor(request), request.params.id);
        return reply.status(204).send();
      },
    );

    app.get(
      '/webhooks/:id/deliveries',
      {
        schema: {
          tags,
          summary: 'The delivery log of a webhook, newest first: status, attempts, last error',
          params: idParams,
          querystring: deliveryListQuerySchema,
          response: { 200: deliveryPageSchema },
        },
      },
      async (request) => webhooks.listDeliveries(requireActor(request), request.params.id, request.query),
    );

    app.post(
      '/webhooks/:id/test',
      {
        schema: {
          tags,
          summary: 'Send a webhook.test event now; answers with the delivery and how it went',
          params: idParams,
          response: { 200: deliverySchema },
        },
      },
      async (request) => webhooks.sendTestEvent(requireActor(request), request.params.id),
    );

    app.post(
      '/webhooks/:id/deliveries/:deliveryId/retry',
      {
        schema: {
          tags,
          summary: 'Attempt a failed or dead delivery again now',
          params: deliveryParams,
          response: { 200: deliverySchema },
        },
      },
      async (request) =>
        webhooks.retryDelivery(requireActor(request), request.params.id, request.params.deliveryId),
    );
  };
