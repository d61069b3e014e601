/**
 * Lays a PrintDocument out as an A4 PDF with pdfkit. The Chinese font (Noto Sans SC, OFL) comes from an npm
 * package, so the PDF renders the same on a server or laptop without any Chinese system font; pdfkit embeds only
 * the glyphs used (a subset), which keeps a document in the tens of kilobytes.
 */
import PDFDocument from 'pdfkit';
import { PDF_FONT, registerPdfFonts } from '../../../pdf-fonts.ts';
import {
  BLANK_DATE,
  type Block,
  type Cell,
  fitBox,
  KEEP_TOGETHER_ROWS,
  type PrintDocument,
  type SignatureEntry,
} from './layout.ts';

type Pdf = PDFKit.PDFDocument;

const { regular: REGULAR, bold: BOLD } = PDF_FONT;

const MARGINS = { top: 64, bottom: 72, left: 62, right: 62 };
const A4_WIDTH = 595.28;
const WIDTH = A4_WIDTH - MARGINS.left - MARGINS.right;
const LEFT = MARGINS.left;
const BODY_SIZE = 11.5;
const TABLE_SIZE = 10;
const NOTE_SIZE = 8.5;
const PAD = 4;
const BORDER = '#333333';
const SHADE = '#eeeeee';

export async function renderPdf(document: PrintDocument): Promise<Buffer> {
  const pdf = new PDFDocument({
    size: 'A4',
    margins: MARGINS,
    bufferPages: true,
    lang: 'zh-CN',
    info: { Title: document.title, Subject: document.number, Creator: 'gridgov' },
  });
  await registerPdfFonts(pdf);
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    pdf.on('end', resolve);
    pdf.on('error', reject);
  });
  for (const block of document.blocks) drawBlock(pdf, block);
  numberPages(pdf, document.number);
  pdf.end();
  await ended;
  return Buffer.concat(chunks);
}

function bottomLimit(pdf: Pdf): number {
  return pdf.page.height - MARGINS.bottom;
}

/** Starts a new page unless `height` still fits on this one. */
function ensureSpace(pdf: Pdf, height: number): void {
  if (pdf.y + height > bottomLimit(pdf)) pdf.addPage();
}

function drawBlock(pdf: Pdf, block: Block): void {
  switch (block.kind) {
    case 'title':
      pdf
        .font(BOLD)
        .fontSize(20)
        .fillColor('black')
        .text(block.text, LEFT, pdf.y, { width: WIDTH, align: 'center' });
      if (block.subtitle) {
        pdf
          .moveDown(0.2)
          .font(REGULAR)
          .fontSize(13)
          .text(block.subtitle, LEFT, pdf.y, { width: WIDTH, align: 'center' });
      }
      pdf.moveDown(0.6);
      return;
    case 'number':
      pdf.font(REGULAR).fontSize(10.5).text(block.text, LEFT, pdf.y, { width: WIDTH, align: 'right' });
      pdf.moveDown(0.4);
      return;
    case 'heading':
      ensureSpace(pdf, 60);
      pdf.moveDown(0.5).font(BOLD).fontSize(13).text(block.text, LEFT, pdf.y, { width: WIDTH });
      pdf.moveDown(0.3);
      return;
    case 'paragraph':
      pdf
        .font(REGULAR)
        .fontSize(BODY_SIZE)
        .text(block.text, LEFT, pdf.y, {
          width: WIDTH,
          indent: block.indent ? BODY_SIZE * 2 : 0,
          lineGap: 4,
        });
      pdf.moveDown(0.3);
      return;
    case 'table':
      drawTable(pdf, block.widths, block.header, block.rows);
      return;
    case 'signatures':
      drawSignatures(pdf, block.entries);
      return;
    case 'seal':
      ensureSpace(pdf, 70);
      pdf.moveDown(1.5).font(REGULAR).fontSize(BODY_SIZE);
      pdf.text(`${block.office}（盖章）`, LEFT, pdf.y, { width: WIDTH - 24, align: 'right' });
      pdf.moveDown(0.4).text(block.date, LEFT, pdf.y, { width: WIDTH - 24, align: 'right' });
      return;
  }
}

interface PlacedCell {
  cell: Cell;
  x: number;
  width: number;
}

function placeRow(row: Cell[], columns: number[]): PlacedCell[] {
  let column = 0;
  return row.map((cell) => {
    const span = cell.span ?? 1;
    const x = LEFT + columns.slice(0, column).reduce((a, b) => a + b, 0);
    const width = columns.slice(column, column + span).reduce((a, b) => a + b, 0);
    column += span;
    return { cell, x, width };
  });
}

function cellContentHeight(pdf: Pdf, { cell, width }: PlacedCell): number {
  const inner = width - PAD * 2;
  let height = pdf
    .font(cell.bold ? BOLD : REGULAR)
    .fontSize(TABLE_SIZE)
    .heightOfString(cell.text || ' ', { width: inner });
  if (cell.note)
    height += 2 + pdf.font(REGULAR).fontSize(NOTE_SIZE).heightOfString(cell.note, { width: inner });
  return height;
}

