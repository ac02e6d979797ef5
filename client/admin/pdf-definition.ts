/**
 * The small part of pdfmake's document definition that the administrator's documents use. Builders return plain
 * data, so they are tested without rendering a PDF.
 */
export type PdfContent =
  | string
  | {
      text: string | PdfContent[];
      style?: string;
      bold?: boolean;
      fontSize?: number;
      margin?: number[];
      characterSpacing?: number;
      alignment?: 'left' | 'center' | 'right';
    }
  | { ul: PdfContent[]; margin?: number[] }
  | { ol: PdfContent[]; margin?: number[] }
  | { table: { widths: (string | number)[]; body: PdfContent[][] }; layout?: string; margin?: number[] }
  | { svg: string; width: number; alignment?: 'left' | 'center' | 'right'; margin?: number[] };

export interface PdfDocumentDefinition {
  info: { title: string; author?: string; subject?: string };
  pageSize: 'A4';
  pageMargins: number[];
  content: PdfContent[];
  styles: Record<string, { fontSize?: number; bold?: boolean; margin?: number[]; color?: string }>;
  defaultStyle: { font: 'Roboto'; fontSize: number; lineHeight?: number };
}

export const BASE_STYLES: PdfDocumentDefinition['styles'] = {
  title: { fontSize: 18, bold: true, margin: [0, 0, 0, 12] },
  heading: { fontSize: 13, bold: true, margin: [0, 14, 0, 6] },
  secret: { fontSize: 20, bold: true, margin: [0, 4, 0, 10] },
  muted: { fontSize: 9, color: '#4a555e', margin: [0, 16, 0, 0] },
};

/** A date as people write it in Russia (`29.11.2026`), in the register's time zone of the browser. */
export function russianDate(at: Date): string {
  return new Intl.DateTimeFormat('ru-RU', { day: '2-digit', month: '2-digit', year: 'numeric' }).format(at);
}
