import {
  type ErrorParams,
  type Locale,
  type LocalizedText,
  labelWithCode,
  say,
} from '../../../shared/errors.ts';
import type { RoutingRule, RoutingRuleInput } from '../../../shared/routing.ts';
import type { RegionSummary } from '../../../shared/territory.ts';
import type { Db } from '../../db/database.ts';
import { AppError, ENTITY, notFound } from '../../errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { assertInScope, assertRole } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';
import { regionScope } from '../people/scope.ts';
import type { PeopleService } from '../people/user.service.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import type { CategoryService } from './category.service.ts';
import * as rules from './routing.repository.ts';

const EDIT_ROUTING = { zh: '维护派遣规则', en: 'maintain routing rules' };
const TEXT = {
  unknownCategory: {
    zh: '分类 {id} 不存在，请从分类列表中选择',
    en: 'Category {id} does not exist; choose one from the category list',
  },
  unknownRegion: {
    zh: '行政区划或网格 {code} 不存在，请从区划树中选择',
    en: 'Region or grid {code} does not exist; choose one from the region tree',
  },
  unknownDepartment: {
    zh: '部门 {id} 不存在，请从部门列表中选择',
    en: 'Department {id} does not exist; choose one from the department list',
  },
  allCategories: { zh: '全部分类', en: 'all categories' },
  sameRule: {
    zh: '{category} × {region}（现派往 {department}），请修改那条规则',
    en: '{category} × {region} (now to {department}); change that rule instead',
  },
} as const;

export type RoutingService = ReturnType<typeof createRoutingService>;

function presentRule(row: rules.RoutingRuleWithNames): RoutingRule {
  return {
    id: row.id,
    categoryId: row.category_id,
    categoryKind: row.category_kind,
    categoryCode: row.category_code,
    categoryName: row.category_name,
    regionCode: row.region_code,
    regionName: row.region_name ?? row.region_code,
    departmentId: row.department_id,
    departmentCode: row.department_code,
    departmentName: row.department_name,
    createdAt: row.created_at.toISOString(),
  };
}

/** The county a rule's region lies in, for the audit entry; none for a province or city. */
function countyOf(regionCode: string): string | null {
  return regionCode.length >= 6 ? regionCode.slice(0, 6) : null;
}

/** A refused field, with the message under the field it concerns (as zod's own issues are). */
function invalidField(
  locale: Locale,
  path: keyof RoutingRuleInput,
  text: LocalizedText,
  params: ErrorParams = {},
) {
  const message = say(text, locale, params);
  return new AppError('VALIDATION_FAILED', { summary: message }, { issues: [{ path, message }] });
}

/** Answers `undefined` where `lookup` finds nothing (NOT_FOUND), so the caller can name the field at fault. */
async function orUndefined<T>(lookup: Promise<T>): Promise<T | undefined> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') return undefined;
    throw error;
  }
}

