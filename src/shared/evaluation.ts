import { z } from 'zod';
import { bilingual } from './errors.ts';

export { INDICATOR_READER_ROLES } from './access.ts';

/** By lead department (主办部门), or by region one level below the reader's scope (town → villages …). */
export const INDICATOR_GROUPINGS = ['department', 'region'] as const;
export type IndicatorGrouping = (typeof INDICATOR_GROUPINGS)[number];

/** The longest period one request may cover: a year, leap day included. */
export const MAX_PERIOD_DAYS = 366;
const DAY_MS = 86_400_000;

/** What is wrong with a period of civil dates (YYYY-MM-DD, both included), bilingual; null when it is fine. */
export function periodProblem(from: string, to: string): string | null {
  if (from > to)
    return bilingual('开始日期不能晚于结束日期', 'the start date must not be after the end date');
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
  if (days > MAX_PERIOD_DAYS) {
    return bilingual(
      `统计期间最长 ${MAX_PERIOD_DAYS} 天，请缩短日期范围`,
      `a period covers at most ${MAX_PERIOD_DAYS} days: choose a shorter range`,
    );
  }
  return null;
}

export const satisfactionQuerySchema = z
  .object({
    from: z.iso
      .date({ error: bilingual('开始日期应为 YYYY-MM-DD', 'from must be a date, YYYY-MM-DD') })
      .optional()
      .describe('First day (Asia/Shanghai), included; default the first day of this month'),
    to: z.iso
      .date({ error: bilingual('结束日期应为 YYYY-MM-DD', 'to must be a date, YYYY-MM-DD') })
      .optional()
      .describe('Last day (Asia/Shanghai), included; default today'),
    groupBy: z.enum(INDICATOR_GROUPINGS).default('department'),
  })
  .superRefine((query, ctx) => {
    const problem = query.from && query.to ? periodProblem(query.from, query.to) : null;
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['to'] });
  });
export type SatisfactionQuery = z.input<typeof satisfactionQuerySchema>;

export const satisfactionFiguresSchema = z.object({
  closed: z.number().int().describe('Cases a resident reported (portal or hotline) closed in the period'),
  rated: z.number().int().describe('Of those, rated by the resident (满意度评价, 1–5)'),
  satisfied: z.number().int().describe('Rated 4 or 5'),
  unrated: z.number().int().describe('Closed but not rated (yet)'),
  satisfactionRate: z.number().nullable().describe('satisfied / rated, 0–1; null when nothing was rated'),
  averageScore: z.number().nullable().describe('Mean score of the rated cases; null when nothing was rated'),
});
export type SatisfactionFigures = z.infer<typeof satisfactionFiguresSchema>;

export const satisfactionRowSchema = satisfactionFiguresSchema.extend({
  key: z.string().describe('The department id (or "none"), or the region code'),
  code: z.string().nullable().describe('The department or region code'),
  name: z.string(),
});
export type SatisfactionRow = z.infer<typeof satisfactionRowSchema>;

export const satisfactionIndicatorSchema = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: z.enum(INDICATOR_GROUPINGS),
  scope: z.object({ code: z.string(), name: z.string() }),
  rows: z.array(satisfactionRowSchema),
  total: satisfactionFiguresSchema,
});
export type SatisfactionIndicator = z.infer<typeof satisfactionIndicatorSchema>;
