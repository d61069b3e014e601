import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { caseRevealInputSchema, caseRevealResultSchema } from '../../../shared/case-privacy.ts';
import type { ActionInputs, CaseAction } from '../../../shared/case-workflow.ts';
import {
  BULK_ACTIONS,
  bulkActionBodySchema,
  bulkActionInputSchemas,
  bulkOutcomeSchema,
  CASE_ACTION_NAMES,
  caseActionInputSchemas,
  caseDetailSchema,
  caseListQuerySchema,
  caseSummarySchema,
  moderateCaseSchema,
  reportCaseSchema,
} from '../../../shared/cases.ts';
import { errorMessage, type Locale, pickLanguage } from '../../../shared/errors.ts';
import { pageOf } from '../../../shared/people.ts';
import { workSummarySchema } from '../../../shared/work.ts';
import { AppError } from '../../errors.ts';
import { sendDocument } from '../../http/send-document.ts';
import { requireActor } from '../../http/session.plugin.ts';
import type { CaseService } from './case.service.ts';
import { renderCaseSheetPdf } from './case-sheet.ts';

const tags = ['cases'];
const RESERVED_CLIENT_KEY = /^(hotline|portal|visit|taskbook):/;
const RESERVED_KEY_TEXT =
  '不能以 hotline:、portal:、visit: 或 taskbook: 开头（为 12345 工单、公众门户、督查整改和任务书保留）|may not start with hotline:, portal:, visit: or taskbook: (kept for 12345 orders, the portal, rectifications and task books)';
const idParams = z.object({ id: z.coerce.number().int() });

