import { reportCaseSchema } from '../../../shared/cases.ts';
import {
  errorMessage,
  type Locale,
  type LocalizedText,
  localize,
  pickLanguage,
} from '../../../shared/errors.ts';
import {
  HOTLINE_PREVIEW_ROWS,
  type HotlineAgency,
  type HotlineAgencyMapping,
  type HotlineField,
  type HotlineImportResult,
  type HotlineMapping,
  type HotlinePreview,
  type HotlineRow,
} from '../../../shared/hotline.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { AppError, ENTITY, notFound } from '../../errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { CaseHistory, CaseOrigin, CaseService, ReportCaseInput } from '../cases/case.service.ts';
import type { CategoryService } from '../cases/category.service.ts';
import type { Actor } from '../people/actor.ts';
import type { PeopleService } from '../people/user.service.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import { assertMayImportHotline, mayReadImport } from './hotline.policy.ts';
import * as imports from './hotline.repository.ts';
import { agencyResolver, parseRequested } from './hotline-agencies.ts';
import { indexCategories, matchCategory } from './hotline-categories.ts';
import type { TimeReading } from './hotline-dates.ts';
import { historyKeyOf, hotlineClientKey } from './hotline-history.ts';
import { parseHotlineRow } from './hotline-import.ts';
import {
  type FieldMapping,
  type HotlineTable,
  locateHeader,
  mappedCells,
  resolveMapping,
} from './hotline-mapping.ts';
import { placeResolver } from './hotline-places.ts';
import { formatErrorReport, type RejectedRowRecord, type ReportFormat } from './hotline-report.ts';
import { type Cell, formatCell, readSheet, type Sheet } from './hotline-sheet.ts';
import { joinTexts, localized } from './hotline-texts.ts';

const TEXT = {
  duplicateOrder: {
    zh: '工单编号 {orderNo} 与第 {row} 行重复',
    en: 'order number {orderNo} repeats row {row}',
  },
  importTarget: { zh: '导入记录 {id}', en: 'import {id}' },
  unmappedAgency: {
    zh: '承办单位“{agency}”未对应部门，请在对应表中为其选择部门',
    en: 'agency "{agency}" is not mapped to a department: choose its department in the agency table',
  },
} as const;

export interface HotlineFileInput {
  fileName: string;
  bytes: Buffer;
  mapping?: HotlineMapping | undefined;
  crs?: 'wgs84' | 'gcj02' | undefined;
  /** How times without an offset are read; Beijing time, US month-first dates, unless told. */
  timeZone?: string | undefined;
  dateOrder?: 'mdy' | 'dmy' | undefined;
  /** The system the file comes from, whose agency mapping is remembered. */
  source?: string | undefined;
  /** Agency → department id over the remembered mapping; null: none. */
  agencies?: HotlineAgencyMapping | undefined;
}

/** Rows reported at once: about one intake statement's worth (see case.service.ts). */
const REPORTS_TOGETHER = 64;

interface RowOutcome {
  row: number;
  orderNo: string | null;
  status: HotlineRow['status'];
  /** The cells under the mapped fields. */
  mapped: Partial<Record<HotlineField, Cell>>;
  /** Every cell of the row as text, for the error report. */
  cells: string[];
  values: Partial<Record<HotlineField, string>>;
  problems: LocalizedText[];
  report?: { input: ReportCaseInput; origin: CaseOrigin };
  /** The order with its received time: written as history (see `CaseService.recordHistory`). */
  history?: CaseHistory;
  /** Imported before, and the file corrects it. */
  changed?: boolean;
  caseId: number | null;
  caseNumber: string | null;
}

interface Analysis {
  sheet: Sheet;
  table: HotlineTable;
  mapping: FieldMapping;
  mappingProblems: LocalizedText[];
  outcomes: RowOutcome[];
  source: string;
  timeZone: string;
  agencies: HotlineAgency[];
}

export interface HotlineServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  cases: Pick<CaseService, 'reportCase' | 'findCasesByClientKeys' | 'recordHistory'>;
  categories: Pick<CategoryService, 'getCategoryTree'>;
  territory: Pick<TerritoryService, 'locateCode' | 'getRegionSummary' | 'getRegionTree'>;
  people: Pick<PeopleService, 'listDepartmentRefs'>;
}

export type HotlineService = ReturnType<typeof createHotlineService>;

