import { PassThrough } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  answerSummarySchema,
  campaignHouseholdPageSchema,
  campaignIdParams,
  coverageByDaySchema,
  coverageQuerySchema,
  coverageSchema,
  createVisitCampaignSchema,
  HOUSEHOLD_VISITOR_ROLES,
  householdListQuerySchema,
  householdVisitPageSchema,
  householdVisitSchema,
  recordHouseholdVisitSchema,
  VISIT_CAMPAIGN_MANAGER_ROLES,
  VISIT_CAMPAIGN_READER_ROLES,
  visitCampaignListSchema,
  visitCampaignSchema,
  visitListQuerySchema,
} from '../../../shared/household-visits.ts';
import { requireActor } from '../../http/session.plugin.ts';
import type { HouseholdVisitService } from './household-visit.service.ts';
import { writeAnswersWorkbook } from './household-visit-export.ts';

const tags = ['household-visits'];
const readers = `Roles: ${VISIT_CAMPAIGN_READER_ROLES.join(', ')}; within their data scope.`;
const visitParams = campaignIdParams.extend({
  visitId: z.coerce.number().int().min(1).max(2_147_483_647),
});

/** Household-visit campaigns (入户走访): campaigns, coverage, the households to visit, visits, answers. */
export const householdVisitRoutes =
  (service: HouseholdVisitService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/visit-campaigns',
      {
        schema: {
          tags,
          summary: 'Visit campaigns whose area meets your scope, with households visited / in the registry',
          description: readers,
          response: { 200: visitCampaignListSchema },
        },
      },
      async (request) => service.listCampaigns(requireActor(request)),
    );

    app.post(
      '/visit-campaigns',
      {
        schema: {
          tags,
          summary:
            "Start a campaign: the form's newest published version, asked of every household (or house, or organisation: `unit`) of the area",
          description: `Roles: ${VISIT_CAMPAIGN_MANAGER_ROLES.join(', ')}; every area region within their scope.`,
          body: createVisitCampaignSchema,
          response: { 201: visitCampaignSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await service.createCampaign(requireActor(request), request.body)),
    );

    app.get(
      '/visit-campaigns/:id',
      {
        schema: {
          tags,
          summary: 'One campaign',
          description: readers,
          params: campaignIdParams,
          response: { 200: visitCampaignSchema },
        },
      },
      async (request) => service.getCampaign(requireActor(request), request.params.id),
    );

    app.post(
      '/visit-campaigns/:id/close',
      {
        schema: {
          tags,
          summary:
            'Close a campaign before its end date (结束活动): visits made after now are refused, visits made before and sent late still count. Closing again answers the closed campaign',
          description: `Roles: ${VISIT_CAMPAIGN_MANAGER_ROLES.join(', ')}; the whole area within their scope.`,
          params: campaignIdParams,
          response: { 200: visitCampaignSchema },
        },
      },
      async (request) => service.closeCampaign(requireActor(request), request.params.id),
    );

    app.get(
      '/visit-campaigns/:id/coverage',
      {
        schema: {
          tags,
          summary:
            'Coverage (覆盖率): households visited / households in the registry, people covered / residents, for a ' +
            'region and each of its children (villages of a town, leaf grids of a village)',
          description: readers,
          params: campaignIdParams,
          querystring: coverageQuerySchema,
          response: { 200: coverageSchema },
        },
      },
      async (request) => service.coverage(requireActor(request), request.params.id, request.query.regionCode),
    );

    app.get(
      '/visit-campaigns/:id/coverage/by-day',
      {
        schema: {
          tags,
          summary: 'Households first visited per day and the running total: the campaign advancing',
          description: readers,
          params: campaignIdParams,
          querystring: coverageQuerySchema,
          response: { 200: coverageByDaySchema },
        },
      },
      async (request) =>
        service.coverageByDay(requireActor(request), request.params.id, request.query.regionCode),
    );

    app.get(
      '/visit-campaigns/:id/households',
      {
        schema: {
          tags,
          summary:
            'Households of the campaign by grid and address — by default those never visited (不漏一户). A grid ' +
            'worker sees the grids they work unless mine=false',
          description: `${readers} Names of residents in clear only for roles that look after residents.`,
          params: campaignIdParams,
          querystring: householdListQuerySchema,
          response: { 200: campaignHouseholdPageSchema },
        },
      },
      async (request) => service.listHouseholds(requireActor(request), request.params.id, request.query),
    );

    app.post(
      '/visit-campaigns/:id/household-visits',
      {
        schema: {
          tags,
          summary:
            'Record a household visit (grid workers). Answers are checked by the form; mapped answers update the registry through its own checks; answers marked to raise a case report one. Replaying the client key answers with the visit already recorded',
          description: `Roles: ${HOUSEHOLD_VISITOR_ROLES.join(', ')}; the household within their scope and the campaign area. A wrong answer is refused with 400 naming answers.<question>.`,
          params: campaignIdParams,
          body: recordHouseholdVisitSchema,
          response: { 201: householdVisitSchema },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await service.recordVisit(requireActor(request), request.params.id, request.body)),
    );

    app.get(
      '/visit-campaigns/:id/household-visits',
      {
        schema: {
          tags,
          summary:
            'Visits of the campaign in your scope, newest first, with the state of the cases they raised',
          description: `${readers} ID numbers in answers are masked; phones as the registry shows them to your role.`,
          params: campaignIdParams,
          querystring: visitListQuerySchema,
          response: { 200: householdVisitPageSchema },
        },
      },
      async (request) => service.listVisits(requireActor(request), request.params.id, request.query),
    );

    app.get(
      '/visit-campaigns/:id/household-visits/:visitId',
      {
        schema: {
          tags,
          summary: "One visit, with the cases it raised and each case's state now",
          description: readers,
          params: visitParams,
          response: { 200: householdVisitSchema },
        },
      },
      async (request) => service.getVisit(requireActor(request), request.params.id, request.params.visitId),
    );

    app.get(
      '/visit-campaigns/:id/summary',
      {
        schema: {
          tags,
          summary: 'How many visits chose each choice of each choice question (the results charts)',
          description: readers,
          params: campaignIdParams,
          response: { 200: answerSummarySchema },
        },
      },
      async (request) => service.answerSummary(requireActor(request), request.params.id),
    );

    app.get(
      '/visit-campaigns/:id/answers.xlsx',
      {
        schema: {
          tags,
          summary:
            "Every visit's answers as XLSX: choices as their labels, a second sheet with the codes; personal data masked by role",
          description: readers,
          params: campaignIdParams,
        },
      },
      async (request, reply) => {
        const actor = requireActor(request);
        const source = await service.campaignForExport(actor, request.params.id);
        const fileName = `visits-${request.params.id}.xlsx`;
        const out = new PassThrough();
        void reply
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header(
            'content-disposition',
            `attachment; filename="${fileName}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
          )
          .send(out);
        writeAnswersWorkbook(service, actor, source, out).catch((error: Error) => out.destroy(error));
        return reply;
      },
    );
  };
