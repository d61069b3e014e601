import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../http/session.plugin.ts';
import type { NotificationService } from './notification.service.ts';
import { NOTIFICATION_KINDS } from './notification.table.ts';

const tags = ['notifications'];

export const notificationRoutes =
  (notifications: NotificationService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/notifications',
      {
        schema: {
          tags,
          summary:
            'My inbox: new tasks, returns, rework, cases to verify, due soon, overdue and supervised cases',
          querystring: z.object({
            unreadOnly: z.stringbool().optional(),
            limit: z.coerce.number().int().min(1).max(200).default(50),
          }),
          response: {
            200: z.object({
              unread: z.number().int(),
              items: z.array(
                z.object({
                  id: z.number().int(),
                  kind: z.enum(NOTIFICATION_KINDS),
                  caseId: z.number().int().nullable(),
                  text: z.string(),
                  createdAt: z.string(),
                  read: z.boolean(),
                  done: z.boolean().describe('The step it asked for has moved on (read with it)'),
                }),
              ),
            }),
          },
        },
      },
      async (request) => notifications.listInbox(requireActor(request), request.query),
    );

    app.post(
      '/notifications/read',
      {
        schema: {
          tags,
          summary: 'Mark messages as read: the given ids, or all',
          body: z.object({ ids: z.union([z.array(z.number().int()).max(500), z.literal('all')]) }),
        },
      },
      async (request, reply) => {
        await notifications.markRead(requireActor(request), request.body.ids);
        return reply.status(204).send();
      },
    );
  };
