/**
 * A failed item becomes a rectification case (整改) in the case loop, one per failed item, through the case
 * service like any other report: its category, routing and steps are the loop's, only the handling step is due
 * by the inspection's deadline.
 *
 * The case service writes a report in a transaction of its own, so the visit cannot be written in the same one.
 * Atomicity comes from idempotency instead: the visit is committed first, then each case is reported under the
 * client key `visit:<visit id>:<item key>`, and the case's id is written onto the answer in the report's own
 * transaction (`origin.alongside`). A visit replayed by its phone after a failure in between reports the cases
 * still missing and gets back the ones made before.
 */
import type { Category } from '../../../shared/cases.ts';
import type { RectifyLimit } from '../../../shared/inspections.ts';
import type { Db } from '../../db/database.ts';
import { addWorkingTime, type DeadlineResult, type WorkingCalendar } from '../calendar/working-time.ts';
import type { CaseService } from '../cases/case.service.ts';
import type { Actor } from '../people/actor.ts';
import type { CampaignTargetRow } from './inspection.table.ts';
import * as visits from './visit.repository.ts';
import { endOfDate, endOfWorkingDay } from './working-day.ts';

/**
 * The matter class a failed item without a category of its own is reported in: 商场市场未设分类垃圾桶, whose
 * default department is the civilisation office (文明办) that runs civilised-city inspections and can pass the
 * case on to whoever is responsible.
 */
export const DEFAULT_RECTIFICATION_CATEGORY = { kind: 'matter', code: '06052' } as const;

/** The minor class the default stands for, or undefined when the tree has none active (nothing to route by). */
export function defaultCategoryIn(
  tree: readonly (Category & { children: Category[] })[],
): Category | undefined {
  return tree
    .flatMap((major) => major.children)
    .find(
      (c) =>
        c.kind === DEFAULT_RECTIFICATION_CATEGORY.kind &&
        c.code === DEFAULT_RECTIFICATION_CATEGORY.code &&
        c.active,
    );
}

function dueOf(result: DeadlineResult): Date | undefined {
  return 'due' in result ? result.due : undefined;
}

/**
 * When a failed item's rectification is due (the handling step of its case): 立行立改 at the close of the working
 * day it was found (after hours, the next one); else the item's limit, or the campaign's, in working time from
 * the finding; else the campaign's fixed date; else undefined, and the category's handling limit applies. A
 * deadline beyond the loaded calendar is undefined too: the case then runs on its category's limit.
 */
export function rectificationDue(
  calendar: WorkingCalendar,
  item: { immediate: boolean; rectify_limit: RectifyLimit | null },
  campaign: { rectify_limit: RectifyLimit | null; rectify_by: string | null },
  foundAt: Date,
): Date | undefined {
  if (item.immediate) return dueOf(endOfWorkingDay(calendar, foundAt));
  const limit = item.rectify_limit ?? campaign.rectify_limit;
  if (limit) return dueOf(addWorkingTime(calendar, foundAt, limit));
  if (campaign.rectify_by) return endOfDate(calendar, campaign.rectify_by);
  return undefined;
}

export const rectificationKey = (visitId: number, itemKey: string) => `visit:${visitId}:${itemKey}`;

/** One failure to turn into a case. */
export interface Failure {
  itemId: number;
  itemKey: string;
  question: string;
  categoryId: number;
  note: string;
  evidence: readonly string[];
  deadline: Date | undefined;
}

/**
 * Reports the cases of a visit's failures (those without one yet) as the inspector, each writing its id onto
 * its answer. Safe to run again: a case reported before comes back by its client key.
 */
export async function reportRectifications(
  deps: { db: Db; cases: Pick<CaseService, 'reportCase'> },
  actor: Actor,
  visit: { id: number; campaignId: number; noticeNumber: string; target: CampaignTargetRow },
  failures: readonly Failure[],
): Promise<void> {
  const { target } = visit;
  const place =
    target.lon !== null && target.lat !== null
      ? { lon: target.lon, lat: target.lat }
      : { regionCode: target.region_code };
  for (const failure of failures) {
    const description = [`【督查整改】${failure.question} — ${target.name}`, failure.note]
      .filter(Boolean)
      .join('\n')
      .slice(0, 2000);
    const reported = await deps.cases.reportCase(
      actor,
      {
        clientKey: rectificationKey(visit.id, failure.itemKey),
        categoryId: failure.categoryId,
        description,
        ...place,
        ...(target.address ? { address: target.address.slice(0, 200) } : {}),
        evidence: [...failure.evidence],
      },
      'inspector',
      {
        ...(failure.deadline ? { deadline: failure.deadline } : {}),
        details: {
          inspection: {
            campaignId: visit.campaignId,
            visitId: visit.id,
            noticeNumber: visit.noticeNumber,
            targetId: target.id,
            itemKey: failure.itemKey,
          },
        },
        alongside: (trx, caseId) => visits.setAnswerCase(trx, visit.id, failure.itemId, caseId),
      },
    );
    // A replay found the case made before: the answer already names it, unless that try stopped in between.
    await visits.setAnswerCase(deps.db, visit.id, failure.itemId, reported.id);
  }
}
