import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CHECKPOINT_EXPORT_ROLES,
  CHECKPOINT_LOGGER_ROLES,
  CHECKPOINT_MANAGER_ROLES,
  CHECKPOINT_READER_ROLES,
  checkpointDetailSchema,
  checkpointInputSchema,
  checkpointListQuerySchema,
  checkpointListSchema,
  checkpointPatchSchema,
  countQuerySchema,
  dailyCountListSchema,
  entryBatchResultSchema,
  entryBatchSchema,
  entryListQuerySchema,
  entryPageSchema,
  exportQuerySchema,
  MAX_ENTRIES_PER_BATCH,
  revealResultSchema,
  rosterInputSchema,
  staffListSchema,
} from '../../../shared/checkpoints.ts';
import { requireActor } from '../../http/session.plugin.ts';
import { createTableWriter, type FileFormat, type TableWriter } from '../registry/registry-file.ts';
import type { CheckpointService, TableSink } from './checkpoint.service.ts';
import { COUNT_HEADERS, countCells, ENTRY_HEADERS, entryCells } from './checkpoint-export.ts';

const tags = ['checkpoints'];
const idParams = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647) });
const roles = (list: readonly string[]) => `Roles: ${list.join(', ')}. Within the caller's data scope.`;

const CONTENT_TYPES: Record<FileFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * Streams a table as CSV or XLSX. The file starts only once the service has checked the request and written the
 * header row, so a refusal is still an ordinary JSON error.
 */
