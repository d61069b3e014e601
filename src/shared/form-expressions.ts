/*
 * The expressions of a form's `relevant` and `constraint` (the XLSForm subset gridgov supports), parsed and
 * evaluated here once, for the server's validation of submitted answers and for the renderer in the browser —
 * so a question the phone shows is exactly the question the server expects answered. Pure: no Node, no DOM.
 *
 * Grammar (XPath as XLSForm writes it, reduced):
 *   or      := and ('or' and)*
 *   and     := compare ('and' compare)*
 *   compare := operand (('=' | '!=' | '>' | '>=' | '<' | '<=') operand)?
 *   operand := '${' name '}' | '.' | number | 'string' | "string" | '(' or ')' | call
 *   call    := ('selected' | 'string-length' | 'count-selected' | 'not') '(' or (',' or)* ')'
 * A hand-written recursive-descent parser: linear in the input, bounded in depth, no regular expressions from
 * the form's author, so a hostile form cannot stall the server.
 */

export type FormExpression =
  | { kind: 'ref'; name: string }
  | { kind: 'self' }
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'compare'; op: CompareOp; left: FormExpression; right: FormExpression }
  | { kind: 'logic'; op: 'and' | 'or'; left: FormExpression; right: FormExpression }
  | { kind: 'call'; fn: FormFunction; args: FormExpression[] };

export type CompareOp = '=' | '!=' | '>' | '>=' | '<' | '<=';
export const FORM_FUNCTIONS = ['selected', 'string-length', 'count-selected', 'not'] as const;
export type FormFunction = (typeof FORM_FUNCTIONS)[number];
const ARITY: Record<FormFunction, number> = {
  selected: 2,
  'string-length': 1,
  'count-selected': 1,
  not: 1,
};

/** An answer as the evaluator sees it: unanswered is ''. */
export type ExpressionValue = string | number | boolean | string[];

export class FormExpressionError extends Error {
  constructor(
    readonly problem: { zh: string; en: string },
    readonly position: number,
  ) {
    super(problem.en);
  }
}

const MAX_LENGTH = 1000;
const MAX_DEPTH = 32;
const NAME = /[A-Za-z_][A-Za-z0-9_.-]*/y;
const NUMBER = /-?\d+(\.\d+)?/y;
const WORD = /[A-Za-z][A-Za-z-]*/y;

/** Parses an expression; throws FormExpressionError with a bilingual reason and the character position. */
export function parseFormExpression(source: string): FormExpression {
  if (source.length > MAX_LENGTH) {
    throw new FormExpressionError(
      {
        zh: `表达式过长（最多 ${MAX_LENGTH} 个字符）`,
        en: `expression too long (at most ${MAX_LENGTH} characters)`,
      },
      MAX_LENGTH,
    );
  }
  let at = 0;
  let depth = 0;
  const fail = (zh: string, en: string): never => {
    throw new FormExpressionError(
      { zh: `第 ${at + 1} 个字符处${zh}`, en: `${en} at character ${at + 1}` },
      at,
    );
  };
  const skip = () => {
    while (at < source.length && /\s/.test(source[at] ?? '')) at++;
  };
  const match = (re: RegExp): string | null => {
    re.lastIndex = at;
    const m = re.exec(source);
    if (!m) return null;
    at += m[0].length;
    return m[0];
  };
  const peekWord = (): string | null => {
    WORD.lastIndex = at;
    return WORD.exec(source)?.[0] ?? null;
  };
  const expect = (text: string) => {
    skip();
    if (!source.startsWith(text, at)) fail(`应为“${text}”`, `expected "${text}"`);
    at += text.length;
  };

  const operand = (): FormExpression => {
    skip();
    const c = source[at];
    if (c === undefined) return fail('表达式不完整', 'the expression ends too early');
    if (source.startsWith('${', at)) {
      at += 2;
      const name = match(NAME);
      if (!name) fail('应为题目名称', 'expected a question name');
      expect('}');
      return { kind: 'ref', name: name as string };
    }
    if (c === '.') {
      at++;
      return { kind: 'self' };
    }
    if (c === "'" || c === '"') {
      const end = source.indexOf(c, at + 1);
      if (end < 0) fail('字符串缺少结束引号', 'the string has no closing quote');
      const value = source.slice(at + 1, end);
      at = end + 1;
      return { kind: 'string', value };
    }
    if (c === '(') {
      at++;
      const inner = nested();
      expect(')');
      return inner;
    }
    const num = match(NUMBER);
    if (num !== null) return { kind: 'number', value: Number(num) };
    const word = peekWord();
    if (word && (FORM_FUNCTIONS as readonly string[]).includes(word)) {
      at += word.length;
      const fn = word as FormFunction;
      expect('(');
      const args: FormExpression[] = [];
      skip();
      if (source[at] !== ')') {
        args.push(nested());
        skip();
        while (source[at] === ',') {
          at++;
          args.push(nested());
          skip();
        }
      }
      expect(')');
      if (args.length !== ARITY[fn]) {
        fail(`函数 ${fn} 需要 ${ARITY[fn]} 个参数`, `function ${fn} takes ${ARITY[fn]} argument(s)`);
      }
      return { kind: 'call', fn, args };
    }
    if (word) return fail(`不支持“${word}”`, `"${word}" is not supported`);
    return fail(`无法识别“${c}”`, `unexpected "${c}"`);
  };

  const compare = (): FormExpression => {
    const left = operand();
    skip();
    const op = (['>=', '<=', '!=', '=', '>', '<'] as const).find((o) => source.startsWith(o, at));
    if (!op) return left;
    at += op.length;
    return { kind: 'compare', op, left, right: operand() };
  };

  const chain = (op: 'and' | 'or', next: () => FormExpression) => (): FormExpression => {
    let left = next();
    for (;;) {
      skip();
      if (peekWord() !== op) return left;
      at += op.length;
      left = { kind: 'logic', op, left, right: next() };
    }
  };
  const andExpr = chain('and', compare);
  const orExpr = chain('or', andExpr);

  function nested(): FormExpression {
    if (++depth > MAX_DEPTH) fail('括号嵌套过深', 'nested too deeply');
    const result = orExpr();
    depth--;
    return result;
  }

  const tree = nested();
  skip();
  if (at < source.length)
    fail(`多余的“${source.slice(at, at + 10)}”`, `unexpected "${source.slice(at, at + 10)}"`);
  return tree;
}

