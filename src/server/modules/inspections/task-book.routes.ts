import type { FastifyError, FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  accountabilityListSchema,
  accountabilityQuerySchema,
  createTaskBookSchema,
  MAX_TASK_BOOK_BYTES,
  taskBookImportQuerySchema,
  taskBookListQuerySchema,
  taskBookPageSchema,
  taskBookSchema,
} from '../../../shared/task-books.ts';
import { AppError } from '../../errors.ts';
import { requireActor } from '../../http/session.plugin.ts';
import type { TaskBookService } from './task-book.service.ts';

const tags = ['inspections'];
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Content types a browser or script may give an XLSX file; the file's bytes decide what it is. */
const FILE_TYPES = ['application/octet-stream', XLSX_TYPE, 'application/vnd.ms-excel'];

const idParams = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647) });

function sendXlsx(reply: FastifyReply, file: { fileName: string; bytes: Buffer }) {
  return reply
    .type(XLSX_TYPE)
    .header('content-disposition', `attachment; filename="${file.fileName}"`)
    .send(file.bytes);
}

/** Task books (任务书) and the accountability list (问责清单). */
export const taskBookRoutes =
  (taskBooks: TaskBookService): FastifyPluginAsyncZod =>
  async (app) => {
    app.addContentTypeParser(
      FILE_TYPES,
      { parseAs: 'buffer', bodyLimit: MAX_TASK_BOOK_BYTES },
      (_request, body, done) => done(null, body),
    );
    app.setErrorHandler((error: FastifyError) => {
      if (error.code !== 'FST_ERR_CTP_BODY_TOO_LARGE') throw error;
      throw new AppError('VALIDATION_FAILED', {
        summary: {
          zh: `文件超过 ${MAX_TASK_BOOK_BYTES / 1024 / 1024} MB 上限`,
          en: `the file is over the ${MAX_TASK_BOOK_BYTES / 1024 / 1024} MB limit`,
        },
      });
    });

    app.get(
      '/task-books',
      {
        schema: {
          tags,
          summary:
            'Task books with a task in your scope (a department: with a task for it), newest first, with counts',
          querystring: taskBookListQuerySchema,
          response: { 200: taskBookPageSchema },
        },
      },
      async (request) => taskBooks.listTaskBooks(requireActor(request), request.query),
    );

    app.post(
      '/task-books',
      {
        schema: {
          tags,
          summary:
            'Issue a task book: its tasks become cases dispatched to their units, due at the end of the deadline day',
          description:
            'Administrators, leaders and inspectors whose scope holds the region. The book and its tasks are one ' +
            'transaction; each task’s case follows (client key taskbook:<id>:<position>), and ' +
            '`POST /task-books/{id}/issue` finishes an issue cut short.',
          body: createTaskBookSchema,
          response: { 201: taskBookSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await taskBooks.createTaskBook(requireActor(request), request.body)),
    );

    app.post(
      '/task-books/import',
      {
        schema: {
          tags,
          summary:
            'Issue a task book from an XLSX file, one row a task (序号, 任务内容, 责任单位, 所在区域, 责任人)',
          description:
            'The XLSX file is the raw request body. All or nothing: any rejected row answers 422 IMPORT_REJECTED ' +
            'with every rejected row and its reasons in error.details.errors, and nothing is written.',
          querystring: taskBookImportQuerySchema.extend({ fileName: z.string().max(200).optional() }),
          response: { 201: taskBookSchema },
        },
      },
      async (request, reply) => {
        const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const book = await taskBooks.importTaskBook(requireActor(request), request.query, bytes);
        return reply.code(201).send(book);
      },
    );

    app.get(
      '/task-books/accountability',
      {
        schema: {
          tags,
          summary:
            'The accountability list (问责清单) across books: tasks unfinished at their deadline, in your scope',
          querystring: accountabilityQuerySchema,
          response: { 200: accountabilityListSchema },
        },
      },
      async (request) =>
        taskBooks.listAccountability(requireActor(request), { region: request.query.region }),
    );

    app.get(
      '/task-books/accountability/export',
      {
        schema: {
          tags,
          summary: 'The accountability list across books as XLSX',
          querystring: accountabilityQuerySchema,
        },
      },
      async (request, reply) =>
        sendXlsx(
          reply,
          await taskBooks.exportAccountability(requireActor(request), { region: request.query.region }),
        ),
    );

    app.get(
      '/task-books/:id',
      {
        schema: {
          tags,
          summary: 'One task book with each task’s standing: open, overdue (red), done, done late; escalated',
          params: idParams,
          response: { 200: taskBookSchema },
        },
      },
      async (request) => taskBooks.getTaskBook(requireActor(request), request.params.id),
    );

    app.get(
      '/task-books/:id/export',
      { schema: { tags, summary: 'One task book as XLSX, overdue tasks in red', params: idParams } },
      async (request, reply) =>
        sendXlsx(reply, await taskBooks.exportTaskBook(requireActor(request), request.params.id)),
    );

    app.post(
      '/task-books/:id/issue',
      {
        schema: {
          tags,
          summary:
            'Finish issuing a book cut short: the tasks without a dispatched case get one (idempotent)',
          params: idParams,
          response: { 200: taskBookSchema },
        },
      },
      async (request) => taskBooks.issueTaskBook(requireActor(request), request.params.id),
    );

    app.get(
      '/task-books/:id/accountability',
      {
        schema: {
          tags,
          summary: 'The accountability list (问责清单) of one book: unit, person, days overdue, case number',
          params: idParams,
          response: { 200: accountabilityListSchema },
        },
      },
      async (request) => taskBooks.listAccountability(requireActor(request), { bookId: request.params.id }),
    );

    app.get(
      '/task-books/:id/accountability/export',
      { schema: { tags, summary: 'The accountability list of one book as XLSX', params: idParams } },
      async (request, reply) =>
        sendXlsx(
          reply,
          await taskBooks.exportAccountability(requireActor(request), { bookId: request.params.id }),
        ),
    );
  };
