import type { FastifyError } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LOCALES, type Locale } from '../../../shared/errors.ts';
import {
  hotlineImportQuerySchema,
  hotlineImportResultSchema,
  hotlinePreviewSchema,
  MAX_HOTLINE_BYTES,
} from '../../../shared/hotline.ts';
import { AppError } from '../../errors.ts';
import { requireActor } from '../../http/session.plugin.ts';
import type { HotlineFileInput, HotlineService } from './hotline.service.ts';
import { parseAgenciesParam } from './hotline-agencies.ts';
import { parseMappingParam } from './hotline-mapping.ts';
import { fileTooLarge } from './hotline-sheet.ts';

const tags = ['hotline'];

/** Content types a browser or script may give a CSV or XLSX file; the file's bytes decide what it is. */
const FILE_TYPES = [
  'application/octet-stream',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  // Windows browsers label .csv files as Excel files.
  'application/vnd.ms-excel',
  'text/csv',
];

const fileDescription =
  'The CSV (UTF-8 or GBK) or XLSX file is the raw request body (≤ 10 MB, ≤ 20,000 rows). `mapping` overrides ' +
  'the suggested field → header mapping, `agencies` the remembered agency → department mapping of `source`. ' +
  'Times without an offset are read in `timeZone`. An order with its received time becomes a case with its ' +
  'history (registered, dispatched to its agency’s department, closed at its closed time); re-importing a ' +
  'corrected order rewrites that history and counts it as `updated`.';

export const hotlineRoutes =
  (hotline: HotlineService): FastifyPluginAsyncZod =>
  async (app) => {
    // The app reads text/csv as a string; here the bytes are needed to tell UTF-8 from GBK.
    app.removeContentTypeParser('text/csv');
    app.addContentTypeParser(
      FILE_TYPES,
      { parseAs: 'buffer', bodyLimit: MAX_HOTLINE_BYTES },
      (_request, body, done) => done(null, body),
    );
    // A file over the limit is refused with its size and the limit, in the user's language; every other error
    // goes on to the app's handler.
    app.setErrorHandler((error: FastifyError, request) => {
      if (error.code !== 'FST_ERR_CTP_BODY_TOO_LARGE') throw error;
      throw fileTooLarge(Number(request.headers['content-length']) || MAX_HOTLINE_BYTES + 1);
    });

    const fileOf = (request: {
      body: unknown;
      query: z.infer<typeof hotlineImportQuerySchema>;
    }): HotlineFileInput => {
      if (!Buffer.isBuffer(request.body) || request.body.length === 0) {
        throw new AppError('VALIDATION_FAILED', {
          summary: {
            zh: '请以 CSV 或 XLSX 文件作为请求体上传',
            en: 'send the CSV or XLSX file as the request body',
          },
        });
      }
      return {
        fileName: request.query.fileName,
        bytes: request.body,
        mapping: parseMappingParam(request.query.mapping),
        crs: request.query.crs,
        timeZone: request.query.timeZone,
        dateOrder: request.query.dateOrder,
        source: request.query.source,
        agencies: parseAgenciesParam(request.query.agencies),
      };
    };

    app.post(
      '/hotline/preview',
      {
        schema: {
          tags,
          summary:
            'Preview a 12345 export: headers, suggested mapping, the first rows and every problem; writes nothing',
          description: fileDescription,
          querystring: hotlineImportQuerySchema,
          response: { 200: hotlinePreviewSchema },
        },
      },
      async (request) => hotline.previewFile(requireActor(request), fileOf(request)),
    );

    app.post(
      '/hotline/imports',
      {
        schema: {
          tags,
          summary:
            'Import a 12345 export: each valid row becomes a hotline case, idempotent by order number; rejected rows are listed',
          description: fileDescription,
          querystring: hotlineImportQuerySchema,
          response: { 200: hotlineImportResultSchema },
        },
      },
      async (request) => hotline.importFile(requireActor(request), fileOf(request)),
    );

    app.get(
      '/hotline/imports/:id/errors',
      {
        schema: {
          tags,
          summary: 'The rejected rows of an import with a reason column, as XLSX (default) or CSV',
          params: z.object({ id: z.coerce.number().int() }),
          querystring: z.object({
            format: z.enum(['xlsx', 'csv']).default('xlsx'),
            lang: z
              .enum(LOCALES as unknown as [Locale, ...Locale[]])
              .optional()
              .describe('Language of the file; default that of the request'),
          }),
        },
      },
      async (request, reply) => {
        const file = await hotline.errorReport(requireActor(request), request.params.id, {
          format: request.query.format,
          locale: request.query.lang ?? request.locale,
        });
        return reply
          .type(file.contentType)
          .header('content-disposition', `attachment; filename="${file.fileName}"`)
          .send(file.bytes);
      },
    );
  };
