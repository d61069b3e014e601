/**
 * Scoring a visit against its checklist, the same on the phone (the running score) and on the server (the
 * score kept). STANDARDS.md, "Civilised-city evaluation":
 * - score rate (得分率) = points earned / points applicable; a not-applicable item leaves the denominator;
 * - a failed veto item (一票否决) zeroes the score whatever the other items say; the raw score is kept beside it.
 */
import type { ItemAnswerInput, ItemComparator, ItemOutcome, ItemRule, PhotoRule } from './inspections.ts';

export interface ScorableItem {
  key: string;
  points: number;
  rule: ItemRule;
  comparator: ItemComparator | null;
  threshold: number | null;
  photo: PhotoRule;
  siteTypes: readonly string[];
  veto: boolean;
}

export interface ScoredAnswer {
  itemKey: string;
  outcome: ItemOutcome;
  value: number | null;
  earned: number;
  applicable: number;
}

/** Why an answer cannot be kept, per item: the field view shows it next to the item. */
export type AnswerProblem =
  | 'missing'
  | 'unknownItem'
  | 'duplicate'
  | 'valueRequired'
  | 'valueAbovePoints'
  | 'photoRequired'
  | 'notApplicableToSite';

export interface VisitScore {
  answers: ScoredAnswer[];
  /** Raw points earned and applicable, before any veto. */
  earned: number;
  applicable: number;
  /** earned / applicable, 0…1, or null when nothing applied. */
  rawRate: number | null;
  /** The rate that counts: 0 when a veto item failed. */
  rate: number | null;
  vetoedBy: string | null;
  problems: { itemKey: string; problem: AnswerProblem }[];
}

/** Whether an item applies to a site of this type (an item without site types applies everywhere). */
export function appliesToSite(item: Pick<ScorableItem, 'siteTypes'>, siteType: string): boolean {
  return item.siteTypes.length === 0 || item.siteTypes.includes(siteType);
}

function meetsThreshold(value: number, comparator: ItemComparator, threshold: number): boolean {
  return comparator === '>=' ? value >= threshold : value <= threshold;
}

/**
 * The outcome an answer stands for. A count is judged by its threshold and a graded item passes only with full
 * points, whatever the phone said: a deduction is a finding that needs rectifying.
 */
function judge(item: ScorableItem, answer: ItemAnswerInput): { outcome: ItemOutcome; earned: number } {
  if (answer.outcome === 'na') return { outcome: 'na', earned: 0 };
  const value = answer.value ?? 0;
  switch (item.rule) {
    case 'passFail':
      return answer.outcome === 'pass'
        ? { outcome: 'pass', earned: item.points }
        : { outcome: 'fail', earned: 0 };
    case 'graded':
      return { outcome: value >= item.points ? 'pass' : 'fail', earned: Math.min(value, item.points) };
    case 'count': {
      const pass = meetsThreshold(value, item.comparator ?? '>=', item.threshold ?? 0);
      return pass ? { outcome: 'pass', earned: item.points } : { outcome: 'fail', earned: 0 };
    }
  }
}

function problemOf(
  item: ScorableItem,
  answer: ItemAnswerInput,
  siteType: string | null,
): AnswerProblem | null {
  if (answer.outcome === 'na') return null;
  if (siteType !== null && !appliesToSite(item, siteType)) return 'notApplicableToSite';
  if (item.rule !== 'passFail' && (answer.value === null || answer.value === undefined))
    return 'valueRequired';
  if (item.rule === 'graded' && (answer.value ?? 0) > item.points) return 'valueAbovePoints';
  const failed = judge(item, answer).outcome === 'fail';
  const photoNeeded = item.photo === 'always' || (item.photo === 'onFail' && failed);
  if (photoNeeded && answer.evidence.length === 0) return 'photoRequired';
  return null;
}

/** Two decimals, the way score rates are shown and kept (72.22 %). */
export function roundRate(rate: number): number {
  return Math.round(rate * 10_000) / 100;
}

/**
 * Scores one visit. Items that do not apply to the site type count as not applicable without an answer;
 * every other item needs one. `siteType` null skips the site check (a target added by hand of type "other").
 */
export function scoreVisit(
  items: readonly ScorableItem[],
  answers: readonly ItemAnswerInput[],
  siteType: string | null,
): VisitScore {
  const byKey = new Map(items.map((item) => [item.key, item]));
  const given = new Map<string, ItemAnswerInput>();
  const problems: VisitScore['problems'] = [];
  for (const answer of answers) {
    if (!byKey.has(answer.itemKey)) problems.push({ itemKey: answer.itemKey, problem: 'unknownItem' });
    else if (given.has(answer.itemKey)) problems.push({ itemKey: answer.itemKey, problem: 'duplicate' });
    else given.set(answer.itemKey, answer);
  }

  const scored: ScoredAnswer[] = [];
  let earned = 0;
  let applicable = 0;
  let vetoedBy: string | null = null;
  for (const item of items) {
    const answer =
      given.get(item.key) ??
      (siteType !== null && !appliesToSite(item, siteType)
        ? { itemKey: item.key, outcome: 'na' as const, value: null, note: '', evidence: [] }
        : undefined);
    if (!answer) {
      problems.push({ itemKey: item.key, problem: 'missing' });
      continue;
    }
    const problem = problemOf(item, answer, siteType);
    if (problem) problems.push({ itemKey: item.key, problem });
    const { outcome, earned: itemEarned } = judge(item, answer);
    const itemApplicable = outcome === 'na' ? 0 : item.points;
    earned += itemEarned;
    applicable += itemApplicable;
    if (outcome === 'fail' && item.veto && vetoedBy === null) vetoedBy = item.key;
    scored.push({
      itemKey: item.key,
      outcome,
      value: answer.value ?? null,
      earned: itemEarned,
      applicable: itemApplicable,
    });
  }
  const rawRate = applicable > 0 ? earned / applicable : null;
  return {
    answers: scored,
    earned,
    applicable,
    rawRate,
    rate: vetoedBy !== null ? 0 : rawRate,
    vetoedBy,
    problems,
  };
}
