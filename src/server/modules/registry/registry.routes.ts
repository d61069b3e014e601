import { PassThrough, type Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LOCALES, type Locale, localize } from '../../../shared/errors.ts';
import {
  coverageSchema,
  historyEntrySchema,
  IMPORT_STATUSES,
  MAX_REGISTRY_UPLOAD_BYTES,
  personalDataLogEntrySchema,
  personalDataLogQuerySchema,
  REGISTRY_ENTITIES,
  REGISTRY_ENTITY_LABELS,
  REGISTRY_INPUT_SCHEMAS,
  REGISTRY_PATHS,
  REGISTRY_RECORD_SCHEMAS,
  REGISTRY_UPDATE_SCHEMAS,
  type RegistryEntity,
  type RegistryListQuery,
  registryExportQuerySchema,
  registryImportQuerySchema,
  registryImportSchema,
  registryListQuerySchemas,
  registryPageOf,
  registryPreviewSchema,
  registrySearchQuerySchema,
  registrySearchResultSchema,
  relocationResultSchema,
  revealInputSchema,
  revealResultSchema,
  SENSITIVE_FIELDS,
} from '../../../shared/registry.ts';
import { regionCodeSchema } from '../../../shared/territory.ts';
import { AppError } from '../../errors.ts';
import { requireActor } from '../../http/session.plugin.ts';
import type { RegistryService } from './registry.service.ts';
import { createTableWriter, type FileFormat, limitBytes, type TableWriter } from './registry-file.ts';
import type { RegistryImportService } from './registry-import.service.ts';

const tags = ['registry'];
const idParams = z.object({ id: z.coerce.number().int() });

/** Content types a browser or script may give a CSV or XLSX file; the file's bytes decide what it is. */
const FILE_TYPES = [
  'application/octet-stream',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  // Windows browsers label .csv files as Excel files.
  'application/vnd.ms-excel',
  'text/csv',
];
const CONTENT_TYPES: Record<FileFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** A list's filters without its paging: what an export takes. */
function filtersOf(entity: RegistryEntity) {
  const { page: _page, pageSize: _pageSize, ...filters } = registryListQuerySchemas[entity].shape;
  return filters;
}

