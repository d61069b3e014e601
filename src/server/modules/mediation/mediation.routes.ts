import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  assignMediatorSchema,
  confirmationInputSchema,
  disputeCategorySchema,
  extensionInputSchema,
  figuresQuerySchema,
  figuresSchema,
  followUpInputSchema,
  mediationDetailSchema,
  mediationListQuerySchema,
  mediationPageSchema,
  openMediationSchema,
  PARTY_FIELDS,
  referInputSchema,
  revealPartySchema,
  sessionInputSchema,
  setDisputeCategoriesSchema,
  settleInputSchema,
} from '../../../shared/mediation.ts';
import { sendDocument } from '../../http/send-document.ts';
import { requireActor } from '../../http/session.plugin.ts';
import type { Actor } from '../people/actor.ts';
import type { MediationService } from './mediation.service.ts';
import type { createMediationDocuments } from './mediation-documents.ts';
import type { mediationFigures } from './mediation-figures.repository.ts';

const tags = ['mediation'];
const idParams = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647) });
const versioned = z.object({ version: z.number().int().min(1).max(2_147_483_647) });

export interface MediationRouteDeps {
  service: MediationService;
  documents: ReturnType<typeof createMediationDocuments>;
  figures: (actor: Actor, query: z.infer<typeof figuresQuerySchema>) => ReturnType<typeof mediationFigures>;
}

/**
 * Dispute mediation (人民调解). Readers: administrator, leader, dispatcher, mediator, grid worker, each within their
 * data scope; parties' names and personal data masked by role (GET answers), revealed one field at a time with an
 * audit entry. Openers: administrator, dispatcher, mediator. Writers (sessions, extensions, outcome, follow-up):
 * administrator and mediators of the village or town.
 */
export const mediationRoutes =
  ({ service: mediation, documents, figures }: MediationRouteDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/mediations',
      {
        schema: {
          tags,
          summary: 'Mediations in your scope, newest first (readers); filters drill down from the figures',
          querystring: mediationListQuerySchema,
          response: { 200: mediationPageSchema },
        },
      },
      async (request) => mediation.listMediations(requireActor(request), request.query),
    );

    app.post(
      '/mediations',
      {
        schema: {
          tags,
          summary:
            'Open a mediation (administrator, dispatcher, mediator): from a dispute case (it moves to 处置中) or a desk application',
          body: openMediationSchema,
          response: { 201: mediationDetailSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await mediation.openMediation(requireActor(request), request.body)),
    );

    app.get(
      '/mediations/figures',
      {
        schema: {
          tags,
          summary:
            'Handled, settled, settlement / on-time / follow-up / performance rates by village, mediator and month (readers)',
          querystring: figuresQuerySchema,
          response: { 200: figuresSchema },
        },
      },
      async (request) => figures(requireActor(request), request.query),
    );

    app.get(
      '/mediations/categories',
      {
        schema: {
          tags,
          summary: 'The case categories that are disputes and follow the mediation path (readers)',
          response: { 200: z.array(disputeCategorySchema) },
        },
      },
      async (request) => mediation.listDisputeCategories(requireActor(request)),
    );

    app.put(
      '/mediations/categories',
      {
        schema: {
          tags,
          summary: 'Set the dispute categories and their dispute types (administrator)',
          body: setDisputeCategoriesSchema,
          response: { 200: z.array(disputeCategorySchema) },
        },
      },
      async (request) => mediation.setDisputeCategories(requireActor(request), request.body),
    );

    app.get(
      '/mediations/:id',
      {
        schema: {
          tags,
          summary: 'One mediation with parties (masked by role), sessions, extensions, agreement or referral',
          params: idParams,
          response: { 200: mediationDetailSchema },
        },
      },
      async (request) => mediation.getMediation(requireActor(request), request.params.id),
    );

    const write = <S extends z.ZodType>(
      path: string,
      summary: string,
      body: S,
      run: (actor: Actor, id: number, body: z.infer<S>) => Promise<unknown>,
    ) =>
      app.post(
        `/mediations/:id/${path}`,
        { schema: { tags, summary, params: idParams, body, response: { 200: mediationDetailSchema } } },
        async (request) => run(requireActor(request), request.params.id, request.body as z.infer<S>) as never,
      );

    write(
      'mediator',
      'Assign the mediator (administrator, mediator)',
      assignMediatorSchema,
      mediation.assignMediator,
    );
    write(
      'sessions',
      'Record a session: transcript under the standard procedure, matter and result only under the simplified one',
      sessionInputSchema.extend(versioned.shape),
      mediation.recordSession,
    );
    write(
      'extensions',
      'Extend the 30-day limit with the parties’ consent (the new limit is recorded)',
      extensionInputSchema,
      mediation.extend,
    );
    write(
      'settle',
      'Settled: record the mediation agreement (调解协议书); the case is marked handled, follow-up and confirmation fall due',
      settleInputSchema,
      mediation.settle,
    );
    write(
      'refer',
      'Not settled: refer on to litigation, arbitration or a department with the reason; the case is marked handled',
      referInputSchema,
      mediation.refer,
    );
    write(
      'follow-up',
      'Record the follow-up visit (回访) on performance',
      followUpInputSchema,
      mediation.recordFollowUp,
    );
    write(
      'confirmation',
      'Record whether the parties applied for judicial confirmation (司法确认)',
      confirmationInputSchema,
      mediation.recordConfirmation,
    );

    app.post(
      '/mediations/:id/reveal',
      {
        schema: {
          tags,
          summary:
            "One party's ID number or phone in clear (mediator, administrator; dispatcher: phone); audited",
          params: idParams,
          body: revealPartySchema,
          response: { 200: z.object({ field: z.enum(PARTY_FIELDS), value: z.string().nullable() }) },
        },
      },
      async (request) =>
        mediation.revealParty(
          requireActor(request),
          request.params.id,
          request.body.partyId,
          request.body.field,
        ),
    );

    for (const format of ['pdf', 'docx'] as const) {
      app.get(
        `/mediations/:id/agreement.${format}`,
        {
          schema: {
            tags,
            summary: `The mediation agreement (人民调解协议书) as ${format === 'pdf' ? 'PDF' : 'Word (.docx)'} with signature lines (administrator, mediator; audited)`,
            params: idParams,
          },
        },
        async (request, reply) =>
          sendDocument(reply, await documents.agreement(requireActor(request), request.params.id, format)),
      );
    }
  };
