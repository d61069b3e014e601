import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { type Locale, type LocalizedText, localize, say } from '../../../shared/errors.ts';
import {
  type AccountabilityEntry,
  MAX_TASK_BOOK_TASKS,
  TASK_STATE_LABELS,
  type Task,
  type TaskBook,
} from '../../../shared/task-books.ts';
import { safeCsvCell, unguardCsvCell } from '../../csv.ts';
import { AppError } from '../../errors.ts';
import { readXlsxRows, type SpreadsheetCell } from '../../spreadsheet.ts';

/*
 * A task book as a spreadsheet, both ways: the import reads one row a task (序号, 任务内容, 责任单位, 所在区域,
 * 责任人) through the server's bounded XLSX reader; the exports write the book and the accountability list
 * (问责清单) with the same columns first, so an exported book imports again as it is.
 */

export type TaskField = 'seq' | 'description' | 'department' | 'region' | 'responsible';

/** A data row of the file as text, by field, with the row number the spreadsheet shows. */
export interface TaskSheetRow {
  line: number;
  values: Record<TaskField, string>;
}

const COLUMN: Record<TaskField, LocalizedText> = {
  seq: { zh: '序号', en: 'No.' },
  description: { zh: '任务内容', en: 'Task' },
  department: { zh: '责任单位', en: 'Responsible unit' },
  region: { zh: '所在区域', en: 'Region' },
  responsible: { zh: '责任人', en: 'Responsible person' },
};

/** Headers each field is known by (compared without spaces, asterisks or brackets, case-insensitive). */
const HEADERS: Record<TaskField, readonly string[]> = {
  seq: ['序号', 'no', 'no.', '#'],
  description: ['任务内容', '问题描述', '整改任务', '整改内容', 'task', 'description'],
  department: ['责任单位', '责任部门', 'responsibleunit', 'unit', 'department'],
  region: ['所在区域', '区域', '所在地', 'region'],
  responsible: ['责任人', 'responsibleperson', 'person'],
};
const REQUIRED: readonly TaskField[] = ['description', 'department', 'responsible'];

const TEXT = {
  noHeader: {
    zh: '前 {rows} 行中找不到表头：请在表头写明 序号、任务内容（或 问题描述）、责任单位、所在区域、责任人',
    en: 'no header row in the first {rows} rows: name the columns 序号, 任务内容 (or 问题描述), 责任单位, 所在区域, 责任人',
  },
  missingColumn: { zh: '找不到「{column}」列', en: 'no "{column}" column' },
  noRows: { zh: '文件中没有任务行', en: 'the file has no task rows' },
  tooLarge: { zh: '文件超过 {limit} MB 上限', en: 'the file is larger than the {limit} MB limit' },
  bookSheet: { zh: '任务书', en: 'Task book' },
  accountabilitySheet: { zh: '问责清单', en: 'Accountability' },
  number: { zh: '编号', en: 'Number' },
  deadline: { zh: '完成时限', en: 'Deadline' },
  region: { zh: '区域', en: 'Area' },
  category: { zh: '类别', en: 'Category' },
  issuer: { zh: '下达人', en: 'Issued by' },
  bookNumber: { zh: '任务书编号', en: 'Book number' },
  bookTitle: { zh: '任务书', en: 'Task book' },
  caseNumber: { zh: '案件编号', en: 'Case number' },
  state: { zh: '完成情况', en: 'State' },
  escalated: { zh: '已督办', en: 'Escalated' },
  finishedAt: { zh: '办结时间', en: 'Finished at' },
  daysOverdue: { zh: '逾期天数', en: 'Days overdue' },
  yes: { zh: '是', en: 'yes' },
  no: { zh: '否', en: 'no' },
} as const satisfies Record<string, LocalizedText>;

/** Rows at the top of the sheet where the header row is looked for: the exported book has a title block. */
const HEADER_SEARCH_ROWS = 10;

function fileError(text: LocalizedText, params: Record<string, string | number> = {}): AppError {
  return new AppError('VALIDATION_FAILED', {
    summary: { zh: say(text, 'zh-CN', params), en: say(text, 'en-US', params) },
  });
}

function normalizeHeader(header: string): string {
  return header.replace(/[\s*＊()（）]|必填/g, '').toLowerCase();
}

function textOf(cell: SpreadsheetCell | undefined): string {
  if (cell === undefined) return '';
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  return unguardCsvCell(cell.trim());
}

/** The columns of the fields in a header row, or null when the row names no required field. */
function columnsOf(cells: readonly SpreadsheetCell[]): Partial<Record<TaskField, number>> | null {
  const columns: Partial<Record<TaskField, number>> = {};
  cells.forEach((cell, index) => {
    const header = normalizeHeader(textOf(cell));
    const field = (Object.keys(HEADERS) as TaskField[]).find((f) => HEADERS[f].includes(header));
    if (field && columns[field] === undefined) columns[field] = index;
  });
  return REQUIRED.some((f) => columns[f] !== undefined) ? columns : null;
}

/**
 * The task rows of the first worksheet of an XLSX file: the header row is the first of the top rows that names
 * a required column, and every required column must be there. Bounded in bytes and rows like every upload.
 */
