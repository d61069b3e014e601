import { describe, expect, it } from 'vitest';
import { casesRaised, isRelevant, validateAnswers } from '../../../shared/form-answers.ts';
import { formDefinitionSchema } from '../../../shared/forms.ts';
import { CHECKPOINT_CHECKS_DEFINITION, SANXUN_DEFINITION } from './demo-forms.ts';

const definition = formDefinitionSchema.parse(SANXUN_DEFINITION);

describe('the demo 三询问一完善 form', () => {
  it('asks about the household only when someone lives there', () => {
    expect(isRelevant(definition, { lives_here: 'no' }, 'resident_count')).toBe(false);
    expect(isRelevant(definition, { lives_here: 'yes' }, 'resident_count')).toBe(true);
  });

  it('a visit answering "bulky rubbish" raises a case in 06011, and "none" cannot go with a hardship', () => {
    const answers = {
      lives_here: 'yes',
      resident_count: 2,
      tested: 'all',
      home_safe: 'yes',
      hardship: ['bulky_rubbish'],
    };
    const check = validateAnswers(definition, answers);
    expect(check.problems).toEqual([]);
    expect(casesRaised(definition, check.answers)).toEqual([
      { question: 'hardship', choice: 'bulky_rubbish', categoryCode: '06011' },
    ]);
    const both = validateAnswers(definition, { ...answers, hardship: ['none', 'bulky_rubbish'] });
    expect(both.problems.map((p) => p.message.zh)).toEqual(['“没有困难”不能与其他困难同选']);
  });

  it('refuses more untested people than live there', () => {
    const check = validateAnswers(definition, {
      lives_here: 'yes',
      resident_count: 2,
      tested: 'some',
      untested_count: 3,
      home_safe: 'yes',
      hardship: ['none'],
    });
    expect(check.problems.map((p) => p.name)).toEqual(['untested_count']);
  });
});

describe('the demo checkpoint checks', () => {
  const checks = formDefinitionSchema.parse(CHECKPOINT_CHECKS_DEFINITION);

  it('asks where only of someone who has been to a risk area, and refuses a bad count with its message', () => {
    expect(validateAnswers(checks, { risk_area: 'no' }).problems).toEqual([]);
    const where = validateAnswers(checks, { risk_area: 'yes', risk_place: '穗' });
    expect(where.problems.map((p) => p.message.zh)).toEqual(['请写明到过的地区（至少 2 个字）']);
    const many = validateAnswers(checks, { risk_area: 'no', companions: 12 });
    expect(many.problems.map((p) => p.message.zh)).toEqual(['同行人数应在 0 到 9 之间']);
  });
});