function drawRow(pdf: Pdf, placed: PlacedCell[], height: number): void {
  const top = pdf.y;
  for (const p of placed) {
    const { cell, x, width } = p;
    if (cell.shade) pdf.rect(x, top, width, height).fill(SHADE);
    pdf.rect(x, top, width, height).lineWidth(0.6).stroke(BORDER);
    const align = cell.align ?? 'left';
    let y = top + (height - cellContentHeight(pdf, p)) / 2;
    pdf
      .font(cell.bold ? BOLD : REGULAR)
      .fontSize(TABLE_SIZE)
      .fillColor('black');
    pdf.text(cell.text, x + PAD, y, { width: width - PAD * 2, align });
    if (cell.note) {
      y = pdf.y + 2;
      pdf.font(REGULAR).fontSize(NOTE_SIZE).fillColor('#555555');
      pdf.text(cell.note, x + PAD, y, { width: width - PAD * 2, align });
      pdf.fillColor('black');
    }
  }
  pdf.y = top + height;
}

function drawTable(pdf: Pdf, widths: number[], header: string[] | undefined, rows: Cell[][]): void {
  const total = widths.reduce((a, b) => a + b, 0);
  const columns = widths.map((w) => (w / total) * WIDTH);
  const rowHeight = (placed: PlacedCell[]) =>
    Math.max(...placed.map((p) => cellContentHeight(pdf, p))) + PAD * 2;
  const headerRow =
    header &&
    placeRow(
      header.map((text) => ({ text, bold: true, shade: true, align: 'center' })),
      columns,
    );
  const drawHeader = () => headerRow && drawRow(pdf, headerRow, rowHeight(headerRow));
  const headerHeight = headerRow ? rowHeight(headerRow) : 0;
  const placedRows = rows.map((row) => placeRow(row, columns));
  // A short table stays on one page; a long one at least never leaves its header alone at the foot of a page.
  const together = placedRows.length <= KEEP_TOGETHER_ROWS ? placedRows : placedRows.slice(0, 1);
  ensureSpace(
    pdf,
    together.reduce((sum, placed) => sum + rowHeight(placed), headerHeight),
  );
  drawHeader();
  for (const placed of placedRows) {
    const height = rowHeight(placed);
    if (pdf.y + height > bottomLimit(pdf)) {
      pdf.addPage();
      drawHeader();
    }
    drawRow(pdf, placed, height);
  }
  pdf.x = LEFT;
  pdf.moveDown(0.6);
}

const SIGNATURE_BOX = { width: 100, height: 40 };
/** Room kept at the right of each signature line for its date. */
const DATE_COLUMN = 175;

/** One line per signer: label, the line to sign on (with the drawn signature and name on it), the date. */
function drawSignatures(pdf: Pdf, entries: SignatureEntry[]): void {
  pdf.font(REGULAR).fontSize(BODY_SIZE).fillColor('black');
  const labelWidth = Math.max(...entries.map((e) => pdf.widthOfString(`${e.label}：`)));
  const gap = 14;
  ensureSpace(pdf, (SIGNATURE_BOX.height + gap) * entries.length + 30);
  pdf.moveDown(1);
  let lineY = pdf.y;
  const lineStart = LEFT + labelWidth;
  const lineEnd = LEFT + WIDTH - DATE_COLUMN - 12;
  for (const entry of entries) {
    lineY += SIGNATURE_BOX.height;
    const textY = lineY - BODY_SIZE - 5;
    pdf.text(`${entry.label}：`, LEFT, textY, { lineBreak: false });
    pdf.moveTo(lineStart, lineY).lineTo(lineEnd, lineY).lineWidth(0.6).stroke(BORDER);
    let nameX = lineStart + 6;
    if (entry.image) {
      const box = fitBox(entry.image.width, entry.image.height, SIGNATURE_BOX.width, SIGNATURE_BOX.height);
      pdf.image(Buffer.from(entry.image.png), nameX, lineY - box.height - 1, box);
      nameX += box.width + 6;
    }
    if (entry.name) pdf.text(entry.name, nameX, textY, { width: lineEnd - nameX, lineBreak: false });
    pdf.text(`日期：${entry.date ?? BLANK_DATE}`, LEFT + WIDTH - DATE_COLUMN, textY, { lineBreak: false });
    lineY += gap;
  }
  pdf.x = LEFT;
  pdf.y = lineY;
}

/** "JC-2026-000123　第 1 页 共 2 页" at the foot of every page, once the page count is known. */
function numberPages(pdf: Pdf, number: string): void {
  const range = pdf.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    pdf.switchToPage(i);
    // Writing below the bottom margin would otherwise make pdfkit open a new page.
    const bottom = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0;
    pdf
      .font(REGULAR)
      .fontSize(9)
      .fillColor('#444444')
      .text(`${number}　　第 ${i + 1} 页 共 ${range.count} 页`, LEFT, pdf.page.height - 44, {
        width: WIDTH,
        align: 'center',
        lineBreak: false,
      });
    pdf.page.margins.bottom = bottom;
  }
  pdf.flushPages();
}