export const caseRoutes =
  (cases: CaseService): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/cases',
      {
        schema: {
          tags,
          summary: 'Report a case (上报); idempotent by clientKey. Answers with the case summary',
          body: reportCaseSchema,
          response: { 200: caseSummarySchema },
        },
      },
      async (request) => {
        const actor = requireActor(request);
        const { clientKey } = request.body;
        // Keys of the system's own intakes (12345 orders, portal reports, rectifications, task books) are not a user's to take: a user who
        // took `hotline:<next order number>` would make that order's import find it imported already.
        if (clientKey && RESERVED_CLIENT_KEY.test(clientKey)) {
          const message = pickLanguage(RESERVED_KEY_TEXT, actor.locale);
          throw new AppError(
            'VALIDATION_FAILED',
            { summary: `clientKey: ${message}` },
            { issues: [{ path: 'clientKey', message }] },
          );
        }
        return cases.reportCase(actor, request.body);
      },
    );

    app.get(
      '/cases/export',
      {
        schema: {
          tags,
          summary: 'The case list as filtered, as XLSX (up to 10,000 cases; no reporter names or phones)',
          querystring: caseListQuerySchema.omit({ page: true, pageSize: true }),
        },
      },
      async (request, reply) => {
        const actor = requireActor(request);
        const file = await cases.exportCases(actor, { ...request.query, page: 1, pageSize: 200 });
        const day = new Date().toISOString().slice(0, 10);
        return reply
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', `attachment; filename="cases-${day}.xlsx"`)
          .send(file);
      },
    );

    app.get(
      '/work',
      {
        schema: {
          tags,
          summary:
            'My work (工作台): the queues waiting for your role, each counted as the case list counts its filter',
          response: { 200: workSummarySchema },
        },
      },
      async (request) => cases.workSummary(requireActor(request)),
    );

    app.get(
      '/cases',
      {
        schema: {
          tags,
          summary:
            'The queue: cases in your scope (department handlers: your department’s), earliest due first',
          querystring: caseListQuerySchema,
          response: {
            200: pageOf(caseSummarySchema).extend({
              more: z
                .boolean()
                .describe('True when more cases match than `total` counts (counting stops at 10,000)'),
            }),
          },
        },
      },
      async (request) => cases.listCases(requireActor(request), request.query),
    );

    app.get(
      '/cases/duplicates',
      {
        schema: {
          tags,
          summary:
            'Open cases of a category near a point, reported recently: possible duplicates of a new report',
          querystring: z.object({
            categoryId: z.coerce.number().int(),
            lon: z.coerce.number().min(-180).max(180),
            lat: z.coerce.number().min(-90).max(90),
          }),
          response: { 200: z.array(caseSummarySchema) },
        },
      },
      async (request) => cases.findPossibleDuplicates(requireActor(request), request.query),
    );

    app.get(
      '/cases/:id',
      {
        schema: {
          tags,
          summary: 'One case with its timeline and the actions you may take',
          params: idParams,
          response: { 200: caseDetailSchema },
        },
      },
      async (request) => cases.getCase(requireActor(request), request.params.id),
    );

    app.get(
      '/cases/:id/sheet',
      {
        schema: {
          tags,
          summary:
            'The printable case sheet (案件处置单) as PDF: the case as you may see it (phones masked as on the page)',
          params: idParams,
        },
      },
      async (request, reply) => {
        const detail = await cases.getCase(requireActor(request), request.params.id);
        return sendDocument(reply, {
          bytes: await renderCaseSheetPdf(detail, new Date()),
          contentType: 'application/pdf',
          fileName: `案件处置单-${detail.caseNumber}.pdf`,
          asciiName: `case-sheet-${detail.caseNumber}.pdf`,
        });
      },
    );

    app.post(
      '/cases/:id/actions/:action',
      {
        schema: {
          tags,
          summary: 'Take a workflow action: register, reject, dispatch, accept, return, finish, verifyPass …',
          description:
            'The body carries `version` (the case version you read; 409 when someone acted first) and the ' +
            "action's own fields. See docs/case-workflow.md for the states, actions and who may take them.",
          params: idParams.extend({ action: z.enum(CASE_ACTION_NAMES as [CaseAction, ...CaseAction[]]) }),
          body: z.looseObject({ version: z.number().int() }),
          response: { 200: caseDetailSchema },
        },
      },
      async (request) => {
        const actor = requireActor(request);
        const { action, id } = request.params;
        const { version, ...rest } = request.body;
        const input = parseInput(caseActionInputSchemas[action], rest, actor.locale);
        return cases.actOnCase(actor, {
          caseId: id,
          action,
          version,
          input: input as ActionInputs[typeof action],
        });
      },
    );

    app.post(
      '/cases/:id/moderation',
      {
        schema: {
          tags,
          summary:
            'Hide the description or a photo of a case from the public (portal, Open311), with a reason',
          description:
            'Dispatchers and administrators, within their scope. Audited (`case.moderate`) with the reason; the ' +
            'public view then says “内容已隐藏”. Staff still see everything.',
          params: idParams,
          body: moderateCaseSchema,
          response: { 200: caseDetailSchema },
        },
      },
      async (request) => cases.moderateCase(requireActor(request), request.params.id, request.body),
    );

    app.post(
      '/cases/:id/moderation/restore',
      {
        schema: {
          tags,
          summary: 'Show a hidden description or photo of a case to the public again, with a reason',
          description:
            'Dispatchers and administrators, within their scope. Audited (`case.moderate.restore`) with the reason.',
          params: idParams,
          body: moderateCaseSchema,
          response: { 200: caseDetailSchema },
        },
      },
      async (request) =>
        cases.moderateCase(requireActor(request), request.params.id, request.body, 'restore'),
    );

    app.post(
      '/cases/:id/reveal',
      {
        schema: {
          tags,
          summary: "Show the reporter's phone of a case in clear, once; audited",
          description:
            'For roles that see it masked but may reveal it (administrators, grid workers, inspectors, department ' +
            'handlers), on a case in their scope. Recorded in the audit log (`case.reveal`) with who and when, ' +
            "as the registry's reveals are. Leaders see it masked only.",
          params: idParams,
          body: caseRevealInputSchema,
          response: { 200: caseRevealResultSchema },
        },
      },
      async (request, reply) =>
        reply
          .header('cache-control', 'no-store')
          .send(await cases.revealCase(requireActor(request), request.params.id, request.body.field)),
    );

    app.post(
      '/cases/bulk/:action',
      {
        schema: {
          tags,
          summary: 'Register, dispatch or supervise up to 100 cases at once; each outcome reported',
          description:
            'Each case is its own transaction: one refused (moved on, out of scope) does not stop the rest. ' +
            'A dispatch without `leadDepartmentId` sends each case where the routing rules say.',
          params: z.object({ action: z.enum(BULK_ACTIONS) }),
          body: bulkActionBodySchema,
          response: { 200: z.object({ outcomes: z.array(bulkOutcomeSchema) }) },
        },
      },
      async (request) => {
        const actor = requireActor(request);
        const { action } = request.params;
        const input = parseInput(bulkActionInputSchemas[action], request.body.input, actor.locale);
        const outcomes = await cases.actOnCases(actor, { action, items: request.body.items, input });
        return {
          outcomes: outcomes.map(({ error, ...outcome }) => ({
            ...outcome,
            error: error && {
              code: error.code,
              message: errorMessage(error.code, error.params, request.locale),
            },
          })),
        };
      },
    );
  };

/** An action's own fields, checked by its schema; problems come back in the user's language. */
function parseInput(schema: z.ZodType, value: unknown, locale: Locale): object {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data as object;
  const issues = parsed.error.issues.map((i) => ({
    path: i.path.join('.'),
    message: pickLanguage(i.message, locale),
  }));
  throw new AppError(
    'VALIDATION_FAILED',
    { summary: issues.map((i) => `${i.path}: ${i.message}`).join('; ') },
    { issues },
  );
}