export async function readTaskSheet(bytes: Buffer, maxBytes: number): Promise<TaskSheetRow[]> {
  if (bytes.length > maxBytes) throw fileError(TEXT.tooLarge, { limit: maxBytes / 1024 / 1024 });
  let columns: Partial<Record<TaskField, number>> | null = null;
  const rows: TaskSheetRow[] = [];
  for await (const row of readXlsxRows(Readable.from([bytes]), {
    maxRows: MAX_TASK_BOOK_TASKS,
    headerRows: HEADER_SEARCH_ROWS,
  })) {
    if (!columns) {
      columns = columnsOf(row.cells);
      if (!columns && row.number >= HEADER_SEARCH_ROWS) break;
      if (columns) {
        const found = columns;
        const missing = REQUIRED.filter((f) => found[f] === undefined);
        if (missing.length) {
          throw fileError(TEXT.missingColumn, { column: missing.map((f) => COLUMN[f].zh).join('、') });
        }
      }
      continue;
    }
    const at = columns;
    const values = Object.fromEntries(
      (Object.keys(HEADERS) as TaskField[]).map((f) => [
        f,
        at[f] === undefined ? '' : textOf(row.cells[at[f]]),
      ]),
    ) as Record<TaskField, string>;
    rows.push({ line: row.number, values });
  }
  if (!columns) throw fileError(TEXT.noHeader, { rows: HEADER_SEARCH_ROWS });
  if (rows.length === 0) throw fileError(TEXT.noRows);
  return rows;
}

/** A time as the office reads it: YYYY-MM-DD HH:mm in the calendar's zone. */
export function formatWallTime(at: string | null, timeZone: string): string {
  return at ? new Date(at).toLocaleString('sv-SE', { timeZone, hour12: false }).slice(0, 16) : '';
}

/** Text cells pass `safeCsvCell`: a description written as a formula stays text in whatever opens the file. */
function safeRow(cells: readonly (string | number)[]): (string | number)[] {
  return cells.map((c) => (typeof c === 'number' ? c : safeCsvCell(c)));
}

function finishTable(sheet: ExcelJS.Worksheet, headerRow: number, widths: readonly number[]): void {
  sheet.getRow(headerRow).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: headerRow }];
  widths.forEach((width, i) => {
    sheet.getColumn(i + 1).width = width;
  });
}

const RED: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };

function taskCells(task: Task, locale: Locale, timeZone: string): (string | number)[] {
  return [
    task.caseNumber ?? '',
    localize(TASK_STATE_LABELS[task.state], locale),
    localize(task.escalated ? TEXT.yes : TEXT.no, locale),
    formatWallTime(task.finishedAt, timeZone),
    task.daysOverdue,
  ];
}

/** The book: a title block, then one row a task with its case and standing; overdue tasks in red. */
export async function formatTaskBook(book: TaskBook, locale: Locale, timeZone: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const header = [
    ...(['seq', 'description', 'department', 'region', 'responsible'] as const).map((f) =>
      localize(COLUMN[f], locale),
    ),
    ...(['caseNumber', 'state', 'escalated', 'finishedAt', 'daysOverdue'] as const).map((k) =>
      localize(TEXT[k], locale),
    ),
  ];
  const sheet = workbook.addWorksheet(localize(TEXT.bookSheet, locale));
  sheet.addRow([safeCsvCell(book.title)]).font = { bold: true, size: 14 };
  sheet.addRow(
    safeRow([
      `${localize(TEXT.number, locale)}: ${book.number}`,
      `${localize(TEXT.deadline, locale)}: ${book.deadline}`,
      `${localize(TEXT.region, locale)}: ${book.regionName}`,
      `${localize(TEXT.category, locale)}: ${book.categoryName}`,
      `${localize(TEXT.issuer, locale)}: ${book.issuerName}`,
    ]),
  );
  sheet.addRow([]);
  sheet.addRow(header);
  const headerRow = sheet.rowCount;
  for (const task of book.tasks) {
    const row = sheet.addRow(
      safeRow([
        task.position,
        task.description,
        task.departmentName,
        task.regionName,
        task.responsibleName,
        ...taskCells(task, locale, timeZone),
      ]),
    );
    if (task.state === 'overdue') row.fill = RED;
  }
  finishTable(sheet, headerRow, [6, 50, 20, 20, 12, 20, 12, 8, 18, 10]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The accountability list (问责清单): one row an unfinished task, with its unit, person and days overdue. */
export async function formatAccountability(
  entries: readonly AccountabilityEntry[],
  locale: Locale,
  timeZone: string,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const header = [
    localize(TEXT.bookNumber, locale),
    localize(TEXT.bookTitle, locale),
    localize(TEXT.deadline, locale),
    ...(['seq', 'description', 'department', 'responsible', 'region'] as const).map((f) =>
      localize(COLUMN[f], locale),
    ),
    ...(['caseNumber', 'state', 'escalated', 'finishedAt', 'daysOverdue'] as const).map((k) =>
      localize(TEXT[k], locale),
    ),
  ];
  const sheet = workbook.addWorksheet(localize(TEXT.accountabilitySheet, locale));
  sheet.addRow(header);
  for (const e of entries) {
    const row = sheet.addRow(
      safeRow([
        e.taskBookNumber,
        e.taskBookTitle,
        e.deadline,
        e.position,
        e.description,
        e.departmentName,
        e.responsibleName,
        e.regionName,
        e.caseNumber ?? '',
        localize(TASK_STATE_LABELS[e.state], locale),
        localize(e.escalated ? TEXT.yes : TEXT.no, locale),
        formatWallTime(e.finishedAt, timeZone),
        e.daysOverdue,
      ]),
    );
    if (e.state !== 'doneLate') row.fill = RED;
  }
  finishTable(sheet, 1, [16, 24, 12, 6, 50, 20, 12, 20, 20, 12, 8, 18, 10]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
