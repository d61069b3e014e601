/**
 * Lays a PrintDocument out as a Word (.docx) file with the `docx` package: A4 with the margins of Chinese
 * official documents, 宋体 for the body and 黑体 for titles (the faces every Word and WPS install has; the file
 * names them rather than embedding 10 MB of font), tables that repeat their header row, page numbers in the footer.
 */
import {
  AlignmentType,
  Document,
  Footer,
  ImageRun,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableBorders,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
} from 'docx';
import {
  BLANK_DATE,
  type Block,
  type Cell,
  fitBox,
  KEEP_TOGETHER_ROWS,
  type PrintDocument,
  type SignatureEntry,
} from './layout.ts';

/** Twips (1/20 pt): A4, margins 37 / 35 / 28 / 26 mm as GB/T 9704 sets them for official documents. */
const PAGE = { width: 11906, height: 16838 };
const MARGIN = { top: 2098, bottom: 1984, left: 1588, right: 1474 };
const TEXT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;

const BODY = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '宋体' };
const HEADING = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '黑体' };
/** Half-points. */
const BODY_SIZE = 24;
const TABLE_SIZE = 20;
const NOTE_SIZE = 18;

export async function renderDocx(document: PrintDocument): Promise<Buffer> {
  const doc = new Document({
    title: document.title,
    subject: document.number,
    creator: 'gridgov',
    styles: { default: { document: { run: { font: BODY, size: BODY_SIZE } } } },
    sections: [
      {
        properties: { page: { size: PAGE, margin: { ...MARGIN, footer: 992 } } },
        footers: { default: pageFooter(document.number) },
        children: document.blocks.flatMap(blockElements),
      },
    ],
  });
  return Packer.toBuffer(doc);
}

function pageFooter(number: string): Footer {
  return new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [
          new TextRun({
            size: NOTE_SIZE,
            children: [`${number}　　第 `, PageNumber.CURRENT, ' 页 共 ', PageNumber.TOTAL_PAGES, ' 页'],
          }),
        ],
      }),
    ],
  });
}

function blockElements(block: Block): (Paragraph | Table)[] {
  switch (block.kind) {
    case 'title':
      return [
        new Paragraph({
          alignment: AlignmentType.CENTER,
          spacing: { after: block.subtitle ? 80 : 240 },
          children: [new TextRun({ text: block.text, font: HEADING, size: 36, bold: true })],
        }),
        ...(block.subtitle
          ? [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                spacing: { after: 240 },
                children: [new TextRun({ text: block.subtitle, size: 26 })],
              }),
            ]
          : []),
      ];
    case 'number':
      return [
        new Paragraph({
          alignment: AlignmentType.RIGHT,
          spacing: { after: 120 },
          children: [new TextRun({ text: block.text, size: TABLE_SIZE })],
        }),
      ];
    case 'heading':
      return [
        new Paragraph({
          keepNext: true,
          spacing: { before: 240, after: 120 },
          children: [new TextRun({ text: block.text, font: HEADING, size: 26, bold: true })],
        }),
      ];
    case 'paragraph':
      return [
        new Paragraph({
          spacing: { after: 80, line: 360 },
          indent: block.indent ? { firstLine: BODY_SIZE * 20 } : undefined,
          children: [new TextRun(block.text)],
        }),
      ];
    case 'table':
      return [table(block.widths, block.header, block.rows), new Paragraph({ spacing: { after: 120 } })];
    case 'signatures':
      return [new Paragraph({ spacing: { before: 360 } }), signatureTable(block.entries)];
    case 'seal':
      return [`${block.office}（盖章）`, block.date].map(
        (text, i) =>
          new Paragraph({
            alignment: AlignmentType.RIGHT,
            indent: { right: 480 },
            spacing: { before: i === 0 ? 600 : 120 },
            children: [new TextRun(text)],
          }),
      );
  }
}

