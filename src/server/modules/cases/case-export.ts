import ExcelJS from 'exceljs';
import { CASE_STATE_LABELS, type CaseState } from '../../../shared/case-workflow.ts';
import { CASE_SOURCE_LABELS, type CaseSummary } from '../../../shared/cases.ts';
import { type Locale, type LocalizedText, localize } from '../../../shared/errors.ts';

/**
 * The case list as filtered, as a spreadsheet (the weekly report starts there). Reporters' names and phones are
 * not in it: a list leaves the system, and who reported is on the case page, behind its audited reveal. Cells
 * are written as text, which spreadsheet programs never run as formulas.
 */

const HEAD = {
  caseNumber: { zh: '案件编号', en: 'Case number' },
  reportedAt: { zh: '上报时间', en: 'Reported' },
  source: { zh: '来源', en: 'Source' },
  category: { zh: '类别', en: 'Category' },
  state: { zh: '状态', en: 'State' },
  grid: { zh: '所属网格', en: 'Grid' },
  department: { zh: '主办部门', en: 'Lead department' },
  due: { zh: '当前环节时限', en: 'Step due' },
  closedAt: { zh: '结案时间', en: 'Closed' },
  address: { zh: '地址', en: 'Address' },
  description: { zh: '问题描述', en: 'Description' },
} as const satisfies Record<string, LocalizedText>;

const beijing = (iso: string | null) =>
  iso ? new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ') : '';

export async function casesWorkbook(rows: readonly CaseSummary[], locale: Locale): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(localize({ zh: '案件', en: 'Cases' }, locale), {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.addRow(Object.values(HEAD).map((h) => localize(h, locale)));
  sheet.getRow(1).font = { bold: true };
  for (const c of rows) {
    sheet.addRow([
      c.caseNumber,
      beijing(c.createdAt),
      localize(CASE_SOURCE_LABELS[c.source], locale),
      `${c.categoryName}（${c.categoryCode}）`,
      localize(CASE_STATE_LABELS[c.state as CaseState] ?? { zh: c.state, en: c.state }, locale),
      c.regionName,
      c.leadDepartmentName ?? '',
      beijing(c.stepDueAt),
      beijing(c.closedAt),
      c.address ?? '',
      c.description,
    ]);
  }
  [16, 17, 10, 24, 14, 22, 18, 17, 17, 28, 60].forEach((width, i) => {
    sheet.getColumn(i + 1).width = width;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
