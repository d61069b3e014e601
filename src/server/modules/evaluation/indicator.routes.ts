import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { satisfactionIndicatorSchema, satisfactionQuerySchema } from '../../../shared/evaluation.ts';
import {
  drillQuerySchema,
  drillSchema,
  inspectionVisitsSchema,
  patrolGridsSchema,
  rankingQuerySchema,
  rankingSchema,
  schemeInputSchema,
  schemeSchema,
  unitFigureQuerySchema,
} from '../../../shared/indicators.ts';
import { requireActor } from '../../http/session.plugin.ts';
import type { IndicatorService } from './indicator.service.ts';
import type { RankingService } from './ranking.service.ts';

const tags = ['evaluation'];

/** Indicators (考核指标): figures of the reader's scope over a period. */
export const indicatorRoutes =
  (service: IndicatorService, rankings: RankingService): FastifyPluginAsyncZod =>
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
    app.get(
      '/indicators/ranking',
      {
        schema: {
          tags,
          summary:
            'Ranking (排名) of villages, grids or departments over a period by the composite score or one indicator, with the previous period beside it',
          querystring: rankingQuerySchema,
          response: { 200: rankingSchema },
        },
      },
      async (request) => rankings.getRanking(requireActor(request), request.query),
    );
    app.get(
      '/indicators/cases',
      {
        schema: {
          tags,
          summary:
            'The cases behind one count of a unit over a period: its total is the count the ranking shows',
          querystring: drillQuerySchema,
          response: { 200: drillSchema },
        },
      },
      async (request) => rankings.drill(requireActor(request), request.query),
    );
    app.get(
      '/indicators/patrol-grids',
      {
        schema: {
          tags,
          summary: "The grid-days behind a village's or grid's patrol coverage (巡查覆盖率) over a period",
          querystring: unitFigureQuerySchema,
          response: { 200: patrolGridsSchema },
        },
      },
      async (request) => rankings.patrolGrids(requireActor(request), request.query),
    );
    app.get(
      '/indicators/inspection-visits',
      {
        schema: {
          tags,
          summary: "The inspection visits behind a village's or grid's score rate (检查得分率) over a period",
          querystring: unitFigureQuerySchema,
          response: { 200: inspectionVisitsSchema },
        },
      },
      async (request) => rankings.inspectionVisits(requireActor(request), request.query),
    );
    app.get(
      '/indicators/schemes',
      { schema: { tags, summary: "Versions of the composite score's weights, newest first" } },
      async (request) => rankings.listSchemes(requireActor(request)),
    );
    app.post(
      '/indicators/schemes',
      {
        schema: {
          tags,
          summary: "A new version of the composite score's components and weights (administrator)",
          body: schemeInputSchema,
          response: { 201: schemeSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await rankings.createScheme(requireActor(request), request.body)),
    );
  };