/** Routing rules (派遣规则): which department a case of a category in a region is dispatched to. */
export function createRoutingService(deps: {
  db: Db;
  audit: AuditService;
  territory: Pick<TerritoryService, 'getRegionSummary'>;
  categories: Pick<CategoryService, 'getCategory'>;
  people: Pick<PeopleService, 'listDepartmentRefs'>;
}) {
  const { db, audit, territory, categories, people } = deps;

  async function listRoutingRules(actor: Actor): Promise<RoutingRule[]> {
    assertRole(actor, ['administrator'], EDIT_ROUTING);
    return (await rules.listRoutingRules(db, regionScope(actor))).map(presentRule);
  }

  async function getRule(actor: Actor, id: number): Promise<rules.RoutingRuleWithNames> {
    const row = await rules.findRoutingRule(db, id);
    if (!row) throw notFound(ENTITY.routingRule, id);
    assertInScope(actor, row.region_code, labelWithCode(row.region_name ?? '', row.region_code));
    return row;
  }

  /** Checks that the category, region and department exist and the region is in the actor's scope. */
  async function checkInput(actor: Actor, input: RoutingRuleInput): Promise<RegionSummary> {
    const { locale } = actor;
    if (input.categoryId !== null && !(await orUndefined(categories.getCategory(input.categoryId)))) {
      throw invalidField(locale, 'categoryId', TEXT.unknownCategory, { id: input.categoryId });
    }
    const region = await orUndefined(territory.getRegionSummary(input.regionCode));
    if (!region) throw invalidField(locale, 'regionCode', TEXT.unknownRegion, { code: input.regionCode });
    assertInScope(actor, region.code, labelWithCode(region.name, region.code));
    if (!(await people.listDepartmentRefs()).some((d) => d.id === input.departmentId)) {
      throw invalidField(locale, 'departmentId', TEXT.unknownDepartment, { id: input.departmentId });
    }
    return region;
  }

  /** One rule per category and region: a second one would leave it to chance which of them wins. */
  async function refuseSameRule(trx: Db, input: RoutingRuleInput, exceptId?: number): Promise<void> {
    const same = await rules.findSameRule(trx, { ...input, ...(exceptId ? { exceptId } : {}) });
    if (!same) return;
    const params = {
      category:
        same.category_code && same.category_name
          ? labelWithCode(same.category_name, same.category_code)
          : TEXT.allCategories,
      region: labelWithCode(same.region_name ?? '', same.region_code),
      department: same.department_name,
    };
    throw new AppError('ALREADY_EXISTS', {
      entity: ENTITY.routingRule,
      id: { zh: say(TEXT.sameRule, 'zh-CN', params), en: say(TEXT.sameRule, 'en-US', params) },
    });
  }

  function valuesOf(input: RoutingRuleInput): rules.RoutingRuleValues {
    return {
      category_id: input.categoryId,
      region_code: input.regionCode,
      department_id: input.departmentId,
    };
  }

  async function createRoutingRule(actor: Actor, input: RoutingRuleInput): Promise<RoutingRule> {
    assertRole(actor, ['administrator'], EDIT_ROUTING);
    await checkInput(actor, input);
    const id = await db.transaction().execute(async (trx) => {
      await refuseSameRule(trx, input);
      const newId = await rules.insertRoutingRule(trx, valuesOf(input));
      await audit.record(trx, {
        actor,
        action: 'routingRule.create',
        entityType: 'routingRule',
        entityId: newId,
        countyCode: countyOf(input.regionCode),
        details: { ...input },
      });
      return newId;
    });
    return presentRule(await getRule(actor, id));
  }

  async function updateRoutingRule(actor: Actor, id: number, input: RoutingRuleInput): Promise<RoutingRule> {
    assertRole(actor, ['administrator'], EDIT_ROUTING);
    const current = await getRule(actor, id);
    await checkInput(actor, input);
    await db.transaction().execute(async (trx) => {
      await refuseSameRule(trx, input, id);
      await rules.updateRoutingRule(trx, id, valuesOf(input));
      await audit.record(trx, {
        actor,
        action: 'routingRule.update',
        entityType: 'routingRule',
        entityId: id,
        countyCode: countyOf(input.regionCode),
        details: {
          before: {
            categoryId: current.category_id,
            regionCode: current.region_code,
            departmentId: current.department_id,
          },
          after: { ...input },
        },
      });
    });
    return presentRule(await getRule(actor, id));
  }

  async function deleteRoutingRule(actor: Actor, id: number): Promise<void> {
    assertRole(actor, ['administrator'], EDIT_ROUTING);
    const current = await getRule(actor, id);
    await db.transaction().execute(async (trx) => {
      await rules.deleteRoutingRule(trx, id);
      await audit.record(trx, {
        actor,
        action: 'routingRule.delete',
        entityType: 'routingRule',
        entityId: id,
        countyCode: countyOf(current.region_code),
        details: {
          categoryId: current.category_id,
          regionCode: current.region_code,
          departmentId: current.department_id,
        },
      });
    });
  }

  return { listRoutingRules, createRoutingRule, updateRoutingRule, deleteRoutingRule };
}
