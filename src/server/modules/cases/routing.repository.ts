import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { regionCondition, type Scope } from '../people/scope.ts';
import type { CategoryRow, RoutingRuleRow } from './category.table.ts';

/** A rule with the names shown beside its codes. */
export type RoutingRuleWithNames = RoutingRuleRow & {
  category_kind: CategoryRow['kind'] | null;
  category_code: string | null;
  category_name: string | null;
  region_name: string | null;
  department_code: string;
  department_name: string;
};

function rulesWithNames(db: Db) {
  return db
    .selectFrom('routing_rules')
    .leftJoin('categories', 'categories.id', 'routing_rules.category_id')
    .leftJoin('regions', 'regions.code', 'routing_rules.region_code')
    .innerJoin('departments', 'departments.id', 'routing_rules.department_id')
    .selectAll('routing_rules')
    .select([
      'categories.kind as category_kind',
      'categories.code as category_code',
      'categories.name as category_name',
      'regions.name as region_name',
      'departments.code as department_code',
      'departments.name as department_name',
    ]);
}

/** The rules whose region lies in the scope, by region and then category (rules for every category first). */
export async function listRoutingRules(db: Db, scope: Scope): Promise<RoutingRuleWithNames[]> {
  return rulesWithNames(db)
    .where((eb) => regionCondition(eb, 'routing_rules.region_code', scope))
    .orderBy('routing_rules.region_code')
    .orderBy(sql`categories.kind nulls first`)
    .orderBy('categories.code')
    .execute();
}

export async function findRoutingRule(db: Db, id: number): Promise<RoutingRuleWithNames | undefined> {
  return rulesWithNames(db).where('routing_rules.id', '=', id).executeTakeFirst();
}

/** The rule for exactly this category (null: every category) and region, other than `exceptId`. */
export async function findSameRule(
  db: Db,
  rule: { categoryId: number | null; regionCode: string; exceptId?: number },
): Promise<RoutingRuleWithNames | undefined> {
  let query = rulesWithNames(db).where('routing_rules.region_code', '=', rule.regionCode);
  query =
    rule.categoryId === null
      ? query.where('routing_rules.category_id', 'is', null)
      : query.where('routing_rules.category_id', '=', rule.categoryId);
  if (rule.exceptId !== undefined) query = query.where('routing_rules.id', '<>', rule.exceptId);
  return query.executeTakeFirst();
}

export interface RoutingRuleValues {
  category_id: number | null;
  region_code: string;
  department_id: number;
}

export async function insertRoutingRule(db: Db, values: RoutingRuleValues): Promise<number> {
  const { id } = await db
    .insertInto('routing_rules')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function updateRoutingRule(db: Db, id: number, values: RoutingRuleValues): Promise<void> {
  await db.updateTable('routing_rules').set(values).where('id', '=', id).execute();
}

export async function deleteRoutingRule(db: Db, id: number): Promise<void> {
  await db.deleteFrom('routing_rules').where('id', '=', id).execute();
}
