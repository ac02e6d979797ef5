/**
 * The enrolment slip handed to a new (or reset) member: login, one-time password, facilities, the date after which
 * the password no longer works, and what to do at first sign-in. Russian, as the people who receive it read it.
 */
import { BASE_STYLES, russianDate, type PdfDocumentDefinition } from './pdf-definition.ts';

export interface EnrolmentSlip {
  login: string;
  displayName: string;
  oneTimePassword: string;
  /** Facility names (not ids): what the member recognises. */
  facilities: string[];
  expiresAt: Date;
  issuedAt: Date;
  /** The register's address, e.g. `https://register.example.ru`. */
  address: string;
}

/** The pdfmake definition of an enrolment slip (pure: no PDF is rendered here). */
export function enrolmentSlipDefinition(slip: EnrolmentSlip): PdfDocumentDefinition {
  const expires = russianDate(slip.expiresAt);
  return {
    info: { title: `Памятка для входа — ${slip.login}`, subject: 'Регистр паллиативных пациентов' },
    pageSize: 'A4',
    pageMargins: [48, 48, 48, 48],
    defaultStyle: { font: 'Roboto', fontSize: 11, lineHeight: 1.25 },
    styles: BASE_STYLES,
    content: [
      { text: 'Регистр паллиативных пациентов', style: 'title' },
      { text: 'Памятка для первого входа', style: 'heading' },
      {
        table: {
          widths: [150, '*'],
          body: [
            ['Сотрудник', slip.displayName],
            ['Имя пользователя', { text: slip.login, bold: true }],
            ['Учреждения', slip.facilities.length > 0 ? slip.facilities.join('\n') : '—'],
            ['Действует до', { text: `${expires} включительно`, bold: true }],
            ['Адрес', slip.address],
          ],
        },
        layout: 'lightHorizontalLines',
        margin: [0, 0, 0, 8],
      },
      { text: 'Одноразовый пароль', style: 'heading' },
      { text: slip.oneTimePassword, style: 'secret', characterSpacing: 1.5 },
      { text: 'Что сделать', style: 'heading' },
      {
        ol: [
          `Откройте ${slip.address} на планшете или компьютере, которым будете пользоваться.`,
          'Введите имя пользователя и одноразовый пароль с этой памятки — вместе с дефисами, маленькими буквами.',
          'Придумайте собственный надёжный пароль: не короче 12 символов, лучше фраза из нескольких слов. Никому его не сообщайте.',
          `Войдите до ${expires}. После этой даты одноразовый пароль не действует — обратитесь к администратору за новым.`,
          'После первого входа уничтожьте эту памятку (порвите или пропустите через шредер).',
        ],
        margin: [0, 0, 0, 8],
      },
      {
        text: `Выдана ${russianDate(slip.issuedAt)}. Если памятка попала к постороннему, сразу сообщите администратору: он выдаст новый пароль, а этот перестанет действовать.`,
        style: 'muted',
      },
    ],
  };
}

/** A file name for the slip: `vhod-<login>.pdf`. */
export function enrolmentSlipFileName(login: string): string {
  return `vhod-${login}.pdf`;
}