/** The question names an expression reads, in order of appearance, without repeats. */
export function expressionReferences(expression: FormExpression): string[] {
  const names = new Set<string>();
  const walk = (e: FormExpression) => {
    if (e.kind === 'ref') names.add(e.name);
    else if (e.kind === 'compare' || e.kind === 'logic') {
      walk(e.left);
      walk(e.right);
    } else if (e.kind === 'call') e.args.forEach(walk);
  };
  walk(expression);
  return [...names];
}

export function usesSelf(expression: FormExpression): boolean {
  if (expression.kind === 'self') return true;
  if (expression.kind === 'compare' || expression.kind === 'logic') {
    return usesSelf(expression.left) || usesSelf(expression.right);
  }
  return expression.kind === 'call' && expression.args.some(usesSelf);
}

export interface EvaluationContext {
  /** The answer of a question by name; '' when unanswered or not relevant. */
  value(name: string): ExpressionValue;
  /** The answer being constrained (`.`). */
  self: ExpressionValue;
}

/** XPath's boolean(): empty text, zero, NaN and an empty selection are false. */
function truthy(v: ExpressionValue): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (typeof v === 'boolean') return v;
  return v !== '';
}

function asText(v: ExpressionValue): string {
  if (Array.isArray(v)) return v.join(' ');
  return String(v);
}

function asNumber(v: ExpressionValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const text = asText(v).trim();
  return text === '' ? Number.NaN : Number(text);
}

function selection(v: ExpressionValue): string[] {
  if (Array.isArray(v)) return v;
  const text = asText(v).trim();
  return text === '' ? [] : text.split(/\s+/);
}

/**
 * Compares as XPath 1.0 does for the cases forms use: when either side is a number literal (or a number answer)
 * both are compared as numbers — an empty answer is NaN, so `. > 3` is false for it and `. != 3` true — else as
 * text (dates YYYY-MM-DD and times HH:MM compare correctly as text).
 */
function compareValues(op: CompareOp, a: ExpressionValue, b: ExpressionValue): boolean {
  const numeric = typeof a === 'number' || typeof b === 'number';
  if (numeric) {
    const x = asNumber(a);
    const y = asNumber(b);
    if (op === '!=') return !(x === y);
    if (Number.isNaN(x) || Number.isNaN(y)) return false;
    return op === '=' ? x === y : op === '>' ? x > y : op === '>=' ? x >= y : op === '<' ? x < y : x <= y;
  }
  const x = asText(a);
  const y = asText(b);
  if (op === '=') return x === y;
  if (op === '!=') return x !== y;
  return op === '>' ? x > y : op === '>=' ? x >= y : op === '<' ? x < y : x <= y;
}

function evaluateValue(e: FormExpression, ctx: EvaluationContext): ExpressionValue {
  switch (e.kind) {
    case 'ref':
      return ctx.value(e.name);
    case 'self':
      return ctx.self;
    case 'number':
    case 'string':
      return e.value;
    case 'compare':
      return compareValues(e.op, evaluateValue(e.left, ctx), evaluateValue(e.right, ctx));
    case 'logic':
      return e.op === 'and'
        ? truthy(evaluateValue(e.left, ctx)) && truthy(evaluateValue(e.right, ctx))
        : truthy(evaluateValue(e.left, ctx)) || truthy(evaluateValue(e.right, ctx));
    case 'call': {
      const [first, second] = e.args.map((arg) => evaluateValue(arg, ctx));
      if (e.fn === 'selected') return selection(first ?? '').includes(asText(second ?? ''));
      if (e.fn === 'count-selected') return selection(first ?? '').length;
      if (e.fn === 'string-length') return [...asText(first ?? '')].length;
      return !truthy(first ?? '');
    }
  }
}

/** Evaluates a parsed expression to true or false. */
export function evaluateFormExpression(expression: FormExpression, ctx: EvaluationContext): boolean {
  return truthy(evaluateValue(expression, ctx));
}
