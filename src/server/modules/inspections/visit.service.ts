/**
 * Visits (检查记录): recorded by an inspector of a running campaign, scored against the campaign's checklist
 * version, numbered as a rectification notice (检查意见书), their failures turned into rectification cases
 * (rectification.ts) and, in a re-inspection round, their answers taken as re-inspections (reinspection.ts).
 */
import type { LocalizedText } from '../../../shared/errors.ts';
import { type ScorableItem, scoreVisit } from '../../../shared/inspection-scoring.ts';
import { SITE_TYPE_LABELS, type SiteType } from '../../../shared/inspections.ts';
import {
  ANSWER_PROBLEM_TEXT,
  type MyReinspection,
  type RecordVisitInput,
  type ReinspectInput,
  type VisitDetail,
} from '../../../shared/visits.ts';
import { nextNumber } from '../../db/number-counters.ts';
import { AppError, notFound } from '../../errors.ts';
import { civilDateOf } from '../calendar/working-time.ts';
import type { Actor } from '../people/actor.ts';
import { regionScope, scopeHoldsRegion } from '../people/scope.ts';
import {
  type CampaignAccessFacts,
  canSeeCampaign,
  canVisit,
  isDisclosed,
  runsCampaign,
} from './campaign.policy.ts';
import * as campaigns from './campaign.repository.ts';
import type { ChecklistItemRow } from './inspection.table.ts';
import type { InspectionOpinionData } from './inspection-documents/types.ts';
import type { InspectionDeps } from './inspection-services.ts';
import { defaultCategoryIn, type Failure, rectificationDue, reportRectifications } from './rectification.ts';
import { createReinspections } from './reinspection.ts';
import { caseDueAt, presentReinspectionToMake, presentVisit } from './visit.presenter.ts';
import * as visits from './visit.repository.ts';
import { type FieldIssue, invalidFields, VISIT } from './visit-errors.ts';

const CAMPAIGN = { zh: '专项检查', en: 'Campaign' } satisfies LocalizedText;

const TEXT = {
  notInspector: { zh: '非本次检查的督查员', en: 'not an inspector of this campaign' },
  recordVisit: { zh: '记录检查', en: 'record a visit' },
  notRunning: {
    zh: '该专项检查未在进行中，不能记录检查。',
    en: 'The campaign is not running: no visit can be recorded.',
  },
  roundOfOther: { zh: '不是本次检查的轮次', en: 'not a round of this campaign' },
  targetOfOther: { zh: '不是本次检查的检查对象', en: 'not a target of this campaign' },
  notSampled: { zh: '该对象未被抽中，无需检查', en: 'this target was not sampled for inspection' },
  future: { zh: '检查时间不能晚于当前时间', en: 'the visit time cannot be in the future' },
  signature: {
    zh: '本次检查要求被检查单位负责人签名',
    en: 'this campaign asks for the signature of the person in charge',
  },
  notUploaded: { zh: '照片未上传', en: 'the photo is not uploaded' },
  noCategory: {
    zh: '该项未指定整改分类，且系统中没有可用的默认分类',
    en: 'the item names no category for its rectification, and no default category is active',
  },
  keyTaken: { zh: '客户端编号（clientKey）对应的检查记录', en: 'A visit with this client key' },
} as const;

/** A phone's clock a little ahead of the server's is not a visit from the future. */
const CLOCK_SKEW_MS = 10 * 60_000;

export function scorable(item: ChecklistItemRow): ScorableItem {
  return {
    key: item.key,
    points: item.points,
    rule: item.rule,
    comparator: item.comparator,
    threshold: item.threshold,
    photo: item.photo,
    siteTypes: item.site_types,
    veto: item.veto,
  };
}

/** The field of an answer a problem is about. */
const PROBLEM_FIELD = {
  missing: null,
  unknownItem: 'itemKey',
  duplicate: 'itemKey',
  valueRequired: 'value',
  valueAbovePoints: 'value',
  photoRequired: 'evidence',
  notApplicableToSite: 'outcome',
} as const;

export type VisitService = ReturnType<typeof createVisitService>;

