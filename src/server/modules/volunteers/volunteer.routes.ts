import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  assignmentSchema,
  figureQuerySchema,
  figuresSchema,
  myTaskListSchema,
  requestDetailSchema,
  requestInputSchema,
  requestListQuerySchema,
  requestPageSchema,
  sendVolunteersSchema,
  signInListQuerySchema,
  signInPageSchema,
  signInputSchema,
  unitContactInputSchema,
  unitInputSchema,
  unitListQuerySchema,
  unitPageSchema,
  unitSchema,
  volunteerInputSchema,
  volunteerListSchema,
  volunteerRevealInputSchema,
  volunteerRevealResultSchema,
  volunteerSchema,
} from '../../../shared/volunteers.ts';
import { requireActor } from '../../http/session.plugin.ts';
import type { VolunteerService } from './volunteer.service.ts';

const tags = ['volunteers'];
const idParams = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647) });

/**
 * Volunteer service (志愿服务). Who may call each route is said in its summary and enforced by the service:
 * "units" = administrators, leaders and dispatchers over the unit's region, or the unit's contact (unitContact);
 * "community staff" = administrators and grid workers of the request's community.
 */
export const volunteerRoutes =
  (service: VolunteerService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/volunteer-units',
      {
        schema: {
          tags,
          summary: 'Member units (成员单位) in your scope, or your own units (unitContact)',
          querystring: unitListQuerySchema,
          response: { 200: unitPageSchema },
        },
      },
      async (request) => service.listUnits(requireActor(request), request.query),
    );

    app.post(
      '/volunteer-units',
      {
        schema: {
          tags,
          summary: 'Register a member unit of a region’s 大党委 (administrator of the region)',
          body: unitInputSchema,
          response: { 201: unitSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await service.createUnit(requireActor(request), request.body)),
    );

    app.get(
      '/volunteer-units/:id',
      {
        schema: { tags, summary: 'One member unit (units)', params: idParams, response: { 200: unitSchema } },
      },
      async (request) => service.getUnit(requireActor(request), request.params.id),
    );

    app.post(
      '/volunteer-units/:id/contacts',
      {
        schema: {
          tags,
          summary: 'Make a unitContact account a contact (联络员) of the unit (administrator over the unit)',
          params: idParams,
          body: unitContactInputSchema,
          response: { 200: unitSchema },
        },
      },
      async (request) =>
        service.addUnitContact(requireActor(request), request.params.id, request.body.userId),
    );

    app.get(
      '/volunteer-units/:id/volunteers',
      {
        schema: {
          tags,
          summary: 'The unit’s volunteers, phones and ID numbers masked (units)',
          params: idParams,
          response: { 200: volunteerListSchema },
        },
      },
      async (request) => service.listVolunteers(requireActor(request), request.params.id),
    );

    app.post(
      '/volunteer-units/:id/volunteers',
      {
        schema: {
          tags,
          summary: 'Register a volunteer of the unit (its contact, or an administrator over it)',
          params: idParams,
          body: volunteerInputSchema,
          response: { 201: volunteerSchema },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await service.addVolunteer(requireActor(request), request.params.id, request.body)),
    );

    app.post(
      '/volunteers/:id/reveal',
      {
        schema: {
          tags,
          summary:
            'A volunteer’s phone or ID number in clear, logged (the unit’s contact or an administrator)',
          params: idParams,
          body: volunteerRevealInputSchema,
          response: { 200: volunteerRevealResultSchema },
        },
      },
      async (request) =>
        service.revealVolunteer(requireActor(request), request.params.id, request.body.field),
    );

    app.get(
      '/volunteer-requests',
      {
        schema: {
          tags,
          summary:
            'Communities’ requests for volunteers in your scope (a unitContact: in the regions its units serve)',
          querystring: requestListQuerySchema,
          response: { 200: requestPageSchema },
        },
      },
      async (request) => service.listRequests(requireActor(request), request.query),
    );

    app.post(
      '/volunteer-requests',
      {
        schema: {
          tags,
          summary: 'Ask for volunteers for a task on a day (community staff)',
          body: requestInputSchema,
          response: { 201: requestDetailSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await service.createRequest(requireActor(request), request.body)),
    );

    app.get(
      '/volunteer-requests/:id',
      {
        schema: {
          tags,
          summary: 'A request with filled/wanted, the units that sent people and the people sent',
          params: idParams,
          response: { 200: requestDetailSchema },
        },
      },
      async (request) => service.getRequest(requireActor(request), request.params.id),
    );

    app.post(
      '/volunteer-requests/:id/assignments',
      {
        schema: {
          tags,
          summary: 'Send named volunteers of a unit, up to what is still wanted (the unit’s contact)',
          description:
            'Refused with 409 when it would exceed the request; a volunteer already sent is skipped.',
          params: idParams,
          body: sendVolunteersSchema,
          response: { 200: requestDetailSchema },
        },
      },
      async (request) => service.sendVolunteers(requireActor(request), request.params.id, request.body),
    );

    app.post(
      '/volunteer-assignments/:id/sign-in',
      {
        schema: {
          tags,
          summary: 'Sign a volunteer in at the community (community staff, or the volunteer); repeat-safe',
          params: idParams,
          body: signInputSchema,
          response: { 200: assignmentSchema },
        },
      },
      async (request) => service.signIn(requireActor(request), request.params.id, request.body.at),
    );

    app.post(
      '/volunteer-assignments/:id/sign-out',
      {
        schema: {
          tags,
          summary: 'Sign a volunteer out (community staff, or the volunteer); repeat-safe',
          params: idParams,
          body: signInputSchema,
          response: { 200: assignmentSchema },
        },
      },
      async (request) => service.signOut(requireActor(request), request.params.id, request.body.at),
    );

    app.get(
      '/volunteers/my-tasks',
      {
        schema: {
          tags,
          summary: 'The tasks given to you, from yesterday on (volunteer accounts)',
          response: { 200: myTaskListSchema },
        },
      },
      async (request) => service.myTasks(requireActor(request)),
    );

    app.get(
      '/volunteers/figures',
      {
        schema: {
          tags,
          summary: 'Person-times (人次) and hours by unit, community or month in your scope',
          querystring: figureQuerySchema,
          response: { 200: figuresSchema },
        },
      },
      async (request) => service.figures(requireActor(request), request.query),
    );

    app.get(
      '/volunteers/sign-ins',
      {
        schema: {
          tags,
          summary: 'The sign-ins behind a figure (drill-down), newest first',
          querystring: signInListQuerySchema,
          response: { 200: signInPageSchema },
        },
      },
      async (request) => service.listSignIns(requireActor(request), request.query),
    );
  };
