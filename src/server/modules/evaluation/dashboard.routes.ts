import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  dashboardQuerySchema,
  dashboardSchema,
  dashboardSettingsAnswerSchema,
  dashboardSettingsSchema,
} from '../../../shared/dashboard.ts';
import { requireActor } from '../../http/session.plugin.ts';
import type { DashboardService } from './dashboard.service.ts';

const tags = ['evaluation'];

/** The leader's dashboard (数读 / 大屏) and the key figures an administrator pins on it. */
export const dashboardRoutes =
  (service: DashboardService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/dashboard',
      {
        schema: {
          tags,
          summary:
            "The dashboard (数读): today's and this month's figures, a 30-day trend, open cases on the map, hot spots, sources and the month's ranking, in one answer",
          querystring: dashboardQuerySchema,
          response: { 200: dashboardSchema },
        },
      },
      async (request) => service.getDashboard(requireActor(request), request.query),
    );
    app.get(
      '/dashboard/settings',
      {
        schema: {
          tags,
          summary: "The key figures pinned on the dashboard of the reader's scope",
          response: { 200: dashboardSettingsAnswerSchema },
        },
      },
      async (request) => service.getSettings(requireActor(request)),
    );
    app.put(
      '/dashboard/settings',
      {
        schema: {
          tags,
          summary: "Pins key figures (any indicators) on the dashboard of the administrator's scope",
          body: dashboardSettingsSchema,
          response: { 200: dashboardSettingsAnswerSchema },
        },
      },
      async (request) => service.saveSettings(requireActor(request), request.body),
    );
  };
