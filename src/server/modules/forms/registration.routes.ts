import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  confirmRegistrationSchema,
  publicRegistrationAnswerSchema,
  publicRegistrationSchema,
  REGISTRATION_CONFIRMER_ROLES,
  REGISTRATION_READER_ROLES,
  registrationCountQuerySchema,
  registrationCountsSchema,
  registrationListQuerySchema,
  registrationPageSchema,
  registrationRevealInputSchema,
  registrationRevealResultSchema,
  registrationRevealRoles,
  registrationSchema,
} from '../../../shared/registrations.ts';
import { requireActor } from '../../http/session.plugin.ts';
import type { RegistrationService } from './registration.service.ts';

const tags = ['registrations'];
const idParams = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647) });
const roles = (list: readonly string[]) => `Roles: ${list.join(', ')}; within the caller's data scope.`;
/** A registration is a few short fields: anonymous bodies are refused well below the server's general limit. */
const PUBLIC_BODY_LIMIT = 16 * 1024;

/**
 * Public self-registration (报备): the public form under /public (no session; the portal's gate and a per-IP
 * limit), and the community's console routes.
 */
export const registrationRoutes =
  (service: RegistrationService, limits: { perHour: number }): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/public/registrations',
      {
        schema: {
          tags: ['public portal', ...tags],
          security: [],
          summary: 'Register an arrival (报备) with the destination community; answers the receipt code',
          description:
            'No session. Needs a form token (GET /public/form-token) at least 3 s old and an empty `website`. ' +
            'The ID number must pass the GB 11643 check; an arrival in the future is refused. The destination ' +
            'is placed by lon/lat when given, else by the address (a registry address, else a community named ' +
            `in it). Flagged late when made more than ${service.windowHours} hours after arrival (configuration).`,
          body: publicRegistrationSchema,
          response: { 200: publicRegistrationAnswerSchema },
        },
        config: { rateLimit: { max: limits.perHour, timeWindow: '1 hour' } },
        bodyLimit: PUBLIC_BODY_LIMIT,
      },
      async (request, reply) =>
        reply.header('cache-control', 'no-store').send(await service.register(request.body, request.locale)),
    );

    app.get(
      '/public/registrations/settings',
      {
        schema: {
          tags: ['public portal', ...tags],
          security: [],
          summary:
            'What the public form tells a registrant: the hours after arrival within which to register',
          response: { 200: z.object({ windowHours: z.number().int() }) },
        },
        config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
      },
      async () => ({ windowHours: service.windowHours }),
    );

    app.get(
      '/registrations',
      {
        schema: {
          tags,
          summary: 'Registrations, newest first, filtered by day, late and confirmed; ID and phone masked',
          description: roles(REGISTRATION_READER_ROLES),
          querystring: registrationListQuerySchema,
          response: { 200: registrationPageSchema },
        },
      },
      async (request) => service.listRegistrations(requireActor(request), request.query),
    );

    app.get(
      '/registrations/counts',
      {
        schema: {
          tags,
          summary: 'Registrations per community and day: total, late, confirmed',
          description: roles(REGISTRATION_READER_ROLES),
          querystring: registrationCountQuerySchema,
          response: { 200: registrationCountsSchema },
        },
      },
      async (request) => service.countRegistrations(requireActor(request), request.query),
    );

    app.get(
      '/registrations/to-visit',
      {
        schema: {
          tags,
          summary:
            "Unconfirmed registrations to visit, oldest first (the field view's list): a grid worker's own grids " +
            'and the arrivals placed only in their community; anyone else, their whole scope',
          description: roles(REGISTRATION_CONFIRMER_ROLES),
          response: { 200: z.array(registrationSchema) },
        },
      },
      async (request) => service.listToVisit(requireActor(request)),
    );

    app.get(
      '/registrations/:id',
      {
        schema: {
          tags,
          summary: 'One registration; ID and phone masked',
          description: roles(REGISTRATION_READER_ROLES),
          params: idParams,
          response: { 200: registrationSchema },
        },
      },
      async (request) => service.getRegistration(requireActor(request), request.params.id),
    );

    app.post(
      '/registrations/:id/confirm',
      {
        schema: {
          tags,
          summary: 'Confirm a registration after visiting the person (once; version checked)',
          description: roles(REGISTRATION_CONFIRMER_ROLES),
          params: idParams,
          body: confirmRegistrationSchema,
          response: { 200: registrationSchema },
        },
      },
      async (request) => service.confirmRegistration(requireActor(request), request.params.id, request.body),
    );

    app.post(
      '/registrations/:id/reveal',
      {
        schema: {
          tags,
          summary: "Show a registrant's ID number or phone in clear, once; audited (personal data log)",
          description:
            `ID number: ${registrationRevealRoles('idNumber').join(', ')}; phone: ${registrationRevealRoles('phone').join(', ')} ` +
            "(the registry's rules); within the caller's data scope. Recorded as `registration.reveal`.",
          params: idParams,
          body: registrationRevealInputSchema,
          response: { 200: registrationRevealResultSchema },
        },
      },
      async (request, reply) =>
        reply
          .header('cache-control', 'no-store')
          .send(
            await service.revealRegistration(requireActor(request), request.params.id, request.body.field),
          ),
    );
  };
