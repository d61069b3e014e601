import type { Category } from '../../../shared/cases.ts';
import {
  type ChecklistDetail,
  type ChecklistImportResult,
  type ChecklistListQuery,
  type ChecklistSummary,
  type CopyChecklistInput,
  type CreateChecklistInput,
  checklistImportQuerySchema,
  type UpdateChecklistInput,
} from '../../../shared/checklists.ts';
import {
  type ErrorParams,
  type Locale,
  type LocalizedText,
  labelWithCode,
  say,
} from '../../../shared/errors.ts';
import type { ScorableItem } from '../../../shared/inspection-scoring.ts';
import type {
  ChecklistItemInput,
  RectifyLimit,
  SiteType,
  TemplateStatus,
} from '../../../shared/inspections.ts';
import type { ImportReport, ImportRowError } from '../../../shared/territory.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { AppError, conflict, notFound } from '../../errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { CategoryService } from '../cases/category.service.ts';
import { assertInScope, assertRole, inScope } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import { presentDetail, presentSummary } from './checklist.presenter.ts';
import * as repo from './checklist.repository.ts';
import { readChecklistXlsx, writeChecklistXlsx } from './checklist-xlsx.ts';
import type { ChecklistTemplateRow } from './inspection.table.ts';

export const CHECKLIST_ENTITY = { zh: '测评表', en: 'Checklist template' };
const EDIT_ROLES = ['administrator', 'leader', 'inspector'] as const;
const EDIT_ACTION = { zh: '维护测评表', en: 'maintain checklist templates' };

const TEXT = {
  duplicateKey: { zh: '序号“{key}”与{first}重复', en: 'key "{key}" repeats {first}' },
  unknownCategory: {
    zh: '整改分类“{code}”不是已有的小类代码（如 06051）',
    en: 'rectification category "{code}" is not the code of a minor class (e.g. 06051)',
  },
  majorCategory: {
    zh: '整改分类“{code}”是大类，请填写小类代码',
    en: 'rectification category "{code}" is a major class: give a minor class code',
  },
  inactiveCategory: {
    zh: '整改分类 {category} 已停用',
    en: 'rectification category {category} is inactive',
  },
  noRegion: {
    zh: '请指定测评表所属的区划（regionCode）',
    en: 'give the region the template belongs to (regionCode)',
  },
  unknownRegion: { zh: '区划 {code} 不存在', en: 'region {code} does not exist' },
  noCode: {
    zh: '文件中没有“测评表编号”一行，请在表头上方补上或在导入时指定编号',
    en: 'the file has no "测评表编号" line: add it above the header or give the code with the import',
  },
  badCode: {
    zh: '编号“{code}”无效：应为 2–40 位小写字母、数字或连字符',
    en: 'code "{code}" is invalid: use 2–40 lowercase letters, digits or hyphens',
  },
  noName: {
    zh: '文件中没有“测评表名称”一行，请补上或在导入时指定名称',
    en: 'the file has no "测评表名称" line: add it or give the name with the import',
  },
  alreadyRetired: { zh: '该版本已停用', en: 'this version is already retired' },
} as const satisfies Record<string, LocalizedText>;

/** An item as the campaign and visit parts need it: scorable, with what its rectification needs. */
export interface ScoringItem extends ScorableItem {
  id: number;
  position: number;
  section: string;
  question: string;
  unit: string | null;
  guidance: string;
  categoryId: number | null;
  immediate: boolean;
  rectifyLimit: RectifyLimit | null;
}

export interface ScoringVersion {
  template: {
    id: number;
    code: string;
    version: number;
    name: string;
    status: TemplateStatus;
    regionCode: string;
  };
  items: ScoringItem[];
}

export interface ChecklistImportFile {
  bytes: Buffer;
  fileName: string;
  code?: string | undefined;
  name?: string | undefined;
  regionCode?: string | undefined;
  dryRun?: boolean | undefined;
}

interface ItemProblem {
  index: number;
  field: 'key' | 'categoryCode';
  text: LocalizedText;
  params: ErrorParams;
}

interface FieldProblem {
  path: string;
  text: LocalizedText;
  params?: ErrorParams;
}

/** A refusal naming every field at fault (items[3].categoryCode), in both languages. */
function invalidFields(problems: readonly FieldProblem[], locale: Locale): AppError {
  const line = (l: Locale, separator: string) =>
    problems.map((p) => `${p.path}: ${say(p.text, l, p.params)}`).join(separator);
  return new AppError(
    'VALIDATION_FAILED',
    { summary: { zh: line('zh-CN', '；'), en: line('en-US', '; ') } },
    { issues: problems.map((p) => ({ path: p.path, message: say(p.text, locale, p.params) })) },
  );
}

