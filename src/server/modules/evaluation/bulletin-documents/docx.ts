/**
 * A bulletin as a Word file (.docx), laid out as Chinese official documents are (GB/T 9704): A4 with 37 / 35 /
 * 28 / 26 mm margins, the title in red 小标宋 二号 over a red rule, the body in 仿宋 三号 on a fixed 28-point line,
 * headings in 黑体, page numbers "— 1 —". The faces are named, not embedded (every WPS and Word install in China
 * has them). Deterministic: the core properties carry the bulletin's stamp and the zip entries its time.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TabStopType,
  TextRun,
  VerticalAlignTable,
  WidthType,
} from 'docx';
import type { Block, BulletinDocument } from './layout.ts';
import { fixZipTimes } from './zip-times.ts';

/** Twips (1/20 pt). */
const PAGE = { width: 11906, height: 16838 };
const MARGIN = { top: 2098, bottom: 1984, left: 1588, right: 1474 };
const TEXT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const RED = 'C00000';

const font = (eastAsia: string) => ({ ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia });
const FANGSONG = font('仿宋_GB2312');
const HEITI = font('黑体');
const XIAOBIAOSONG = font('方正小标宋简体');
/** Half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt, 五号 10.5 pt. */
const SIZE = { title: 44, body: 32, number: 28, table: 20, note: 21 };
/** The body's fixed line: 28 points, as GB/T 9704 sets 22 lines a page. */
const BODY_LINE = { line: 560, lineRule: LineRuleType.EXACT };

export async function renderBulletinDocx(document: BulletinDocument): Promise<Buffer> {
  const doc = new Document({
    title: document.title,
    subject: document.number,
    creator: 'gridgov',
    styles: { default: { document: { run: { font: FANGSONG, size: SIZE.body } } } },
    sections: [
      {
        properties: { page: { size: PAGE, margin: { ...MARGIN, footer: 992 } } },
        footers: { default: pageFooter() },
        children: document.blocks.flatMap((block) => blockElements(block, document.language)),
      },
    ],
  });
  // The core properties docx writes carry the time of writing: these carry the bulletin's stamp instead.
  const core = { path: 'docProps/core.xml', data: coreXml(document) };
  return fixZipTimes(await Packer.toBuffer(doc, false, [core]), document.stamp);
}

const escapeXml = (text: string) =>
  text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );

function coreXml(document: BulletinDocument): string {
  const at = `${document.stamp.toISOString().slice(0, 19)}Z`;
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ' +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${escapeXml(document.title)}</dc:title><dc:subject>${escapeXml(document.number)}</dc:subject>` +
    '<dc:creator>gridgov</dc:creator><cp:lastModifiedBy>gridgov</cp:lastModifiedBy><cp:revision>1</cp:revision>' +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${at}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${at}</dcterms:modified></cp:coreProperties>`
  );
}

function pageFooter(): Footer {
  return new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [
          new TextRun({ font: font('宋体'), size: SIZE.number, children: ['— ', PageNumber.CURRENT, ' —'] }),
        ],
      }),
    ],
  });
}

function blockElements(block: Block, language: BulletinDocument['language']): (Paragraph | Table)[] {
  switch (block.kind) {
    case 'masthead':
      return [
        ...(block.draft
          ? [
              new Paragraph({
                alignment: AlignmentType.RIGHT,
                children: [
                  new TextRun({ text: block.draft, font: HEITI, size: SIZE.table, color: '888888' }),
                ],
              }),
            ]
          : []),
        new Paragraph({
          alignment: AlignmentType.CENTER,
          spacing: { after: 120, line: 700, lineRule: LineRuleType.AT_LEAST },
          children: [
            new TextRun({ text: block.title, font: XIAOBIAOSONG, size: SIZE.title, color: RED, bold: true }),
          ],
        }),
        new Paragraph({
          alignment: AlignmentType.CENTER,
          spacing: { after: 240 },
          children: [new TextRun({ text: block.number, size: SIZE.body })],
        }),
        // Office at the left, date at the right, over the red rule that closes the masthead.
        new Paragraph({
          tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH }],
          border: { bottom: { style: BorderStyle.SINGLE, size: 18, color: RED, space: 6 } },
          spacing: { after: 360 },
          children: [
            new TextRun({ text: block.office, size: SIZE.number }),
            new TextRun({ text: `\t${block.date}`, size: SIZE.number }),
          ],
        }),
      ];
    case 'heading':
      return [
        new Paragraph({
          keepNext: true,
          indent: { firstLine: SIZE.body * 20 },
          spacing: BODY_LINE,
          children: [new TextRun({ text: block.text, font: HEITI, size: SIZE.body })],
        }),
      ];
    case 'paragraph':
      return [
        new Paragraph({
          alignment: language === 'zh' ? AlignmentType.JUSTIFIED : AlignmentType.LEFT,
          indent: language === 'zh' ? { firstLine: SIZE.body * 20 } : undefined,
          spacing: BODY_LINE,
          children: [new TextRun(block.text)],
        }),
      ];
    case 'note':
      return [
        new Paragraph({
          spacing: { before: 60, after: 120 },
          children: [new TextRun({ text: block.text, size: SIZE.note, color: '444444' })],
        }),
      ];
    case 'table':
      return [table(block), new Paragraph({ spacing: { after: 120 } })];
  }
}

function table(block: Extract<Block, { kind: 'table' }>): Table {
  const total = block.widths.reduce((a, b) => a + b, 0);
  const columns = block.widths.map((w) => Math.floor((w / total) * TEXT_WIDTH));
  const row = (cells: string[], header: boolean) =>
    new TableRow({
      tableHeader: header,
      cantSplit: true,
      children: cells.map(
        (text, i) =>
          new TableCell({
            width: { size: columns[i] ?? 0, type: WidthType.DXA },
            verticalAlign: VerticalAlignTable.CENTER,
            margins: { top: 40, bottom: 40, left: 60, right: 60 },
            ...(header ? { shading: { type: ShadingType.CLEAR, fill: 'EEEEEE', color: 'auto' } } : {}),
            children: [
              new Paragraph({
                alignment:
                  !header && block.leftColumns.includes(i) ? AlignmentType.LEFT : AlignmentType.CENTER,
                children: [
                  new TextRun({ text, size: SIZE.table, bold: header, font: header ? HEITI : FANGSONG }),
                ],
              }),
            ],
          }),
      ),
    });
  return new Table({
    layout: TableLayoutType.FIXED,
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: columns,
    rows: [row(block.header, true), ...block.rows.map((cells) => row(cells, false))],
  });
}
