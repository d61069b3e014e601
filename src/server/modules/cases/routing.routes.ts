import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { routingRuleInputSchema, routingRuleSchema } from '../../../shared/routing.ts';
import { requireActor } from '../../http/session.plugin.ts';
import type { RoutingService } from './routing.service.ts';

const tags = ['routing rules'];
const idParams = z.object({ id: z.coerce.number().int() });

export const routingRoutes =
  (routing: RoutingService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/routing-rules',
      {
        schema: {
          tags,
          summary: 'Routing rules in your scope: category × region → lead department (administrator)',
          response: { 200: z.array(routingRuleSchema) },
        },
      },
      async (request) => routing.listRoutingRules(requireActor(request)),
    );

    app.post(
      '/routing-rules',
      {
        schema: {
          tags,
          summary: 'Add a rule; one per category and region',
          body: routingRuleInputSchema,
          response: { 200: routingRuleSchema },
        },
      },
      async (request) => routing.createRoutingRule(requireActor(request), request.body),
    );

    app.put(
      '/routing-rules/:id',
      {
        schema: {
          tags,
          summary: 'Replace a rule’s category, region and department',
          params: idParams,
          body: routingRuleInputSchema,
          response: { 200: routingRuleSchema },
        },
      },
      async (request) => routing.updateRoutingRule(requireActor(request), request.params.id, request.body),
    );

    app.delete(
      '/routing-rules/:id',
      { schema: { tags, summary: 'Delete a rule', params: idParams } },
      async (request, reply) => {
        await routing.deleteRoutingRule(requireActor(request), request.params.id);
        return reply.status(204).send();
      },
    );
  };