/** `keepNext` holds a row on the page of the row after it: how Word keeps a short table together. */
function cellParagraphs(cell: Cell, keepNext: boolean): Paragraph[] {
  const alignment = cell.align === 'center' ? AlignmentType.CENTER : AlignmentType.LEFT;
  return [
    new Paragraph({
      alignment,
      keepNext,
      children: [new TextRun({ text: cell.text, size: TABLE_SIZE, bold: cell.bold ?? false })],
    }),
    ...(cell.note
      ? [
          new Paragraph({
            alignment,
            keepNext,
            spacing: { before: 40 },
            children: [new TextRun({ text: cell.note, size: NOTE_SIZE, color: '555555' })],
          }),
        ]
      : []),
  ];
}

function table(widths: number[], header: string[] | undefined, rows: Cell[][]): Table {
  const total = widths.reduce((a, b) => a + b, 0);
  const columns = widths.map((w) => Math.floor((w / total) * TEXT_WIDTH));
  const together = rows.length <= KEEP_TOGETHER_ROWS;
  const row = (cells: Cell[], isHeader: boolean, keepNext: boolean) => {
    let column = 0;
    return new TableRow({
      tableHeader: isHeader,
      cantSplit: true,
      children: cells.map((cell) => {
        const span = cell.span ?? 1;
        const width = columns.slice(column, column + span).reduce((a, b) => a + b, 0);
        column += span;
        return new TableCell({
          children: cellParagraphs(cell, keepNext),
          width: { size: width, type: WidthType.DXA },
          columnSpan: span,
          verticalAlign: VerticalAlignTable.CENTER,
          margins: { top: 60, bottom: 60, left: 60, right: 60 },
          ...(cell.shade ? { shading: { type: ShadingType.CLEAR, fill: 'EEEEEE', color: 'auto' } } : {}),
        });
      }),
    });
  };
  const headerCells = header?.map((text): Cell => ({ text, bold: true, shade: true, align: 'center' }));
  return new Table({
    layout: TableLayoutType.FIXED,
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: columns,
    rows: [
      ...(headerCells ? [row(headerCells, true, true)] : []),
      ...rows.map((cells, i) => row(cells, false, together && i < rows.length - 1)),
    ],
  });
}

/** Pixels at 96 dpi, as ImageRun takes them. */
const SIGNATURE_BOX = { width: 100, height: 40 };
const BLANK_LINE = '　'.repeat(10);
/** Twips kept at the right of each signature line for its date. */
const DATE_COLUMN = 3400;

/** One row per signer: label, the line to sign on (with the drawn signature and name on it), the date. */
function signatureRow(entry: SignatureEntry): TableRow {
  const line: (TextRun | ImageRun)[] = [new TextRun(`${entry.label}：`)];
  if (entry.image) {
    const box = fitBox(entry.image.width, entry.image.height, SIGNATURE_BOX.width, SIGNATURE_BOX.height);
    line.push(new ImageRun({ type: 'png', data: entry.image.png, transformation: box }));
  }
  line.push(new TextRun({ text: entry.name ? `　${entry.name}　` : BLANK_LINE, underline: {} }));
  const cell = (children: (TextRun | ImageRun)[], width: number) =>
    new TableCell({
      width: { size: width, type: WidthType.DXA },
      verticalAlign: VerticalAlignTable.BOTTOM,
      margins: { top: 160, bottom: 80 },
      children: [new Paragraph({ children })],
    });
  return new TableRow({
    cantSplit: true,
    children: [
      cell(line, TEXT_WIDTH - DATE_COLUMN),
      cell([new TextRun(`日期：${entry.date ?? BLANK_DATE}`)], DATE_COLUMN),
    ],
  });
}

function signatureTable(entries: SignatureEntry[]): Table {
  return new Table({
    layout: TableLayoutType.FIXED,
    borders: TableBorders.NONE,
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [TEXT_WIDTH - DATE_COLUMN, DATE_COLUMN],
    rows: entries.map(signatureRow),
  });
}
