import type { FastifyError } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  checklistDetailSchema,
  checklistImportQuerySchema,
  checklistImportResultSchema,
  checklistListQuerySchema,
  checklistStatusChangeSchema,
  checklistSummarySchema,
  copyChecklistSchema,
  createChecklistSchema,
  MAX_CHECKLIST_BYTES,
  updateChecklistSchema,
} from '../../../shared/checklists.ts';
import { AppError } from '../../errors.ts';
import { requireActor } from '../../http/session.plugin.ts';
import type { ChecklistService } from './checklist.service.ts';

const tags = ['inspections'];
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Content types a browser or script may give an XLSX file; the file's bytes decide what it is. */
const FILE_TYPES = ['application/octet-stream', XLSX_TYPE, 'application/vnd.ms-excel'];

const idParams = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647) });

function sendFileError(summary: { zh: string; en: string }): never {
  throw new AppError('VALIDATION_FAILED', { summary });
}

/** Checklist templates (测评表): versions, items, XLSX import and export. */
export const checklistRoutes =
  (checklists: ChecklistService): FastifyPluginAsyncZod =>
  async (app) => {
    app.addContentTypeParser(
      FILE_TYPES,
      { parseAs: 'buffer', bodyLimit: MAX_CHECKLIST_BYTES },
      (_request, body, done) => done(null, body),
    );
    app.setErrorHandler((error: FastifyError) => {
      if (error.code !== 'FST_ERR_CTP_BODY_TOO_LARGE') throw error;
      sendFileError({
        zh: `文件超过 ${MAX_CHECKLIST_BYTES / 1024 / 1024} MB 上限`,
        en: `the file is over the ${MAX_CHECKLIST_BYTES / 1024 / 1024} MB limit`,
      });
    });

    app.get(
      '/checklists',
      {
        schema: {
          tags,
          summary: 'Checklist templates: the latest version of each code, with its versions and totals',
          querystring: checklistListQuerySchema,
          response: { 200: z.array(checklistSummarySchema) },
        },
      },
      async (request) => checklists.listTemplates(requireActor(request), request.query),
    );

    app.get(
      '/checklists/:id',
      {
        schema: {
          tags,
          summary: 'One template version with its sections and items in order',
          params: idParams,
          response: { 200: checklistDetailSchema },
        },
      },
      async (request) => checklists.getTemplate(requireActor(request), request.params.id),
    );

    app.post(
      '/checklists',
      {
        schema: {
          tags,
          summary: 'Create a template: version 1, a draft (administrator, leader or inspector of the region)',
          body: createChecklistSchema,
          response: { 201: checklistDetailSchema },
        },
      },
      async (request, reply) => {
        const created = await checklists.createTemplate(requireActor(request), request.body);
        return reply.status(201).send(created);
      },
    );

    app.put(
      '/checklists/:id',
      {
        schema: {
          tags,
          summary:
            'Edit a version: an unused draft changes in place; otherwise the edit becomes the next version ' +
            '(a draft, answered with its new id) and this one stays as it is',
          params: idParams,
          body: updateChecklistSchema,
          response: { 200: checklistDetailSchema },
        },
      },
      async (request) => checklists.updateTemplate(requireActor(request), request.params.id, request.body),
    );

    app.post(
      '/checklists/:id/copy',
      {
        schema: {
          tags,
          summary: 'Copy a version under a new code and name: version 1, a draft, of the same region',
          params: idParams,
          body: copyChecklistSchema,
          response: { 201: checklistDetailSchema },
        },
      },
      async (request, reply) => {
        const copy = await checklists.copyTemplate(requireActor(request), request.params.id, request.body);
        return reply.status(201).send(copy);
      },
    );

    app.post(
      '/checklists/:id/activate',
      {
        schema: {
          tags,
          summary:
            'Make this version the one new campaigns use; the version active before is retired (it stays ' +
            'readable, its campaigns keep it)',
          params: idParams,
          body: checklistStatusChangeSchema,
          response: { 200: checklistDetailSchema },
        },
      },
      async (request) =>
        checklists.activateTemplate(requireActor(request), request.params.id, request.body.rowVersion),
    );

    app.post(
      '/checklists/:id/retire',
      {
        schema: {
          tags,
          summary: 'Retire a version: no new campaign may use it; it stays readable with its campaigns',
          params: idParams,
          body: checklistStatusChangeSchema,
          response: { 200: checklistDetailSchema },
        },
      },
      async (request) =>
        checklists.retireTemplate(requireActor(request), request.params.id, request.body.rowVersion),
    );

    app.get(
      '/checklists/:id/export',
      {
        schema: {
          tags,
          summary:
            'The version as XLSX, one row an item under Chinese headers: edit it in Excel, import it back',
          params: idParams,
        },
      },
      async (request, reply) => {
        const file = await checklists.exportTemplate(requireActor(request), request.params.id);
        return reply
          .type(XLSX_TYPE)
          .header('content-disposition', `attachment; filename="${file.fileName}"`)
          .send(file.bytes);
      },
    );

    app.post(
      '/checklists/import',
      {
        schema: {
          tags,
          summary:
            'Import an XLSX template (raw body, ≤ 2 MB, ≤ 500 items): a new code becomes version 1, an existing ' +
            'one gets its next version, a draft either way',
          description:
            'Lines above the header name the template (测评表名称, 测评表编号, 说明, 适用场所); the query may give ' +
            'code and name instead. Columns: 序号, 分类, 检查内容, 分值, 评分方式, 比较, 阈值, 单位, 照片要求, ' +
            '判定口径, 适用场所 (、-separated), 整改分类 (minor class code), 一票否决 (是/否), 立行立改 (是/否), ' +
            '整改时限 (e.g. 3工作日). Any wrong row rejects the whole file: 422 IMPORT_REJECTED with every row ' +
            'and its reasons in error.details.errors.',
          querystring: checklistImportQuerySchema,
          response: { 200: checklistImportResultSchema },
        },
      },
      async (request) => {
        if (!Buffer.isBuffer(request.body) || request.body.length === 0) {
          sendFileError({ zh: '请以 XLSX 文件作为请求体上传', en: 'send the XLSX file as the request body' });
        }
        return checklists.importTemplate(requireActor(request), {
          ...request.query,
          bytes: request.body,
        });
      },
    );
  };
