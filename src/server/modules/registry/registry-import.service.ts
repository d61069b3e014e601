import type { Readable, Writable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import { type Locale, type LocalizedText, localize } from '../../../shared/errors.ts';
import {
  REGISTRY_ENTITIES,
  REGISTRY_ENTITY_LABELS,
  REGISTRY_PREVIEW_ROWS,
  REGISTRY_RESULT_ERRORS,
  type RegistryEntity,
  type RegistryImport,
  type RegistryPreview,
} from '../../../shared/registry.ts';
import { sensitiveFieldsOf } from '../../../shared/registry-policy.ts';
import type { Clock } from '../../clock.ts';
import { analyzeStaleTables, REGISTRY_TABLES } from '../../db/analyze.ts';
import { type Backend, type Db, withLongStatements } from '../../db/database.ts';
import { AppError, ENTITY, notFound } from '../../errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../people/actor.ts';
import { regionScope, scopeHoldsRegion } from '../people/scope.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import { placeAddresses } from './address-writes.ts';
import { assertMayRead, assertMayWrite, mayRead, maySeeCare, visibilityOf } from './registry.policy.ts';
import * as registry from './registry.repository.ts';
import type { ImportRow } from './registry.table.ts';
import {
  localized,
  normalizeHeader,
  REGISTRY_COLUMNS,
  ROW_PARSERS,
  type RowCells,
  suggestMapping,
} from './registry-columns.ts';
import { createTableWriter, type FileFormat, openRows, type SheetRow } from './registry-file.ts';
import { kindOf } from './registry-kinds.ts';
import { createPlacer, type RegionCache } from './registry-place.ts';
import {
  batchAuditEntries,
  type Item,
  type PlacedAddresses,
  placeInputsOf,
  type WriteContext,
} from './registry-writes.ts';
import { rejectCellMasker } from './reject-masking.ts';
import { createSeenKeys } from './seen-keys.ts';

const TEXT = {
  headerMissing: {
    zh: '「{field}」对应的列“{header}”不在表头（第 {row} 行）中',
    en: '"{field}" is mapped to column "{header}", which is not in the header row (row {row})',
  },
  fieldUnmapped: {
    zh: '找不到「{field}」列：请在表头中写明，或指定对应的列',
    en: 'no column for "{field}": name it in the header row, or choose the column for it',
  },
  badMapping: { zh: '字段对应关系格式有误：{reason}', en: 'the field mapping is malformed: {reason}' },
  noDataRows: { zh: '文件中没有数据行', en: 'the file has no data rows' },
  reportSheet: { zh: '未导入的行', en: 'Rejected rows' },
  rowColumn: { zh: '原行号', en: 'Row' },
  reasonColumn: { zh: '未导入原因', en: 'Why not imported' },
} as const satisfies Record<string, LocalizedText>;

/** Rows written per transaction: large enough to amortise a round trip, small enough to keep memory flat. */
const BATCH_ROWS = 5_000;
/**
 * Rows checked between two turns of the event loop while a batch is prepared: the previous batch's write waits on
 * this thread between its statements, and a whole batch's checks at once would hold it up for a tenth of a second.
 */
const SLICE_ROWS = 250;
/** The header row is the best of the first rows; a title line above it is common. */
const HEADER_SEARCH_ROWS = 10;

export interface ImportFile {
  stream: Readable;
  fileName: string;
  /** JSON of field → header, overriding the suggested mapping. */
  mapping?: string | undefined;
  crs?: 'wgs84' | 'gcj02';
}

export interface ImportProgress {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export type RegistryImportService = ReturnType<typeof createRegistryImportService>;

const INTERRUPTED = {
  zh: '导入因服务停止而中断：已写入的批次保留，请重新导入同一文件以完成（已导入的行不会重复）。',
  en: 'The import was interrupted when the server stopped: the batches written are kept; import the same file again to complete it (rows already imported are not duplicated).',
} as const satisfies LocalizedText;

/**
 * Marks the imports a stopped process left "running" as failed, saying why. Run once at start-up: an import
 * lives in the process that reads its upload, so one still running when a process starts was cut off (a
 * process killed, a machine restarted). Returns how many were marked.
 *
 * Several gridgov processes on one PostgreSQL database would each end the others' imports at start-up; until
 * imports record which process runs them, start them on one process at a time.
 */
export async function failInterruptedImports(db: Db, now: Date): Promise<number> {
  return registry.failRunningImports(db, { failure: `${INTERRUPTED.zh} / ${INTERRUPTED.en}`, at: now });
}

export function createRegistryImportService(deps: {
  db: Db;
  backend: Backend;
  clock: Clock;
  audit: AuditService;
  territory: TerritoryService;
}) {
  const { db, backend, clock, audit, territory } = deps;
  /**
   * Whether the work on rows yields to the previous batch's statements (see SLICE_ROWS). Only a database in another
   * process gains by it: the embedded one runs its statements on this thread, so there is nothing to overlap.
   */
  const yieldToWrites: () => Promise<void> =
    backend === 'postgres' ? () => setImmediate() : () => Promise.resolve();

  /** The header row, the mapping of fields to its columns, and the rows after it. */
  async function openTable(entity: RegistryEntity, file: ImportFile) {
    const { format, rows } = await openRows(file.stream);
    try {
      return await tableOf(entity, file, format, rows);
    } catch (error) {
      // A file refused at its header: close it, ending the rest of the upload.
      await rows.return(undefined);
      throw error;
    }
  }

  async function tableOf(
    entity: RegistryEntity,
    file: ImportFile,
    format: FileFormat,
    rows: AsyncGenerator<SheetRow>,
  ) {
    const head: SheetRow[] = [];
    for (let next = await rows.next(); !next.done; next = await rows.next()) {
      head.push(next.value);
      if (head.length >= HEADER_SEARCH_ROWS) break;
    }
    if (head.length === 0) throw new AppError('VALIDATION_FAILED', { summary: TEXT.noDataRows });
    const known = new Set(
      REGISTRY_COLUMNS[entity].flatMap((c) =>
        [c.label.zh, c.label.en, c.field, ...c.aliases].map(normalizeHeader),
      ),
    );
    let headerIndex = 0;
    let bestScore = -1;
    head.forEach((row, index) => {
      const score = row.cells.filter((c) => known.has(normalizeHeader(c))).length;
      if (score > bestScore) {
        bestScore = score;
        headerIndex = index;
      }
    });
    const header = head[headerIndex] as SheetRow;
    const seen = new Map<string, number>();
    const headers = header.cells.map((cell, i) => {
      const text = cell.trim() || `#${i + 1}`;
      const count = (seen.get(text) ?? 0) + 1;
      seen.set(text, count);
      return count === 1 ? text : `${text} (${count})`;
    });
    const mapping = { ...suggestMapping(entity, headers), ...parseMapping(file.mapping) };
    const problems = mappingProblems(entity, headers, header.number, mapping);
    const buffered = head.slice(headerIndex + 1);
    async function* dataRows(): AsyncGenerator<SheetRow> {
      yield* buffered;
      yield* rows;
    }
    const columnOf = Object.entries(mapping)
      .map(([field, h]) => [field, h ? headers.indexOf(h) : -1] as const)
      .filter(([, index]) => index >= 0);
    const cellsOf = (row: SheetRow): RowCells => {
      const cells: RowCells = {};
      for (const [field, index] of columnOf) cells[field] = row.cells[index] ?? '';
      return cells;
    };
    return { format, headerRow: header.number, headers, mapping, problems, rows: dataRows(), cellsOf };
  }

  function parseMapping(json: string | undefined): Record<string, string | null> {
    if (!json) return {};
    try {
      const value = JSON.parse(json) as unknown;
      if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
      for (const v of Object.values(value))
        if (v !== null && typeof v !== 'string') throw new Error('not text');
      return value as Record<string, string | null>;
    } catch (error) {
      throw new AppError('VALIDATION_FAILED', {
        summary: localized(TEXT.badMapping, { reason: (error as Error).message }),
      });
    }
  }

  function mappingProblems(
    entity: RegistryEntity,
    headers: readonly string[],
    headerRow: number,
    mapping: Record<string, string | null>,
  ): LocalizedText[] {
    const problems: LocalizedText[] = [];
    for (const column of REGISTRY_COLUMNS[entity]) {
      const header = mapping[column.field];
      if (header && !headers.includes(header)) {
        problems.push(localized(TEXT.headerMissing, { field: column.label, header, row: headerRow }));
      } else if (column.required && !header) {
        problems.push(localized(TEXT.fieldUnmapped, { field: column.label }));
      }
    }
    return problems;
  }

  /** Parses a batch's rows and places what they refer to, ready to be written (or checked) in a transaction. */
  async function prepareRows(
    options: {
      actor: Actor;
      entity: RegistryEntity;
      cellsOf: (row: SheetRow) => RowCells;
      crs: ImportFile['crs'];
      regions: RegionCache;
    },
    batch: SheetRow[],
  ) {
    const { actor, entity, cellsOf } = options;
    const now = clock.now();
    const items: Item<unknown>[] = [];
    const rejects: { row: number; cells: string[]; reasons: LocalizedText[] }[] = [];
    for (let start = 0; start < batch.length; start += SLICE_ROWS) {
      await yieldToWrites();
      for (const row of batch.slice(start, start + SLICE_ROWS)) {
        const parsed = ROW_PARSERS[entity](cellsOf(row), now);
        if (parsed.input === null)
          rejects.push({ row: row.number, cells: row.cells, reasons: parsed.problems });
        else items.push({ row: row.number, input: parsed.input });
      }
    }
    const placer = createPlacer(territory, actor, options.crs ?? 'wgs84', options.regions);
    await placer.prepare(items.flatMap((i) => placeInputsOf(i.input)));
    const placedAddresses: PlacedAddresses = new Map();
    for (let start = 0; start < items.length; start += SLICE_ROWS) {
      await yieldToWrites();
      await placeAddresses(
        placer,
        items.slice(start, start + SLICE_ROWS).map((i) => i.input),
        placedAddresses,
      );
    }
    return { batch, now, items, rejects, placer, placedAddresses };
  }

  /**
   * What the write itself would reject of prepared rows (a place outside the scope, an address that cannot be
   * found, a duplicate in the file …), found by writing them in a transaction that is then rolled back: the
   * preview then promises exactly what the import will do, without a second copy of the import's rules.
   */
  async function rejectionsOfWrite(
    actor: Actor,
    entity: RegistryEntity,
    prepared: Awaited<ReturnType<typeof prepareRows>>,
  ): Promise<Map<number, LocalizedText[]>> {
    const reasons = new Map<number, LocalizedText[]>();
    const rollback = new Error('preview: roll back');
    await db
      .transaction()
      .execute(async (trx) => {
        const ctx: WriteContext = {
          trx,
          actor,
          placer: prepared.placer,
          now: prepared.now,
          importId: null,
          mode: 'import',
          firstRowOf: createSeenKeys().firstRowOf,
          audit: [],
          createdByImport: new Map(),
          placedAddresses: prepared.placedAddresses,
        };
        for (const outcome of await kindOf(entity).upsert(ctx, prepared.items as Item<never>[])) {
          if (outcome.status === 'rejected') reasons.set(outcome.row, outcome.reasons);
        }
        throw rollback;
      })
      .catch((error: unknown) => {
        if (error !== rollback) throw error;
      });
    return reasons;
  }

  /**
   * The header row of an empty file to fill in, in the actor's language (either language imports back); required
   * columns first, as people fill a sheet from the left.
   */
  function templateHeaders(actor: Actor, entity: RegistryEntity): string[] {
    assertMayWrite(actor, entity);
    const columns = REGISTRY_COLUMNS[entity];
    return [...columns.filter((c) => c.required), ...columns.filter((c) => !c.required)].map((c) =>
      localize(c.label, actor.locale),
    );
  }

  /** The first rows as they would be read, each with its own problems, and what keeps the mapping from working. */
  async function previewFile(
    actor: Actor,
    entity: RegistryEntity,
    file: ImportFile,
  ): Promise<RegistryPreview> {
    assertMayWrite(actor, entity);
    const table = await openTable(entity, file);
    const read: SheetRow[] = [];
    try {
      for await (const row of table.rows) {
        read.push(row);
        if (read.length >= REGISTRY_PREVIEW_ROWS) break;
      }
    } finally {
      file.stream.destroy();
    }
    const prepared = await prepareRows(
      { actor, entity, cellsOf: table.cellsOf, crs: file.crs, regions: new Map() },
      read,
    );
    const problems = new Map(prepared.rejects.map((r) => [r.row, r.reasons]));
    // A file refused at its header is not imported at all: its rows have nothing more to say.
    if (!table.problems.length && prepared.items.length) {
      for (const [row, reasons] of await rejectionsOfWrite(actor, entity, prepared))
        problems.set(row, reasons);
    }
    const rows: RegistryPreview['rows'] = read.map((row) => ({
      row: row.number,
      values: table.cellsOf(row),
      problems: (problems.get(row.number) ?? []).map((p) => localize(p, actor.locale)),
    }));
    return {
      format: table.format,
      headerRow: table.headerRow,
      headers: table.headers,
      fields: REGISTRY_COLUMNS[entity].map((c) => ({
        field: c.field,
        label: localize(c.label, actor.locale),
        required: c.required ?? false,
      })),
      mapping: table.mapping,
      problems: table.problems.map((p) => localize(p, actor.locale)),
      rows,
    };
  }

  /**
   * Imports a registry file under the per-row rule (docs/adr/0003-registry-import.md): every row is checked on
   * its own; good rows are written — new records created, existing ones (same natural key) updated where the
   * file differs, identical ones left alone — and bad rows are kept with their reasons for the error report.
   * Batches of rows are each one transaction, so an import stopped half way leaves whole batches, and running
   * the file again completes it without duplicating anything.
   */
  async function importFile(
    actor: Actor,
    entity: RegistryEntity,
    file: ImportFile,
    onProgress?: (progress: ImportProgress) => void,
  ): Promise<RegistryImport> {
    assertMayWrite(actor, entity);
    const table = await openTable(entity, file);
    if (table.problems.length) {
      file.stream.destroy();
      throw new AppError('VALIDATION_FAILED', {
        summary: {
          zh: table.problems.map((p) => p.zh).join('；'),
          en: table.problems.map((p) => p.en).join('; '),
        },
      });
    }
    const importId = await registry.insertImport(db, {
      entity,
      file_name: file.fileName,
      actor_id: actor.id > 0 ? actor.id : null,
      actor_name: actor.name,
      scope_code: actor.scopeCode,
      started_at: clock.now(),
    });
    await registry.setImportHeaders(db, importId, table.headers);
    const seen = createSeenKeys();
    const progress: ImportProgress = { rows: 0, created: 0, updated: 0, unchanged: 0, rejected: 0 };

    // A batch is read and checked (parse, locate) while the previous one is being written: the two halves of the
    // work then overlap, the CPU on one side and the database on the other.
    const regions: RegionCache = new Map();
    const prepareBatch = (batch: SheetRow[]) =>
      prepareRows({ actor, entity, cellsOf: table.cellsOf, crs: file.crs, regions }, batch);
    const writeBatch = async ({
      batch,
      now,
      items,
      rejects,
      placer,
      placedAddresses,
    }: Awaited<ReturnType<typeof prepareBatch>>) => {
      const cellsByRow = new Map(batch.map((r) => [r.number, r.cells]));
      const counts = { total: batch.length, created: 0, updated: 0, unchanged: 0, rejected: 0 };
      // A batch of thousands of rows may outlast a request's statement timeout on a busy server.
      await withLongStatements(db, async (trx) => {
        const ctx: WriteContext = {
          trx,
          actor,
          placer,
          now,
          importId,
          mode: 'import',
          firstRowOf: seen.firstRowOf,
          audit: [],
          createdByImport: new Map(),
          placedAddresses,
        };
        const outcomes = await kindOf(entity).upsert(ctx, items as Item<never>[]);
        for (const outcome of outcomes) {
          if (outcome.status === 'rejected') {
            rejects.push({
              row: outcome.row,
              cells: cellsByRow.get(outcome.row) ?? [],
              reasons: outcome.reasons,
            });
          } else if (outcome.status !== 'conflict') counts[outcome.status]++;
        }
        counts.rejected = rejects.length;
        await registry.insertRejects(trx, importId, rejects);
        await registry.addImportCounts(trx, importId, counts);
        await audit.recordMany(trx, batchAuditEntries(ctx));
      });
      progress.rows += counts.total;
      progress.created += counts.created;
      progress.updated += counts.updated;
      progress.unchanged += counts.unchanged;
      progress.rejected += counts.rejected;
      onProgress?.({ ...progress });
    };

    let writing: Promise<void> = Promise.resolve();
    try {
      const next = async (batch: SheetRow[]) => {
        const prepared = await prepareBatch(batch);
        await writing;
        // Kept, not awaited: its failure surfaces at the next await of `writing`.
        writing = writeBatch(prepared);
        writing.catch(() => undefined);
      };
      let batch: SheetRow[] = [];
      for await (const row of table.rows) {
        batch.push(row);
        // The parser hands over a chunk's rows without a turn of the event loop in between.
        if (batch.length % SLICE_ROWS === 0) await yieldToWrites();
        if (batch.length >= BATCH_ROWS) {
          await next(batch);
          batch = [];
        }
      }
      if (batch.length) await next(batch);
      await writing;
      if (progress.created || progress.updated) {
        await registry.flushSearchIndexes(db);
        // A large import changes the tables' sizes and contents beyond what the planner knows (see analyze.ts).
        await analyzeStaleTables(db, { tables: REGISTRY_TABLES });
      }
      await db.transaction().execute(async (trx) => {
        await registry.finishImport(trx, importId, { status: 'done', failure: null, at: clock.now() });
        await audit.record(trx, {
          actor,
          action: 'registry.import',
          entityType: 'registryImport',
          entityId: importId,
          countyCode: actor.scopeCode.length >= 6 ? actor.scopeCode.slice(0, 6) : null,
          details: { entity, fileName: file.fileName, regionCode: actor.scopeCode, ...progress },
        });
      });
    } catch (error) {
      // A batch still being written finishes (or fails) before the import is marked failed.
      await writing.catch(() => undefined);
      const reason = error instanceof AppError ? error.params.summary : (error as Error).message;
      await registry.finishImport(db, importId, {
        status: 'failed',
        failure: typeof reason === 'object' ? localize(reason, actor.locale) : String(reason ?? ''),
        at: clock.now(),
      });
      throw error;
    }
    return getImport(actor, importId);
  }

  /**
   * An import belongs to the scope it was made in, and holds rows of its entity type: it and its error report are
   * for those whose scope covers it and whose role may read that type (a department handler no resident import).
   */
  async function findVisibleImport(actor: Actor, id: number): Promise<ImportRow> {
    const row = await registry.findImport(db, id);
    if (!row || !scopeHoldsRegion(regionScope(actor), row.scope_code))
      throw notFound(ENTITY.registryImport, id);
    assertMayRead(actor, row.entity as RegistryEntity);
    return row;
  }

  async function present(actor: Actor, row: ImportRow): Promise<RegistryImport> {
    const rejects = await registry.listRejects(db, row.id, 0, REGISTRY_RESULT_ERRORS);
    return {
      id: row.id,
      entity: row.entity as RegistryEntity,
      fileName: row.file_name,
      status: row.status,
      actorName: row.actor_name,
      total: row.total,
      created: row.created,
      updated: row.updated,
      unchanged: row.unchanged,
      rejected: row.rejected,
      errors: rejects.map((r) => ({
        row: r.row_number,
        reason: r.reasons
          .map((reason) => localize(reason, actor.locale))
          .join(actor.locale === 'en-US' ? '; ' : '；'),
      })),
      failure: row.failure,
      startedAt: row.started_at.toISOString(),
      finishedAt: row.finished_at?.toISOString() ?? null,
    };
  }

  /** An import with its counts so far (while it runs) and its first rejected rows. */
  async function getImport(actor: Actor, id: number): Promise<RegistryImport> {
    return present(actor, await findVisibleImport(actor, id));
  }

  /** Recent imports in the actor's scope, newest first; `status=running` shows one in progress. */
  async function listImports(
    actor: Actor,
    query: {
      entity?: RegistryEntity | undefined;
      status?: ImportRow['status'] | undefined;
      page: number;
      pageSize: number;
    },
  ): Promise<RegistryImport[]> {
    if (query.entity) assertMayRead(actor, query.entity);
    const rows = await registry.listImports(db, {
      scope: regionScope(actor),
      entities: query.entity ? [query.entity] : REGISTRY_ENTITIES.filter((e) => mayRead(actor, e)),
      status: query.status ?? null,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    return Promise.all(rows.map((row) => present(actor, row)));
  }

  /**
   * The error report: every rejected row, its reasons in front and the file's own columns after them, so the
   * file can be corrected and imported again as it is (the two added columns map to no field).
   */
  async function errorReport(
    actor: Actor,
    id: number,
    options: { format: FileFormat; locale: Locale },
  ): Promise<{ fileName: string; write(out: Writable): Promise<void> }> {
    const row = await findVisibleImport(actor, id);
    const entity = row.entity as RegistryEntity;
    // The rejected rows hold personal data as the file had it: shown as the registry shows it to this role.
    const mask = rejectCellMasker(entity, row.headers, {
      idNumber: visibilityOf(actor, 'idNumber'),
      phone: visibilityOf(actor, 'phone'),
      care: maySeeCare(actor),
    });
    const label = localize(REGISTRY_ENTITY_LABELS[row.entity as RegistryEntity], 'en-US')
      .toLowerCase()
      .replace(/\s+/g, '-');
    const separator = options.locale === 'en-US' ? '; ' : '；';
    return {
      fileName: `registry-import-${id}-${label}-errors.${options.format}`,
      async write(out) {
        // Each download is in the personal data log, as an export is: who took which rows, what was in clear;
        // logged as it starts, since the rows may leave even if the download is cut short.
        const clear = sensitiveFieldsOf(entity).filter((f) => visibilityOf(actor, f) === 'clear');
        await audit.record(db, {
          actor,
          action: 'registry.export',
          entityType: entity,
          entityId: '*',
          countyCode: row.scope_code.length >= 6 ? row.scope_code.slice(0, 6) : null,
          details: {
            regionCode: row.scope_code,
            importId: id,
            report: 'rejectedRows',
            count: row.rejected,
            fields: clear,
            masked: sensitiveFieldsOf(entity).filter((f) => !clear.includes(f)),
          },
        });
        const writer = createTableWriter(options.format, out, {
          sheetName: localize(TEXT.reportSheet, options.locale),
          widths: [8, 50, ...row.headers.map(() => 18)],
          highlightColumn: 1,
        });
        await writer.row([
          localize(TEXT.rowColumn, options.locale),
          localize(TEXT.reasonColumn, options.locale),
          ...row.headers,
        ]);
        let after = 0;
        for (;;) {
          const page = await registry.listRejects(db, id, after, 1_000);
          if (page.length === 0) break;
          for (const reject of page) {
            const reason = reject.reasons.map((r) => localize(r, options.locale)).join(separator);
            await writer.row([reject.row_number, reason, ...mask(reject.cells)]);
          }
          after = page[page.length - 1]?.row_number ?? after;
        }
        await writer.end();
      },
    };
  }

  return {
    previewFile,
    templateHeaders,
    importFile,
    getImport,
    listImports,
    errorReport,
    /** See `failInterruptedImports`: for the server's start-up. */
    failInterruptedImports: () => failInterruptedImports(db, clock.now()),
  };
}
