import type { FastifyError } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createFormSchema,
  formDetailSchema,
  formListQuerySchema,
  formSummarySchema,
  formVersionSchema,
  MAX_XLSFORM_BYTES,
  publishFormSchema,
  saveDraftSchema,
  xlsformImportQuerySchema,
  xlsformImportResultSchema,
} from '../../../shared/forms.ts';
import { AppError } from '../../errors.ts';
import { requireActor } from '../../http/session.plugin.ts';
import type { FormService } from './form.service.ts';

const tags = ['forms'];
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Content types a browser or script may give an XLSX file; the file's bytes decide what it is. */
const FILE_TYPES = ['application/octet-stream', XLSX_TYPE, 'application/vnd.ms-excel'];
const idParams = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647) });

function fileError(summary: { zh: string; en: string }): never {
  throw new AppError('VALIDATION_FAILED', { summary });
}

/**
 * Form definitions (表单). Reading: every signed-in role, for the forms of its subtree and of the regions above
 * it. Building, saving, publishing and importing: administrators and leaders, within their scope.
 */
export const formRoutes =
  (forms: FormService): FastifyPluginAsyncZod =>
  async (app) => {
    app.addContentTypeParser(
      FILE_TYPES,
      { parseAs: 'buffer', bodyLimit: MAX_XLSFORM_BYTES },
      (_request, body, done) => done(null, body),
    );
    app.setErrorHandler((error: FastifyError) => {
      if (error.code !== 'FST_ERR_CTP_BODY_TOO_LARGE') throw error;
      fileError({
        zh: `文件超过 ${MAX_XLSFORM_BYTES / 1024 / 1024} MB 上限`,
        en: `the file is over the ${MAX_XLSFORM_BYTES / 1024 / 1024} MB limit`,
      });
    });

    app.get(
      '/forms',
      {
        schema: {
          tags,
          summary:
            'Forms you can read (any signed-in role): your subtree’s and those of the regions above you',
          querystring: formListQuerySchema,
          response: { 200: z.array(formSummarySchema) },
        },
      },
      async (request) => forms.listForms(requireActor(request), request.query),
    );

    app.get(
      '/forms/:id',
      {
        schema: {
          tags,
          summary:
            'One form with its newest version’s questions and its versions (any signed-in role, in scope)',
          params: idParams,
          response: { 200: formDetailSchema },
        },
      },
      async (request) => forms.getForm(requireActor(request), request.params.id),
    );

    app.get(
      '/form-versions/:id',
      {
        schema: {
          tags,
          summary: 'One version’s questions, to render it (any signed-in role whose scope reads the form)',
          params: idParams,
          response: { 200: formVersionSchema },
        },
      },
      async (request) => forms.getVersion(requireActor(request), request.params.id),
    );

    app.post(
      '/forms',
      {
        schema: {
          tags,
          summary:
            'Create a form, version 1 as a draft (administrator, leader; owned by regionCode or your scope)',
          description:
            'The definition is checked before saving: unique names, choices on choice questions, expressions ' +
            'that parse and read earlier questions only, registry fields on questions of their type, each ' +
            'raisesCase category an active matter minor class. A 400 names the field (definition.questions.2.relevant).',
          body: createFormSchema,
          response: { 201: formDetailSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await forms.createForm(requireActor(request), request.body)),
    );

    app.put(
      '/forms/:id',
      {
        schema: {
          tags,
          summary:
            'Save the questions (administrator, leader in scope): the draft changes in place; after publishing, ' +
            'the save becomes the next version, a draft. A stale rowVersion gets 409',
          params: idParams,
          body: saveDraftSchema,
          response: { 200: formDetailSchema },
        },
      },
      async (request) => forms.saveDraft(requireActor(request), request.params.id, request.body),
    );

    app.post(
      '/forms/:id/publish',
      {
        schema: {
          tags,
          summary: 'Publish the draft (administrator, leader in scope): it never changes again',
          params: idParams,
          body: publishFormSchema,
          response: { 200: formDetailSchema },
        },
      },
      async (request) => forms.publishForm(requireActor(request), request.params.id, request.body.rowVersion),
    );

    app.post(
      '/forms/import',
      {
        schema: {
          tags,
          summary:
            'Import an XLSForm (raw XLSX body, ≤ 2 MB; administrator, leader): a new code becomes a new form, an ' +
            'existing one its next version, a draft either way',
          description:
            'Sheets survey, choices and settings (form_title, form_id). The supported subset is in docs/forms.md. ' +
            'Any row outside it rejects the whole file: 422 IMPORT_REJECTED with every row (line = the row ' +
            'number, code = the sheet) and its reason in error.details.errors.',
          querystring: xlsformImportQuerySchema,
          response: { 200: xlsformImportResultSchema },
        },
      },
      async (request) => {
        if (!Buffer.isBuffer(request.body) || request.body.length === 0) {
          fileError({ zh: '请以 XLSX 文件作为请求体上传', en: 'send the XLSX file as the request body' });
        }
        return forms.importXlsform(requireActor(request), {
          ...request.query,
          fileName: 'upload.xlsx',
          bytes: request.body,
        });
      },
    );
  };
