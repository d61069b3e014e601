import { Readable } from 'node:stream';
import type { LocalizedText } from '../../../shared/errors.ts';
import { FormExpressionError, parseFormExpression } from '../../../shared/form-expressions.ts';
import type { Choice, FormText, QuestionInput, QuestionType } from '../../../shared/forms.ts';
import { REGISTRY_FIELDS, type RegistryField } from '../../../shared/forms.ts';
import { readXlsxSheets, type SpreadsheetCell } from '../../spreadsheet.ts';

/*
 * Reads an XLSForm (the spreadsheet form format of ODK and KoboToolbox) into gridgov's questions. The supported
 * subset is written down in docs/forms.md; every row outside it is reported with its sheet, row number and
 * reason, and the caller stores nothing when there is any. Only the parsing is here: whether the questions
 * make a valid form (names, references, categories) is the service's check, mapped back to these rows.
 */

export const MAX_XLSFORM_ROWS = 1000;

export interface XlsformRowProblem {
  sheet: string;
  row: number;
  reason: LocalizedText;
}

export interface ParsedXlsform {
  title: FormText | null;
  formId: string | null;
  questions: QuestionInput[];
  /** The survey row each question came from, by index. */
  questionRows: number[];
  /** The choices-sheet row of each choice, by `${list} ${value}`. */
  choiceRows: Map<string, number>;
  /** The list each choice question took its choices from, by question index. */
  questionLists: (string | null)[];
  problems: XlsformRowProblem[];
}

const SIMPLE_TYPES: Record<string, QuestionType> = {
  text: 'text',
  integer: 'integer',
  int: 'integer',
  decimal: 'decimal',
  date: 'date',
  time: 'time',
  datetime: 'dateTime',
  note: 'note',
  geopoint: 'geopoint',
  image: 'photo',
  // gridgov's additions (docs/forms.md): checked as the registry checks them.
  phone: 'phone',
  id_number: 'idNumber',
  yes_no: 'yesNo',
};

const METADATA_TYPES = new Set([
  'start',
  'end',
  'today',
  'deviceid',
  'phonenumber',
  'username',
  'email',
  'simserial',
  'subscriberid',
  'audit',
  'start-geopoint',
]);

/** Columns that change what a form does: a row using one of them is refused rather than half-imported. */
const UNSUPPORTED_COLUMNS = [
  'calculation',
  'choice_filter',
  'repeat_count',
  'default',
  'read_only',
  'trigger',
  'parameters',
];

const TEXT = {
  groups: {
    zh: '不支持分组和重复组（{type}）：请把题目放在同一层',
    en: 'groups and repeats ({type}) are not supported: list the questions without them',
  },
  calculate: {
    zh: '不支持计算字段（{type}）',
    en: 'calculated fields ({type}) are not supported',
  },
  metadata: {
    zh: '元数据字段（{type}）无需导入：gridgov 自动记录填写人、时间和位置',
    en: 'metadata field ({type}) is not needed: gridgov records who, when and where itself',
  },
  unknownType: { zh: '不支持的题型“{type}”', en: 'question type "{type}" is not supported' },
  noName: { zh: '缺少 name', en: 'name is missing' },
  noLabel: { zh: '缺少 label', en: 'label is missing' },
  noList: {
    zh: '选项列表“{list}”在 choices 表中不存在',
    en: 'choice list "{list}" is not in the choices sheet',
  },
  required: {
    zh: 'required 只能是 yes 或 no（不支持表达式）：“{value}”',
    en: 'required must be yes or no (no expressions): "{value}"',
  },
  expression: { zh: '{column} 表达式有误：{reason}', en: '{column} is wrong: {reason}' },
  column: { zh: '不支持 {column} 列', en: 'the {column} column is not supported' },
  appearance: {
    zh: '外观“{appearance}”只用于 image（签名）',
    en: 'appearance "{appearance}" is only for image (signature)',
  },
  registryField: {
    zh: 'registry_field“{value}”无效，可用：{fields}',
    en: 'registry_field "{value}" is invalid; use one of {fields}',
  },
  choiceMissing: { zh: '选项缺少 list_name 或 name', en: 'a choice needs list_name and name' },
  noSurvey: { zh: '工作簿中没有 survey 表', en: 'the workbook has no survey sheet' },
  noTypeColumn: {
    zh: 'survey 表的表头（第一行）应有 type、name、label 列',
    en: 'the header (first row) of the survey sheet needs type, name and label columns',
  },
} as const satisfies Record<string, LocalizedText>;

