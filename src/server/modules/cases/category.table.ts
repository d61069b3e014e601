import type { ColumnType, Generated, Selectable } from 'kysely';

/** Time limits of a minor class per step, e.g. { handle: { amount: 2, unit: 'workingDays' } }. */
export type StepLimits = Partial<
  Record<
    'register' | 'dispatch' | 'handle' | 'verify',
    { amount: number; unit: 'workingHours' | 'workingDays' | 'naturalDays' }
  >
>;

export interface CategoryTable {
  id: Generated<number>;
  kind: 'component' | 'matter';
  code: string;
  name: string;
  /** Null for a major class (大类); a minor class (小类) points at its major class. */
  parent_id: number | null;
  limits: ColumnType<StepLimits, string, string>;
  default_department_id: number | null;
  on_the_spot: Generated<boolean>;
  public: Generated<boolean>;
  active: Generated<boolean>;
  version: Generated<number>;
}
export type CategoryRow = Selectable<CategoryTable>;

/** Cases of a category (a minor class, a major class, or null: all) in a region go to a lead department. */
export interface RoutingRuleTable {
  id: Generated<number>;
  category_id: number | null;
  region_code: string;
  department_id: number;
  created_at: Generated<Date>;
}
export type RoutingRuleRow = Selectable<RoutingRuleTable>;

/** An extra field asked for with a report of a minor class: an Open311 service definition attribute. */
export interface CategoryAttributeTable {
  id: Generated<number>;
  category_id: number;
  code: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  /** False: shown to the reporter as information only, no input. */
  variable: boolean;
  required: boolean;
  description: string;
  datatype_description: string | null;
  /** The order the fields are shown in, from 1. */
  position: number;
  /** The choices of a list field. */
  values: ColumnType<{ key: string; name: string }[], string, string>;
}
export type CategoryAttributeRow = Selectable<CategoryAttributeTable>;
