import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { CategoryAttributeRow, CategoryRow, StepLimits } from './category.table.ts';

export type CategoryWithDepartment = CategoryRow & { department_name: string | null };

export async function listCategories(db: Db): Promise<CategoryWithDepartment[]> {
  return db
    .selectFrom('categories')
    .leftJoin('departments', 'departments.id', 'categories.default_department_id')
    .selectAll('categories')
    .select('departments.name as department_name')
    .orderBy('categories.kind')
    .orderBy('categories.code')
    .execute();
}

export async function findCategory(db: Db, id: number): Promise<CategoryWithDepartment | undefined> {
  return db
    .selectFrom('categories')
    .leftJoin('departments', 'departments.id', 'categories.default_department_id')
    .selectAll('categories')
    .select('departments.name as department_name')
    .where('categories.id', '=', id)
    .executeTakeFirst();
}

export async function findCategoryByCode(db: Db, kind: CategoryRow['kind'], code: string) {
  return db
    .selectFrom('categories')
    .selectAll()
    .where('kind', '=', kind)
    .where('code', '=', code)
    .executeTakeFirst();
}

export interface CategoryValues {
  kind: CategoryRow['kind'];
  code: string;
  name: string;
  parent_id: number | null;
  limits: StepLimits;
  default_department_id: number | null;
  on_the_spot: boolean;
  public: boolean;
}

export async function insertCategory(db: Db, values: CategoryValues): Promise<number> {
  const { id } = await db
    .insertInto('categories')
    .values({ ...values, limits: JSON.stringify(values.limits) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function updateCategoryAtVersion(
  db: Db,
  id: number,
  version: number,
  changes: Partial<Omit<CategoryValues, 'kind' | 'code' | 'parent_id'> & { active: boolean }>,
): Promise<boolean> {
  const { limits, ...rest } = changes;
  const result = await db
    .updateTable('categories')
    .set({ ...rest, ...(limits ? { limits: JSON.stringify(limits) } : {}), version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The extra fields of the given categories (all categories when null), in each category's order. */
/** Every category's extra fields, each category's in their order. */
export async function listAttributes(db: Db) {
  return db
    .selectFrom('category_attributes')
    .selectAll()
    .orderBy('category_id')
    .orderBy('position')
    .execute();
}

export async function replaceAttributes(
  db: Db,
  categoryId: number,
  rows: readonly Omit<CategoryAttributeRow, 'id' | 'category_id'>[],
): Promise<void> {
  await db.deleteFrom('category_attributes').where('category_id', '=', categoryId).execute();
  if (rows.length === 0) return;
  await db
    .insertInto('category_attributes')
    .values(rows.map((r) => ({ ...r, category_id: categoryId, values: JSON.stringify(r.values) })))
    .execute();
}