export function createVisitService(deps: InspectionDeps) {
  const { db, clock, audit, calendar, categories, evidence, cases, territory } = deps;
  const reinspections = createReinspections(deps, { loadVisit, campaignFacts });

  async function campaignFacts(campaignId: number) {
    const campaign = await visits.findCampaign(db, campaignId);
    if (!campaign) throw notFound(CAMPAIGN, campaignId);
    const facts: CampaignAccessFacts = {
      regionCode: campaign.region_code,
      covert: campaign.covert,
      publishedAt: campaign.published_at,
      organiserId: campaign.organiser_id,
      inspectorIds: campaign.inspector_ids,
    };
    return { campaign, facts };
  }

  /** Only an inspector of the campaign visits; a covert campaign stays unknown to whoever may not see it. */
  function assertMayVisit(actor: Actor, facts: CampaignAccessFacts, campaignId: number): void {
    if (!canSeeCampaign(actor, facts)) throw notFound(CAMPAIGN, campaignId);
    if (!canVisit(actor, facts))
      throw new AppError('FORBIDDEN_ROLE', { role: TEXT.notInspector, action: TEXT.recordVisit });
  }

  /**
   * Records a visit in one transaction (visit, answers, audit entry), then its rectification cases. Idempotent
   * by `clientKey`: a phone replaying its outbox gets the visit its first try made, with any case that try
   * did not get to.
   */
  async function recordVisit(
    actor: Actor,
    campaignId: number,
    input: RecordVisitInput,
  ): Promise<VisitDetail> {
    if (input.clientKey) {
      const replayed = await replayOf(actor, input.clientKey);
      if (replayed) return replayed;
    }
    const { campaign, facts } = await campaignFacts(campaignId);
    assertMayVisit(actor, facts, campaignId);
    if (campaign.status !== 'running') throw new AppError('ILLEGAL_TRANSITION', { text: TEXT.notRunning });
    const [round, target] = await Promise.all([
      visits.findRound(db, input.roundId),
      campaigns.findTarget(db, campaignId, input.targetId),
    ]);
    const issues: FieldIssue[] = [];
    if (round?.campaign_id !== campaignId) issues.push({ path: 'roundId', text: TEXT.roundOfOther });
    if (target?.campaign_id !== campaignId) issues.push({ path: 'targetId', text: TEXT.targetOfOther });
    else if (!target.sampled) issues.push({ path: 'targetId', text: TEXT.notSampled });
    const visitedAt = new Date(input.visitedAt);
    if (visitedAt.getTime() > clock.now().getTime() + CLOCK_SKEW_MS)
      issues.push({ path: 'visitedAt', text: TEXT.future });
    if (campaign.signature_required && !input.signature)
      issues.push({ path: 'signature', text: TEXT.signature });
    if (issues.length || !round || !target) throw invalidFields(actor, issues);
    const taken = await visits.findVisitIdOfRoundTarget(db, round.id, target.id);
    if (taken) throw new AppError('ALREADY_EXISTS', { entity: VISIT, id: taken.notice_number });

    const reinspectionRound = round.kind === 'reinspection';
    const allItems = await visits.listItems(db, campaign.template_id);
    // A re-inspection round re-checks the items that failed: it answers (and is scored on) those only.
    const answered = new Set(input.answers.map((a) => a.itemKey));
    const items = reinspectionRound ? allItems.filter((i) => answered.has(i.key)) : allItems;
    const siteType = target.site_type === 'other' ? null : target.site_type;
    const score = scoreVisit(items.map(scorable), input.answers, siteType);
    issues.push(...answerIssues(input, score.problems));
    const indexOf = new Map(input.answers.map((a, i) => [a.itemKey, i] as const));
    const missing = new Set(await evidence.findMissing(input.answers.flatMap((a) => a.evidence)));
    input.answers.forEach((a, i) => {
      if (a.evidence.some((id) => missing.has(id)))
        issues.push({ path: `answers[${i}].evidence`, text: TEXT.notUploaded });
    });
    if (input.signature && (await evidence.findMissing([input.signature])).length)
      issues.push({ path: 'signature', text: TEXT.notUploaded });

    const itemByKey = new Map(items.map((i) => [i.key, i]));
    const given = new Map(input.answers.map((a) => [a.itemKey, a]));
    const openCases = reinspectionRound
      ? await reinspections.openCasesByItem(campaign.id, target.id)
      : new Map<number, { case_id: number | null }>();
    const working = await calendar.getCalendar();
    const fallback = defaultCategoryIn(await categories.getCategoryTree());
    const failures: Failure[] = [];
    for (const scored of score.answers) {
      const item = itemByKey.get(scored.itemKey);
      if (scored.outcome !== 'fail' || !item || openCases.has(item.id)) continue;
      const categoryId = item.category_id ?? fallback?.id;
      if (categoryId === undefined) {
        issues.push({ path: `answers[${indexOf.get(item.key) ?? 0}]`, text: TEXT.noCategory });
        continue;
      }
      const answer = given.get(item.key);
      failures.push({
        itemId: item.id,
        itemKey: item.key,
        question: item.question,
        categoryId,
        note: answer?.note ?? '',
        evidence: answer?.evidence ?? [],
        deadline: rectificationDue(working, item, campaign, visitedAt),
      });
    }
    if (issues.length) throw invalidFields(actor, issues);
    // Rectification cases and re-inspections act in the case loop as the inspector, within their scope.
    if ((failures.length || openCases.size) && !scopeHoldsRegion(regionScope(actor), target.region_code)) {
      const region = await territory.getRegionSummary(target.region_code);
      throw new AppError('FORBIDDEN_SCOPE', {
        target: { zh: region.name, en: region.name },
        scope: actor.scopeName,
      });
    }

    const now = clock.now();
    const year = Number(civilDateOf(visitedAt.getTime(), working.hours.timeZone).slice(0, 4));
    const vetoItem = score.vetoedBy ? itemByKey.get(score.vetoedBy) : undefined;
    const visitId = await db.transaction().execute(async (trx) => {
      const number = await nextNumber(trx, 'JC', year);
      const noticeNumber = `JC-${year}-${String(number).padStart(6, '0')}`;
      const id = await visits.insertVisit(trx, {
        campaign_id: campaign.id,
        round_id: round.id,
        target_id: target.id,
        template_id: campaign.template_id,
        inspector_id: actor.id > 0 ? actor.id : null,
        inspector_name: actor.name,
        client_key: input.clientKey ?? null,
        visited_at: visitedAt,
        lon: input.lon ?? null,
        lat: input.lat ?? null,
        note: input.note,
        person_in_charge: input.personInCharge ?? null,
        signature: input.signature ?? null,
        earned: score.earned,
        applicable: score.applicable,
        vetoed_by: vetoItem?.id ?? null,
        notice_number: noticeNumber,
        created_at: now,
      });
      if (id === undefined) return undefined;
      await visits.insertAnswers(
        trx,
        score.answers.flatMap((scored) => {
          const item = itemByKey.get(scored.itemKey);
          if (!item) return [];
          const answer = given.get(scored.itemKey);
          return [
            {
              visit_id: id,
              item_id: item.id,
              outcome: scored.outcome,
              value: scored.value,
              earned: scored.earned,
              applicable: scored.applicable,
              note: answer?.note ?? '',
              evidence: answer?.evidence ?? [],
              // A re-inspection round's answer is about the case the item already has.
              case_id: openCases.get(item.id)?.case_id ?? null,
            },
          ];
        }),
      );
      await audit.record(trx, {
        actor,
        action: 'inspection.visit',
        entityType: 'inspectionVisit',
        entityId: id,
        countyCode: target.region_code.slice(0, 6),
        details: {
          campaignId: campaign.id,
          roundId: round.id,
          targetId: target.id,
          noticeNumber,
          earned: score.earned,
          applicable: score.applicable,
          vetoedBy: score.vetoedBy,
          failed: score.answers.filter((a) => a.outcome === 'fail').map((a) => a.itemKey),
          ...(input.clientKey ? { clientKey: input.clientKey } : {}),
        },
      });
      return id;
    });
    if (visitId === undefined) {
      // Its twin got there first: the same phone's retry gets that visit, anyone else the conflict.
      const replayed = input.clientKey ? await replayOf(actor, input.clientKey) : undefined;
      if (replayed) return replayed;
      const other = await visits.findVisitIdOfRoundTarget(db, round.id, target.id);
      throw new AppError('ALREADY_EXISTS', { entity: VISIT, id: other?.notice_number ?? target.name });
    }
    await complete(actor, visitId, failures);
    return getVisit(actor, visitId);
  }

  /** What a visit still owes after its transaction: its rectification cases, its re-inspections. */
  async function complete(actor: Actor, visitId: number, failures: readonly Failure[]): Promise<void> {
    const visit = await loadVisit(visitId);
    const target = await campaigns.findTarget(db, visit.campaign_id, visit.target_id);
    if (!target) return;
    await reportRectifications(
      { db, cases },
      actor,
      { id: visit.id, campaignId: visit.campaign_id, noticeNumber: visit.notice_number, target },
      failures,
    );
    if (visit.round_kind === 'reinspection') await reinspections.reinspectRoundAnswers(actor, visit);
  }

  /**
   * The visit a client key made, after completing what its first try may have left undone. Only its inspector
   * gets it back; anyone else is told the key is taken.
   */
  async function replayOf(actor: Actor, clientKey: string): Promise<VisitDetail | undefined> {
    const found = await visits.findVisitIdByClientKey(db, clientKey);
    if (!found) return undefined;
    if (found.inspector_id !== actor.id)
      throw new AppError('ALREADY_EXISTS', { entity: TEXT.keyTaken, id: clientKey });
    const visit = await loadVisit(found.id);
    const { campaign } = await campaignFacts(visit.campaign_id);
    const answers = await visits.listAnswers(db, visit.id);
    const items = new Map((await visits.listItems(db, visit.template_id)).map((i) => [i.id, i]));
    const working = await calendar.getCalendar();
    const fallback = defaultCategoryIn(await categories.getCategoryTree());
    const owed = answers.flatMap((a): Failure[] => {
      const item = items.get(a.item_id);
      const categoryId = item?.category_id ?? fallback?.id;
      if (a.outcome !== 'fail' || a.case_id !== null || !item || categoryId === undefined) return [];
      return [
        {
          itemId: item.id,
          itemKey: item.key,
          question: item.question,
          categoryId,
          note: a.note,
          evidence: a.evidence,
          deadline: rectificationDue(working, item, campaign, visit.visited_at),
        },
      ];
    });
    await complete(actor, visit.id, owed);
    return getVisit(actor, visit.id);
  }

  async function loadVisit(visitId: number) {
    const visit = await visits.findVisit(db, visitId);
    if (!visit) throw notFound(VISIT, visitId);
    return visit;
  }

  /** A visit for whoever may see it (maySeeVisit); to everyone else it does not exist. */
  async function loadVisible(actor: Actor, visitId: number) {
    const visit = await loadVisit(visitId);
    const { campaign, facts } = await campaignFacts(visit.campaign_id);
    if (!maySeeVisit(actor, facts, visit.target_region_code)) throw notFound(VISIT, visitId);
    return { visit, campaign, facts };
  }

  /**
   * Whether the actor may see a photo as one of the visit's (its answers', signature, re-inspections'): the
   * evidence service asks this for `/evidence/:id?visitId=`. Whoever may not see the visit gets false, exactly
   * as for a visit that does not name the photo.
   */
  async function visitShowsPhoto(actor: Actor, visitId: number, sha256: string): Promise<boolean> {
    const visit = await visits.findVisit(db, visitId);
    if (!visit) return false;
    const { facts } = await campaignFacts(visit.campaign_id);
    return (
      maySeeVisit(actor, facts, visit.target_region_code) && visits.visitNamesEvidence(db, visitId, sha256)
    );
  }

  async function getVisit(actor: Actor, visitId: number): Promise<VisitDetail> {
    const { visit } = await loadVisible(actor, visitId);
    const [answers, done] = await Promise.all([
      visits.listAnswers(db, visit.id),
      visits.listReinspections(db, visit.id),
    ]);
    return presentVisit(visit, answers, done);
  }

  /**
   * What the rectification notice (检查意见书) of a visit prints: plain data for inspection-documents, every
   * failed item with its deadline and case number.
   */
  async function noticeData(actor: Actor, visitId: number): Promise<InspectionOpinionData> {
    const { visit, campaign } = await loadVisible(actor, visitId);
    const [answers, area, template, organiser] = await Promise.all([
      visits.listAnswers(db, visit.id),
      territory.getRegionSummary(campaign.region_code),
      visits.findTemplate(db, visit.template_id),
      campaign.organiser_department_id === null
        ? null
        : deps.people.getDepartment(actor, campaign.organiser_department_id).catch(() => null),
    ]);
    const vetoItem = answers.find((a) => a.item_id === visit.vetoed_by);
    const signature = visit.signature
      ? await evidence.readPublicEvidence(visit.signature, 'original').catch(() => null)
      : null;
    const typeLabel = SITE_TYPE_LABELS[visit.site_type as SiteType]?.zh ?? visit.site_type;
    return {
      number: visit.notice_number,
      areaName: area.name,
      // Without an organising department the area's inspection office signs (九江镇督查办).
      office: organiser?.name ?? `${area.name}督查办`,
      campaignName: visit.campaign_name,
      covert: campaign.covert,
      checklistName: template ? `${template.name}（第${template.version}版）` : '',
      unit: { name: visit.target_name, address: visit.target_address, typeLabel },
      visitedAt: visit.visited_at,
      place: visit.target_address ?? visit.target_name,
      inspectors: [visit.inspector_name],
      findings: answers
        .filter((a) => a.outcome === 'fail')
        .map((a) => ({
          key: a.key,
          section: a.section,
          question: a.question,
          judgingRule: a.guidance || null,
          points: a.points,
          earned: a.earned,
          note: a.note,
          immediate: a.immediate,
          veto: a.veto,
          deadline: a.case_id === null ? null : caseDueAt(a),
          caseNumber: a.case_number,
        })),
      score: {
        earned: visit.earned,
        applicable: visit.applicable,
        vetoedBy: vetoItem
          ? { key: vetoItem.key, section: vetoItem.section, question: vetoItem.question }
          : null,
      },
      personInCharge: visit.person_in_charge,
      signaturePng: signature?.mime === 'image/png' ? new Uint8Array(signature.bytes) : null,
      issuedAt: visit.created_at,
    };
  }

  return {
    recordVisit,
    getVisit,
    visitShowsPhoto,
    noticeData,
    /**
     * GET /inspections/my-reinspections: the failed items of the caller's campaigns (inspector or organiser)
     * whose rectification awaits verification, the longest-waiting first.
     */
    async myReinspections(actor: Actor): Promise<MyReinspection[]> {
      const rows = await visits.listReinspectionsToMake(db, actor.id);
      return rows
        .map(presentReinspectionToMake)
        .sort((a, b) => (a.handledAt ?? '').localeCompare(b.handledAt ?? '') || a.caseId - b.caseId);
    },
    /** Re-inspects a failed item's case, answering with the visit as it now stands. */
    async reinspect(
      actor: Actor,
      visitId: number,
      itemKey: string,
      input: ReinspectInput,
    ): Promise<VisitDetail> {
      await reinspections.reinspect(actor, visitId, itemKey, input);
      return getVisit(actor, visitId);
    },
  };
}

