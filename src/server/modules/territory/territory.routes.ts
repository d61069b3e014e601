import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  boundaryImportReportSchema,
  GRID_KINDS,
  importReportSchema,
  LAYER_GRID_KINDS,
  layerGridCodeSchema,
  layerGridDetailSchema,
  layerGridListSchema,
  locateQuerySchema,
  locateResultSchema,
  regionCodeSchema,
  regionDetailSchema,
  regionTreeNodeSchema,
  setGridPeopleSchema,
  territoryIssueSchema,
} from '../../../shared/territory.ts';
import { requireActor } from '../../http/session.plugin.ts';
import type { TerritoryService } from './territory.service.ts';

const tags = ['territory'];
const rootQuery = z.object({ root: regionCodeSchema.optional() });
const dryRunQuery = z.object({ dryRun: z.stringbool().optional() });

export const territoryRoutes =
  (territory: TerritoryService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/regions/tree',
      {
        schema: {
          tags,
          summary: 'Region tree from your scope root (or root), depth levels deep',
          querystring: rootQuery.extend({ depth: z.coerce.number().int().min(1).max(6).default(2) }),
          response: { 200: regionTreeNodeSchema },
        },
      },
      async (request) => territory.getRegionTree(requireActor(request), request.query),
    );

    app.get(
      '/regions/:code',
      {
        schema: {
          tags,
          summary: 'One region with ancestors, children, boundary and responsible people',
          params: z.object({ code: regionCodeSchema }),
          response: { 200: regionDetailSchema },
        },
      },
      async (request) => territory.getRegionDetail(requireActor(request), request.params.code),
    );

    app.patch(
      '/regions/:code',
      {
        schema: {
          tags,
          summary: 'Rename a region (administrator)',
          params: z.object({ code: regionCodeSchema }),
          body: z.object({ name: z.string().trim().min(1).max(64), version: z.number().int() }),
          response: { 200: regionDetailSchema },
        },
      },
      async (request) =>
        territory.renameRegion(requireActor(request), { code: request.params.code, ...request.body }),
    );

    app.put(
      '/regions/:code/people',
      {
        schema: {
          tags,
          summary: "Set a grid's responsible people (administrator)",
          params: z.object({ code: regionCodeSchema }),
          body: setGridPeopleSchema,
          response: { 200: regionDetailSchema },
        },
      },
      async (request) =>
        territory.setGridPeople(requireActor(request), { code: request.params.code, ...request.body }),
    );

    app.get(
      '/grids/geojson',
      {
        schema: {
          tags,
          summary: 'Grids (or villages) as a GeoJSON FeatureCollection for the map',
          description:
            'kind=party (or special) returns that layer’s grids instead of the comprehensive ones; level=village ' +
            'is for the comprehensive layer only.',
          querystring: rootQuery.extend({
            level: z.enum(['leaf', 'village', '1', '2', '3']).default('leaf'),
            kind: z.enum(GRID_KINDS).default('comprehensive'),
          }),
        },
      },
      async (request, reply) => {
        const { level, root, kind } = request.query;
        const numeric = level === 'leaf' || level === 'village' ? null : (Number(level) as 1 | 2 | 3);
        const collection =
          kind === 'comprehensive'
            ? await territory.listGridFeatures(requireActor(request), {
                root,
                level: numeric ?? (level as 'leaf' | 'village'),
              })
            : await territory.listLayerFeatures(requireActor(request), {
                kind,
                root,
                level: numeric ?? 'leaf',
              });
        return reply.type('application/geo+json').send(collection);
      },
    );

    app.get(
      '/grid-layers/:kind',
      {
        schema: {
          tags,
          summary: 'The grids of a layer (party, special) in your scope, with their number per level',
          params: z.object({ kind: z.enum(LAYER_GRID_KINDS) }),
          querystring: rootQuery.extend({ level: z.coerce.number().int().min(1).max(3).optional() }),
          response: { 200: layerGridListSchema },
        },
      },
      async (request) =>
        territory.listLayerGrids(requireActor(request), { kind: request.params.kind, ...request.query }),
    );

    app.get(
      '/layer-grids/:code',
      {
        schema: {
          tags,
          summary: 'One party or special grid with its ancestors in its layer, children, boundary and people',
          params: z.object({ code: layerGridCodeSchema }),
          response: { 200: layerGridDetailSchema },
        },
      },
      async (request) => territory.getLayerGrid(requireActor(request), request.params.code),
    );

    app.put(
      '/layer-grids/:code/people',
      {
        schema: {
          tags,
          summary: "Set a party or special grid's responsible people (administrator)",
          params: z.object({ code: layerGridCodeSchema }),
          body: setGridPeopleSchema,
          response: { 200: layerGridDetailSchema },
        },
      },
      async (request) =>
        territory.setLayerGridPeople(requireActor(request), { code: request.params.code, ...request.body }),
    );

    app.get(
      '/locate',
      {
        schema: {
          tags,
          summary:
            'The leaf grid of a WGS-84 point, its ancestors and responsible people, and its grid in every other layer',
          querystring: locateQuerySchema,
          response: { 200: locateResultSchema },
        },
      },
      async (request) => territory.locate(requireActor(request), request.query.lon, request.query.lat),
    );

    app.get(
      '/territory/validation',
      {
        schema: {
          tags,
          summary: 'Boundary problems below root: invalid or self-intersecting polygons, overlaps, gaps',
          querystring: rootQuery,
          response: { 200: z.object({ issues: z.array(territoryIssueSchema) }) },
        },
      },
      async (request) => ({
        issues: await territory.validateTerritory(requireActor(request), request.query),
      }),
    );

    app.post(
      '/territory/divisions/import',
      {
        schema: {
          tags,
          summary: 'Import divisions from CSV (code,name,level,parent_code); all rows or none',
          description:
            'Send the file as the body with Content-Type text/csv. If any row is wrong nothing is written and the ' +
            'answer is 422 IMPORT_REJECTED with every wrong row in error.details.errors.',
          querystring: dryRunQuery,
          response: { 200: importReportSchema },
        },
      },
      async (request) =>
        territory.importDivisions(requireActor(request), {
          csv: String(request.body ?? ''),
          dryRun: request.query.dryRun,
        }),
    );

    app.get(
      '/territory/divisions/export',
      { schema: { tags, summary: 'Export divisions as CSV', querystring: rootQuery } },
      async (request, reply) => {
        const csv = await territory.exportDivisions(requireActor(request), request.query);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="divisions.csv"')
          .send(`\uFEFF${csv}`);
      },
    );

    app.post(
      '/territory/boundaries/import',
      {
        schema: {
          tags,
          summary: 'Import boundaries from a GeoJSON FeatureCollection (properties.code)',
          description:
            'crs=gcj02 converts coordinates from GCJ-02 (Amap/Tencent) to WGS-84. A feature whose code is new and ' +
            'extends an existing village or grid code by 3 digits, with properties.name, creates that grid.',
          querystring: dryRunQuery.extend({ crs: z.enum(['wgs84', 'gcj02']).default('wgs84') }),
          body: z.unknown(),
          response: { 200: boundaryImportReportSchema },
        },
      },
      async (request) =>
        territory.importBoundaries(requireActor(request), {
          geojson: request.body,
          crs: request.query.crs,
          dryRun: request.query.dryRun,
        }),
    );

    app.get(
      '/territory/boundaries/export',
      { schema: { tags, summary: 'Export boundaries as GeoJSON', querystring: rootQuery } },
      async (request, reply) => {
        const collection = await territory.exportBoundaries(requireActor(request), request.query);
        return reply
          .type('application/geo+json')
          .header('content-disposition', 'attachment; filename="boundaries.geojson"')
          .send(collection);
      },
    );
  };