function attachment(reply: FastifyReply, format: FileFormat, fileName: string): FastifyReply {
  return reply
    .type(CONTENT_TYPES[format])
    .header(
      'content-disposition',
      `attachment; filename="${fileName}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    );
}

export const registryRoutes =
  (registry: RegistryService, imports: RegistryImportService): FastifyPluginAsyncZod =>
  async (app) => {
    // Imports read the upload as it streams in: the body reaches the handler unread.
    app.removeContentTypeParser('text/csv');
    app.addContentTypeParser(FILE_TYPES, (_request, payload, done) => done(null, payload));

    const uploadOf = (body: unknown): Readable => {
      if (!body || typeof (body as Readable).pipe !== 'function') {
        throw new AppError('VALIDATION_FAILED', {
          summary: {
            zh: '请以 CSV 或 XLSX 文件作为请求体上传（Content-Type: text/csv 或 application/octet-stream）',
            en: 'send the CSV or XLSX file as the request body (Content-Type: text/csv or application/octet-stream)',
          },
        });
      }
      return limitBytes(body as Readable, MAX_REGISTRY_UPLOAD_BYTES);
    };

    for (const entity of REGISTRY_ENTITIES) {
      const path = `/registry/${REGISTRY_PATHS[entity]}`;
      const label = REGISTRY_ENTITY_LABELS[entity].en.toLowerCase();
      const record = REGISTRY_RECORD_SCHEMAS[entity];

      app.get(
        path,
        {
          schema: {
            tags,
            summary: `List ${label} records in your scope, newest first; personal data masked per role`,
            querystring: registryListQuerySchemas[entity],
            response: { 200: registryPageOf(record) },
          },
        },
        async (request) =>
          registry.listRecords(
            requireActor(request),
            entity,
            request.query as RegistryListQuery<typeof entity>,
          ),
      );

      app.post(
        path,
        {
          schema: {
            tags,
            summary: `Record a new ${label}; located into its grid. 409 when its natural key exists`,
            body: REGISTRY_INPUT_SCHEMAS[entity],
            response: { 200: record },
          },
        },
        async (request) => registry.createRecord(requireActor(request), entity, request.body as never),
      );

      app.get(
        `${path}/export`,
        {
          schema: {
            tags,
            summary: `Export ${label} records (scope, region and filters of the list) as XLSX or CSV, masked per role`,
            querystring: z.object({ ...filtersOf(entity), ...registryExportQuerySchema.shape }),
          },
        },
        async (request, reply) => {
          const query = request.query as RegistryListQuery<typeof entity> & { format: FileFormat };
          const out = new PassThrough();
          let writer: TableWriter | null = null;
          try {
            await registry.exportRecords(requireActor(request), entity, query, {
              async headers(headers) {
                const date = new Date().toISOString().slice(0, 10);
                void attachment(
                  reply,
                  query.format,
                  `registry-${REGISTRY_PATHS[entity]}-${date}.${query.format}`,
                ).send(out);
                writer = createTableWriter(query.format, out, {
                  sheetName: REGISTRY_ENTITY_LABELS[entity].zh,
                });
                await writer.row(headers);
              },
              async row(cells) {
                await writer?.row(cells);
              },
            });
            await (writer as TableWriter | null)?.end();
          } catch (error) {
            if (!writer) throw error;
            out.destroy(error as Error);
          }
          return reply;
        },
      );

      app.post(
        `${path}/import`,
        {
          schema: {
            tags,
            summary: `Import ${label} records from CSV or XLSX: good rows written (upsert by natural key), bad rows reported`,
            description:
              'The file is the raw request body, read as it streams in (≤ 512 MB). Each row is checked on its own; ' +
              'rejected rows are listed with their reasons (the first 100 in the answer, all in ' +
              '`GET /registry/imports/{id}/errors`). Importing the same file again changes nothing. While it ' +
              'runs, `GET /registry/imports?status=running` shows its progress.',
            querystring: registryImportQuerySchema,
            response: { 200: registryImportSchema },
          },
        },
        async (request) =>
          imports.importFile(requireActor(request), entity, {
            stream: uploadOf(request.body),
            fileName: request.query.fileName,
            mapping: request.query.mapping,
            crs: request.query.crs,
          }),
      );

      app.get(
        `${path}/import/template`,
        {
          schema: {
            tags,
            summary: `An empty ${label} file to fill in: the header row in your language, required columns first`,
            querystring: registryExportQuerySchema.pick({ format: true }),
          },
        },
        async (request, reply) => {
          const actor = requireActor(request);
          const headers = imports.templateHeaders(actor, entity);
          const out = new PassThrough();
          const { format } = request.query;
          void attachment(reply, format, `registry-${REGISTRY_PATHS[entity]}-template.${format}`).send(out);
          const writer = createTableWriter(format, out, {
            sheetName: localize(REGISTRY_ENTITY_LABELS[entity], actor.locale),
          });
          await writer.row(headers);
          await writer.end();
          return reply;
        },
      );

      app.post(
        `${path}/import/preview`,
        {
          schema: {
            tags,
            summary: `Preview a ${label} file: headers, suggested column mapping, the first rows and their problems`,
            querystring: registryImportQuerySchema,
            response: { 200: registryPreviewSchema },
          },
        },
        async (request) =>
          imports.previewFile(requireActor(request), entity, {
            stream: uploadOf(request.body),
            fileName: request.query.fileName,
            mapping: request.query.mapping,
            crs: request.query.crs,
          }),
      );

      app.get(
        `${path}/:id`,
        { schema: { tags, summary: `One ${label} record`, params: idParams, response: { 200: record } } },
        async (request) => registry.getRecord(requireActor(request), entity, request.params.id),
      );

      app.patch(
        `${path}/:id`,
        {
          schema: {
            tags,
            summary: `Change a ${label} record at the version you read (409 when it moved on); located again`,
            params: idParams,
            body: REGISTRY_UPDATE_SCHEMAS[entity],
            response: { 200: record },
          },
        },
        async (request) =>
          registry.updateRecord(
            requireActor(request),
            entity,
            request.params.id,
            request.body as Record<string, unknown> & { version: number },
          ),
      );

      app.delete(
        `${path}/:id`,
        {
          schema: {
            tags,
            summary: `Delete a ${label} record no other record hangs off (administrator)`,
            params: idParams,
            querystring: z.object({ version: z.coerce.number().int() }),
          },
        },
        async (request, reply) => {
          await registry.removeRecord(
            requireActor(request),
            entity,
            request.params.id,
            request.query.version,
          );
          return reply.status(204).send();
        },
      );

      app.get(
        `${path}/:id/history`,
        {
          schema: {
            tags,
            summary: `What was done to a ${label} record, oldest first (personal data masked)`,
            params: idParams,
            response: { 200: z.array(historyEntrySchema) },
          },
        },
        async (request) => registry.getHistory(requireActor(request), entity, request.params.id),
      );

      const sensitive = (SENSITIVE_FIELDS as Partial<Record<RegistryEntity, readonly string[]>>)[entity];
      if (sensitive) {
        app.post(
          `${path}/:id/reveal`,
          {
            schema: {
              tags,
              summary: `Show one personal data field of a ${label} in clear (${sensitive.join(', ')}); recorded in the log`,
              params: idParams,
              body: revealInputSchema,
              response: { 200: revealResultSchema },
            },
          },
          async (request) =>
            registry.reveal(requireActor(request), entity, request.params.id, request.body.field),
        );
      }
    }

    app.get(
      '/registry/search',
      {
        schema: {
          tags,
          summary: 'Search the registry across types: names, address fragments, ID numbers, phones, codes',
          querystring: registrySearchQuerySchema,
          response: { 200: registrySearchResultSchema },
        },
      },
      async (request) => registry.search(requireActor(request), request.query),
    );

    app.get(
      '/registry/coverage',
      {
        schema: {
          tags,
          summary: 'Registry figures of a region and each of its children (default: your scope root)',
          querystring: z.object({ root: regionCodeSchema.optional() }),
          response: { 200: coverageSchema },
        },
      },
      async (request) => registry.coverage(requireActor(request), request.query.root),
    );

    app.post(
      '/registry/relocate',
      {
        schema: {
          tags,
          summary:
            'Place every record into its grid again (administrator of the whole deployment; 403 for a village administrator); boundary imports do it themselves',
          response: { 200: relocationResultSchema },
        },
      },
      async (request) => registry.relocateAll(requireActor(request)),
    );

    app.get(
      '/registry/personal-data-log',
      {
        schema: {
          tags,
          summary:
            'Who saw personal data in clear, newest first: reveals, reads by role, exports (administrator)',
          querystring: personalDataLogQuerySchema,
          response: { 200: z.array(personalDataLogEntrySchema) },
        },
      },
      async (request) => registry.personalDataLog(requireActor(request), request.query),
    );

    app.get(
      '/registry/imports',
      {
        schema: {
          tags,
          summary: 'Registry imports in your scope, newest first; status=running shows one in progress',
          querystring: z.object({
            entity: z.enum(REGISTRY_ENTITIES).optional(),
            status: z.enum(IMPORT_STATUSES).optional(),
            page: z.coerce.number().int().min(1).default(1),
            pageSize: z.coerce.number().int().min(1).max(100).default(20),
          }),
          response: { 200: z.array(registryImportSchema) },
        },
      },
      async (request) => imports.listImports(requireActor(request), request.query),
    );

    app.get(
      '/registry/imports/:id',
      {
        schema: {
          tags,
          summary: 'One import: its counts (so far, while it runs) and first rejected rows',
          params: idParams,
          response: { 200: registryImportSchema },
        },
      },
      async (request) => imports.getImport(requireActor(request), request.params.id),
    );

    app.get(
      '/registry/imports/:id/errors',
      {
        schema: {
          tags,
          summary: 'Every rejected row of an import with its reason, as XLSX (default) or CSV',
          params: idParams,
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
        const report = await imports.errorReport(requireActor(request), request.params.id, {
          format: request.query.format,
          locale: request.query.lang ?? request.locale,
        });
        const out = new PassThrough();
        void attachment(reply, request.query.format, report.fileName).send(out);
        report.write(out).catch((error: Error) => out.destroy(error));
        return reply;
      },
    );
  };
