// pdfmake 0.3 ships no typings; only what server/reports/pdf.ts uses of its Node build is declared here.
declare module 'pdfmake' {
  interface OutputDocument {
    getBuffer(): Promise<Buffer>;
  }
  interface PdfMakeServer {
    addFonts(fonts: Record<string, Record<string, string>>): void;
    setUrlAccessPolicy(callback: (url: string) => boolean): void;
    setLocalAccessPolicy(callback: (path: string) => boolean): void;
    createPdf(definition: object): OutputDocument;
  }
  const pdfMake: PdfMakeServer;
  export default pdfMake;
}
