import { describe, expect, it } from 'vitest';
import type { ChecklistDetail, ChecklistItem } from '../../../shared/checklists.ts';
import { type Drafts, percent, problemsByItem, scoreDraft, visitForOutbox } from './visit-draft.ts';

function item(key: string, points: number, extra: Partial<ChecklistItem> = {}): ChecklistItem {
  return {
    id: Number(key.replace('.', '')),
    position: 1,
    key,
    section: key.startsWith('1') ? '市场环境' : '服务设施',
    question: `检查项 ${key}`,
    points,
    rule: 'passFail',
    comparator: null,
    threshold: null,
    unit: null,
    photo: 'onFail',
    guidance: '',
    siteTypes: [],
    categoryId: null,
    categoryCode: null,
    categoryName: null,
    veto: false,
    immediate: false,
    rectifyLimit: null,
    ...extra,
  };
}

function checklist(items: ChecklistItem[]): ChecklistDetail {
  const names = [...new Set(items.map((i) => i.section))];
  return {
    id: 1,
    sections: names.map((name) => ({ name, points: 0, items: items.filter((i) => i.section === name) })),
  } as unknown as ChecklistDetail;
}

const photo = () => new Blob(['x'], { type: 'image/jpeg' });
const answer = (outcome: 'pass' | 'fail' | 'na' | null, more: Partial<Drafts[string]> = {}) => ({
  outcome,
  value: null,
  note: '',
  photos: [],
  ...more,
});

// The acceptance example: 100 points, three failures worth 10 + 10 + 5, one item of 10 not applicable.
const ITEMS = [
  item('1.1', 10),
  item('1.2', 10),
  item('1.3', 5),
  item('1.4', 10),
  item('2.1', 35),
  item('2.2', 20, { rule: 'graded' }),
  item('2.3', 10, { rule: 'count', comparator: '>=', threshold: 5, unit: '处' }),
];

describe('the running score of a visit on the phone', () => {
  it('scores 65 / 90 = 72.22 % with three failures and one N/A, and needs photos of the failures', () => {
    const template = checklist(ITEMS);
    const drafts: Drafts = {
      '1.1': answer('fail', { photos: [photo()] }),
      '1.2': answer('fail'),
      '1.3': answer('fail', { photos: [photo()] }),
      '1.4': answer('na'),
      '2.1': answer('pass'),
      '2.2': answer(null, { value: 20 }),
      '2.3': answer(null, { value: 6 }),
    };
    const score = scoreDraft(template, 'market', drafts);
    expect([score.earned, score.applicable, percent(score.rate)]).toEqual([65, 90, 72.22]);
    expect([...problemsByItem(score)]).toEqual([['1.2', 'photoRequired']]);
  });

  it('shows a failed veto item as 0 with the raw score kept, and a low count as a failure', () => {
    const template = checklist([item('1.1', 10, { veto: true, photo: 'never' }), ITEMS[6] as ChecklistItem]);
    const score = scoreDraft(template, 'market', {
      '1.1': answer('fail'),
      '2.3': answer(null, { value: 3, photos: [photo()] }),
    });
    expect(score.vetoedBy).toBe('1.1');
    expect(score.rate).toBe(0);
    expect(score.answers.find((a) => a.itemKey === '2.3')?.outcome).toBe('fail');
    expect(percent(score.rawRate)).toBe(0);
  });

  it('leaves items of other site types out and sends them as N/A; unanswered ones are missing', () => {
    const template = checklist([item('1.1', 10), item('2.1', 10, { siteTypes: ['bank', 'hospital'] })]);
    expect(problemsByItem(scoreDraft(template, 'market', {}))).toEqual(new Map([['1.1', 'missing']]));
    const drafts: Drafts = { '1.1': answer('fail', { photos: [photo(), photo()], note: ' 越线 ' }) };
    const score = scoreDraft(template, 'market', drafts);
    expect(score.problems).toEqual([]);
    const signature = new Blob(['sig'], { type: 'image/png' });
    const prepared = visitForOutbox(template, 'market', drafts, score, signature);
    expect(prepared.answers).toEqual([
      { itemKey: '1.1', outcome: 'fail', value: null, note: '越线', evidence: [] },
      { itemKey: '2.1', outcome: 'na', value: null, note: '', evidence: [] },
    ]);
    expect(prepared.photoCounts).toEqual([2, 0]);
    expect(prepared.photos.at(-1)).toBe(signature);
    expect(prepared.signed).toBe(true);
  });

  it('treats a target of type "other" as the server does: every item applies', () => {
    const template = checklist([item('1.1', 10, { siteTypes: ['bank'] })]);
    expect(problemsByItem(scoreDraft(template, 'other', {}))).toEqual(new Map([['1.1', 'missing']]));
  });
});
