import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  endPatrolSchema,
  gridDayListSchema,
  gridDayQuerySchema,
  MAX_POINTS_PER_BATCH,
  patrolDetailSchema,
  patrolKeySchema,
  patrolListQuerySchema,
  patrolPageSchema,
  patrolSummarySchema,
  pointBatchSchema,
  regionQuerySchema,
  startPatrolSchema,
  todayTracksSchema,
  unpatrolledListSchema,
} from '../../../shared/patrols.ts';
import { requireActor } from '../../http/session.plugin.ts';
import type { PatrolService } from './patrol.service.ts';

const tags = ['patrols'];
const idParams = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647) });
const keyParams = z.object({ key: patrolKeySchema });

/** Daily patrols (日巡查): the phone's writes by the patrol's client key, and the console's reads. */
export const patrolRoutes =
  (service: PatrolService): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/patrols',
      {
        schema: {
          tags,
          summary:
            'Start a patrol (grid workers). Replaying the same client key answers with the same patrol',
          body: startPatrolSchema,
          response: { 201: patrolSummarySchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await service.startPatrol(requireActor(request), request.body)),
    );

    app.post(
      '/patrols/:key/points',
      {
        schema: {
          tags,
          summary: `Upload recorded points (at most ${MAX_POINTS_PER_BATCH}); a point already stored (same seq) is skipped`,
          description:
            'Refused with 400 naming the point (points.3.at) when its time is more than 5 minutes ahead of the ' +
            "server's clock, before the patrol's start, or after its end. The patrol's figures are recomputed.",
          params: keyParams,
          body: pointBatchSchema,
          response: {
            200: z.object({
              stored: z.number().int(),
              duplicates: z.number().int(),
              patrol: patrolSummarySchema,
            }),
          },
        },
      },
      async (request) => service.addPoints(requireActor(request), request.params.key, request.body),
    );

    app.post(
      '/patrols/:key/end',
      {
        schema: {
          tags,
          summary: 'End a patrol; ending it again keeps the first end',
          params: keyParams,
          body: endPatrolSchema,
          response: { 200: patrolSummarySchema },
        },
      },
      async (request) => service.endPatrol(requireActor(request), request.params.key, request.body),
    );

    app.get(
      '/patrols',
      {
        schema: {
          tags,
          summary:
            'The patrol log (巡查日志): patrols in your scope (a grid worker: their own), newest first',
          querystring: patrolListQuerySchema,
          response: { 200: patrolPageSchema },
        },
      },
      async (request) => service.listPatrols(requireActor(request), request.query),
    );

    app.get(
      '/patrols/grid-days',
      {
        schema: {
          tags,
          summary:
            'Per leaf grid with a grid worker and day: patrolled or not, time, distance, coverage, problems',
          querystring: gridDayQuerySchema,
          response: { 200: gridDayListSchema },
        },
      },
      async (request) => service.gridDays(requireActor(request), request.query),
    );

    app.get(
      '/patrols/unpatrolled',
      {
        schema: {
          tags,
          summary: 'Leaf grids with a grid worker in your scope not patrolled today (Asia/Shanghai)',
          querystring: regionQuerySchema,
          response: { 200: unpatrolledListSchema },
        },
      },
      async (request) => service.unpatrolledToday(requireActor(request), request.query),
    );

    app.get(
      '/patrols/today-tracks',
      {
        schema: {
          tags,
          summary: "Today's patrol tracks in your scope, as GeoJSON lines",
          querystring: regionQuerySchema,
          response: { 200: todayTracksSchema },
        },
      },
      async (request) => service.todayTracks(requireActor(request), request.query),
    );

    app.get(
      '/patrols/:id',
      {
        schema: {
          tags,
          summary: 'One patrol with its thinned track, per-grid figures and the problems reported during it',
          params: idParams,
          response: { 200: patrolDetailSchema },
        },
      },
      async (request) => service.getPatrol(requireActor(request), request.params.id),
    );
  };
