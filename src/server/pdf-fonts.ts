import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';

/** The Chinese faces every PDF gridgov prints embeds (only the glyphs it uses): Noto Sans SC, regular and bold. */
const FONT_FILES = {
  regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
};

export type PdfFonts = { regular: fontkit.Font; bold: fontkit.Font };
let fonts: Promise<PdfFonts> | undefined;

/**
 * The two faces, read and parsed once per process: parsing the layout tables of a CJK font costs a quarter of
 * a second per face, which a campaign printing a dozen opinions would otherwise pay for each of them.
 */
function loadPdfFonts(): Promise<PdfFonts> {
  const require = createRequire(import.meta.url);
  const open = async (path: string) => {
    const font = fontkit.create(await readFile(require.resolve(path)));
    if (!('layout' in font)) throw new Error(`${path} is a font collection`);
    return font;
  };
  fonts ??= Promise.all([open(FONT_FILES.regular), open(FONT_FILES.bold)]).then(([regular, bold]) => ({
    regular,
    bold,
  }));
  return fonts;
}

/** The names under which `registerPdfFonts` registers the faces on a document. */
export const PDF_FONT = { regular: 'NotoSansSC', bold: 'NotoSansSC-Bold' } as const;

/** Registers the two faces on a pdfkit document, as PDF_FONT.regular and PDF_FONT.bold. */
export async function registerPdfFonts(pdf: PDFKit.PDFDocument): Promise<void> {
  const { regular, bold } = await loadPdfFonts();
  // pdfkit takes a parsed fontkit font as well as a file (PDFFontFactory.open); its types list only files.
  pdf.registerFont(PDF_FONT.regular, regular as unknown as Buffer);
  pdf.registerFont(PDF_FONT.bold, bold as unknown as Buffer);
}
