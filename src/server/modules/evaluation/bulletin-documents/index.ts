/**
 * A bulletin's files: Word (.docx) laid out as an official document, PDF with an embedded Chinese font, and
 * its tables as a workbook. All three are made from the stored bulletin alone (layout.ts), deterministically.
 */
import type { Bulletin, BulletinFormat } from '../../../../shared/bulletins.ts';
import { renderBulletinDocx } from './docx.ts';
import { bulletinDocument } from './layout.ts';
import { renderBulletinPdf } from './pdf.ts';
import { renderBulletinXlsx } from './xlsx.ts';

export function renderBulletin(bulletin: Bulletin, format: BulletinFormat): Promise<Buffer> {
  const document = bulletinDocument(bulletin);
  switch (format) {
    case 'docx':
      return renderBulletinDocx(document);
    case 'pdf':
      return renderBulletinPdf(document);
    case 'xlsx':
      return renderBulletinXlsx(document);
  }
}
