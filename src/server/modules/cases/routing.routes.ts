import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { routingRuleInputSchema, routingRuleSchema } from '../../../shared/routing.ts';
import { requireActor } from '../../http/session.plugin.ts';
import type { RoutingService } from './routing.service.ts';

const tags = ['routing rules'];
// Who may call: administrators, for rules whose region lies inside their scope (a village administrator
// keeps the village's rules; the town's rules are the town administrator's). Refused with 403 otherwise.
const IN_SCOPE = 'Administrator; the rule’s region (before and after a change) must lie inside their scope.';
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
          description: IN_SCOPE,
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
          description: IN_SCOPE,
          params: idParams,
          body: routingRuleInputSchema,
          response: { 200: routingRuleSchema },
        },
      },
      async (request) => routing.updateRoutingRule(requireActor(request), request.params.id, request.body),
    );

    app.delete(
      '/routing-rules/:id',
      { schema: { tags, summary: 'Delete a rule', description: IN_SCOPE, params: idParams } },
      async (request, reply) => {
        await routing.deleteRoutingRule(requireActor(request), request.params.id);
        return reply.status(204).send();
      },
    );
  };
