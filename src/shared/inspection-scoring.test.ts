import { describe, expect, it } from 'vitest';
import { roundRate, type ScorableItem, scoreVisit } from './inspection-scoring.ts';
import type { ItemAnswerInput } from './inspections.ts';

function item(key: string, points: number, extra: Partial<ScorableItem> = {}): ScorableItem {
  return {
    key,
    points,
    rule: 'passFail',
    comparator: null,
    threshold: null,
    photo: 'never',
    siteTypes: [],
    veto: false,
    ...extra,
  };
}
function answer(itemKey: string, outcome: ItemAnswerInput['outcome'], extra: Partial<ItemAnswerInput> = {}) {
  return { itemKey, outcome, value: null, note: '', evidence: [], ...extra };
}

describe('scoring a visit', () => {
  // The example: 100 points in all, three failures worth 10 + 10 + 5, one item of 10 not applicable.
  const items = [
    item('1', 10),
    item('2', 10),
    item('3', 5),
    item('4', 10),
    item('5', 25),
    item('6', 20),
    item('7', 20),
  ];
  const answers = [
    answer('1', 'fail'),
    answer('2', 'fail'),
    answer('3', 'fail'),
    answer('4', 'na'),
    answer('5', 'pass'),
    answer('6', 'pass'),
    answer('7', 'pass'),
  ];

  it('leaves not-applicable items out of the denominator: 65 / 90 = 72.22 %', () => {
    const score = scoreVisit(items, answers, null);
    expect(score.problems).toEqual([]);
    expect([score.earned, score.applicable]).toEqual([65, 90]);
    expect(roundRate(score.rate ?? -1)).toBe(72.22);
    expect(score.vetoedBy).toBeNull();
  });

  it('zeroes the score when a veto item fails, keeping the raw score and the vetoing item', () => {
    const vetoed = items.map((it) => (it.key === '3' ? { ...it, veto: true } : it));
    const score = scoreVisit(vetoed, answers, null);
    expect(score.rate).toBe(0);
    expect(roundRate(score.rawRate ?? -1)).toBe(72.22);
    expect(score.vetoedBy).toBe('3');
  });

  it('judges a count by its threshold and a graded item by full points', () => {
    const list = [
      item('posters', 10, { rule: 'count', comparator: '>=', threshold: 5 }),
      item('clean', 10, { rule: 'graded' }),
    ];
    const short = scoreVisit(
      list,
      [answer('posters', 'pass', { value: 4 }), answer('clean', 'pass', { value: 7 })],
      null,
    );
    expect(short.answers.map((a) => [a.outcome, a.earned])).toEqual([
      ['fail', 0],
      ['fail', 7],
    ]);
    const enough = scoreVisit(
      list,
      [answer('posters', 'fail', { value: 5 }), answer('clean', 'pass', { value: 10 })],
      null,
    );
    expect(enough.answers.map((a) => a.outcome)).toEqual(['pass', 'pass']);
    expect(enough.rate).toBe(1);
  });

  it('names each problem per item: missing, photo required on failure, value required, unknown', () => {
    const list = [item('a', 5, { photo: 'onFail' }), item('b', 5, { rule: 'graded' }), item('c', 5)];
    const score = scoreVisit(list, [answer('a', 'fail'), answer('b', 'pass'), answer('zz', 'pass')], null);
    expect(score.problems).toEqual([
      { itemKey: 'zz', problem: 'unknownItem' },
      { itemKey: 'a', problem: 'photoRequired' },
      { itemKey: 'b', problem: 'valueRequired' },
      { itemKey: 'c', problem: 'missing' },
    ]);
  });

  it('counts items of other site types as not applicable without an answer', () => {
    const list = [item('rx', 10, { siteTypes: ['pharmacy'] }), item('bins', 10, { siteTypes: ['market'] })];
    const score = scoreVisit(list, [answer('bins', 'pass')], 'market');
    expect(score.problems).toEqual([]);
    expect([score.earned, score.applicable]).toEqual([10, 10]);
    expect(score.answers.find((a) => a.itemKey === 'rx')?.outcome).toBe('na');
  });
});
