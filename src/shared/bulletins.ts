import { z } from 'zod';
import { bilingual } from './errors.ts';
import { periodProblem } from './evaluation.ts';
import { schemeComponentSchema } from './indicators.ts';
import type { Role } from './roles.ts';
import { regionCodeSchema } from './territory.ts';

/**
 * Bulletins (通报): a weekly (or any period's) bulletin of a town's or village's figures, generated from the
 * rankings, edited by a reviewer, then published and frozen. The server keeps the figures and tables as they
 * were computed (`content`) beside the prose a reviewer may edit (`text`); every download is made from these two.
 */

/** Who generates, edits and publishes bulletins; the indicator readers (inspectors too) read them. */
export const BULLETIN_WRITER_ROLES: readonly Role[] = ['administrator', 'leader', 'dispatcher'];

export const BULLETIN_STATUSES = ['draft', 'published'] as const;
export type BulletinStatus = (typeof BULLETIN_STATUSES)[number];

export const BULLETIN_FORMATS = ['docx', 'pdf', 'xlsx'] as const;
export type BulletinFormat = (typeof BULLETIN_FORMATS)[number];

/** The languages a bulletin's prose is written in: the generating reader's. */
export const BULLETIN_LANGUAGES = ['zh', 'en'] as const;
export type BulletinLanguage = (typeof BULLETIN_LANGUAGES)[number];

const date = (zh: string, en: string) => z.iso.date({ error: bilingual(zh, en) });
const text = (max: number, zh: string, en: string) =>
  z
    .string()
    .trim()
    .min(1, bilingual(`${zh}不能为空`, `${en} must not be empty`))
    .max(max, bilingual(`${zh}最多 ${max} 个字`, `${en} has at most ${max} characters`));

export const bulletinGenerateSchema = z
  .object({
    from: date('开始日期应为 YYYY-MM-DD', 'from must be a date, YYYY-MM-DD')
      .optional()
      .describe('First day (Asia/Shanghai), included; default Monday of last week'),
    to: date('结束日期应为 YYYY-MM-DD', 'to must be a date, YYYY-MM-DD')
      .optional()
      .describe('Last day, included; default Sunday of last week'),
    regionCode: regionCodeSchema
      .optional()
      .describe("The town or village the bulletin covers, within your scope; default your scope's root"),
    office: text(60, '发文单位', 'office')
      .optional()
      .describe('Issuing office; default the area name + 网格化服务管理中心'),
  })
  .superRefine((input, ctx) => {
    const problem = input.from && input.to ? periodProblem(input.from, input.to) : null;
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['to'] });
    if ((input.from === undefined) !== (input.to === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [input.from === undefined ? 'from' : 'to'],
        message: bilingual('开始和结束日期须同时给出', 'give both from and to, or neither'),
      });
  });
export type BulletinGenerateInput = z.input<typeof bulletinGenerateSchema>;

/** The prose a reviewer may change; the tables stay as computed. */
export const bulletinTextSchema = z.object({
  title: text(80, '标题', 'title'),
  office: text(60, '发文单位', 'office'),
  headline: text(2_000, '总体情况', 'headline'),
  closing: z
    .string()
    .trim()
    .max(2_000, bilingual('工作要求最多 2000 个字', 'closing has at most 2000 characters')),
});
export type BulletinText = z.infer<typeof bulletinTextSchema>;

export const bulletinUpdateSchema = bulletinTextSchema.partial().extend({
  version: z.number().int().min(1).describe('The version you edited (optimistic concurrency)'),
});
export type BulletinUpdateInput = z.infer<typeof bulletinUpdateSchema>;

export const bulletinPublishSchema = z.object({ version: z.number().int().min(1) });

