/* biome-ignore-all lint/suspicious/noTemplateCurlyInString: XLSForm expressions name questions as ${name} */
import { describe, expect, it } from 'vitest';
import { casesRaised, isRelevant, validateAnswers } from './form-answers.ts';
import { FormExpressionError, parseFormExpression } from './form-expressions.ts';
import { type FormDefinitionInput, formDefinitionSchema } from './forms.ts';

const definition = formDefinitionSchema.parse({
  questions: [
    { name: 'lives_here', type: 'yesNo', label: { zh: '是否常住' }, required: true },
    {
      name: 'people',
      type: 'integer',
      label: { zh: '实住人数', en: 'People' },
      required: true,
      relevant: "${lives_here} = 'yes'",
      constraint: '. >= 1 and . <= 30',
      constraintMessage: { zh: '人数应在 1 到 30 之间', en: 'Between 1 and 30 people' },
      registryField: 'household.residentCount',
    },
    {
      name: 'hardship',
      type: 'selectMultiple',
      label: { zh: '困难' },
      choices: [
        { value: 'none', label: { zh: '无' } },
        { value: 'bulky', label: { zh: '大件垃圾' }, raisesCase: { categoryCode: '06011' } },
      ],
    },
    {
      name: 'detail',
      type: 'text',
      label: { zh: '说明' },
      relevant: "selected(${hardship}, 'bulky')",
      required: true,
    },
    { name: 'phone', type: 'phone', label: { zh: '电话' } },
    { name: 'id', type: 'idNumber', label: { zh: '身份证号' } },
  ],
} satisfies FormDefinitionInput);

describe('form expressions', () => {
  it('a dependent question is hidden until the earlier answer says so, then shown', () => {
    expect(isRelevant(definition, { lives_here: 'no' }, 'people')).toBe(false);
    expect(isRelevant(definition, { lives_here: 'yes' }, 'people')).toBe(true);
    expect(isRelevant(definition, { hardship: ['none'] }, 'detail')).toBe(false);
    expect(isRelevant(definition, { hardship: ['none', 'bulky'] }, 'detail')).toBe(true);
  });

  it("refuses a value outside the constraint with the form's own message", () => {
    const check = validateAnswers(definition, { lives_here: 'yes', people: 45 });
    expect(check.problems).toEqual([
      { name: 'people', message: { zh: '人数应在 1 到 30 之间', en: 'Between 1 and 30 people' } },
    ]);
    expect(validateAnswers(definition, { lives_here: 'yes', people: 3 }).problems).toEqual([]);
  });

  it('requires relevant questions only, and drops answers to hidden ones', () => {
    const check = validateAnswers(definition, { lives_here: 'no', people: 99, hardship: ['bulky'] });
    expect(check.problems.map((p) => p.name)).toEqual(['detail']);
    expect(check.answers).toEqual({ lives_here: 'no', hardship: ['bulky'] });
    expect(validateAnswers(definition, {}).problems[0]).toMatchObject({
      name: 'lives_here',
      message: { zh: '此题必答' },
    });
  });

  it('checks phones and ID numbers as the registry does, and refuses unknown questions', () => {
    const check = validateAnswers(definition, {
      lives_here: 'no',
      phone: '12345',
      id: '440605199001011235',
      other: 'x',
    });
    expect(check.problems.map((p) => [p.name, p.message.zh])).toEqual([
      ['other', '本表单没有这道题'],
      ['phone', expect.stringContaining('电话号码')],
      ['id', '身份证号校验位错误'],
    ]);
    expect(validateAnswers(definition, { lives_here: 'no', phone: '+86 138 1234 5678' }).answers.phone).toBe(
      '13812345678',
    );
  });

  it('lists the cases the chosen answers raise', () => {
    expect(casesRaised(definition, { hardship: ['none', 'bulky'] })).toEqual([
      { question: 'hardship', choice: 'bulky', categoryCode: '06011' },
    ]);
  });

  it('compares empty answers as XLSForm does and supports string-length and not()', () => {
    const d = formDefinitionSchema.parse({
      questions: [
        { name: 'a', type: 'text', label: { zh: 'a' }, constraint: 'string-length(.) <= 3' },
        {
          name: 'b',
          type: 'text',
          label: { zh: 'b' },
          relevant: "not(${a} = '') and (${a} != 'x' or ${a} = 'x')",
        },
      ],
    });
    expect(isRelevant(d, {}, 'b')).toBe(false);
    expect(isRelevant(d, { a: 'ab' }, 'b')).toBe(true);
    expect(validateAnswers(d, { a: 'abcd' }).problems[0]?.name).toBe('a');
  });
});

describe('form definitions', () => {
  const issues = (questions: unknown[]) => {
    const r = formDefinitionSchema.safeParse({ questions });
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('refuses a bad expression at save time, naming the question', () => {
    expect(issues([{ name: 'age', type: 'integer', label: { zh: '年龄' }, constraint: '. >= ' }])).toEqual([
      expect.stringMatching(/^questions\.0\.constraint: 题目 age：表达式有误/),
    ]);
    expect(
      issues([{ name: 'x', type: 'text', label: { zh: 'x' }, relevant: "regex(., 'a+')" }])[0],
    ).toContain('"regex" is not supported');
  });

  it('refuses conditions on later or unknown questions and selected() on a non-choice', () => {
    const found = issues([
      { name: 'a', type: 'text', label: { zh: 'a' }, relevant: "${b} = 'x'" },
      { name: 'b', type: 'text', label: { zh: 'b' }, relevant: "${zz} = 'x' or selected(${a}, 'x')" },
    ]);
    expect(found).toEqual([
      expect.stringContaining('questions.0.relevant: 题目 a：引用了后面的题目 b'),
      expect.stringContaining('questions.1.relevant: 题目 b：引用了不存在的题目 zz'),
      expect.stringContaining('selected() 只能用于单选/多选题'),
    ]);
  });

  it('refuses duplicate names, choice questions without choices and a registry field of the wrong type', () => {
    const found = issues([
      { name: 'a', type: 'selectOne', label: { zh: 'a' } },
      { name: 'a', type: 'text', label: { zh: 'a' }, registryField: 'household.residentCount' },
    ]);
    expect(found).toHaveLength(3);
  });

  it('parses bounded input: deep nesting and long expressions are refused, not stack-overflowed', () => {
    expect(() => parseFormExpression(`${'('.repeat(100)}1${')'.repeat(100)}`)).toThrow(FormExpressionError);
    expect(() => parseFormExpression('1 = 1 '.repeat(300))).toThrow(FormExpressionError);
  });
});
