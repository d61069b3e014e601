import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { type Locale, type LocalizedText, localize } from '../../../shared/errors.ts';
import { safeCsvRow } from '../../csv.ts';

/** A rejected row as the file had it, with why it was rejected. */
export interface RejectedRowRecord {
  row: number;
  cells: string[];
  reasons: LocalizedText[];
}

export type ReportFormat = 'xlsx' | 'csv';

const COLUMNS = {
  row: { zh: '原行号', en: 'Row' },
  reason: { zh: '未导入原因', en: 'Why not imported' },
  sheet: { zh: '未导入的工单', en: 'Rejected orders' },
} as const;

export function joinReasons(reasons: readonly LocalizedText[], locale: Locale): string {
  return reasons.map((r) => localize(r, locale)).join(locale === 'en-US' ? '; ' : '；');
}

/**
 * The rejected rows with their reasons in front and the file's own columns after them, so the file can be
 * corrected and imported again as it is: the two added columns map to no field.
 */
export async function formatErrorReport(options: {
  headers: readonly string[];
  rows: readonly RejectedRowRecord[];
  locale: Locale;
  format: ReportFormat;
}): Promise<Buffer> {
  const { headers, rows, locale } = options;
  const header = [localize(COLUMNS.row, locale), localize(COLUMNS.reason, locale), ...headers];
  const lines = rows.map((r) => [String(r.row), joinReasons(r.reasons, locale), ...r.cells]);
  if (options.format === 'csv') {
    // The BOM makes Excel open the UTF-8 file as UTF-8 rather than the system code page.
    return Buffer.from(`\uFEFF${stringify([header, ...lines].map(safeCsvRow))}`, 'utf8');
  }
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(localize(COLUMNS.sheet, locale), {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.addRow(header).font = { bold: true };
  for (const line of lines) sheet.addRow(line);
  sheet.getColumn(1).width = 8;
  sheet.getColumn(2).width = 50;
  sheet.getColumn(2).font = { color: { argb: 'FFC00000' } };
  sheet.getColumn(2).alignment = { wrapText: true, vertical: 'top' };
  headers.forEach((_, i) => {
    sheet.getColumn(i + 3).width = 18;
  });
  sheet.getRow(1).font = { bold: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
