/**
 * Words and shapes of inspections (测评、督查): checklist templates, campaigns, visits and their scoring, shared by
 * the server, the console, the field view and the CLI. Scoring itself is in inspection-scoring.ts.
 */
import { z } from 'zod';
import { timeLimitSchema } from './cases.ts';
import type { LocalizedText } from './errors.ts';

export const TEMPLATE_STATUSES = ['draft', 'active', 'retired'] as const;
export type TemplateStatus = (typeof TEMPLATE_STATUSES)[number];
export const TEMPLATE_STATUS_LABELS: Record<TemplateStatus, LocalizedText> = {
  draft: { zh: '草稿', en: 'Draft' },
  active: { zh: '启用', en: 'Active' },
  retired: { zh: '停用', en: 'Retired' },
};

/**
 * How an item is scored: pass / fail (all points or none); graded 0…points; or a measured number or count
 * against a threshold ("公益广告 ≥ 5 处": pass when the count reaches it). Any item may be not applicable.
 */
export const ITEM_RULES = ['passFail', 'graded', 'count'] as const;
export type ItemRule = (typeof ITEM_RULES)[number];
export const ITEM_RULE_LABELS: Record<ItemRule, LocalizedText> = {
  passFail: { zh: '符合/不符合', en: 'Pass / fail' },
  graded: { zh: '按分值评分', en: 'Graded' },
  count: { zh: '计数达标', en: 'Count against a threshold' },
};
export const ITEM_COMPARATORS = ['>=', '<='] as const;
export type ItemComparator = (typeof ITEM_COMPARATORS)[number];

export const PHOTO_RULES = ['never', 'onFail', 'always'] as const;
export type PhotoRule = (typeof PHOTO_RULES)[number];
export const PHOTO_RULE_LABELS: Record<PhotoRule, LocalizedText> = {
  never: { zh: '无需照片', en: 'No photo' },
  onFail: { zh: '不符合时须拍照', en: 'Photo on failure' },
  always: { zh: '须拍照', en: 'Photo always' },
};

export const ITEM_OUTCOMES = ['pass', 'fail', 'na'] as const;
export type ItemOutcome = (typeof ITEM_OUTCOMES)[number];
export const ITEM_OUTCOME_LABELS: Record<ItemOutcome, LocalizedText> = {
  pass: { zh: '符合', en: 'Pass' },
  fail: { zh: '不符合', en: 'Fail' },
  na: { zh: '不适用', en: 'Not applicable' },
};

/** The kinds of place a checklist item applies to. Organisations of the registry map onto them by type. */
export const SITE_TYPES = [
  'market',
  'mall',
  'shop',
  'restaurant',
  'pharmacy',
  'clinic',
  'hospital',
  'bank',
  'school',
  'hotel',
  'residentialEstate',
  'backStreet',
  'publicSpace',
  'enterprise',
  'government',
  'other',
] as const;
export type SiteType = (typeof SITE_TYPES)[number];
export const SITE_TYPE_LABELS: Record<SiteType, LocalizedText> = {
  market: { zh: '集贸市场', en: 'Market' },
  mall: { zh: '商场（超市）', en: 'Mall or supermarket' },
  shop: { zh: '商铺', en: 'Shop' },
  restaurant: { zh: '餐饮店', en: 'Restaurant' },
  pharmacy: { zh: '药店', en: 'Pharmacy' },
  clinic: { zh: '诊所', en: 'Clinic' },
  hospital: { zh: '医院', en: 'Hospital' },
  bank: { zh: '银行网点', en: 'Bank' },
  school: { zh: '学校', en: 'School' },
  hotel: { zh: '宾馆酒店', en: 'Hotel' },
  residentialEstate: { zh: '住宅小区（老旧小区）', en: 'Residential estate' },
  backStreet: { zh: '背街小巷', en: 'Back street' },
  publicSpace: { zh: '公共场所', en: 'Public space' },
  enterprise: { zh: '企业', en: 'Enterprise' },
  government: { zh: '机关单位', en: 'Government office' },
  other: { zh: '其他', en: 'Other' },
};