function fill(text: LocalizedText, params: Record<string, string>): LocalizedText {
  const apply = (s: string) => s.replace(/\{(\w+)\}/g, (whole, k: string) => params[k] ?? whole);
  return { zh: apply(text.zh), en: apply(text.en) };
}

function cellText(cell: SpreadsheetCell | undefined): string {
  if (cell === undefined) return '';
  if (cell instanceof Date) return cell.toISOString();
  return cell.trim();
}

type Language = 'zh' | 'en' | 'default' | null;

/** `label`, `label::Chinese (zh)`, `label::中文`, `label::English (en)`, `label::en` → which language. */
function languageOf(header: string, base: string): Language {
  if (header === base) return 'default';
  if (!header.startsWith(`${base}::`)) return null;
  const tag = header.slice(base.length + 2).toLowerCase();
  if (/\(zh|^zh|chinese|中文|简体/.test(tag)) return 'zh';
  if (/\(en|^en|english|英文/.test(tag)) return 'en';
  return null;
}

class Sheet {
  readonly columns = new Map<string, number>();
  readonly rows: { number: number; cells: SpreadsheetCell[] }[] = [];
  constructor(readonly name: string) {}

  setHeader(cells: SpreadsheetCell[]) {
    cells.forEach((c, i) => {
      const key = cellText(c).toLowerCase().replace(/\s+/g, '_');
      if (key && !this.columns.has(key)) this.columns.set(key, i);
    });
    // KoboToolbox writes "list name"; ODK "list_name".
    if (!this.columns.has('list_name') && this.columns.has('list')) {
      this.columns.set('list_name', this.columns.get('list') as number);
    }
    if (!this.columns.has('name') && this.columns.has('value')) {
      this.columns.set('name', this.columns.get('value') as number);
    }
  }

  get(cells: SpreadsheetCell[], column: string): string {
    const index = this.columns.get(column);
    return index === undefined ? '' : cellText(cells[index]);
  }

  /** A text in its languages: the zh column, else the plain one, else the English one. */
  text(cells: SpreadsheetCell[], base: string): FormText | null {
    let zh = '';
    let en = '';
    let plain = '';
    for (const [header, index] of this.columns) {
      const language = languageOf(header, base);
      const value = cellText(cells[index]);
      if (!value) continue;
      if (language === 'zh') zh = value;
      else if (language === 'en') en = value;
      else if (language === 'default') plain = value;
    }
    const chinese = zh || plain || en;
    if (!chinese) return null;
    return en && en !== chinese ? { zh: chinese, en } : { zh: chinese };
  }
}

/** Reads the survey, choices and settings sheets of an XLSForm workbook. */
export async function readXlsform(bytes: Buffer): Promise<ParsedXlsform> {
  const sheets = new Map<string, Sheet>();
  let current = null as Sheet | null;
  for await (const row of readXlsxSheets(Readable.from([bytes]), { maxRows: MAX_XLSFORM_ROWS })) {
    const name = row.sheet.trim().toLowerCase();
    if (current?.name !== name) {
      current = new Sheet(name);
      sheets.set(name, current);
      current.setHeader(row.cells);
      continue;
    }
    current.rows.push(row);
  }
  const problems: XlsformRowProblem[] = [];
  const survey = sheets.get('survey');
  const parsed: ParsedXlsform = {
    title: null,
    formId: null,
    questions: [],
    questionRows: [],
    choiceRows: new Map(),
    questionLists: [],
    problems,
  };
  if (!survey) {
    problems.push({ sheet: 'survey', row: 1, reason: TEXT.noSurvey });
    return parsed;
  }
  if (!survey.columns.has('type') || !survey.columns.has('name')) {
    problems.push({ sheet: 'survey', row: 1, reason: TEXT.noTypeColumn });
    return parsed;
  }
  const settings = sheets.get('settings');
  const settingsRow = settings?.rows[0];
  if (settings && settingsRow) {
    parsed.title = settings.text(settingsRow.cells, 'form_title');
    parsed.formId = settings.get(settingsRow.cells, 'form_id') || null;
  }
  const lists = readChoices(sheets.get('choices'), parsed);

  for (const { number, cells } of survey.rows) {
    const fail = (reason: LocalizedText) => problems.push({ sheet: 'survey', row: number, reason });
    const rawType = survey.get(cells, 'type').replace(/\s+/g, ' ');
    const [typeWord = '', listName = ''] = rawType.split(' ');
    const type = typeWord.toLowerCase();
    if (!type) continue;
    if (/^(begin|end)[ _](group|repeat)$/.test(rawType.toLowerCase())) {
      fail(fill(TEXT.groups, { type: rawType }));
      continue;
    }
    if (type === 'calculate' || type === 'hidden') {
      fail(fill(TEXT.calculate, { type }));
      continue;
    }
    if (METADATA_TYPES.has(type)) {
      fail(fill(TEXT.metadata, { type }));
      continue;
    }
    const choice = type === 'select_one' ? 'selectOne' : type === 'select_multiple' ? 'selectMultiple' : null;
    let questionType: QuestionType | undefined = choice ?? SIMPLE_TYPES[type];
    if (!questionType || (choice && !listName) || (!choice && listName)) {
      fail(fill(TEXT.unknownType, { type: rawType }));
      continue;
    }
    const appearance = survey.get(cells, 'appearance');
    if (appearance === 'signature') {
      if (questionType !== 'photo') {
        fail(fill(TEXT.appearance, { appearance }));
        continue;
      }
      questionType = 'signature';
    }
    const rowProblems: LocalizedText[] = [];
    for (const column of UNSUPPORTED_COLUMNS) {
      if (survey.get(cells, column)) rowProblems.push(fill(TEXT.column, { column }));
    }
    const name = survey.get(cells, 'name');
    if (!name) rowProblems.push(TEXT.noName);
    const label = survey.text(cells, 'label');
    if (!label) rowProblems.push(TEXT.noLabel);
    const requiredText = survey.get(cells, 'required').toLowerCase();
    const required = /^(yes|true|true\(\)|1)$/.test(requiredText);
    if (requiredText && !required && !/^(no|false|false\(\)|0)$/.test(requiredText)) {
      rowProblems.push(fill(TEXT.required, { value: requiredText }));
    }
    const expression = (column: 'relevant' | 'constraint'): string | undefined => {
      const source = survey.get(cells, column);
      if (!source) return undefined;
      try {
        parseFormExpression(source);
      } catch (error) {
        if (!(error instanceof FormExpressionError)) throw error;
        rowProblems.push({
          zh: fill(TEXT.expression, { column, reason: error.problem.zh }).zh,
          en: fill(TEXT.expression, { column, reason: error.problem.en }).en,
        });
      }
      return source;
    };
    const relevant = expression('relevant');
    const constraint = expression('constraint');
    let choices: Choice[] | undefined;
    if (choice) {
      choices = lists.get(listName);
      if (!choices) rowProblems.push(fill(TEXT.noList, { list: listName }));
    }
    const registryField = survey.get(cells, 'registry_field');
    if (registryField && !(REGISTRY_FIELDS as readonly string[]).includes(registryField)) {
      rowProblems.push(
        fill(TEXT.registryField, { value: registryField, fields: REGISTRY_FIELDS.join(', ') }),
      );
    }
    if (rowProblems.length) {
      for (const reason of rowProblems) fail(reason);
      continue;
    }
    const hint = survey.text(cells, 'hint');
    const constraintMessage = survey.text(cells, 'constraint_message');
    parsed.questions.push({
      name,
      type: questionType,
      label: label as FormText,
      required,
      ...(hint ? { hint } : {}),
      ...(relevant ? { relevant } : {}),
      ...(constraint ? { constraint } : {}),
      ...(constraintMessage ? { constraintMessage } : {}),
      ...(choices ? { choices } : {}),
      ...(registryField ? { registryField: registryField as RegistryField } : {}),
    });
    parsed.questionRows.push(number);
    parsed.questionLists.push(choice ? listName : null);
  }
  return parsed;
}

/** The choice lists by name; a row without a list or a value is a problem. */
function readChoices(sheet: Sheet | undefined, parsed: ParsedXlsform): Map<string, Choice[]> {
  const lists = new Map<string, Choice[]>();
  if (!sheet) return lists;
  for (const { number, cells } of sheet.rows) {
    const list = sheet.get(cells, 'list_name');
    const value = sheet.get(cells, 'name');
    if (!list || !value) {
      parsed.problems.push({ sheet: 'choices', row: number, reason: TEXT.choiceMissing });
      continue;
    }
    const label = sheet.text(cells, 'label') ?? { zh: value };
    const categoryCode = sheet.get(cells, 'raises_case');
    const entry: Choice = { value, label, ...(categoryCode ? { raisesCase: { categoryCode } } : {}) };
    lists.set(list, [...(lists.get(list) ?? []), entry]);
    if (!parsed.choiceRows.has(`${list} ${value}`)) parsed.choiceRows.set(`${list} ${value}`, number);
  }
  return lists;
}
