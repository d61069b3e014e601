import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { campaignRoutes } from './campaign.routes.ts';
import { checklistRoutes } from './checklist.routes.ts';
import { inspectionDocumentRoutes } from './inspection-documents.routes.ts';
import type { InspectionServices } from './inspection-services.ts';
import { taskBookRoutes } from './task-book.routes.ts';
import { visitRoutes } from './visit.routes.ts';

/** Every route of the inspections module under /api/v1: each part registers its own. */
export const inspectionRoutes =
  (services: InspectionServices): FastifyPluginAsyncZod =>
  async (app) => {
    await app.register(checklistRoutes(services.checklists));
    await app.register(campaignRoutes(services.campaigns, services.campaignResults));
    await app.register(visitRoutes(services.visits));
    await app.register(taskBookRoutes(services.taskBooks));
    await app.register(inspectionDocumentRoutes(services.documents));
  };