function countyOf(regionCode: string): string | null {
  return regionCode.length >= 6 ? regionCode.slice(0, 6) : null;
}

export type ChecklistService = ReturnType<typeof createChecklistService>;

export function createChecklistService(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  categories: Pick<CategoryService, 'getCategoryTree'>;
  territory: Pick<TerritoryService, 'getRegionSummary'>;
}) {
  const { db, clock, audit, categories, territory } = deps;

  function mayEdit(actor: Actor, regionCode: string): boolean {
    return (EDIT_ROLES as readonly string[]).includes(actor.role) && inScope(actor, regionCode);
  }

  function assertMayEdit(actor: Actor, regionCode: string): void {
    assertRole(actor, EDIT_ROLES, EDIT_ACTION);
    assertInScope(actor, regionCode, { zh: `测评表（${regionCode}）`, en: `template (${regionCode})` });
  }

  async function loadVersion(id: number): Promise<repo.TemplateWithTotals> {
    const row = await repo.findTemplate(db, id);
    if (!row) throw notFound(CHECKLIST_ENTITY, id);
    return row;
  }

  /** The region a new template belongs to: the one given, else the actor's scope; it must exist. */
  async function resolveRegion(actor: Actor, regionCode: string | undefined): Promise<string> {
    const code = regionCode ?? actor.scopeCode;
    if (!code) throw invalidFields([{ path: 'regionCode', text: TEXT.noRegion }], actor.locale);
    try {
      await territory.getRegionSummary(code);
    } catch (error) {
      if (error instanceof AppError && error.code === 'NOT_FOUND') {
        throw invalidFields(
          [{ path: 'regionCode', text: TEXT.unknownRegion, params: { code } }],
          actor.locale,
        );
      }
      throw error;
    }
    return code;
  }

  /**
   * What the database must say about the items: keys unique, each rectification category an active minor
   * class. Returns the problems by item and the category id of each item.
   */
  async function checkItems(
    items: readonly ChecklistItemInput[],
    placeOf: (index: number) => LocalizedText,
  ): Promise<{ problems: ItemProblem[]; categoryIds: (number | null)[] }> {
    const tree = await categories.getCategoryTree();
    const minors = new Map<string, Category[]>();
    for (const major of tree) {
      for (const minor of major.children) minors.set(minor.code, [...(minors.get(minor.code) ?? []), minor]);
    }
    const majors = new Set(tree.map((m) => m.code));
    const problems: ItemProblem[] = [];
    const firstIndex = new Map<string, number>();
    const categoryIds = items.map((item, index) => {
      const first = firstIndex.get(item.key);
      if (first === undefined) firstIndex.set(item.key, index);
      else
        problems.push({
          index,
          field: 'key',
          text: TEXT.duplicateKey,
          params: { key: item.key, first: placeOf(first) },
        });
      const code = item.categoryCode;
      if (!code) return null;
      const candidates = minors.get(code) ?? [];
      // A rectification is a matter (事件) more often than a component (部件) where both trees use the code.
      const chosen =
        candidates.find((c) => c.active && c.kind === 'matter') ?? candidates.find((c) => c.active);
      if (chosen) return chosen.id;
      const inactive = candidates[0];
      problems.push({
        index,
        field: 'categoryCode',
        ...(inactive
          ? { text: TEXT.inactiveCategory, params: { category: labelWithCode(inactive.name, inactive.code) } }
          : majors.has(code)
            ? { text: TEXT.majorCategory, params: { code } }
            : { text: TEXT.unknownCategory, params: { code } }),
      });
      return null;
    });
    return { problems, categoryIds };
  }

  /** The items checked as the API gives them: a 400 naming items[i].field for anything wrong. */
  async function checkedItems(actor: Actor, items: readonly ChecklistItemInput[]): Promise<repo.NewItem[]> {
    const place = (index: number) => ({ zh: `items[${index}]`, en: `items[${index}]` });
    const { problems, categoryIds } = await checkItems(items, place);
    if (problems.length) {
      throw invalidFields(
        problems.map((p) => ({ path: `items[${p.index}].${p.field}`, text: p.text, params: p.params })),
        actor.locale,
      );
    }
    return toNewItems(items, categoryIds);
  }

  function toNewItems(items: readonly ChecklistItemInput[], categoryIds: readonly (number | null)[]) {
    return items.map(
      (item, index): repo.NewItem => ({
        position: index + 1,
        key: item.key,
        section: item.section,
        question: item.question,
        points: item.points,
        rule: item.rule,
        comparator: item.rule === 'count' ? (item.comparator ?? null) : null,
        threshold: item.rule === 'count' ? (item.threshold ?? null) : null,
        unit: item.unit || null,
        photo: item.photo,
        guidance: item.guidance,
        site_types: [...item.siteTypes],
        category_id: categoryIds[index] ?? null,
        veto: item.veto,
        immediate: item.immediate,
        rectify_limit: item.rectifyLimit ?? null,
      }),
    );
  }

  async function refuseTakenCode(code: string): Promise<void> {
    if ((await repo.listVersionsOfCode(db, code)).length > 0) {
      throw new AppError('ALREADY_EXISTS', { entity: CHECKLIST_ENTITY, id: code });
    }
  }

  function auditEntry(
    actor: Actor,
    action: string,
    template: { id: number; code: string; version: number; region_code: string },
    details: Record<string, unknown> = {},
  ) {
    return {
      actor,
      action,
      entityType: 'checklist_template',
      entityId: template.id,
      countyCode: countyOf(template.region_code),
      details: {
        code: template.code,
        version: template.version,
        regionCode: template.region_code,
        ...details,
      },
    };
  }

  /** Writes a new version (v1 of a new code, or the next of an existing one) as a draft: its id. */
  async function insertVersion(
    trx: Db,
    actor: Actor,
    values: {
      code: string;
      name: string;
      description: string;
      siteTypes: readonly SiteType[];
      regionCode: string;
      items: readonly repo.NewItem[];
    },
  ): Promise<{ id: number; version: number }> {
    const version = await repo.nextVersionOf(trx, values.code);
    const id = await repo.insertTemplate(trx, {
      code: values.code,
      version,
      name: values.name,
      description: values.description,
      site_types: [...values.siteTypes],
      region_code: values.regionCode,
      created_by: actor.system ? null : actor.id,
      at: clock.now(),
    });
    await repo.insertItems(trx, id, values.items);
    return { id, version };
  }

  function totals(items: readonly repo.NewItem[]) {
    return { items: items.length, points: items.reduce((sum, i) => sum + i.points, 0) };
  }

  async function listTemplates(actor: Actor, query: ChecklistListQuery): Promise<ChecklistSummary[]> {
    const rows = await repo.listTemplateVersions(db, { q: query.q });
    const byCode = new Map<string, repo.TemplateWithTotals[]>();
    for (const row of rows) byCode.set(row.code, [...(byCode.get(row.code) ?? []), row]);
    return [...byCode.values()].flatMap((versions) => {
      const latest = versions[versions.length - 1];
      if (!latest) return [];
      if (query.status && latest.status !== query.status) return [];
      const sites = latest.site_types;
      if (query.siteType && sites.length > 0 && !sites.includes(query.siteType)) return [];
      return [presentSummary(versions, mayEdit(actor, latest.region_code))];
    });
  }

  /** One version with its sections and items. Every signed-in user may read every template. */
  async function getTemplate(actor: Actor, id: number): Promise<ChecklistDetail> {
    const row = await loadVersion(id);
    const [items, versions, inUse] = await Promise.all([
      repo.listItems(db, id),
      repo.listVersionsOfCode(db, row.code),
      repo.isTemplateUsed(db, id),
    ]);
    return presentDetail(row, items, versions, { editable: mayEdit(actor, row.region_code), inUse });
  }

  async function createTemplate(actor: Actor, input: CreateChecklistInput): Promise<ChecklistDetail> {
    assertRole(actor, EDIT_ROLES, EDIT_ACTION);
    const regionCode = await resolveRegion(actor, input.regionCode);
    assertMayEdit(actor, regionCode);
    await refuseTakenCode(input.code);
    const items = await checkedItems(actor, input.items);
    const id = await db.transaction().execute(async (trx) => {
      const written = await insertVersion(trx, actor, { ...input, regionCode, items });
      await audit.record(
        trx,
        auditEntry(
          actor,
          'checklist.create',
          { ...written, code: input.code, region_code: regionCode },
          {
            name: input.name,
            ...totals(items),
          },
        ),
      );
      return written.id;
    });
    return getTemplate(actor, id);
  }

  /**
   * Edits a version. A draft that no campaign or visit uses changes in place; any other version stays as it
   * is and the edit becomes the code's next version, a draft.
   */
  async function updateTemplate(
    actor: Actor,
    id: number,
    input: UpdateChecklistInput,
  ): Promise<ChecklistDetail> {
    const current = await loadVersion(id);
    assertMayEdit(actor, current.region_code);
    const items = await checkedItems(actor, input.items);
    const inPlace = current.status === 'draft' && !(await repo.isTemplateUsed(db, id));
    const at = clock.now();
    const resultId = await db.transaction().execute(async (trx) => {
      const claimed = await repo.updateTemplateAtVersion(
        trx,
        id,
        input.rowVersion,
        inPlace
          ? { at, name: input.name, description: input.description, site_types: [...input.siteTypes] }
          : { at },
      );
      if (!claimed) throw conflict(CHECKLIST_ENTITY, current.row_version);
      if (inPlace) {
        await repo.deleteItems(trx, id);
        await repo.insertItems(trx, id, items);
        await audit.record(
          trx,
          auditEntry(actor, 'checklist.update', current, { name: input.name, ...totals(items) }),
        );
        return id;
      }
      const written = await insertVersion(trx, actor, {
        ...input,
        code: current.code,
        regionCode: current.region_code,
        items,
      });
      await audit.record(
        trx,
        auditEntry(
          actor,
          'checklist.version',
          { ...current, ...written },
          {
            fromId: id,
            fromVersion: current.version,
            name: input.name,
            ...totals(items),
          },
        ),
      );
      return written.id;
    });
    return getTemplate(actor, resultId);
  }

  /** A copy under a new code, v1 draft, kept by the same office as its source. */
  async function copyTemplate(actor: Actor, id: number, input: CopyChecklistInput): Promise<ChecklistDetail> {
    const source = await loadVersion(id);
    assertMayEdit(actor, source.region_code);
    await refuseTakenCode(input.code);
    const sourceItems = await repo.listItems(db, id);
    const items = sourceItems.map(
      ({ id: _id, template_id: _t, category_code: _c, category_name: _n, ...item }) => item,
    );
    const newId = await db.transaction().execute(async (trx) => {
      const written = await insertVersion(trx, actor, {
        code: input.code,
        name: input.name,
        description: source.description,
        siteTypes: source.site_types as SiteType[],
        regionCode: source.region_code,
        items,
      });
      await audit.record(
        trx,
        auditEntry(
          actor,
          'checklist.copy',
          { ...written, code: input.code, region_code: source.region_code },
          {
            name: input.name,
            fromId: id,
            fromCode: source.code,
            fromVersion: source.version,
          },
        ),
      );
      return written.id;
    });
    return getTemplate(actor, newId);
  }

  /**
   * Makes the version the one new campaigns use. The code's version active before is retired: it stays
   * readable, and the campaigns and visits that used it keep it.
   */
  async function activateTemplate(actor: Actor, id: number, rowVersion: number): Promise<ChecklistDetail> {
    const current = await loadVersion(id);
    assertMayEdit(actor, current.region_code);
    await db.transaction().execute(async (trx) => {
      const at = clock.now();
      const ok = await repo.updateTemplateAtVersion(trx, id, rowVersion, { at, status: 'active' });
      if (!ok) throw conflict(CHECKLIST_ENTITY, current.row_version);
      const retired = await repo.retireOtherActive(trx, current.code, id, at);
      await audit.record(trx, auditEntry(actor, 'checklist.activate', current, { retired }));
    });
    return getTemplate(actor, id);
  }

  /** Retires the version: no new campaign may use it; it stays readable with its campaigns. */
  async function retireTemplate(actor: Actor, id: number, rowVersion: number): Promise<ChecklistDetail> {
    const current = await loadVersion(id);
    assertMayEdit(actor, current.region_code);
    if (current.status === 'retired') throw new AppError('ILLEGAL_TRANSITION', { text: TEXT.alreadyRetired });
    await db.transaction().execute(async (trx) => {
      const ok = await repo.updateTemplateAtVersion(trx, id, rowVersion, {
        at: clock.now(),
        status: 'retired',
      });
      if (!ok) throw conflict(CHECKLIST_ENTITY, current.row_version);
      await audit.record(trx, auditEntry(actor, 'checklist.retire', current, { from: current.status }));
    });
    return getTemplate(actor, id);
  }

  /** The version as an XLSX workbook that imports back as it is. */
  async function exportTemplate(actor: Actor, id: number): Promise<{ fileName: string; bytes: Buffer }> {
    const detail = await getTemplate(actor, id);
    const bytes = await writeChecklistXlsx({
      ...detail,
      items: detail.sections.flatMap((s) => s.items),
    });
    return { fileName: `${detail.code}-v${detail.version}.xlsx`, bytes };
  }

  /**
   * Imports a workbook as a new template (v1) or, for a code that exists, as its next version; a draft either
   * way. A file with any wrong row changes nothing: 422 IMPORT_REJECTED lists every row with its reasons.
   */
  async function importTemplate(actor: Actor, file: ChecklistImportFile): Promise<ChecklistImportResult> {
    assertRole(actor, EDIT_ROLES, EDIT_ACTION);
    const parsed = await readChecklistXlsx(file.bytes, actor.locale);
    const code = file.code ?? parsed.code;
    if (!code) throw invalidFields([{ path: 'code', text: TEXT.noCode }], actor.locale);
    if (!checklistImportQuerySchema.shape.code.safeParse(code).success) {
      throw invalidFields([{ path: 'code', text: TEXT.badCode, params: { code } }], actor.locale);
    }
    const versions = await repo.listVersionsOfCode(db, code);
    const latest: ChecklistTemplateRow | undefined = versions[versions.length - 1];
    const regionCode = latest ? latest.region_code : await resolveRegion(actor, file.regionCode);
    assertMayEdit(actor, regionCode);
    const name = file.name ?? parsed.name ?? latest?.name;
    if (!name) throw invalidFields([{ path: 'name', text: TEXT.noName }], actor.locale);

    const inputs = parsed.items.map((i) => i.item);
    const rowOf = (index: number) => parsed.items[index]?.row ?? 0;
    const { problems, categoryIds } = await checkItems(inputs, (index) => ({
      zh: `第 ${rowOf(index)} 行`,
      en: `row ${rowOf(index)}`,
    }));
    const errors: ImportRowError[] = [
      ...parsed.errors,
      ...problems.map((p) => ({
        line: rowOf(p.index),
        code: inputs[p.index]?.key,
        reason: say(p.text, actor.locale, p.params),
      })),
    ].sort((a, b) => a.line - b.line);
    if (errors.length) {
      const report: ImportReport = {
        applied: false,
        total: parsed.items.length + parsed.errors.length,
        created: 0,
        updated: 0,
        unchanged: 0,
        errors,
      };
      throw new AppError('IMPORT_REJECTED', { count: new Set(errors.map((e) => e.line)).size }, report);
    }
    const items = toNewItems(inputs, categoryIds);
    const result = { code, name, newTemplate: !latest, items: items.length };
    if (file.dryRun) return { applied: false, ...result, template: null };
    const id = await db.transaction().execute(async (trx) => {
      const written = await insertVersion(trx, actor, {
        code,
        name,
        description: parsed.description ?? latest?.description ?? '',
        siteTypes: parsed.siteTypes ?? (latest?.site_types as SiteType[] | undefined) ?? [],
        regionCode,
        items,
      });
      await audit.record(
        trx,
        auditEntry(
          actor,
          'checklist.import',
          { ...written, code, region_code: regionCode },
          {
            name,
            fileName: file.fileName,
            ...totals(items),
          },
        ),
      );
      return written.id;
    });
    return { applied: true, ...result, template: await getTemplate(actor, id) };
  }

  /**
   * The items of a version as campaigns and visits score them, with what a failure's rectification needs.
   * No actor: the caller has checked access to the campaign or visit that names the version.
   */
  async function getVersionForScoring(templateId: number): Promise<ScoringVersion> {
    const row = await loadVersion(templateId);
    const items = await repo.listItems(db, templateId);
    return {
      template: {
        id: row.id,
        code: row.code,
        version: row.version,
        name: row.name,
        status: row.status,
        regionCode: row.region_code,
      },
      items: items.map((item) => ({
        id: item.id,
        position: item.position,
        key: item.key,
        section: item.section,
        question: item.question,
        points: item.points,
        rule: item.rule,
        comparator: item.comparator,
        threshold: item.threshold,
        unit: item.unit,
        photo: item.photo,
        guidance: item.guidance,
        siteTypes: item.site_types,
        veto: item.veto,
        categoryId: item.category_id,
        immediate: item.immediate,
        rectifyLimit: item.rectify_limit,
      })),
    };
  }

  return {
    listTemplates,
    getTemplate,
    createTemplate,
    updateTemplate,
    copyTemplate,
    activateTemplate,
    retireTemplate,
    exportTemplate,
    importTemplate,
    getVersionForScoring,
  };
}
