import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  partyFiguresQuerySchema,
  partyFiguresSchema,
  partyFilterSchema,
  partyImportReportSchema,
  partyMemberImportSchema,
  partyMemberListQuerySchema,
  partyMemberPageSchema,
  partyPostSchema,
  partyReportListQuerySchema,
  partyReportPageSchema,
  partyRevealSchema,
} from '../../../shared/party.ts';
import { requireActor } from '../../http/session.plugin.ts';
import type { PartyService } from './party.service.ts';

const tags = ['party'];
const idParams = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647) });

/** Party members, posts and figures (设岗定责). Readers: administrator, leader, dispatcher, grid worker, party member. */
export const partyRoutes =
  (service: PartyService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/party/figures',
      {
        schema: {
          tags,
          summary: 'Members, posts filled, issues reported and their outcomes per branch, party grid or post',
          querystring: partyFiguresQuerySchema,
          response: { 200: partyFiguresSchema },
        },
      },
      async (request) => service.getFigures(requireActor(request), request.query),
    );

    app.get(
      '/party/members',
      {
        schema: {
          tags,
          summary: 'Party members in your scope; ID numbers and phones masked',
          querystring: partyMemberListQuerySchema,
          response: { 200: partyMemberPageSchema },
        },
      },
      async (request) => service.listMembers(requireActor(request), request.query),
    );

    app.post(
      '/party/members/:id/reveal',
      {
        schema: {
          tags,
          summary:
            "A member's ID number or phone in clear (administrator); recorded in the personal data log",
          params: idParams,
          body: partyRevealSchema,
          response: { 200: z.object({ field: z.string(), value: z.string().nullable() }) },
        },
      },
      async (request) => service.revealMember(requireActor(request), request.params.id, request.body.field),
    );

    app.post(
      '/party/members/import',
      {
        schema: {
          tags,
          summary:
            'Import party members by ID number into their branches and posts (administrator); all or none',
          description:
            'A wrong row rejects the file with 422 IMPORT_REJECTED, every wrong row in error.details.errors. ' +
            'Members are linked to the registry resident with the same ID number.',
          body: partyMemberImportSchema,
          response: { 200: partyImportReportSchema },
        },
      },
      async (request) => service.importMembers(requireActor(request), request.body),
    );

    app.get(
      '/party/posts',
      {
        schema: {
          tags,
          summary: 'Posts (岗位) with their holders, duties and issues reported',
          querystring: partyFilterSchema,
          response: { 200: z.object({ items: z.array(partyPostSchema) }) },
        },
      },
      async (request) => ({ items: await service.listPosts(requireActor(request), request.query) }),
    );

    app.get(
      '/party/reports',
      {
        schema: {
          tags,
          summary: 'Cases reported by party members (the records behind the figures)',
          querystring: partyReportListQuerySchema,
          response: { 200: partyReportPageSchema },
        },
      },
      async (request) => service.listReports(requireActor(request), request.query),
    );
  };
