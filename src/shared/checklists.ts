/**
 * API shapes of checklist templates (测评表): the versions of a template, its sections and items, and the XLSX
 * import. The item input and the enums are in inspections.ts; scoring in inspection-scoring.ts.
 */
import { z } from 'zod';
import {
  checklistTemplateInputSchema,
  ITEM_COMPARATORS,
  ITEM_RULES,
  PHOTO_RULES,
  rectifyLimitSchema,
  SITE_TYPES,
  TEMPLATE_STATUSES,
} from './inspections.ts';

/** The largest XLSX a template import accepts, and its item rows. */
export const MAX_CHECKLIST_BYTES = 2 * 1024 * 1024;
export const MAX_CHECKLIST_ROWS = 500;

const regionCodeSchema = z
  .string()
  .trim()
  .regex(/^\d{2,18}$/)
  .describe('The office that keeps the template (a region code): who may edit it. Default: your scope');

export const createChecklistSchema = checklistTemplateInputSchema.extend({
  regionCode: regionCodeSchema.optional(),
});
export type CreateChecklistInput = z.infer<typeof createChecklistSchema>;

export const updateChecklistSchema = checklistTemplateInputSchema.omit({ code: true }).extend({
  rowVersion: z
    .number()
    .int()
    .min(1)
    .max(2_147_483_647)
    .describe('The rowVersion read: a newer one answers 409'),
});
export type UpdateChecklistInput = z.infer<typeof updateChecklistSchema>;

export const copyChecklistSchema = z.object({
  code: checklistTemplateInputSchema.shape.code.describe('The new code of the copy'),
  name: checklistTemplateInputSchema.shape.name,
});
export type CopyChecklistInput = z.infer<typeof copyChecklistSchema>;

export const checklistStatusChangeSchema = z.object({
  rowVersion: updateChecklistSchema.shape.rowVersion,
});

export const checklistListQuerySchema = z.object({
  q: z.string().trim().max(100).optional().describe('Part of the name or code'),
  status: z.enum(TEMPLATE_STATUSES).optional().describe('Status of the latest version'),
  siteType: z.enum(SITE_TYPES).optional().describe('Templates for this site type (or for every site)'),
});
export type ChecklistListQuery = z.infer<typeof checklistListQuerySchema>;

export const checklistItemSchema = z.object({
  id: z.number().int(),
  position: z.number().int().describe('1 first, across the whole template'),
  key: z.string().describe('Stable key within the template and across its versions, e.g. "2.3"'),
  section: z.string(),
  question: z.string(),
  points: z.number(),
  rule: z.enum(ITEM_RULES),
  comparator: z
    .enum(ITEM_COMPARATORS)
    .nullable()
    .describe('Count items: pass when value compares to threshold'),
  threshold: z.number().nullable(),
  unit: z.string().nullable(),
  photo: z.enum(PHOTO_RULES),
  guidance: z.string().describe('判定口径'),
  siteTypes: z.array(z.enum(SITE_TYPES)).describe('Empty: every site'),
  categoryId: z.number().int().nullable().describe('Category of the rectification case a failure becomes'),
  categoryCode: z.string().nullable(),
  categoryName: z.string().nullable(),
  veto: z.boolean().describe('一票否决'),
  immediate: z.boolean().describe('立行立改'),
  rectifyLimit: rectifyLimitSchema.nullable().describe("Its own working-time limit, else the campaign's"),
});
export type ChecklistItem = z.infer<typeof checklistItemSchema>;

export const checklistVersionRefSchema = z.object({
  id: z.number().int(),
  version: z.number().int(),
  status: z.enum(TEMPLATE_STATUSES),
  createdAt: z.string(),
});
export type ChecklistVersionRef = z.infer<typeof checklistVersionRefSchema>;

const templateFields = {
  id: z.number().int().describe('Id of this version'),
  code: z.string().describe('Shared by all versions'),
  version: z.number().int(),
  name: z.string(),
  description: z.string(),
  siteTypes: z.array(z.enum(SITE_TYPES)),
  status: z
    .enum(TEMPLATE_STATUSES)
    .describe('Only the active version of a code is offered to new campaigns; others stay readable'),
  regionCode: z.string(),
  itemCount: z.number().int(),
  pointsTotal: z.number(),
  vetoCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  rowVersion: z.number().int(),
  editable: z.boolean().describe('Whether you may edit, copy, activate or retire it'),
  versions: z.array(checklistVersionRefSchema).describe('Every version of the code, oldest first'),
};

export const checklistSummarySchema = z
  .object({
    ...templateFields,
    activeVersionId: z.number().int().nullable().describe('The version new campaigns use, if any'),
  })
  .describe('The latest version of a template code');
export type ChecklistSummary = z.infer<typeof checklistSummarySchema>;

export const checklistSectionSchema = z.object({
  name: z.string(),
  points: z.number(),
  items: z.array(checklistItemSchema),
});

export const checklistDetailSchema = z.object({
  ...templateFields,
  inUse: z
    .boolean()
    .describe('Used by a campaign or visit: an edit makes the next version, this one stays as it is'),
  sections: z.array(checklistSectionSchema).describe('Sections in the order of their first item'),
});
export type ChecklistDetail = z.infer<typeof checklistDetailSchema>;

export const checklistImportQuerySchema = z.object({
  fileName: z.string().trim().max(200).default('checklist.xlsx'),
  code: checklistTemplateInputSchema.shape.code
    .optional()
    .describe('Template code, when the file has no 测评表编号 line; an existing code gets its next version'),
  name: checklistTemplateInputSchema.shape.name
    .optional()
    .describe('Template name, when the file has no 测评表名称 line'),
  regionCode: regionCodeSchema.optional(),
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('Check only: write nothing'),
});
export type ChecklistImportQuery = z.infer<typeof checklistImportQuerySchema>;

export const checklistImportResultSchema = z.object({
  applied: z.boolean(),
  code: z.string(),
  name: z.string(),
  newTemplate: z.boolean().describe('False: the file became the next version of an existing code'),
  items: z.number().int(),
  template: checklistDetailSchema.nullable().describe('The version written; null on a dry run'),
});
export type ChecklistImportResult = z.infer<typeof checklistImportResultSchema>;
