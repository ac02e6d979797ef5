/**
 * The summary report as PDF, built on the server with pdfmake 0.3 and its Roboto fonts (which have Cyrillic).
 * pdfmake may read only the four font files and fetch nothing, so no report content can make it reach the disk or
 * the network. A document can be output once, so every call builds its own and reads it as one Buffer.
 */
import { createRequire } from 'node:module';
import type PdfMake from 'pdfmake';
import type { SummaryReport } from './build-report.ts';

const require = createRequire(import.meta.url);

let ready: typeof PdfMake | null = null;

function pdfMake(): typeof PdfMake {
  if (ready) return ready;
  const engine = require('pdfmake') as typeof PdfMake;
  const fonts = require('pdfmake/fonts/Roboto.js') as { Roboto: Record<string, string> };
  const allowed = new Set(Object.values(fonts.Roboto));
  engine.addFonts(fonts);
  engine.setUrlAccessPolicy(() => false);
  engine.setLocalAccessPolicy((path) => allowed.has(path));
  ready = engine;
  return engine;
}

function russianDate(date: string): string {
  const [year, month, day] = date.split('-');
  return `${day}.${month}.${year}`;
}

/** The document definition: a title, then one table per section, then the footnotes. */
export function summaryPdfDefinition(report: SummaryReport): object {
  const widths = ['*', 34, ...report.columns.map(() => 44)];
  const header = [
    { text: 'Показатель', bold: true },
    { text: 'Ед.', bold: true },
    ...report.columns.map((column) => ({ text: column.name, bold: true, alignment: 'right' })),
  ];
  const content: object[] = [
    { text: report.title, style: 'title' },
    { text: `Период: ${russianDate(report.from)} — ${russianDate(report.to)}`, margin: [0, 0, 0, 8] },
  ];
  for (const section of report.sections) {
    content.push({ text: section.title, style: 'section' });
    if (section.lines.length === 0) {
      content.push({ text: 'Нет данных.', margin: [0, 0, 0, 6] });
      continue;
    }
    content.push({
      table: {
        headerRows: 1,
        widths,
        body: [
          header,
          ...section.lines.map((line) => [
            { text: line.label, margin: [line.level * 8, 0, 0, 0], bold: line.level === 0 },
            line.unit,
            ...line.cells.map((cell) => ({ text: cell.shown, alignment: 'right' })),
          ]),
        ],
      },
      layout: 'lightHorizontalLines',
      margin: [0, 0, 0, 6],
    });
  }
  content.push({ text: 'Примечания', style: 'section' });
  content.push({ ul: report.footnotes, fontSize: 7 });
  return {
    pageSize: 'A4',
    pageOrientation: report.columns.length > 4 ? 'landscape' : 'portrait',
    pageMargins: [28, 28, 28, 28],
    info: { title: report.title },
    defaultStyle: { font: 'Roboto', fontSize: 7.5 },
    styles: {
      title: { fontSize: 13, bold: true, margin: [0, 0, 0, 4] },
      section: { fontSize: 10, bold: true, margin: [0, 8, 0, 3] },
    },
    content,
  };
}

export async function summaryPdf(report: SummaryReport): Promise<Buffer> {
  return pdfMake().createPdf(summaryPdfDefinition(report)).getBuffer();
}
