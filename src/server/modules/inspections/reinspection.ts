/**
 * Re-inspection (回头看，复查): an inspector of the campaign — the one who found the failure or a colleague —
 * checks a rectified item again once its case awaits verification (handled, the verify step). Pass is the case's
 * `verifyPass` (closed); fail is `verifyFail` (back to the department as rework, counted on the case).
 *
 * The case action commits in the case service's own transaction; the re-inspection row and its audit entry
 * follow in the next one. A re-inspection round's visit re-inspects the cases its answers name the same way,
 * and a replay of that visit does what a first try left undone (a case still awaiting verification with no
 * re-inspection row of the visit).
 */
import { CASE_STATE_LABELS, type CaseState } from '../../../shared/case-workflow.ts';
import type { ReinspectInput } from '../../../shared/visits.ts';
import { AppError, notFound } from '../../errors.ts';
import type { Actor } from '../people/actor.ts';
import { type CampaignAccessFacts, canSeeCampaign, canVisit } from './campaign.policy.ts';
import type { InspectionDeps } from './inspection-services.ts';
import * as visits from './visit.repository.ts';
import { invalidFields, VISIT } from './visit-errors.ts';

const ITEM = { zh: '检查项', en: 'Checklist item' };
const TEXT = {
  notInspector: { zh: '非本次检查的督查员', en: 'not an inspector of this campaign' },
  reinspect: { zh: '复查（回头看）', en: 're-inspect' },
  noCase: {
    zh: '该项没有整改案件，无需复查。',
    en: 'This item has no rectification case to re-inspect.',
  },
  reason: { zh: '复查不通过须说明原因', en: 'say why the re-inspection failed' },
  notUploaded: { zh: '照片未上传', en: 'the photo is not uploaded' },
} as const;

const LAST_ID = 2_147_483_647;

export function createReinspections(
  deps: InspectionDeps,
  parts: {
    loadVisit: (visitId: number) => Promise<visits.VisitWithNames>;
    campaignFacts: (campaignId: number) => Promise<{ facts: CampaignAccessFacts }>;
  },
) {
  const { db, clock, audit, cases, evidence } = deps;

  /** The open cases of a target's earlier visits in the campaign, by item (the latest case of an item). */
  async function openCasesByItem(campaignId: number, targetId: number, beforeVisitId = LAST_ID) {
    const rows = await visits.listOpenCasesOfTarget(db, campaignId, targetId, beforeVisitId);
    const byItem = new Map<number, (typeof rows)[number]>();
    for (const row of rows) if (!byItem.has(row.item_id)) byItem.set(row.item_id, row);
    return byItem;
  }

  /**
   * Takes the verify action on the case and records the re-inspection with its audit entry. Refused while the
   * case is not awaiting verification: the department has not reported it rectified.
   */
  async function perform(
    actor: Actor,
    visit: visits.VisitWithNames,
    item: { id: number; key: string },
    caseId: number,
    input: ReinspectInput,
  ): Promise<void> {
    const found = await visits.findCaseState(db, caseId);
    if (!found) throw notFound({ zh: '案件', en: 'Case' }, caseId);
    if (found.state !== 'handled') {
      const label = CASE_STATE_LABELS[found.state as CaseState] ?? { zh: found.state, en: found.state };
      throw new AppError('ILLEGAL_TRANSITION', {
        text: {
          zh: `整改案件 ${found.case_number} 当前为「${label.zh}」，尚未办结待核查，不能复查。`,
          en: `Rectification case ${found.case_number} is "${label.en}", not yet handled and awaiting verification: it cannot be re-inspected.`,
        },
      });
    }
    const verify =
      input.outcome === 'pass'
        ? ({
            action: 'verifyPass',
            input: { ...(input.note ? { note: input.note } : {}), evidence: input.evidence },
          } as const)
        : ({ action: 'verifyFail', input: { reason: input.note, evidence: input.evidence } } as const);
    // The case's step and the re-inspection that decided it are one transaction: neither is kept without the other.
    await cases.actOnCase(actor, {
      caseId,
      version: found.version,
      ...verify,
      alongside: async (trx) => {
        const id = await visits.insertReinspection(trx, {
          visit_id: visit.id,
          item_id: item.id,
          case_id: caseId,
          inspector_id: actor.id > 0 ? actor.id : null,
          inspector_name: actor.name,
          outcome: input.outcome,
          note: input.note,
          evidence: input.evidence,
          at: clock.now(),
        });
        await audit.record(trx, {
          actor,
          action: 'inspection.reinspect',
          entityType: 'inspectionVisit',
          entityId: visit.id,
          countyCode: visit.target_region_code.slice(0, 6),
          details: {
            reinspectionId: id,
            itemKey: item.key,
            caseId,
            caseNumber: found.case_number,
            outcome: input.outcome,
          },
        });
      },
    });
  }

  /** POST /visits/:id/items/:itemKey/reinspect: by an inspector of the campaign. */
  async function reinspect(
    actor: Actor,
    visitId: number,
    itemKey: string,
    input: ReinspectInput,
  ): Promise<void> {
    const visit = await parts.loadVisit(visitId);
    const { facts } = await parts.campaignFacts(visit.campaign_id);
    if (!canSeeCampaign(actor, facts)) throw notFound(VISIT, visitId);
    if (!canVisit(actor, facts))
      throw new AppError('FORBIDDEN_ROLE', { role: TEXT.notInspector, action: TEXT.reinspect });
    const answer = (await visits.listAnswers(db, visit.id)).find((a) => a.key === itemKey);
    if (!answer) throw notFound(ITEM, itemKey);
    if (answer.case_id === null) throw new AppError('ILLEGAL_TRANSITION', { text: TEXT.noCase });
    const issues = [];
    if (input.outcome === 'fail' && !input.note) issues.push({ path: 'note', text: TEXT.reason });
    if ((await evidence.findMissing(input.evidence)).length)
      issues.push({ path: 'evidence', text: TEXT.notUploaded });
    if (issues.length) throw invalidFields(actor, issues);
    await perform(actor, visit, { id: answer.item_id, key: answer.key }, Number(answer.case_id), input);
  }

  /**
   * A re-inspection round's visit: each answer naming a case that awaits verification re-inspects it, its
   * outcome the visit's answer. Answers whose case is still being rectified only record what was seen.
   */
  async function reinspectRoundAnswers(actor: Actor, visit: visits.VisitWithNames): Promise<void> {
    for (const answer of await visits.listAnswers(db, visit.id)) {
      if (answer.case_id === null || answer.case_state !== 'handled' || answer.outcome === 'na') continue;
      const caseId = Number(answer.case_id);
      if (await visits.hasReinspection(db, visit.id, answer.item_id, caseId)) continue;
      await perform(actor, visit, { id: answer.item_id, key: answer.key }, caseId, {
        outcome: answer.outcome,
        note: answer.note || (answer.outcome === 'fail' ? `回头看复查不通过（${visit.notice_number}）` : ''),
        evidence: answer.evidence,
      });
    }
  }

  return { openCasesByItem, reinspect, reinspectRoundAnswers };
}