export const CAMPAIGN_STATUSES = ['draft', 'running', 'finished'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export const CAMPAIGN_STATUS_LABELS: Record<CampaignStatus, LocalizedText> = {
  draft: { zh: '筹备中', en: 'Draft' },
  running: { zh: '进行中', en: 'Running' },
  finished: { zh: '已结束', en: 'Finished' },
};

export const RECURRENCES = ['once', 'weekly', 'monthly'] as const;
export type Recurrence = (typeof RECURRENCES)[number];
export const RECURRENCE_LABELS: Record<Recurrence, LocalizedText> = {
  once: { zh: '一次性', en: 'Once' },
  weekly: { zh: '每周', en: 'Weekly' },
  monthly: { zh: '每月', en: 'Monthly' },
};

export const ROUND_KINDS = ['regular', 'reinspection'] as const;
export type RoundKind = (typeof ROUND_KINDS)[number];
export const ROUND_KIND_LABELS: Record<RoundKind, LocalizedText> = {
  regular: { zh: '检查', en: 'Inspection' },
  reinspection: { zh: '回头看', en: 'Re-inspection' },
};

export const TARGET_KINDS = ['organisation', 'facility', 'address', 'grid', 'manual'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];
export const TARGET_KIND_LABELS: Record<TargetKind, LocalizedText> = {
  organisation: { zh: '单位（实有单位）', en: 'Organisation' },
  facility: { zh: '设施', en: 'Facility' },
  address: { zh: '地址', en: 'Address' },
  grid: { zh: '网格', en: 'Grid' },
  manual: { zh: '手工添加', en: 'Added by hand' },
};

/** A rectification's own working-time limit, in the same terms as a category's step limits. */
export const rectifyLimitSchema = timeLimitSchema;
export type RectifyLimit = z.infer<typeof rectifyLimitSchema>;

const itemKey = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z][0-9A-Za-z.\-_]{0,19}$/)
  .describe('Stable key of the item within the template, e.g. "2.3"');

export const checklistItemInputSchema = z
  .object({
    key: itemKey,
    section: z.string().trim().min(1).max(100),
    question: z.string().trim().min(2).max(500),
    points: z.number().min(0).max(1000),
    rule: z.enum(ITEM_RULES),
    comparator: z.enum(ITEM_COMPARATORS).nullable().optional(),
    threshold: z.number().min(0).max(1_000_000).nullable().optional(),
    unit: z.string().trim().max(20).nullable().optional(),
    photo: z.enum(PHOTO_RULES).default('onFail'),
    guidance: z.string().trim().max(2000).default('').describe('判定口径: how to judge the item'),
    siteTypes: z.array(z.enum(SITE_TYPES)).max(SITE_TYPES.length).default([]).describe('Empty: every site'),
    categoryCode: z
      .string()
      .trim()
      .max(20)
      .nullable()
      .optional()
      .describe('Category of its rectification case'),
    veto: z.boolean().default(false).describe('一票否决: a failure zeroes the visit score'),
    immediate: z.boolean().default(false).describe('立行立改: due at the end of the working day'),
    rectifyLimit: rectifyLimitSchema.nullable().optional(),
  })
  .refine((item) => item.rule !== 'count' || (item.comparator != null && item.threshold != null), {
    message: '计数项须填写比较方式和阈值 / a count item needs a comparator and a threshold',
    path: ['threshold'],
  });
export type ChecklistItemInput = z.infer<typeof checklistItemInputSchema>;

export const checklistTemplateInputSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{1,39}$/)
    .describe('Stable code shared by all versions'),
  name: z.string().trim().min(2).max(100),
  description: z.string().trim().max(2000).default(''),
  siteTypes: z.array(z.enum(SITE_TYPES)).max(SITE_TYPES.length).default([]),
  items: z.array(checklistItemInputSchema).min(1).max(500),
});
export type ChecklistTemplateInput = z.infer<typeof checklistTemplateInputSchema>;

/** One item's answer in a visit, as the field view sends it. */
export const itemAnswerSchema = z.object({
  itemKey: itemKey,
  outcome: z.enum(ITEM_OUTCOMES),
  value: z
    .number()
    .min(0)
    .max(1_000_000)
    .nullable()
    .optional()
    .describe('Graded points or the measured count'),
  note: z.string().trim().max(1000).default(''),
  evidence: z
    .array(z.string().regex(/^[0-9a-f]{64}$/))
    .max(10)
    .default([]),
});
export type ItemAnswerInput = z.infer<typeof itemAnswerSchema>;
