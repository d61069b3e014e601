import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  campaignDetailSchema,
  campaignListQuerySchema,
  campaignPageSchema,
  campaignResultsSchema,
  campaignRoundSchema,
  campaignStepSchema,
  createCampaignSchema,
  drillQuerySchema,
  drillResultSchema,
  inspectorCandidateSchema,
  inspectorCandidatesQuerySchema,
  manualTargetSchema,
  myTargetSchema,
  reinspectionRoundSchema,
  sampleSchema,
  targetSelectionSchema,
  targetsAddedSchema,
  updateCampaignSchema,
} from '../../../shared/campaigns.ts';
import { requireActor } from '../../http/session.plugin.ts';
import type { CampaignService } from './campaign.service.ts';
import type { CampaignResultsService } from './campaign-results.ts';

const tags = ['inspections'];
const id = z.coerce.number().int().min(1).max(2_147_483_647);
const idParams = z.object({ id });
const targetParams = z.object({ id, targetId: id });

export const campaignRoutes =
  (campaigns: CampaignService, results: CampaignResultsService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/campaigns',
      {
        schema: {
          tags,
          summary:
            'Campaigns you may see, newest first (a covert one only by those who run it until published)',
          querystring: campaignListQuerySchema,
          response: { 200: campaignPageSchema },
        },
      },
      async (request) => campaigns.listCampaigns(requireActor(request), request.query),
    );

    app.post(
      '/campaigns',
      {
        schema: {
          tags,
          summary: 'Create a campaign (draft); you are its organiser',
          body: createCampaignSchema,
          response: { 200: campaignDetailSchema },
        },
      },
      async (request) => campaigns.createCampaign(requireActor(request), request.body),
    );

    app.get(
      '/campaigns/inspector-candidates',
      {
        schema: {
          tags,
          summary: 'Who may be named an inspector of a campaign over an area',
          description:
            'Active inspectors, leaders and administrators whose scope meets the area (holds it or lies in it) ' +
            'and lies within yours: names, roles and scope names only. For the roles that create campaigns.',
          querystring: inspectorCandidatesQuerySchema,
          response: { 200: z.array(inspectorCandidateSchema) },
        },
      },
      async (request) => campaigns.inspectorCandidates(requireActor(request), request.query.regionCode),
    );

    app.get(
      '/campaigns/:id',
      {
        schema: {
          tags,
          summary: 'One campaign with its targets (those in your scope unless you run it)',
          params: idParams,
          response: { 200: campaignDetailSchema },
        },
      },
      async (request) => campaigns.getCampaign(requireActor(request), request.params.id),
    );

    app.put(
      '/campaigns/:id',
      {
        schema: {
          tags,
          summary: 'Change a draft campaign at the rowVersion read',
          params: idParams,
          body: updateCampaignSchema,
          response: { 200: campaignDetailSchema },
        },
      },
      async (request) => campaigns.updateCampaign(requireActor(request), request.params.id, request.body),
    );

    app.post(
      '/campaigns/:id/targets',
      {
        schema: {
          tags,
          summary:
            'Add targets from the registry: organisations of some types in a subtree, or organisations, facilities, addresses or grids by id',
          params: idParams,
          body: targetSelectionSchema,
          response: { 200: targetsAddedSchema },
        },
      },
      async (request) => campaigns.addTargets(requireActor(request), request.params.id, request.body),
    );

    app.post(
      '/campaigns/:id/targets/manual',
      {
        schema: {
          tags,
          summary: 'Add a target by hand: located into its grid by its point',
          params: idParams,
          body: manualTargetSchema,
          response: { 200: targetsAddedSchema },
        },
      },
      async (request) => campaigns.addManualTarget(requireActor(request), request.params.id, request.body),
    );

    app.delete(
      '/campaigns/:id/targets/:targetId',
      { schema: { tags, summary: 'Remove a target from a draft campaign', params: targetParams } },
      async (request, reply) => {
        await campaigns.removeTarget(requireActor(request), request.params.id, request.params.targetId);
        return reply.status(204).send();
      },
    );

    app.post(
      '/campaigns/:id/sample',
      {
        schema: {
          tags,
          summary:
            'Draw the sample of targets to visit with a recorded seed (the same seed draws the same sample)',
          params: idParams,
          body: sampleSchema,
          response: { 200: campaignDetailSchema },
        },
      },
      async (request) => campaigns.sample(requireActor(request), request.params.id, request.body),
    );

    for (const [step, summary, run] of [
      [
        'start',
        'Start a draft: rounds are made; an open campaign tells the targets’ grids',
        campaigns.startCampaign,
      ],
      ['finish', 'Finish a running campaign', campaigns.finishCampaign],
      [
        'publish',
        'Publish the results: a covert campaign becomes visible to the inspected',
        campaigns.publishCampaign,
      ],
    ] as const) {
      app.post(
        `/campaigns/:id/${step}`,
        {
          schema: {
            tags,
            summary,
            params: idParams,
            body: campaignStepSchema,
            response: { 200: campaignDetailSchema },
          },
        },
        async (request) => run(requireActor(request), request.params.id, request.body.rowVersion),
      );
    }

    app.post(
      '/campaigns/:id/reinspection-round',
      {
        schema: {
          tags,
          summary: 'Schedule a re-inspection round (回头看) of every target that failed anything in a round',
          params: idParams,
          body: reinspectionRoundSchema,
          response: { 200: z.array(campaignRoundSchema) },
        },
      },
      async (request) =>
        campaigns.scheduleReinspection(requireActor(request), request.params.id, request.body),
    );

    app.get(
      '/campaigns/:id/rounds',
      {
        schema: {
          tags,
          summary: 'The rounds with their due windows: targets, visited, late and missed',
          params: idParams,
          response: { 200: z.array(campaignRoundSchema) },
        },
      },
      async (request) => campaigns.listRounds(requireActor(request), request.params.id),
    );

    app.get(
      '/campaigns/:id/results',
      {
        schema: {
          tags,
          summary:
            'Results: score rate per target, failure rate per item, villages, departments, vetoes, rectification',
          params: idParams,
          response: { 200: campaignResultsSchema },
        },
      },
      async (request) => results.getResults(requireActor(request), request.params.id),
    );

    app.get(
      '/campaigns/:id/results.xlsx',
      { schema: { tags, summary: 'The results as an XLSX workbook', params: idParams } },
      async (request, reply) => {
        const file = await results.resultsWorkbook(requireActor(request), request.params.id);
        return reply
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', `attachment; filename="${file.fileName}"`)
          .send(file.bytes);
      },
    );

    app.get(
      '/campaigns/:id/results/drill',
      {
        schema: {
          tags,
          summary: 'The visits, cases or targets behind one figure of the results (its `drill` query string)',
          params: idParams,
          querystring: drillQuerySchema,
          response: { 200: drillResultSchema },
        },
      },
      async (request) => results.drill(requireActor(request), request.params.id, request.query),
    );

    app.get(
      '/inspections/my-targets',
      {
        schema: {
          tags,
          summary:
            'The targets you are to visit in the open rounds of running campaigns (the field view’s list)',
          response: { 200: z.array(myTargetSchema) },
        },
      },
      async (request) => campaigns.myTargets(requireActor(request)),
    );
  };
