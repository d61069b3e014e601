import type { z } from 'zod';
import type {
  Category,
  CategoryAttribute,
  createCategorySchema,
  updateCategorySchema,
} from '../../../shared/cases.ts';
import { say } from '../../../shared/errors.ts';
import type { ImportReport } from '../../../shared/territory.ts';
import type { Db } from '../../db/database.ts';
import { AppError, conflict, ENTITY, notFound } from '../../errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../people/actor.ts';
import type { PeopleService } from '../people/user.service.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import * as categories from './category.repository.ts';
import type { CategoryAttributeRow } from './category.table.ts';
import { formatCategoryCsv, parseCategoryCsv } from './category-csv.ts';

const EDIT_CATEGORIES = { zh: '维护案件分类和时限', en: 'maintain case categories and time limits' };
const TEXT = {
  noMajor: {
    zh: '大类 {code} 不存在，请先创建大类',
    en: 'Major class {code} does not exist; create it first',
  },
  noDepartment: { zh: '部门代码 {code} 不存在', en: 'Department code {code} does not exist' },
  majorHasNoFields: { zh: '只有小类可以设置附加字段', en: 'Only a minor class has extra fields' },
} as const;

function presentAttribute(row: CategoryAttributeRow): CategoryAttribute {
  return {
    code: row.code,
    datatype: row.datatype,
    variable: row.variable,
    required: row.required,
    description: row.description,
    datatypeDescription: row.datatype_description,
    order: row.position,
    values: row.values,
  };
}

export type CategoryService = ReturnType<typeof createCategoryService>;

export function presentCategory(row: categories.CategoryWithDepartment): Category {
  return {
    id: row.id,
    kind: row.kind,
    code: row.code,
    name: row.name,
    parentId: row.parent_id,
    limits: row.limits,
    defaultDepartmentId: row.default_department_id,
    defaultDepartmentName: row.department_name,
    onTheSpot: row.on_the_spot,
    public: row.public,
    active: row.active,
    version: row.version,
  };
}

/**
 * Who may do what: anyone signed in reads the trees (the portal reads the public part); only an administrator
 * of the whole deployment changes them, since every village's cases run on the same classes and time limits
 * (see territory/deployment.policy.ts).
 */