export function createHotlineService(deps: HotlineServiceDeps) {
  const { db, clock, audit, cases, categories, territory, people } = deps;

  /**
   * Reads the file and decides for every row what an import would do with it, writing nothing: the rows that
   * would become cases, those imported before, and those rejected with every reason.
   */
  async function analyse(actor: Actor, file: HotlineFileInput): Promise<Analysis> {
    assertMayImportHotline(actor);
    const sheet = await readSheet(file.bytes);
    const table = locateHeader(sheet);
    const { mapping, problems: mappingProblems } = resolveMapping(
      table.headers,
      table.headerRow,
      file.mapping,
    );
    const source = file.source ?? '12345';
    const reading: TimeReading = {
      timeZone: file.timeZone ?? 'Asia/Shanghai',
      dateOrder: file.dateOrder ?? 'mdy',
    };
    const outcomes: RowOutcome[] = table.rows.map((row) => {
      const mapped = mappedCells(table, mapping, row);
      const values = Object.fromEntries(
        Object.entries(mapped).map(([field, cell]) => [field, formatCell(cell)]),
      ) as Partial<Record<HotlineField, string>>;
      return {
        row: row.number,
        orderNo: values.orderNo?.trim() || null,
        status: 'ready',
        mapped,
        cells: table.headers.map((_, i) => formatCell(row.cells[i])),
        values,
        problems: [],
        caseId: null,
        caseNumber: null,
      };
    });
    const agencyOf = await agencyResolver({ db, people }, source, file.agencies ?? {}, outcomes);
    mappingProblems.push(...agencyOf.problems);
    const base = { sheet, table, mapping, mappingProblems, outcomes, source, timeZone: reading.timeZone };
    if (mappingProblems.length) return { ...base, agencies: agencyOf.list };

    const now = clock.now();
    const existing = await cases.findCasesByClientKeys(actor, [
      ...new Set(outcomes.flatMap((o) => (o.orderNo ? [hotlineClientKey(o.orderNo)] : []))),
    ]);
    const categoryIndex = indexCategories(await categories.getCategoryTree());
    const place = placeResolver(territory, actor);
    const firstRowOf = new Map<string, number>();
    for (const outcome of outcomes) {
      const known = outcome.orderNo ? existing.get(hotlineClientKey(outcome.orderNo)) : undefined;
      const repeated = outcome.orderNo ? firstRowOf.get(outcome.orderNo) : undefined;
      if (outcome.orderNo && repeated === undefined) firstRowOf.set(outcome.orderNo, outcome.row);
      // An order imported before stays as it is when the file says the same of it, or when it was not imported
      // as history (nothing to compare), or lies outside the importer's scope (the case service answers null
      // then, and the case is not named); a later row of the same order names the same case.
      if (known !== undefined && (known === null || known.historyKey === null || repeated !== undefined)) {
        outcome.status = 'alreadyImported';
        outcome.caseId = known?.id ?? null;
        outcome.caseNumber = known?.caseNumber ?? null;
        continue;
      }
      const { parsed, problems } = parseHotlineRow(outcome.mapped, {
        now,
        crs: file.crs ?? 'wgs84',
        reading,
      });
      if (repeated !== undefined && outcome.orderNo) {
        problems.push(localized(TEXT.duplicateOrder, { orderNo: outcome.orderNo, row: repeated }));
      }
      const category = parsed.category ? matchCategory(categoryIndex, parsed.category) : null;
      if (category && 'problem' in category) problems.push(category.problem);
      const region = await place(parsed);
      if (region && 'problem' in region) problems.push(region.problem);
      const departmentId = parsed.agency ? agencyOf.departmentOf(parsed.agency) : null;
      if (parsed.agency && departmentId === null) {
        problems.push(localized(TEXT.unmappedAgency, { agency: parsed.agency }));
      }
      if (problems.length || !category || 'problem' in category || !region || 'problem' in region) {
        outcome.status = 'rejected';
        outcome.problems = problems;
        continue;
      }
      // The case service's own schema has the last word, so a row passed here is not refused at import.
      const checked = reportCaseSchema.safeParse({
        clientKey: hotlineClientKey(parsed.orderNo),
        categoryId: category.id,
        description: parsed.description,
        ...(parsed.point ?? { regionCode: region.code }),
        ...(parsed.address ? { address: parsed.address } : {}),
        ...(parsed.callerName ? { reporterName: parsed.callerName } : {}),
        ...(parsed.callerPhone ? { reporterPhone: parsed.callerPhone } : {}),
      });
      if (!checked.success) {
        outcome.status = 'rejected';
        outcome.problems = checked.error.issues.map((issue) => ({
          zh: `${issue.path.join('.')}: ${pickLanguage(issue.message, 'zh-CN')}`,
          en: `${issue.path.join('.')}: ${pickLanguage(issue.message, 'en-US')}`,
        }));
        continue;
      }
      if (!parsed.receivedAt) {
        if (known) {
          // Without its received time the order has no history to compare: it stays as imported.
          outcome.status = 'alreadyImported';
          outcome.caseId = known.id;
          outcome.caseNumber = known.caseNumber;
          continue;
        }
        outcome.report = {
          input: checked.data,
          // A 12345 order has no extra fields to give: a category's required ones must not refuse it.
          origin: { externalRef: parsed.orderNo, receivedAt: parsed.receivedAt, attributes: {} },
        };
        continue;
      }
      const history: CaseHistory = {
        input: { ...checked.data, clientKey: hotlineClientKey(parsed.orderNo) },
        externalRef: parsed.orderNo,
        receivedAt: parsed.receivedAt,
        dueAt: parsed.dueAt,
        closedAt: parsed.closedAt,
        departmentId,
        historyKey: '',
        details: {
          ...(parsed.status ? { status: parsed.status } : {}),
          ...(parsed.agency ? { agency: parsed.agency } : {}),
          importSource: source,
        },
      };
      history.historyKey = historyKeyOf(history, region.code);
      if (known) {
        outcome.caseId = known.id;
        outcome.caseNumber = known.caseNumber;
        if (known.historyKey === history.historyKey) {
          outcome.status = 'alreadyImported';
          continue;
        }
        outcome.changed = true;
      }
      outcome.history = history;
    }
    return { ...base, agencies: agencyOf.list };
  }

  /** What an import would do with the file, and the mapping it would use. Writes nothing. */
  async function previewFile(actor: Actor, file: HotlineFileInput): Promise<HotlinePreview> {
    const analysis = await analyse(actor, file);
    const { sheet, table, outcomes } = analysis;
    const count = (status: HotlineRow['status']) => outcomes.filter((o) => o.status === status).length;
    const mapped = analysis.mappingProblems.length === 0;
    return {
      fileName: file.fileName,
      format: sheet.format,
      encoding: sheet.encoding,
      headerRow: table.headerRow,
      headers: table.headers,
      mapping: analysis.mapping,
      mappingProblems: analysis.mappingProblems.map((p) => localize(p, actor.locale)),
      source: analysis.source,
      timeZone: analysis.timeZone,
      agencies: analysis.agencies,
      total: outcomes.length,
      ready: mapped ? count('ready') : 0,
      changed: mapped ? outcomes.filter((o) => o.status === 'ready' && o.changed).length : 0,
      alreadyImported: count('alreadyImported'),
      rejected: count('rejected'),
      rows: outcomes.slice(0, HOTLINE_PREVIEW_ROWS).map((o) => presentRow(o, actor.locale, true)),
      rejectedRows: outcomes
        .filter((o) => o.status === 'rejected')
        .map((o) => presentRow(o, actor.locale, true)),
    };
  }

  /**
   * Reports every ready row as a hotline case, and records the import with its rejected rows. Each case is
   * written as when reported on its own (atomic, refused alone): a row refused at the last moment does not
   * undo the others, and an import cut short is finished by running it again, since each order's client key
   * finds the case it already made. An order with its received time is written as history (its steps at
   * their times, see `CaseService.recordHistory`); an order imported so before and corrected in this file is
   * written anew (`updated`). The agency mapping the request gives is remembered for the source.
   */
  async function importFile(actor: Actor, file: HotlineFileInput): Promise<HotlineImportResult> {
    const { table, mappingProblems, outcomes, source } = await analyse(actor, file);
    if (mappingProblems.length) {
      throw new AppError(
        'VALIDATION_FAILED',
        { summary: localize(joinTexts(mappingProblems), actor.locale) },
        { problems: mappingProblems.map((p) => localize(p, actor.locale)) },
      );
    }
    const reportRow = async (outcome: RowOutcome) => {
      if (!outcome.report && !outcome.history) return;
      try {
        if (outcome.history) {
          const written = await cases.recordHistory(actor, outcome.history);
          outcome.status = written.outcome === 'unchanged' ? 'alreadyImported' : written.outcome;
          outcome.caseId = written.case.id;
          outcome.caseNumber = written.case.caseNumber;
          return;
        }
        if (!outcome.report) return;
        const created = await cases.reportCase(actor, outcome.report.input, 'hotline', outcome.report.origin);
        outcome.status = 'created';
        outcome.caseId = created.id;
        outcome.caseNumber = created.caseNumber;
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        if (error.code === 'ALREADY_EXISTS') {
          // Another import took the order in meanwhile, by someone else: imported, but not named to this one.
          outcome.status = 'alreadyImported';
          return;
        }
        outcome.status = 'rejected';
        outcome.problems = [
          {
            zh: errorMessage(error.code, error.params, 'zh-CN'),
            en: errorMessage(error.code, error.params, 'en-US'),
          },
        ];
      }
    };
    // Rows are reported a slice at a time, together, so that intake writes each slice in one statement.
    for (let start = 0; start < outcomes.length; start += REPORTS_TOGETHER) {
      await Promise.all(outcomes.slice(start, start + REPORTS_TOGETHER).map(reportRow));
    }
    const rejectedRows: RejectedRowRecord[] = outcomes
      .filter((o) => o.status === 'rejected')
      .map((o) => ({ row: o.row, cells: o.cells, reasons: o.problems }));
    const counts = {
      total: outcomes.length,
      created: outcomes.filter((o) => o.status === 'created').length,
      updated: outcomes.filter((o) => o.status === 'updated').length,
      alreadyImported: outcomes.filter((o) => o.status === 'alreadyImported').length,
      rejected: rejectedRows.length,
    };
    const requested = parseRequested(file.agencies);
    const id = await db.transaction().execute(async (trx) => {
      if (requested.length) {
        await imports.saveAgencyMappings(trx, source, requested, { name: actor.name, at: clock.now() });
      }
      const importId = await imports.insertImport(trx, {
        file_name: file.fileName,
        actor_id: actor.id > 0 ? actor.id : null,
        actor_name: actor.name,
        scope_code: actor.scopeCode,
        total: counts.total,
        created: counts.created,
        updated: counts.updated,
        source,
        already_imported: counts.alreadyImported,
        rejected: counts.rejected,
        headers: table.headers,
        rejected_rows: rejectedRows,
        created_at: clock.now(),
      });
      await audit.record(trx, {
        actor,
        action: 'hotline.import',
        entityType: 'hotlineImport',
        entityId: importId,
        countyCode: actor.scopeCode.length >= 6 ? actor.scopeCode.slice(0, 6) : null,
        details: {
          fileName: file.fileName,
          ...counts,
          ...(requested.length ? { source, agencies: requested } : {}),
        },
      });
      return importId;
    });
    return {
      id,
      fileName: file.fileName,
      ...counts,
      rows: outcomes.map((o) => presentRow(o, actor.locale, o.status === 'rejected')),
    };
  }

  /** The rejected rows of an import as a spreadsheet (or CSV) with a reason column, to correct and re-import. */
  async function errorReport(
    actor: Actor,
    importId: number,
    options: { format: ReportFormat; locale?: Locale },
  ): Promise<{ fileName: string; contentType: string; bytes: Buffer }> {
    assertMayImportHotline(actor);
    const row = await imports.findImport(db, importId);
    if (!row) throw notFound(ENTITY.hotlineImport, importId);
    if (!mayReadImport(actor, row.scope_code)) {
      throw new AppError('FORBIDDEN_SCOPE', {
        target: localized(TEXT.importTarget, { id: importId }),
        scope: actor.scopeName,
      });
    }
    const bytes = await formatErrorReport({
      headers: row.headers,
      rows: row.rejected_rows,
      locale: options.locale ?? actor.locale,
      format: options.format,
    });
    return {
      fileName: `hotline-import-${importId}-rejected.${options.format}`,
      contentType:
        options.format === 'csv'
          ? 'text/csv; charset=utf-8'
          : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      bytes,
    };
  }

  return { previewFile, importFile, errorReport };
}

function presentRow(outcome: RowOutcome, locale: Locale, withValues: boolean): HotlineRow {
  return {
    row: outcome.row,
    orderNo: outcome.orderNo,
    status: outcome.status,
    caseId: outcome.caseId,
    caseNumber: outcome.caseNumber,
    values: withValues ? outcome.values : {},
    reasons: outcome.problems.map((p) => localize(p, locale)),
  };
}
