/**
 * Printing: pdfmake (with its Roboto fonts, which have Cyrillic) is loaded only when a document is printed, so the
 * register's first load does not carry ~2 MB of PDF engine and fonts. Nothing here leaves the browser.
 */
import type { PdfDocumentDefinition } from './pdf-definition.ts';

let loading: Promise<{ createPdf(definition: object): { download(fileName?: string): Promise<void> } }> | null = null;

async function loadPdfMake() {
  loading ??= (async () => {
    const [{ default: pdfMake }, { default: vfs }] = await Promise.all([
      import('pdfmake/build/pdfmake.js'),
      import('pdfmake/build/vfs_fonts.js'),
    ]);
    pdfMake.addVirtualFileSystem(vfs);
    pdfMake.addFonts({
      Roboto: {
        normal: 'Roboto-Regular.ttf',
        bold: 'Roboto-Medium.ttf',
        italics: 'Roboto-Italic.ttf',
        bolditalics: 'Roboto-MediumItalic.ttf',
      },
    });
    return pdfMake;
  })();
  try {
    return await loading;
  } catch (error) {
    loading = null;
    throw error;
  }
}

/** Builds the PDF in the browser and hands it to the user as a download named `fileName`. */
export async function downloadPdf(definition: PdfDocumentDefinition, fileName: string): Promise<void> {
  const pdfMake = await loadPdfMake();
  await pdfMake.createPdf(definition).download(fileName);
}
