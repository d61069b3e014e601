import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { satisfactionIndicatorSchema, satisfactionQuerySchema } from '../../../shared/evaluation.ts';
import { requireActor } from '../../http/session.plugin.ts';
import type { IndicatorService } from './indicator.service.ts';

const tags = ['evaluation'];

/** Indicators (考核指标): figures of the reader's scope over a period. */
export const indicatorRoutes =
  (service: IndicatorService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/indicators/satisfaction',
      {
        schema: {
          tags,
          summary:
            'Satisfaction (满意度评价) of resident-reported cases closed in a period, per lead department or child region',
          querystring: satisfactionQuerySchema,
          response: { 200: satisfactionIndicatorSchema },
        },
      },
      async (request) => service.getSatisfaction(requireActor(request), request.query),
    );
  };
