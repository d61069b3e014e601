import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  categoryAttributesSchema,
  categorySchema,
  categoryTreeSchema,
  createCategorySchema,
  updateCategorySchema,
} from '../../../shared/cases.ts';
import { importReportSchema } from '../../../shared/territory.ts';
import { requireActor } from '../../http/session.plugin.ts';
import type { CategoryService } from './category.service.ts';

const tags = ['categories'];
// Who may call: anyone signed in reads the trees; every village's cases run on the same classes, time limits
// and extra fields, so changing them is for an administrator of the whole deployment
// (territory/deployment.policy.ts).
const WHOLE_DEPLOYMENT =
  'Administrator whose scope holds every grid (the whole deployment): a village administrator gets 403.';
const idParams = z.object({ id: z.coerce.number().int() });

export const categoryRoutes =
  (categories: CategoryService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/categories',
      {
        schema: {
          tags,
          summary: 'Both category trees (部件 and 事件): major classes with their minor classes',
          response: { 200: categoryTreeSchema },
        },
      },
      async (request) => {
        requireActor(request);
        return categories.getCategoryTree();
      },
    );

    app.post(
      '/categories',
      {
        schema: {
          tags,
          summary: 'Create a major (2-digit) or minor (5-digit) class',
          description: WHOLE_DEPLOYMENT,
          body: createCategorySchema,
          response: { 200: categorySchema },
        },
      },
      async (request) => categories.createCategory(requireActor(request), request.body),
    );

    app.patch(
      '/categories/:id',
      {
        schema: {
          tags,
          summary: 'Change a class: name, time limits, default department, 即办, public',
          description: WHOLE_DEPLOYMENT,
          params: z.object({ id: z.coerce.number().int() }),
          body: updateCategorySchema,
          response: { 200: categorySchema },
        },
      },
      async (request) => categories.updateCategory(requireActor(request), request.params.id, request.body),
    );

    app.post(
      '/categories/import',
      {
        schema: {
          tags,
          summary: 'Import categories from CSV (text/csv); all rows or none',
          description: WHOLE_DEPLOYMENT,
          querystring: z.object({ dryRun: z.stringbool().optional() }),
          response: { 200: importReportSchema },
        },
      },
      async (request) =>
        categories.importCategories(requireActor(request), {
          csv: String(request.body ?? ''),
          dryRun: request.query.dryRun,
        }),
    );

    app.get(
      '/categories/export',
      { schema: { tags, summary: 'Export categories as CSV' } },
      async (request, reply) => {
        requireActor(request);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="categories.csv"')
          .send(`\uFEFF${await categories.exportCategories()}`);
      },
    );

    app.get(
      '/categories/attributes',
      {
        schema: {
          tags,
          summary:
            'The extra fields of every minor class that has any, by category id: one request for a phone that keeps them offline',
          response: { 200: z.record(z.string(), categoryAttributesSchema) },
        },
      },
      async (request) => {
        requireActor(request);
        return Object.fromEntries(await categories.listAttributes(null));
      },
    );

    app.get(
      '/categories/:id/attributes',
      {
        schema: {
          tags,
          summary:
            'The extra fields asked for with a report of a minor class (its Open311 service definition)',
          params: idParams,
          response: { 200: categoryAttributesSchema },
        },
      },
      async (request) => {
        requireActor(request);
        return (await categories.listAttributes([request.params.id])).get(request.params.id) ?? [];
      },
    );

    app.put(
      '/categories/:id/attributes',
      {
        schema: {
          tags,
          summary: 'Replace the extra fields of a minor class (administrator); moves the category version',
          description: WHOLE_DEPLOYMENT,
          params: idParams,
          body: z.object({ version: z.number().int(), attributes: categoryAttributesSchema }),
          response: { 200: categoryAttributesSchema },
        },
      },
      async (request) => categories.setAttributes(requireActor(request), request.params.id, request.body),
    );
  };