/**
 * Whether the actor may see a visit: those who run its campaign; once the campaign is disclosed (open, or a
 * covert one published) also those whose scope holds the target.
 */
function maySeeVisit(actor: Actor, facts: CampaignAccessFacts, targetRegionCode: string): boolean {
  return (
    runsCampaign(actor, facts) ||
    (isDisclosed(facts) &&
      canSeeCampaign(actor, facts) &&
      scopeHoldsRegion(regionScope(actor), targetRegionCode))
  );
}

/** Each problem of the answers under its field (answers[3].evidence), as the field view shows it. */
function answerIssues(
  input: RecordVisitInput,
  problems: ReturnType<typeof scoreVisit>['problems'],
): FieldIssue[] {
  const seen = new Map<string, number>();
  const indexes = new Map<string, number[]>();
  for (const [i, a] of input.answers.entries())
    indexes.set(a.itemKey, [...(indexes.get(a.itemKey) ?? []), i]);
  return problems.map(({ itemKey, problem }) => {
    const text = ANSWER_PROBLEM_TEXT[problem];
    const field = PROBLEM_FIELD[problem];
    if (field === null)
      return { path: 'answers', text: { zh: `${itemKey}：${text.zh}`, en: `${itemKey}: ${text.en}` } };
    // A duplicate is the second answer of its item; other problems are about the first.
    const occurrence = problem === 'duplicate' ? (seen.get(itemKey) ?? 0) + 1 : 0;
    if (problem === 'duplicate') seen.set(itemKey, occurrence);
    const index = indexes.get(itemKey)?.[occurrence] ?? 0;
    return { path: `answers[${index}].${field}`, text };
  });
}
