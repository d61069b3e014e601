import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createDepartmentSchema,
  createUserSchema,
  departmentSchema,
  listQuerySchema,
  loginSchema,
  pageOf,
  resetPasswordSchema,
  roleSchema,
  sessionInfoSchema,
  updateDepartmentSchema,
  updateUserSchema,
  userSchema,
} from '../../../shared/people.ts';
import type { Config } from '../../config.ts';
import { requireActor, SESSION_COOKIE } from '../../http/session.plugin.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import type { Actor } from './actor.ts';
import type { AuthService } from './auth.service.ts';
import type { PeopleService } from './user.service.ts';

const idParams = z.object({ id: z.coerce.number().int() });

export interface PeopleRoutesDeps {
  auth: AuthService;
  people: PeopleService;
  territory: Pick<TerritoryService, 'getRegionSummary'>;
  config: Pick<Config, 'secureCookies' | 'sessionHours'>;
}

export const peopleRoutes =
  ({ auth, people, territory, config }: PeopleRoutesDeps): FastifyPluginAsyncZod =>
  async (app) => {
    async function sessionInfo(actor: Actor, csrfToken: string) {
      return {
        user: await people.getSelf(actor),
        scope: await territory.getRegionSummary(actor.scopeCode),
        csrfToken,
      };
    }

    app.post(
      '/auth/login',
      {
        config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
        schema: {
          tags: ['auth'],
          summary: 'Log in; sets the session cookie and returns the CSRF token',
          body: loginSchema,
          response: { 200: sessionInfoSchema },
        },
      },
      async (request, reply) => {
        const { token, session } = await auth.login({
          ...request.body,
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
          locale: request.locale,
        });
        reply.setCookie(SESSION_COOKIE, token, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          // request.protocol believes X-Forwarded-Proto only from a proxy in GRIDGOV_TRUST_PROXY.
          secure: config.secureCookies || request.protocol === 'https',
          maxAge: config.sessionHours * 3600,
        });
        return sessionInfo(session.actor, session.csrfToken);
      },
    );

    app.get(
      '/auth/session',
      {
        schema: {
          tags: ['auth'],
          summary: 'The signed-in user, scope and CSRF token',
          response: { 200: sessionInfoSchema },
        },
      },
      async (request) => {
        const actor = requireActor(request);
        return sessionInfo(actor, request.auth?.csrfToken ?? '');
      },
    );

    app.post(
      '/auth/logout',
      { schema: { tags: ['auth'], summary: 'End this session' } },
      async (request, reply) => {
        if (request.auth) await auth.logout(request.auth);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send();
      },
    );

    app.post(
      '/auth/logout-all',
      { schema: { tags: ['auth'], summary: 'End every session of this user on every device' } },
      async (request, reply) => {
        await auth.logoutEverywhere(requireActor(request));
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send();
      },
    );

    app.get(
      '/users',
      {
        schema: {
          tags: ['people'],
          summary: 'Users in your scope (administrator)',
          querystring: listQuerySchema.extend({ role: roleSchema.optional() }),
          response: { 200: pageOf(userSchema) },
        },
      },
      async (request) => people.listUsers(requireActor(request), request.query),
    );

    app.post(
      '/users',
      {
        schema: {
          tags: ['people'],
          summary: 'Create a user',
          body: createUserSchema,
          response: { 200: userSchema },
        },
      },
      async (request) => people.createUser(requireActor(request), request.body),
    );

    app.patch(
      '/users/:id',
      {
        schema: {
          tags: ['people'],
          summary: 'Change a user',
          params: idParams,
          body: updateUserSchema,
          response: { 200: userSchema },
        },
      },
      async (request) => people.updateUser(requireActor(request), request.params.id, request.body),
    );

    app.post(
      '/users/:id/password',
      {
        schema: {
          tags: ['people'],
          summary: "Reset a user's password; ends their sessions",
          params: idParams,
          body: resetPasswordSchema,
        },
      },
      async (request, reply) => {
        await people.resetPassword(requireActor(request), request.params.id, request.body.password);
        return reply.status(204).send();
      },
    );

    app.post(
      '/users/:id/unlock',
      {
        schema: {
          tags: ['people'],
          summary: 'Lift a lockout',
          params: idParams,
          response: { 200: userSchema },
        },
      },
      async (request) => people.unlockUser(requireActor(request), request.params.id),
    );

    app.get(
      '/departments',
      {
        schema: {
          tags: ['people'],
          summary: 'Departments (职能部门) in your scope',
          querystring: listQuerySchema,
          response: { 200: pageOf(departmentSchema) },
        },
      },
      async (request) => people.listDepartments(requireActor(request), request.query),
    );

    app.post(
      '/departments',
      {
        schema: {
          tags: ['people'],
          summary: 'Create a department',
          body: createDepartmentSchema,
          response: { 200: departmentSchema },
        },
      },
      async (request) => people.createDepartment(requireActor(request), request.body),
    );

    app.patch(
      '/departments/:id',
      {
        schema: {
          tags: ['people'],
          summary: 'Change a department',
          params: idParams,
          body: updateDepartmentSchema,
          response: { 200: departmentSchema },
        },
      },
      async (request) => people.updateDepartment(requireActor(request), request.params.id, request.body),
    );
  };
