/**
 * A bulletin as an A4 PDF (pdfkit), with Noto Sans SC embedded (subset) from its npm package, as the
 * inspection documents do, so the Chinese text shows on any machine. Deterministic: the document's dates are
 * the bulletin's stamp, and pdfkit derives the file ID and the font subset's tag from the metadata and the font,
 * so the same bulletin gives the same bytes.
 */
import PDFDocument from 'pdfkit';
import { PDF_FONT, registerPdfFonts } from '../../../pdf-fonts.ts';
import type { Block, BulletinDocument } from './layout.ts';

type Pdf = PDFKit.PDFDocument;

const { regular: REGULAR, bold: BOLD } = PDF_FONT;
const RED = '#c00000';
/** GB/T 9704 margins, roughly: 37 mm top, 35 mm bottom, 28 mm left, 26 mm right. */
const MARGINS = { top: 100, bottom: 90, left: 72, right: 68 };
const A4_WIDTH = 595.28;
const WIDTH = A4_WIDTH - MARGINS.left - MARGINS.right;
const LEFT = MARGINS.left;
const BODY_SIZE = 13;
const TABLE_SIZE = 8.5;
const PAD = 3;

export async function renderBulletinPdf(document: BulletinDocument): Promise<Buffer> {
  const pdf = new PDFDocument({
    size: 'A4',
    margins: MARGINS,
    bufferPages: true,
    lang: 'zh-CN',
    info: {
      Title: document.title,
      Subject: document.number,
      Creator: 'gridgov',
      Producer: 'gridgov',
      CreationDate: document.stamp,
      ModDate: document.stamp,
    },
  });
  await registerPdfFonts(pdf);
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    pdf.on('end', resolve);
    pdf.on('error', reject);
  });
  for (const block of document.blocks) drawBlock(pdf, block, document.language);
  numberPages(pdf);
  pdf.end();
  await ended;
  return Buffer.concat(chunks);
}

const bottomLimit = (pdf: Pdf) => pdf.page.height - MARGINS.bottom;

function ensureSpace(pdf: Pdf, height: number): void {
  if (pdf.y + height > bottomLimit(pdf)) pdf.addPage();
}

function drawBlock(pdf: Pdf, block: Block, language: BulletinDocument['language']): void {
  switch (block.kind) {
    case 'masthead': {
      if (block.draft) {
        pdf
          .font(BOLD)
          .fontSize(10)
          .fillColor('#888888')
          .text(block.draft, LEFT, 60, { width: WIDTH, align: 'right' });
      }
      pdf
        .font(BOLD)
        .fontSize(22)
        .fillColor(RED)
        .text(block.title, LEFT, MARGINS.top, { width: WIDTH, align: 'center' });
      pdf.moveDown(0.3).font(REGULAR).fontSize(14).fillColor('black');
      pdf.text(block.number, LEFT, pdf.y, { width: WIDTH, align: 'center' });
      pdf.moveDown(0.8).fontSize(12);
      const y = pdf.y;
      pdf.text(block.office, LEFT, y, { width: WIDTH / 2 + 60, lineBreak: false });
      pdf.text(block.date, LEFT, y, { width: WIDTH, align: 'right', lineBreak: false });
      const rule = y + 22;
      pdf
        .moveTo(LEFT, rule)
        .lineTo(LEFT + WIDTH, rule)
        .lineWidth(1.5)
        .stroke(RED);
      pdf.fillColor('black');
      pdf.y = rule + 16;
      return;
    }
    case 'heading':
      ensureSpace(pdf, 70);
      pdf
        .moveDown(0.4)
        .font(BOLD)
        .fontSize(BODY_SIZE + 1)
        .fillColor('black');
      pdf.text(block.text, LEFT, pdf.y, { width: WIDTH });
      pdf.moveDown(0.3);
      return;
    case 'paragraph':
      pdf.font(REGULAR).fontSize(BODY_SIZE).fillColor('black');
      pdf.text(block.text, LEFT, pdf.y, {
        width: WIDTH,
        indent: language === 'zh' ? BODY_SIZE * 2 : 0,
        lineGap: 6,
        align: language === 'zh' ? 'justify' : 'left',
      });
      pdf.moveDown(0.3);
      return;
    case 'note':
      pdf.font(REGULAR).fontSize(9).fillColor('#444444');
      pdf.text(block.text, LEFT, pdf.y, { width: WIDTH, lineGap: 2 });
      pdf.fillColor('black').moveDown(0.4);
      return;
    case 'table':
      drawTable(pdf, block);
  }
}

function drawTable(pdf: Pdf, block: Extract<Block, { kind: 'table' }>): void {
  const total = block.widths.reduce((a, b) => a + b, 0);
  const columns = block.widths.map((w) => (w / total) * WIDTH);
  const xs = columns.map((_, i) => LEFT + columns.slice(0, i).reduce((a, b) => a + b, 0));
  const heightOf = (cells: string[], bold: boolean) =>
    Math.max(
      ...cells.map((text, i) =>
        pdf
          .font(bold ? BOLD : REGULAR)
          .fontSize(TABLE_SIZE)
          .heightOfString(text || ' ', { width: (columns[i] ?? 0) - PAD * 2 }),
      ),
    ) +
    PAD * 2;
  const drawRow = (cells: string[], header: boolean) => {
    const height = heightOf(cells, header);
    if (pdf.y + height > bottomLimit(pdf)) {
      pdf.addPage();
      if (!header) drawRow(block.header, true);
    }
    const top = pdf.y;
    cells.forEach((text, i) => {
      const x = xs[i] ?? LEFT;
      const width = columns[i] ?? 0;
      if (header) pdf.rect(x, top, width, height).fill('#eeeeee');
      pdf.rect(x, top, width, height).lineWidth(0.5).stroke('#333333');
      const left = !header && block.leftColumns.includes(i);
      pdf
        .font(header ? BOLD : REGULAR)
        .fontSize(TABLE_SIZE)
        .fillColor('black')
        .text(text, x + PAD, top + PAD, { width: width - PAD * 2, align: left ? 'left' : 'center' });
    });
    pdf.y = top + height;
  };
  ensureSpace(pdf, heightOf(block.header, true) + (block.rows[0] ? heightOf(block.rows[0], false) : 0));
  drawRow(block.header, true);
  for (const row of block.rows) drawRow(row, false);
  pdf.x = LEFT;
  pdf.moveDown(0.5);
}

/** "— 1 —" centred at the foot of every page, as official documents number their pages. */
function numberPages(pdf: Pdf): void {
  const range = pdf.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    pdf.switchToPage(i);
    const bottom = pdf.page.margins.bottom;
    // Writing below the bottom margin would otherwise make pdfkit open a new page.
    pdf.page.margins.bottom = 0;
    pdf
      .font(REGULAR)
      .fontSize(11)
      .fillColor('black')
      .text(`— ${i + 1} —`, LEFT, pdf.page.height - 56, { width: WIDTH, align: 'center', lineBreak: false });
    pdf.page.margins.bottom = bottom;
  }
  pdf.flushPages();
}
