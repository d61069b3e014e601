/**
 * A bulletin's tables as a workbook (exceljs): the overview figures, then each table of the bulletin on its own
 * sheet, as printed. Deterministic like the other files: the workbook's dates and the zip entries carry the
 * bulletin's stamp. Cells are text or numbers the bulletin computed, never formulas.
 */
import ExcelJS from 'exceljs';
import { safeCsvCell } from '../../../csv.ts';
import type { Block, BulletinDocument } from './layout.ts';
import { fixZipTimes } from './zip-times.ts';

/** Sheet names: at most 31 characters, none of : \ / ? * [ ]. */
const sheetName = (title: string, used: Set<string>) => {
  const base = title.replace(/[:\\/?*[\]]/g, ' ').slice(0, 28);
  let name = base;
  for (let n = 2; used.has(name); n++) name = `${base} ${n}`;
  used.add(name);
  return name;
};

export async function renderBulletinXlsx(document: BulletinDocument): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'gridgov';
  workbook.lastModifiedBy = 'gridgov';
  workbook.created = document.stamp;
  workbook.modified = document.stamp;
  workbook.title = document.title;
  const used = new Set<string>();
  const masthead = document.blocks.find((b) => b.kind === 'masthead');
  const overview = workbook.addWorksheet(
    sheetName(masthead?.kind === 'masthead' ? masthead.number : 'Overview', used),
  );
  overview.getColumn(1).width = 120;
  if (masthead?.kind === 'masthead') {
    overview.addRow([safeCsvCell(masthead.title)]).font = { bold: true, size: 14 };
    overview.addRow([safeCsvCell(`${masthead.number}　${masthead.office}　${masthead.date}`)]);
    if (masthead.draft) overview.addRow([masthead.draft]);
  }
  for (const block of document.blocks) {
    if (block.kind === 'heading') overview.addRow([safeCsvCell(block.text)]).font = { bold: true };
    if (block.kind === 'paragraph' || block.kind === 'note') {
      const row = overview.addRow([safeCsvCell(block.text)]);
      row.alignment = { wrapText: true, vertical: 'top' };
    }
    if (block.kind === 'table') addTable(workbook, block, sheetName(block.title, used));
  }
  return fixZipTimes(Buffer.from(await workbook.xlsx.writeBuffer()), document.stamp);
}

/** Figures that read as numbers ("12", "92.78%", "+1.20") become numbers, so a reader can sort and sum them. */
function cellValue(text: string): string | number {
  if (/^[+−-]?\d+(\.\d+)?$/.test(text)) return Number(text.replace('−', '-'));
  if (/^\d+(\.\d+)?%$/.test(text)) return Number(text.slice(0, -1)) / 100;
  return safeCsvCell(text);
}

function addTable(workbook: ExcelJS.Workbook, block: Extract<Block, { kind: 'table' }>, name: string): void {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  const header = sheet.addRow(block.header);
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEEEEE' } };
  for (const cells of block.rows) {
    const row = sheet.addRow(cells.map(cellValue));
    cells.forEach((text, i) => {
      if (/^\d+(\.\d+)?%$/.test(text)) row.getCell(i + 1).numFmt = '0.00%';
    });
  }
  block.widths.forEach((w, i) => {
    sheet.getColumn(i + 1).width = Math.max(8, Math.min(80, w * 1.4));
  });
}
