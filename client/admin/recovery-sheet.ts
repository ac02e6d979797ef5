/**
 * The recovery sheet of a facility: the recovery code as grouped characters and as a QR code, with what it is for
 * and where to keep it. The code is printed once and never stored: losing the sheet and every member's password
 * loses the facility's data.
 */
import qrcode from 'qrcode-generator';
import { BASE_STYLES, russianDate, type PdfDocumentDefinition } from './pdf-definition.ts';

export interface RecoverySheet {
  facilityId: string;
  facilityName: string;
  recoveryCode: string;
  createdAt: Date;
  createdBy: string;
}

/**
 * The QR code of `text` as a standalone SVG (one path of unit squares, a 4-module quiet zone). Recovery codes are
 * Crockford base32 with dashes, all inside the QR alphanumeric alphabet, so the code stays small.
 */
export function qrCodeSvg(text: string): string {
  const qr = qrcode(0, 'M');
  qr.addData(text, /^[0-9A-Z $%*+\-./:]*$/.test(text) ? 'Alphanumeric' : 'Byte');
  qr.make();
  const count = qr.getModuleCount();
  const quiet = 4;
  const size = count + quiet * 2;
  let path = '';
  for (let row = 0; row < count; row += 1) {
    for (let col = 0; col < count; col += 1) {
      if (qr.isDark(row, col)) path += `M${col + quiet},${row + quiet}h1v1h-1z`;
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" width="${size * 4}" height="${size * 4}"><rect width="${size}" height="${size}" fill="#fff"/><path d="${path}" fill="#000"/></svg>`;
}

/** The pdfmake definition of a recovery sheet (pure: no PDF is rendered here). */
export function recoverySheetDefinition(sheet: RecoverySheet): PdfDocumentDefinition {
  return {
    info: { title: `Код восстановления — ${sheet.facilityName}`, subject: 'Регистр паллиативных пациентов' },
    pageSize: 'A4',
    pageMargins: [48, 48, 48, 48],
    defaultStyle: { font: 'Roboto', fontSize: 11, lineHeight: 1.25 },
    styles: BASE_STYLES,
    content: [
      { text: 'Код восстановления учреждения', style: 'title' },
      {
        table: {
          widths: [150, '*'],
          body: [
            ['Учреждение', { text: sheet.facilityName, bold: true }],
            ['Идентификатор', sheet.facilityId],
            ['Создан', `${russianDate(sheet.createdAt)}, администратор ${sheet.createdBy}`],
          ],
        },
        layout: 'lightHorizontalLines',
        margin: [0, 0, 0, 8],
      },
      { text: 'Код', style: 'heading' },
      { text: sheet.recoveryCode, style: 'secret', characterSpacing: 2 },
      { svg: qrCodeSvg(sheet.recoveryCode), width: 180, alignment: 'left', margin: [0, 0, 0, 8] },
      { text: 'Для чего он нужен', style: 'heading' },
      {
        text: 'Данные пациентов учреждения зашифрованы. Если все сотрудники учреждения потеряют свои пароли, только этот код позволит администратору восстановить доступ к данным. Код не хранится ни на сервере, ни в программе: это единственная копия.',
      },
      { text: 'Как хранить', style: 'heading' },
      {
        ul: [
          'Храните лист в сейфе учреждения, в запечатанном конверте с подписью ответственного.',
          'Не фотографируйте и не сканируйте код, не пересылайте его по почте и в мессенджерах.',
          'Если лист утерян или код мог увидеть посторонний, сообщите администратору регистра.',
        ],
      },
      { text: `Распечатано ${russianDate(sheet.createdAt)}.`, style: 'muted' },
    ],
  };
}

/** A file name for the sheet: `vosstanovlenie-<facilityId>.pdf`. */
export function recoverySheetFileName(facilityId: string): string {
  return `vosstanovlenie-${facilityId}.pdf`;
}