async function sendTable(
  reply: FastifyReply,
  format: FileFormat,
  fileName: string,
  produce: (sink: TableSink) => Promise<number>,
): Promise<FastifyReply> {
  const out = new PassThrough();
  let writer: TableWriter | null = null;
  try {
    await produce({
      async headers(headers) {
        void reply
          .type(CONTENT_TYPES[format])
          .header(
            'content-disposition',
            `attachment; filename="${fileName}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
          )
          .send(out);
        writer = createTableWriter(format, out, { sheetName: 'checkpoints' });
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
}

/** Checkpoints (卡点): set-up and rosters in the console, entries from the phone, counts and exports. */
export const checkpointRoutes =
  (service: CheckpointService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/checkpoints',
      {
        schema: {
          tags,
          summary: 'Checkpoints in your scope, with today’s totals and who is on duty now',
          description: roles(CHECKPOINT_READER_ROLES),
          querystring: checkpointListQuerySchema,
          response: { 200: checkpointListSchema },
        },
      },
      async (request) => service.listCheckpoints(requireActor(request), request.query),
    );

    app.post(
      '/checkpoints',
      {
        schema: {
          tags,
          summary: 'Place a checkpoint (located into its leaf grid by its point)',
          description: `${roles(CHECKPOINT_MANAGER_ROLES)} 400 naming lon when the point lies in no grid.`,
          body: checkpointInputSchema,
          response: { 201: checkpointDetailSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await service.createCheckpoint(requireActor(request), request.body)),
    );

    app.get(
      '/checkpoints/daily-counts',
      {
        schema: {
          tags,
          summary: 'Per checkpoint and day (Asia/Shanghai): people and vehicles in and out, stopped, fever',
          description: roles(CHECKPOINT_READER_ROLES),
          querystring: countQuerySchema,
          response: { 200: dailyCountListSchema },
        },
      },
      async (request) => service.dailyCounts(requireActor(request), request.query),
    );

    app.get(
      '/checkpoints/daily-counts/export',
      {
        schema: {
          tags,
          summary: 'The daily counts as XLSX (default) or CSV',
          description: roles(CHECKPOINT_EXPORT_ROLES),
          querystring: exportQuerySchema,
        },
      },
      async (request, reply) => {
        const { format, ...query } = request.query;
        const actor = requireActor(request);
        return sendTable(reply, format, `checkpoint-counts.${format}`, (sink) =>
          service.exportCounts(actor, query, sink, COUNT_HEADERS[actor.locale], countCells),
        );
      },
    );

    app.get(
      '/checkpoints/:id',
      {
        schema: {
          tags,
          summary: 'One checkpoint with its duty roster',
          description: roles(CHECKPOINT_READER_ROLES),
          params: idParams,
          response: { 200: checkpointDetailSchema },
        },
      },
      async (request) => service.getCheckpoint(requireActor(request), request.params.id),
    );

    app.patch(
      '/checkpoints/:id',
      {
        schema: {
          tags,
          summary: 'Change a checkpoint (a moved point is located again); 409 when the version moved on',
          description: roles(CHECKPOINT_MANAGER_ROLES),
          params: idParams,
          body: checkpointPatchSchema,
          response: { 200: checkpointDetailSchema },
        },
      },
      async (request) => service.updateCheckpoint(requireActor(request), request.params.id, request.body),
    );

    app.get(
      '/checkpoints/:id/staff',
      {
        schema: {
          tags,
          summary: 'Users of the checkpoint’s village: whom its roster may name',
          description: roles(CHECKPOINT_READER_ROLES),
          params: idParams,
          response: { 200: staffListSchema },
        },
      },
      async (request) => service.listStaff(requireActor(request), request.params.id),
    );

    app.put(
      '/checkpoints/:id/roster',
      {
        schema: {
          tags,
          summary: 'Replace the duty roster: who is on which shift of which weekday',
          description: `${roles(CHECKPOINT_MANAGER_ROLES)} Users must be of the checkpoint’s village; outside staff by name.`,
          params: idParams,
          body: rosterInputSchema,
          response: { 200: checkpointDetailSchema },
        },
      },
      async (request) => service.setRoster(requireActor(request), request.params.id, request.body),
    );

    app.post(
      '/checkpoints/:id/entries',
      {
        schema: {
          tags,
          summary: `Log entries (at most ${MAX_ENTRIES_PER_BATCH}); an entry whose client key is stored is not stored again`,
          description:
            `${roles(CHECKPOINT_LOGGER_ROLES)} Each entry is answered on its own: stored, duplicate (a replay) or ` +
            'rejected with its fields (entries.3.idNumber: the check digit …), so one bad entry does not block a queue.',
          params: idParams,
          body: entryBatchSchema,
          response: { 200: entryBatchResultSchema },
        },
      },
      async (request) => service.logEntries(requireActor(request), request.params.id, request.body),
    );

    app.get(
      '/checkpoint-entries',
      {
        schema: {
          tags,
          summary: 'Entries in your scope, newest first; ID numbers masked unless your role sees them',
          description: roles(CHECKPOINT_READER_ROLES),
          querystring: entryListQuerySchema,
          response: { 200: entryPageSchema },
        },
      },
      async (request) => service.listEntries(requireActor(request), request.query),
    );

    app.get(
      '/checkpoint-entries/export',
      {
        schema: {
          tags,
          summary: 'Entries as XLSX (default) or CSV, ID numbers masked; the export is logged',
          description: roles(CHECKPOINT_EXPORT_ROLES),
          querystring: exportQuerySchema.extend(
            entryListQuerySchema.pick({ direction: true, subject: true, outcome: true }).shape,
          ),
        },
      },
      async (request, reply) => {
        const { format, ...query } = request.query;
        const actor = requireActor(request);
        return sendTable(reply, format, `checkpoint-entries.${format}`, (sink) =>
          service.exportEntries(actor, query, sink, ENTRY_HEADERS[actor.locale], entryCells(actor.locale)),
        );
      },
    );

    app.post(
      '/checkpoint-entries/:id/reveal',
      {
        schema: {
          tags,
          summary: 'An entry’s ID number in clear; the reveal is logged (checkpoint.reveal)',
          description: 'Roles that reveal residents’ ID numbers in the registry (administrator, gridWorker).',
          params: idParams,
          response: { 200: revealResultSchema },
        },
      },
      async (request) => service.revealEntry(requireActor(request), request.params.id),
    );
  };
