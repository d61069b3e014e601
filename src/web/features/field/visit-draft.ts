import type { ChecklistDetail, ChecklistItem } from '../../../shared/checklists.ts';
import {
  type AnswerProblem,
  appliesToSite,
  roundRate,
  scoreVisit,
  type VisitScore,
} from '../../../shared/inspection-scoring.ts';
import type { ItemAnswerInput, ItemOutcome } from '../../../shared/inspections.ts';
import type { VisitItem } from './outbox.ts';

/** One item as the inspector is answering it on the phone: photos stay Blobs until the outbox uploads them. */
export interface ItemDraft {
  /** passFail: the button pressed; graded and count: 'na' or null (judged from the value). */
  outcome: ItemOutcome | null;
  value: number | null;
  note: string;
  photos: Blob[];
}

export type Drafts = Record<string, ItemDraft>;

export const EMPTY_DRAFT: ItemDraft = { outcome: null, value: null, note: '', photos: [] };

/**
 * The site type items are checked against. The server checks a target of type "other" (one added by hand)
 * against no site type, every item applying: the phone must ask for the same answers.
 */
export const scoringSiteType = (siteType: string): string | null => (siteType === 'other' ? null : siteType);

export const appliesHere = (item: ChecklistItem, siteType: string): boolean => {
  const site = scoringSiteType(siteType);
  return site === null || appliesToSite(item, site);
};

/** The answer a draft stands for, or null while it is unanswered. Photos count by placeholders until sent. */
function answerOf(item: ChecklistItem, draft: ItemDraft | undefined): ItemAnswerInput | null {
  if (!draft) return null;
  const evidence = draft.photos.map((_, index) => `local-${index}`);
  const base = { itemKey: item.key, note: draft.note.trim(), evidence };
  if (draft.outcome === 'na') return { ...base, outcome: 'na', value: null };
  if (item.rule === 'passFail')
    return draft.outcome ? { ...base, outcome: draft.outcome, value: null } : null;
  // Graded and count items are judged from the value by the scoring itself.
  return draft.value === null ? null : { ...base, outcome: 'pass', value: draft.value };
}

export const itemsOf = (template: ChecklistDetail): ChecklistItem[] =>
  template.sections.flatMap((section) => section.items);

/** The running score of the visit so far, with each item's problems (须拍照 …), exactly as the server scores. */
export function scoreDraft(template: ChecklistDetail, siteType: string, drafts: Drafts): VisitScore {
  const items = itemsOf(template);
  const answers = items.flatMap((item) => {
    if (!appliesHere(item, siteType)) return [];
    const answer = answerOf(item, drafts[item.key]);
    return answer ? [answer] : [];
  });
  return scoreVisit(items, answers, scoringSiteType(siteType));
}

export function problemsByItem(score: VisitScore): Map<string, AnswerProblem> {
  const byItem = new Map<string, AnswerProblem>();
  for (const { itemKey, problem } of score.problems) if (!byItem.has(itemKey)) byItem.set(itemKey, problem);
  return byItem;
}

/** Percent with two decimals, as the server keeps it: 72.22. */
export const percent = (rate: number | null): number | null => (rate === null ? null : roundRate(rate));

/**
 * The visit for the outbox: every answer with the outcome the scoring judged (a deduction is a failure), the
 * photos in answer order and the signature last. Items that do not apply to the site are sent as N/A.
 */
export function visitForOutbox(
  template: ChecklistDetail,
  siteType: string,
  drafts: Drafts,
  score: VisitScore,
  signature: Blob | null,
): Pick<VisitItem, 'photoCounts' | 'photos' | 'signed'> & { answers: VisitItem['input']['answers'] } {
  const judged = new Map(score.answers.map((answer) => [answer.itemKey, answer]));
  const answers: VisitItem['input']['answers'] = [];
  const photoCounts: number[] = [];
  const photos: Blob[] = [];
  for (const item of itemsOf(template)) {
    const scored = judged.get(item.key);
    const draft = appliesHere(item, siteType) ? drafts[item.key] : undefined;
    const taken = draft?.outcome === 'na' || !scored ? [] : (draft?.photos ?? []);
    answers.push({
      itemKey: item.key,
      outcome: scored?.outcome ?? 'na',
      value: scored?.outcome === 'na' ? null : (scored?.value ?? null),
      note: draft?.note.trim() ?? '',
      evidence: [],
    });
    photoCounts.push(taken.length);
    photos.push(...taken);
  }
  if (signature) photos.push(signature);
  return { answers, photoCounts, photos, signed: signature !== null };
}
