import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { likeContaining } from '../../db/like.ts';
import { regionCondition, type Scope } from './scope.ts';
import type { DepartmentRow } from './user.table.ts';

export type DepartmentWithNames = DepartmentRow & { region_name: string; user_count: number };

function departmentsWithNames(db: Db) {
  return db
    .selectFrom('departments')
    .innerJoin('regions', 'regions.code', 'departments.region_code')
    .selectAll('departments')
    .select((eb) => [
      'regions.name as region_name',
      eb
        .selectFrom('users')
        .whereRef('users.department_id', '=', 'departments.id')
        .select(eb.fn.countAll<number>().as('n'))
        .as('user_count'),
    ]);
}

export async function findDepartmentById(db: Db, id: number): Promise<DepartmentWithNames | undefined> {
  return departmentsWithNames(db).where('departments.id', '=', id).executeTakeFirst() as Promise<
    DepartmentWithNames | undefined
  >;
}

export async function findDepartmentByCode(db: Db, code: string): Promise<DepartmentRow | undefined> {
  return db.selectFrom('departments').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function listDepartments(
  db: Db,
  filter: { scope: Scope; q?: string | undefined; limit: number; offset: number },
): Promise<{ rows: DepartmentWithNames[]; total: number }> {
  let query = departmentsWithNames(db).where((eb) =>
    regionCondition(eb, 'departments.region_code', filter.scope),
  );
  if (filter.q) {
    const pattern = likeContaining(filter.q);
    query = query.where((eb) =>
      eb.or([eb('departments.code', 'ilike', pattern), eb('departments.name', 'ilike', pattern)]),
    );
  }
  const [rows, count] = await Promise.all([
    query.orderBy('departments.code').limit(filter.limit).offset(filter.offset).execute(),
    query
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as DepartmentWithNames[], total: count.n };
}

export async function insertDepartment(
  db: Db,
  row: { code: string; name: string; region_code: string },
): Promise<number> {
  const { id } = await db.insertInto('departments').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function updateDepartmentAtVersion(
  db: Db,
  id: number,
  version: number,
  changes: Partial<Pick<DepartmentRow, 'code' | 'name' | 'region_code'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('departments')
    .set({ ...changes, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function listDepartmentRefs(
  db: Db,
): Promise<{ id: number; code: string; name: string; region_code: string }[]> {
  return db.selectFrom('departments').select(['id', 'code', 'name', 'region_code']).orderBy('code').execute();
}
