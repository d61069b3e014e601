import { createHash } from 'node:crypto';
import { type Category, reportCaseSchema } from '../../../shared/cases.ts';
import {
  errorMessage,
  type Locale,
  type LocalizedText,
  labelWithCode,
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
  hotlineAgencyMappingSchema,
} from '../../../shared/hotline.ts';
import { REGION_LEVEL_LABELS, type RegionSummary, type RegionTreeNode } from '../../../shared/territory.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { AppError, ENTITY, notFound } from '../../errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { CaseHistory, CaseOrigin, CaseService, ReportCaseInput } from '../cases/case.service.ts';
import type { CategoryService } from '../cases/category.service.ts';
import type { Actor } from '../people/actor.ts';
import { regionScope, scopeHoldsRegion } from '../people/scope.ts';
import type { PeopleService } from '../people/user.service.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import { assertMayImportHotline, mayReadImport } from './hotline.policy.ts';
import * as imports from './hotline.repository.ts';
import {
  type Cell,
  type FieldMapping,
  formatCell,
  type HotlineTable,
  localized,
  locateHeader,
  mappedCells,
  type ParsedHotlineRow,
  parseHotlineRow,
  readSheet,
  resolveMapping,
  type Sheet,
  type TimeReading,
} from './hotline-import.ts';
import { formatErrorReport, type RejectedRowRecord, type ReportFormat } from './hotline-report.ts';

const TEXT = {
  unknownCategory: {
    zh: '事件类别“{value}”不是已有小类的代码或名称（如 06010 或 暴露垃圾）',
    en: 'category "{value}" is not the code or name of a minor class (e.g. 06010 or 暴露垃圾)',
  },
  majorCategory: {
    zh: '事件类别“{value}”是大类，请填写小类代码或名称',
    en: 'category "{value}" is a major class: give a minor class code or name',
  },
  ambiguousCategory: {
    zh: '事件类别“{value}”对应多个小类：{candidates}，请填写代码',
    en: 'category "{value}" matches several minor classes: {candidates}; give the code',
  },
  inactiveCategory: {
    zh: '事件类别 {category} 已停用',
    en: 'category {category} is inactive',
  },
  outside: {
    zh: '经纬度 {lon}, {lat} 不在任何网格内（请核对坐标系与经纬度是否填反）',
    en: 'the point {lon}, {lat} is not inside any grid (check the coordinate system and that lon/lat are not swapped)',
  },
  unknownRegionCode: {
    zh: '网格（村居）代码 {code} 不存在',
    en: 'grid or village code {code} does not exist',
  },
  regionLevel: {
    zh: '{region} 是{level}，请填写村居或网格',
    en: '{region} is a {level}: give a village or a grid',
  },
  unknownRegionName: {
    zh: '在您的数据范围（{scope}）内找不到名为“{name}”的村居或网格',
    en: 'no village or grid named "{name}" in your data scope ({scope})',
  },
  ambiguousRegionName: {
    zh: '名称“{name}”对应多个网格（村居）：{candidates}，请填写代码',
    en: 'the name "{name}" matches several grids or villages: {candidates}; give the code',
  },
  outOfScope: {
    zh: '{region} 不在您的数据范围（{scope}）内',
    en: '{region} is outside your data scope ({scope})',
  },
  duplicateOrder: {
    zh: '工单编号 {orderNo} 与第 {row} 行重复',
    en: 'order number {orderNo} repeats row {row}',
  },
  importTarget: { zh: '导入记录 {id}', en: 'import {id}' },
  unmappedAgency: {
    zh: '承办单位“{agency}”未对应部门，请在对应表中为其选择部门',
    en: 'agency "{agency}" is not mapped to a department: choose its department in the agency table',
  },
  unknownDepartment: {
    zh: '承办单位“{agency}”对应的部门 {id} 不存在',
    en: 'agency "{agency}" is mapped to department {id}, which does not exist',
  },
  badAgencies: {
    zh: '承办单位对应关系格式有误：{reason}',
    en: 'the agency mapping is malformed: {reason}',
  },
} as const;

/** An agency as compared: trimmed, inner spaces collapsed, case ignored. */
export function agencyKey(agency: string): string {
  return agency.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** The `agencies` query parameter: a JSON object of agency → department id (null: none). */
export function parseAgenciesParam(json: string | undefined): HotlineAgencyMapping {
  if (!json) return {};
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new AppError('VALIDATION_FAILED', {
      summary: localized(TEXT.badAgencies, { reason: (error as Error).message }),
    });
  }
  const parsed = hotlineAgencyMappingSchema.safeParse(value);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new AppError('VALIDATION_FAILED', { summary: localized(TEXT.badAgencies, { reason }) });
  }
  return parsed.data;
}

