// pdfmake 0.3 ships no typings for its browser build; only what client/admin/pdf.ts uses is declared here.
declare module 'pdfmake/build/pdfmake.js' {
  interface OutputDocument {
    getBlob(): Promise<Blob>;
    download(fileName?: string): Promise<void>;
  }
  interface PdfMake {
    addVirtualFileSystem(vfs: Record<string, string>): void;
    addFonts(fonts: Record<string, Record<string, string>>): void;
    createPdf(definition: object): OutputDocument;
  }
  const pdfMake: PdfMake;
  export default pdfMake;
}

declare module 'pdfmake/build/vfs_fonts.js' {
  const vfs: Record<string, string>;
  export default vfs;
}