export function createCategoryService(deps: {
  db: Db;
  audit: AuditService;
  people: Pick<PeopleService, 'listDepartmentRefs'>;
  territory: Pick<TerritoryService, 'assertGovernsAll'>;
}) {
  const { db, audit, people, territory } = deps;

  // Every report and action reads its category, every Open311 report its service's extra fields; they change a
  // few times a year. Cached per process, dropped after every change made here and re-read after a few seconds
  // so other processes' changes arrive too.
  let cache: {
    loadedAt: number;
    byId: Map<number, Category>;
    attributes: Map<number, CategoryAttribute[]>;
  } | null = null;
  const CACHE_MS = 5_000;

  async function cached() {
    if (!cache || Date.now() - cache.loadedAt > CACHE_MS) {
      const [rows, attributeRows] = await Promise.all([
        categories.listCategories(db),
        categories.listAttributes(db),
      ]);
      const attributes = new Map<number, CategoryAttribute[]>();
      for (const row of attributeRows) {
        const list = attributes.get(row.category_id) ?? [];
        list.push(presentAttribute(row));
        attributes.set(row.category_id, list);
      }
      cache = {
        loadedAt: Date.now(),
        byId: new Map(rows.map((r) => [r.id, presentCategory(r)])),
        attributes,
      };
    }
    return cache;
  }

  /** Both trees — components and matters — as major classes with their minor classes. */
  async function getCategoryTree() {
    const rows = [...(await cached()).byId.values()];
    const majors = rows.filter((r) => r.parentId === null);
    return majors.map((major) => ({ ...major, children: rows.filter((r) => r.parentId === major.id) }));
  }

  async function getCategory(id: number): Promise<Category> {
    const category = (await cached()).byId.get(id);
    if (category) return category;
    const row = await categories.findCategory(db, id);
    if (!row) throw notFound(ENTITY.category, id);
    return presentCategory(row);
  }

  async function createCategory(
    actor: Actor,
    input: z.infer<typeof createCategorySchema>,
  ): Promise<Category> {
    await territory.assertGovernsAll(actor, EDIT_CATEGORIES);
    if (await categories.findCategoryByCode(db, input.kind, input.code)) {
      throw new AppError('ALREADY_EXISTS', { entity: ENTITY.category, id: `${input.kind} ${input.code}` });
    }
    let parentId: number | null = null;
    if (input.code.length === 5) {
      const major = await categories.findCategoryByCode(db, input.kind, input.code.slice(0, 2));
      if (!major)
        throw new AppError('VALIDATION_FAILED', {
          summary: say(TEXT.noMajor, actor.locale, { code: input.code.slice(0, 2) }),
        });
      parentId = major.id;
    }
    const id = await db.transaction().execute(async (trx) => {
      const newId = await categories.insertCategory(trx, {
        kind: input.kind,
        code: input.code,
        name: input.name,
        parent_id: parentId,
        limits: input.limits,
        default_department_id: input.defaultDepartmentId ?? null,
        on_the_spot: input.onTheSpot,
        public: input.public,
      });
      await audit.record(trx, {
        actor,
        action: 'category.create',
        entityType: 'category',
        entityId: newId,
        details: { ...input },
      });
      return newId;
    });
    cache = null;
    return getCategory(id);
  }

  async function updateCategory(
    actor: Actor,
    id: number,
    input: z.infer<typeof updateCategorySchema>,
  ): Promise<Category> {
    await territory.assertGovernsAll(actor, EDIT_CATEGORIES);
    const current = await getCategory(id);
    await db.transaction().execute(async (trx) => {
      const ok = await categories.updateCategoryAtVersion(trx, id, input.version, {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.limits !== undefined ? { limits: input.limits } : {}),
        ...(input.defaultDepartmentId !== undefined
          ? { default_department_id: input.defaultDepartmentId }
          : {}),
        ...(input.onTheSpot !== undefined ? { on_the_spot: input.onTheSpot } : {}),
        ...(input.public !== undefined ? { public: input.public } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
      });
      if (!ok) throw conflict(ENTITY.category, current.version);
      await audit.record(trx, {
        actor,
        action: 'category.update',
        entityType: 'category',
        entityId: id,
        details: { ...input },
      });
    });
    cache = null;
    return getCategory(id);
  }

  /** The extra fields of the given minor classes (every category when null), each list in its order. */
  async function listAttributes(
    categoryIds: readonly number[] | null,
  ): Promise<Map<number, CategoryAttribute[]>> {
    const { attributes } = await cached();
    if (categoryIds === null) return new Map(attributes);
    return new Map(categoryIds.flatMap((id) => (attributes.has(id) ? [[id, attributes.get(id) ?? []]] : [])));
  }

  /**
   * Replaces the extra fields of a minor class as a whole. The category's version moves, so a client that
   * caches service definitions sees the change (and two administrators editing at once do not overwrite).
   */
  async function setAttributes(
    actor: Actor,
    id: number,
    input: { version: number; attributes: readonly CategoryAttribute[] },
  ): Promise<CategoryAttribute[]> {
    await territory.assertGovernsAll(actor, EDIT_CATEGORIES);
    const current = await getCategory(id);
    if (current.parentId === null) {
      throw new AppError('VALIDATION_FAILED', { summary: TEXT.majorHasNoFields });
    }
    await db.transaction().execute(async (trx) => {
      if (!(await categories.updateCategoryAtVersion(trx, id, input.version, {}))) {
        throw conflict(ENTITY.category, current.version);
      }
      await categories.replaceAttributes(
        trx,
        id,
        input.attributes.map((a) => ({
          code: a.code,
          datatype: a.datatype,
          variable: a.variable,
          required: a.required,
          description: a.description,
          datatype_description: a.datatypeDescription,
          position: a.order,
          values: a.values,
        })),
      );
      await audit.record(trx, {
        actor,
        action: 'category.attributes',
        entityType: 'category',
        entityId: id,
        details: { attributes: input.attributes.map((a) => a.code) },
      });
    });
    cache = null;
    return (await listAttributes([id])).get(id) ?? [];
  }

  /**
   * Imports categories from the exchange CSV: all rows or none (as with territory imports); major classes are
   * created from the rows' major code and name; existing classes are updated in place, by kind and code.
   */
  async function importCategories(
    actor: Actor,
    options: { csv: string; dryRun?: boolean },
  ): Promise<ImportReport> {
    await territory.assertGovernsAll(actor, EDIT_CATEGORIES);
    const { rows, errors } = parseCategoryCsv(options.csv, actor.locale);
    const departmentId = new Map((await people.listDepartmentRefs()).map((d) => [d.code, d.id]));
    for (const row of rows) {
      if (row.defaultDepartment && !departmentId.has(row.defaultDepartment)) {
        errors.push({
          line: row.line,
          code: row.code,
          reason: say(TEXT.noDepartment, actor.locale, { code: row.defaultDepartment }),
        });
      }
    }
    const total = rows.length + errors.length;
    const existing = new Map((await categories.listCategories(db)).map((c) => [`${c.kind}:${c.code}`, c]));
    const created = rows.filter((r) => !existing.has(`${r.kind}:${r.code}`)).length;
    const report: ImportReport = {
      applied: false,
      total,
      created,
      updated: rows.length - created,
      unchanged: 0,
      errors,
    };
    if (errors.length) {
      errors.sort((a, b) => a.line - b.line);
      throw new AppError('IMPORT_REJECTED', { count: errors.length }, report);
    }
    if (options.dryRun) return report;
    await db.transaction().execute(async (trx) => {
      for (const row of rows) {
        const majorKey = `${row.kind}:${row.majorCode}`;
        let major = existing.get(majorKey);
        if (!major) {
          const id = await categories.insertCategory(trx, {
            kind: row.kind,
            code: row.majorCode,
            name: row.majorName,
            parent_id: null,
            limits: {},
            default_department_id: null,
            on_the_spot: false,
            public: true,
          });
          major = await categories.findCategory(trx, id);
          if (major) existing.set(majorKey, major);
        }
        const values = {
          name: row.name,
          limits: row.limits,
          default_department_id: row.defaultDepartment
            ? (departmentId.get(row.defaultDepartment) ?? null)
            : null,
          on_the_spot: row.onTheSpot,
          public: row.public,
        };
        const current = existing.get(`${row.kind}:${row.code}`);
        if (current) await categories.updateCategoryAtVersion(trx, current.id, current.version, values);
        else
          await categories.insertCategory(trx, {
            ...values,
            kind: row.kind,
            code: row.code,
            parent_id: major?.id ?? null,
          });
      }
      await audit.record(trx, {
        actor,
        action: 'categories.import',
        entityType: 'category',
        entityId: '*',
        details: { total, created },
      });
    });
    cache = null;
    return { ...report, applied: true };
  }

  async function exportCategories(): Promise<string> {
    const rows = await categories.listCategories(db);
    const departmentCode = new Map((await people.listDepartmentRefs()).map((d) => [d.id, d.code]));
    const byId = new Map(rows.map((r) => [r.id, r]));
    return formatCategoryCsv(
      rows
        .filter((r) => r.parent_id !== null)
        .map((r) => {
          const major = byId.get(r.parent_id ?? -1);
          return {
            kind: r.kind,
            majorCode: major?.code ?? r.code.slice(0, 2),
            majorName: major?.name ?? '',
            code: r.code,
            name: r.name,
            limits: r.limits,
            defaultDepartment: r.default_department_id
              ? (departmentCode.get(r.default_department_id) ?? null)
              : null,
            onTheSpot: r.on_the_spot,
            public: r.public,
          };
        }),
    );
  }

  return {
    getCategoryTree,
    getCategory,
    createCategory,
    updateCategory,
    importCategories,
    exportCategories,
    listAttributes,
    setAttributes,
  };
}