/** Client keys of hotline cases: re-importing an order finds the case its first import created. */
export function hotlineClientKey(orderNo: string): string {
  return `hotline:${orderNo}`;
}

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
    const agencyOf = await agencyResolver(source, file.agencies ?? {}, outcomes);
    mappingProblems.push(...agencyOf.problems);
    const base = { sheet, table, mapping, mappingProblems, outcomes, source, timeZone: reading.timeZone };
    if (mappingProblems.length) return { ...base, agencies: agencyOf.list };

    const now = clock.now();
    const existing = await cases.findCasesByClientKeys(actor, [
      ...new Set(outcomes.flatMap((o) => (o.orderNo ? [hotlineClientKey(o.orderNo)] : []))),
    ]);
    const categoryIndex = indexCategories(await categories.getCategoryTree());
    const place = placeResolver(actor);
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

  /**
   * The department of each agency the file names: as this request maps it, else as remembered for the
   * source, else the department of that name or code. Lists them for the mapping table.
   */
  async function agencyResolver(source: string, requested: HotlineAgencyMapping, outcomes: RowOutcome[]) {
    const remembered = await imports.findAgencyMappings(db, source);
    const departments = await people.listDepartmentRefs();
    const byId = new Map(departments.map((d) => [d.id, d]));
    const byName = new Map<string, number>();
    for (const d of departments) {
      byName.set(agencyKey(d.code), d.id);
      byName.set(agencyKey(d.name), d.id);
    }
    const asked = new Map(Object.entries(requested).map(([agency, id]) => [agencyKey(agency), id]));
    const seen = new Map<string, { agency: string; rows: number }>();
    for (const outcome of outcomes) {
      const agency = outcome.values.agency?.trim();
      if (!agency) continue;
      const key = agencyKey(agency);
      const entry = seen.get(key) ?? { agency, rows: 0 };
      entry.rows++;
      seen.set(key, entry);
    }
    const problems: LocalizedText[] = [];
    const resolved = new Map<string, { id: number | null; by: HotlineAgency['mappedBy'] }>();
    const resolve = (key: string): { id: number | null; by: HotlineAgency['mappedBy'] } => {
      let found = resolved.get(key);
      if (!found) {
        if (asked.has(key)) found = { id: asked.get(key) ?? null, by: 'request' };
        else if (remembered.has(key)) found = { id: remembered.get(key) ?? null, by: 'remembered' };
        else if (byName.has(key)) found = { id: byName.get(key) ?? null, by: 'name' };
        else found = { id: null, by: 'none' };
        resolved.set(key, found);
      }
      return found;
    };
    for (const [agency, id] of asked) {
      if (id !== null && !byId.has(id)) problems.push(localized(TEXT.unknownDepartment, { agency, id }));
    }
    const list: HotlineAgency[] = [...seen.entries()]
      .map(([key, { agency, rows }]) => {
        const { id, by } = resolve(key);
        return {
          agency,
          rows,
          departmentId: id,
          departmentName: id === null ? null : (byId.get(id)?.name ?? null),
          mappedBy: id === null ? 'none' : by,
        };
      })
      .sort((a, b) => b.rows - a.rows || a.agency.localeCompare(b.agency));
    return {
      list,
      problems,
      departmentOf: (agency: string) => resolve(agencyKey(agency)).id,
    };
  }

  /** The region a row lands in: the leaf grid of its point, else its grid or village by code or by name. */
  function placeResolver(actor: Actor) {
    const regions = new Map<string, Promise<RegionSummary | null>>();
    let names: Promise<Map<string, RegionSummary[]>> | null = null;

    const regionOf = (code: string): Promise<RegionSummary | null> => {
      let found = regions.get(code);
      if (!found) {
        found = territory.getRegionSummary(code).catch((error: unknown) => {
          if (error instanceof AppError && error.code === 'NOT_FOUND') return null;
          throw error;
        });
        regions.set(code, found);
      }
      return found;
    };

    const scope = regionScope(actor);
    const inScope = (region: RegionSummary): Place =>
      scopeHoldsRegion(scope, region.code)
        ? { code: region.code }
        : {
            problem: localized(TEXT.outOfScope, {
              region: labelWithCode(region.name, region.code),
              scope: actor.scopeName,
            }),
          };

    const byName = async (name: string): Promise<Place> => {
      // Names are looked up only inside the actor's scope, where they are most likely to be unique.
      names ??= territory.getRegionTree(actor, { depth: 8 }).then(indexPlaces);
      const matches = (await names).get(normalizePlaceName(name)) ?? [];
      if (matches.length === 1 && matches[0]) return { code: matches[0].code };
      if (matches.length === 0) {
        return { problem: localized(TEXT.unknownRegionName, { name, scope: actor.scopeName }) };
      }
      return { problem: localized(TEXT.ambiguousRegionName, { name, candidates: listOf(matches) }) };
    };

    return async (parsed: ParsedHotlineRow): Promise<Place | null> => {
      if (parsed.point) {
        const code = await territory.locateCode(parsed.point.lon, parsed.point.lat);
        if (!code) {
          return {
            problem: localized(TEXT.outside, {
              lon: parsed.point.lon.toFixed(6),
              lat: parsed.point.lat.toFixed(6),
            }),
          };
        }
        const grid = await regionOf(code);
        return grid ? inScope(grid) : null;
      }
      if (!parsed.region) return null;
      if (!/^\d{12,21}$/.test(parsed.region)) return byName(parsed.region);
      const region = await regionOf(parsed.region);
      if (!region) return { problem: localized(TEXT.unknownRegionCode, { code: parsed.region }) };
      if (region.level !== 'village' && region.level !== 'grid') {
        return {
          problem: localized(TEXT.regionLevel, {
            region: labelWithCode(region.name, region.code),
            level: REGION_LEVEL_LABELS[region.level],
          }),
        };
      }
      return inScope(region);
    };
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

/**
 * What an order said when imported as history: a later import of the same order compares it to tell a
 * corrected order from the same one again.
 */
function historyKeyOf(history: CaseHistory, regionCode: string): string {
  const { input } = history;
  const said = [
    input.categoryId,
    regionCode,
    input.lon ?? null,
    input.lat ?? null,
    input.description,
    input.address ?? null,
    input.reporterName ?? null,
    input.reporterPhone ?? null,
    history.receivedAt.toISOString(),
    history.dueAt?.toISOString() ?? null,
    history.closedAt?.toISOString() ?? null,
    history.departmentId,
    history.details?.status ?? null,
  ];
  return createHash('sha256').update(JSON.stringify(said)).digest('hex').slice(0, 32);
}

/** The agency mapping a request gives, by agency key, to remember. */
function parseRequested(agencies: HotlineAgencyMapping | undefined) {
  return Object.entries(agencies ?? {}).map(([agency, departmentId]) => ({
    agency: agencyKey(agency),
    departmentId,
  }));
}

/** Where a row lands, or why it cannot. */
type Place = { code: string } | { problem: LocalizedText };

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

/** "名称（代码）、…" in Chinese, "name (code), …" in English. */
function listOf(things: readonly { name: string; code: string }[]): LocalizedText {
  return joinTexts(
    things.map((t) => labelWithCode(t.name, t.code)),
    { zh: '、', en: ', ' },
  );
}

function joinTexts(
  texts: readonly LocalizedText[],
  separator: LocalizedText = { zh: '；', en: '; ' },
): LocalizedText {
  return { zh: texts.map((t) => t.zh).join(separator.zh), en: texts.map((t) => t.en).join(separator.en) };
}

interface CategoryIndex {
  byCode: Map<string, Category[]>;
  byName: Map<string, Category[]>;
  majorCodes: Set<string>;
}

function indexCategories(tree: readonly (Category & { children: Category[] })[]): CategoryIndex {
  const index: CategoryIndex = { byCode: new Map(), byName: new Map(), majorCodes: new Set() };
  for (const major of tree) {
    index.majorCodes.add(major.code);
    for (const minor of major.children) {
      index.byCode.set(minor.code, [...(index.byCode.get(minor.code) ?? []), minor]);
      const name = minor.name.replace(/\s/g, '');
      index.byName.set(name, [...(index.byName.get(name) ?? []), minor]);
    }
  }
  return index;
}

/**
 * A category as hotline staff write it: the minor class code (06010), its name (暴露垃圾), or both
 * ("06010 暴露垃圾"); the code wins. Codes repeat across the two trees only in theory, and then the row asks
 * which one.
 */
function matchCategory(index: CategoryIndex, value: string): Category | { problem: LocalizedText } {
  const code = /(?<!\d)(\d{5})(?!\d)/.exec(value)?.[1];
  if (!code && /^\d{2}$/.test(value) && index.majorCodes.has(value)) {
    return { problem: localized(TEXT.majorCategory, { value }) };
  }
  const matches = (code ? index.byCode.get(code) : index.byName.get(value.replace(/\s/g, ''))) ?? [];
  const [only] = matches;
  if (!only) return { problem: localized(TEXT.unknownCategory, { value }) };
  if (matches.length > 1) {
    return { problem: localized(TEXT.ambiguousCategory, { value, candidates: listOf(matches) }) };
  }
  if (!only.active) {
    return { problem: localized(TEXT.inactiveCategory, { category: labelWithCode(only.name, only.code) }) };
  }
  return only;
}

/** "河清社区居委会" and "河清社区" name the same village: the committee suffix is dropped before comparing. */
function normalizePlaceName(name: string): string {
  return name.replace(/\s/g, '').replace(/(居民委员会|村民委员会|居委会|村委会)$/, '');
}

function indexPlaces(root: RegionTreeNode): Map<string, RegionSummary[]> {
  const index = new Map<string, RegionSummary[]>();
  const visit = (node: RegionTreeNode) => {
    if (node.level === 'village' || node.level === 'grid') {
      const key = normalizePlaceName(node.name);
      index.set(key, [...(index.get(key) ?? []), node]);
    }
    node.children.forEach(visit);
  };
  visit(root);
  return index;
}
