import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { basemapSettingSchema, basemapSettingsSchema } from '../../../shared/basemap.ts';
import {
  mapSearchQuerySchema,
  mapSearchResultSchema,
  placeBoxQuerySchema,
  placePointsSchema,
} from '../../../shared/map-places.ts';
import { requireActor } from '../../http/session.plugin.ts';
import type { RegistryService } from '../registry/registry.service.ts';
import type { BasemapService } from './basemap.service.ts';
import type { createMapSearch } from './map-search.ts';

const tags = ['map'];

export const mapRoutes =
  (deps: {
    basemap: BasemapService;
    search: ReturnType<typeof createMapSearch>;
    registry: Pick<RegistryService, 'listPlacePoints'>;
  }): FastifyPluginAsyncZod =>
  async (app) => {
    // Who may: an administrator of the whole deployment (every village shares the basemap).
    app.get(
      '/map/basemap',
      {
        schema: {
          tags,
          summary:
            'The basemap setting, what maps draw now, and the default (administrator of the whole deployment)',
          response: { 200: basemapSettingsSchema },
        },
      },
      async (request) => deps.basemap.getSettings(requireActor(request)),
    );

    app.put(
      '/map/basemap',
      {
        schema: {
          tags,
          summary:
            'Set the basemap of every map, at once and without a restart (administrator of the whole deployment)',
          body: basemapSettingSchema,
          response: { 200: basemapSettingsSchema },
        },
      },
      async (request) => deps.basemap.setBasemap(requireActor(request), request.body),
    );

    app.delete(
      '/map/basemap',
      {
        schema: {
          tags,
          summary:
            'Return to the default basemap, GRIDGOV_BASEMAP_URL (administrator of the whole deployment)',
          response: { 200: basemapSettingsSchema },
        },
      },
      async (request) => deps.basemap.setBasemap(requireActor(request), null),
    );

    // Who may: anyone signed in who may read the registry's addresses; the answer holds their scope only.
    app.get(
      '/map/places',
      {
        schema: {
          tags,
          summary: 'Standard addresses and buildings with a point in the box (street zoom), in your scope',
          querystring: placeBoxQuerySchema,
          response: { 200: placePointsSchema },
        },
      },
      async (request) => deps.registry.listPlacePoints(requireActor(request), request.query.bbox),
    );

    // Who may: anyone signed in; addresses only for roles that may read them, everything in their scope.
    app.get(
      '/map/search',
      {
        schema: {
          tags,
          summary:
            'Search box of the maps: standard addresses and buildings, then villages and grids, in your scope',
          querystring: mapSearchQuerySchema,
          response: { 200: mapSearchResultSchema },
        },
      },
      async (request) => deps.search.searchMap(requireActor(request), request.query.q),
    );
  };
