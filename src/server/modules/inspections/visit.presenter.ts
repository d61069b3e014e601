import { roundRate } from '../../../shared/inspection-scoring.ts';
import type { MyReinspection, VisitDetail } from '../../../shared/visits.ts';
import type * as visits from './visit.repository.ts';
import type { AnswerWithItem, VisitWithNames } from './visit.repository.ts';

/**
 * When a rectification is due: its fixed deadline, or (a case running on its category's limit) the due time of
 * its open step.
 */
export function caseDueAt(answer: Pick<AnswerWithItem, 'handling_deadline' | 'step_due_at'>): Date | null {
  return answer.handling_deadline ?? answer.step_due_at ?? null;
}

export function presentVisit(
  visit: VisitWithNames,
  answers: readonly AnswerWithItem[],
  reinspections: Awaited<ReturnType<typeof visits.listReinspections>>,
): VisitDetail {
  const vetoItem = answers.find((a) => a.item_id === visit.vetoed_by);
  const rawRate = visit.applicable > 0 ? roundRate(visit.earned / visit.applicable) : null;
  return {
    id: visit.id,
    campaignId: visit.campaign_id,
    campaignName: visit.campaign_name,
    roundId: visit.round_id,
    roundNumber: visit.round_number,
    roundKind: visit.round_kind,
    targetId: visit.target_id,
    targetName: visit.target_name,
    targetAddress: visit.target_address,
    siteType: visit.site_type,
    templateId: visit.template_id,
    inspectorName: visit.inspector_name,
    visitedAt: visit.visited_at.toISOString(),
    lon: visit.lon,
    lat: visit.lat,
    note: visit.note,
    personInCharge: visit.person_in_charge,
    signature: visit.signature,
    noticeNumber: visit.notice_number,
    earned: visit.earned,
    applicable: visit.applicable,
    rawRate,
    rate: visit.vetoed_by !== null ? 0 : rawRate,
    vetoedBy: vetoItem?.key ?? null,
    answers: answers.map((a) => ({
      itemKey: a.key,
      section: a.section,
      question: a.question,
      points: a.points,
      veto: a.veto,
      immediate: a.immediate,
      outcome: a.outcome,
      value: a.value,
      earned: a.earned,
      applicable: a.applicable,
      note: a.note,
      evidence: a.evidence,
      case:
        a.case_id !== null && a.case_number !== null
          ? {
              id: Number(a.case_id),
              caseNumber: a.case_number,
              state: a.case_state ?? '',
              dueAt: caseDueAt(a)?.toISOString() ?? null,
              reworkCount: a.rework_count ?? 0,
            }
          : null,
    })),
    reinspections: reinspections.map((r) => ({
      id: r.id,
      itemKey: r.item_key,
      caseId: Number(r.case_id),
      inspectorName: r.inspector_name,
      outcome: r.outcome,
      note: r.note,
      evidence: r.evidence,
      at: r.at.toISOString(),
    })),
    createdAt: visit.created_at.toISOString(),
  };
}

/** A failed item awaiting re-inspection; the longest-waiting first is the caller's order. */
export function presentReinspectionToMake(
  row: Awaited<ReturnType<typeof visits.listReinspectionsToMake>>[number],
): MyReinspection {
  return {
    visitId: row.visit_id,
    noticeNumber: row.notice_number,
    campaignId: row.campaign_id,
    campaignName: row.campaign_name,
    targetName: row.target_name,
    targetAddress: row.target_address,
    lon: row.lon,
    lat: row.lat,
    itemKey: row.item_key,
    section: row.section,
    question: row.question,
    rule: row.rule,
    comparator: row.comparator,
    threshold: row.threshold,
    unit: row.unit,
    guidance: row.guidance,
    inspectorName: row.inspector_name,
    visitedAt: row.visited_at.toISOString(),
    note: row.note,
    evidence: row.evidence,
    caseId: Number(row.case_id),
    caseNumber: row.case_number,
    reworkCount: row.rework_count,
    handledAt: row.handled_at ? new Date(row.handled_at).toISOString() : null,
    handledNote: row.handled_note ?? null,
  };
}