export const bulletinListQuerySchema = z.object({
  status: z.enum(BULLETIN_STATUSES).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type BulletinListQuery = z.infer<typeof bulletinListQuerySchema>;

const rate = z.number().nullable();

/** One unit's row of a ranking table, as printed. Rates are fractions (0–1). */
export const bulletinTableRowSchema = z.object({
  key: z.string(),
  name: z.string(),
  rank: z.number().int().nullable(),
  composite: z.number().nullable(),
  previousComposite: z.number().nullable(),
  previousRank: z.number().int().nullable(),
  dueForHandling: z.number().int(),
  handlingRate: rate,
  onTimeHandlingRate: rate,
  reworkRate: rate,
  overduePendingRate: rate,
  extensionRate: rate,
});
export type BulletinTableRow = z.infer<typeof bulletinTableRowSchema>;

/** Cases of one unit behind a count (overdue pending at the period's end, or reworked). */
export const bulletinUnitCasesSchema = z.object({
  name: z.string(),
  count: z.number().int(),
  caseNumbers: z.array(z.string()),
});
export type BulletinUnitCases = z.infer<typeof bulletinUnitCasesSchema>;

export const bulletinInspectionSchema = z.object({
  name: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  targets: z.number().int(),
  visited: z.number().int(),
  averageRate: z.number().nullable().describe('Percent (0–100), as campaign results give it'),
  vetoed: z.number().int(),
});

/** The figures and tables of a bulletin, computed once and kept; a published bulletin's never change. */
export const bulletinContentSchema = z.object({
  language: z.enum(BULLETIN_LANGUAGES),
  scope: z.object({ code: z.string(), name: z.string() }),
  period: z.object({ from: z.string(), to: z.string() }),
  previous: z.object({ from: z.string(), to: z.string() }),
  scheme: z.object({ version: z.number().int(), components: z.array(schemeComponentSchema) }),
  total: z.object({
    reported: z.number().int(),
    registered: z.number().int(),
    handled: z.number().int(),
    closed: z.number().int(),
    overduePending: z.number().int(),
    dueForHandling: z.number().int(),
    handlingRate: rate,
    onTimeHandlingRate: rate,
    closureRate: rate,
    reworkRate: rate,
    overduePendingRate: rate,
    extensionRate: rate,
    composite: z.number().nullable(),
    previousComposite: z.number().nullable(),
  }),
  unitKind: z.enum(['village', 'grid']),
  units: z.array(bulletinTableRowSchema),
  departments: z.array(bulletinTableRowSchema),
  overdue: z.array(bulletinUnitCasesSchema),
  reworked: z.array(bulletinUnitCasesSchema),
  inspections: z.array(bulletinInspectionSchema),
  redList: z.object({ units: z.array(z.string()), departments: z.array(z.string()) }),
  blackList: z.object({ units: z.array(z.string()), departments: z.array(z.string()) }),
});
export type BulletinContent = z.infer<typeof bulletinContentSchema>;

export const bulletinSchema = z.object({
  id: z.number().int(),
  regionCode: z.string(),
  status: z.enum(BULLETIN_STATUSES),
  year: z.number().int(),
  seq: z.number().int().describe('期号: sequential per area and year'),
  issuedOn: z.string().describe('The date printed: the publishing day, or the generating day of a draft'),
  version: z.number().int(),
  text: bulletinTextSchema,
  content: bulletinContentSchema,
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  publishedBy: z.string().nullable(),
  publishedAt: z.string().nullable(),
});
export type Bulletin = z.infer<typeof bulletinSchema>;

export const bulletinListItemSchema = bulletinSchema.omit({ content: true, text: true }).extend({
  title: z.string(),
  office: z.string(),
  scopeName: z.string(),
  from: z.string(),
  to: z.string(),
});
export type BulletinListItem = z.infer<typeof bulletinListItemSchema>;

export const bulletinPageSchema = z.object({
  items: z.array(bulletinListItemSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type BulletinPage = z.infer<typeof bulletinPageSchema>;

/** "（2026年第48期）" / "(No. 48, 2026)". */
export function bulletinNumberText(year: number, seq: number, language: BulletinLanguage): string {
  return language === 'en' ? `(No. ${seq}, ${year})` : `（${year}年第${seq}期）`;
}
