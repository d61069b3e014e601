import { z } from 'zod';
import { CATEGORY_KINDS } from './cases.ts';
import { regionCodeSchema } from './territory.ts';

/**
 * A routing rule (派遣规则): cases of a category in a region go to a lead department. The most specific rule
 * wins — first by category (the minor class, then its major class, then a rule for every category), then by
 * region (the longest code); where no rule matches, the category's default department is suggested.
 */
export const routingRuleSchema = z.object({
  id: z.number().int(),
  categoryId: z
    .number()
    .int()
    .nullable()
    .describe('A minor class, a major class (all its minors), or null: all'),
  categoryKind: z.enum(CATEGORY_KINDS).nullable(),
  categoryCode: z.string().nullable(),
  categoryName: z.string().nullable(),
  regionCode: z.string().describe('The rule covers this region or grid and everything below it'),
  regionName: z.string(),
  departmentId: z.number().int(),
  departmentCode: z.string(),
  departmentName: z.string(),
  createdAt: z.string(),
});
export type RoutingRule = z.infer<typeof routingRuleSchema>;

export const routingRuleInputSchema = z.object({
  categoryId: z
    .number()
    .int()
    .nullable()
    .describe('A minor class, a major class for all its minor classes, or null for every category'),
  regionCode: regionCodeSchema,
  departmentId: z.number().int().describe('The lead department (主办部门)'),
});
export type RoutingRuleInput = z.infer<typeof routingRuleInputSchema>;
