/**
 * Passports: the patient's identity, sealed on the device (ARCHITECTURE.md, "Keys"). Two checks live here. The
 * plaintext (`validatePassportData`) is checked by the client before it seals it — nobody else ever sees it. The
 * stored document (`validatePassportDoc`) is checked by the client and by the design document, and may hold
 * ciphertext only: any other field is refused, which guards against a client that would upload plaintext.
 */
import {
  DISTRICT_ID,
  META_FIELDS,
  UUID_PATTERN,
  idErrors,
  isDate,
  isOneOf,
  isRecord,
  isSealed,
  isText,
  notObject,
  unknownFieldErrors,
  type Fields,
  type ValidationError,
} from './checks.ts';
import { IDENTITY_DOCUMENT_KINDS, SEXES } from './types.ts';

/** The oldest age the register accepts: an older birth date is a typing error. */
export const MAX_AGE_YEARS = 130;

/**
 * SNILS (11 digits, separators allowed): the last two digits are the checksum of the first nine — the sum of each
 * digit times its weight 9…1, modulo 101, with 100 written as 00. Numbers up to 001-001-998 were issued before the
 * checksum and are accepted as they are.
 */
export function isValidSnils(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const digits = value.replace(/[\s-]/g, '');
  if (!/^\d{11}$/.test(digits)) return false;
  const body = digits.slice(0, 9);
  if (body <= '001001998') return true;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(body.charAt(i)) * (9 - i);
  const check = (sum % 101) % 100;
  return check === Number(digits.slice(9));
}

/**
 * The unified OMS policy number (since 2011): exactly 16 digits. Its check digit is not verified — the Federal
 * Fund's algorithm is not published as a standard, and refusing a real policy would be worse than a typo.
 */
export function isValidOmsPolicy(value: unknown): boolean {
  return typeof value === 'string' && /^\d{16}$/.test(value);
}

/**
 * A phone number in the stored form: Russian numbers `+7` and ten digits (a leading 8 or 7 becomes +7); foreign
 * numbers `+` and 8–15 digits. Returns null when the text is not a phone number.
 */
export function normalisePhone(raw: string): string | null {
  const compact = raw.replace(/[\s()\-.]/g, '');
  if (/^(\+7|8|7)\d{10}$/.test(compact)) return '+7' + compact.slice(-10);
  if (/^\d{10}$/.test(compact) && compact.charAt(0) === '9') return '+7' + compact;
  if (/^\+[1-9]\d{7,14}$/.test(compact)) return compact;
  return null;
}

/** True for a phone already in the stored form. */
export function isNormalisedPhone(value: unknown): boolean {
  return typeof value === 'string' && normalisePhone(value) === value;
}

/** The date `years` before a `YYYY-MM-DD` date (29 February falls back to 28). */
function yearsBefore(date: string, years: number): string {
  const year = String(Number(date.slice(0, 4)) - years).padStart(4, '0');
  const rest = date.slice(4);
  return rest === '-02-29' ? year + '-02-28' : year + rest;
}

function optionalTextErrors(value: Fields, fields: string[], path: string, errors: ValidationError[]): void {
  for (const field of fields) {
    if (value[field] !== undefined && !isText(value[field])) {
      errors.push({ field: path + field, message: 'Пустой текст не допускается.' });
    }
  }
}

function contactErrors(value: unknown, path: string, errors: ValidationError[]): void {
  if (!isRecord(value)) {
    errors.push({ field: path, message: 'Ожидается объект: имя, кем приходится, телефон.' });
    return;
  }
  unknownFieldErrors(value, ['name', 'relation', 'phone'], path, errors);
  if (!isText(value.name)) errors.push({ field: path + '.name', message: 'Укажите имя.' });
  if (!isText(value.relation)) errors.push({ field: path + '.relation', message: 'Укажите, кем приходится.' });
  if (value.phone !== undefined && !isNormalisedPhone(value.phone)) {
    errors.push({ field: path + '.phone', message: 'Телефон в виде +7XXXXXXXXXX.' });
  }
}

function identityDocumentErrors(value: unknown, birthDate: unknown, today: string, errors: ValidationError[]): void {
  const path = 'identityDocument';
  if (!isRecord(value)) {
    errors.push({ field: path, message: 'Ожидается объект документа.' });
    return;
  }
  unknownFieldErrors(value, ['kind', 'series', 'number', 'issuedBy', 'issuedOn'], path, errors);
  if (!isOneOf(value.kind, IDENTITY_DOCUMENT_KINDS)) {
    errors.push({ field: path + '.kind', message: 'Неизвестный вид документа.' });
  }
  if (!isText(value.number)) errors.push({ field: path + '.number', message: 'Укажите номер документа.' });
  optionalTextErrors(value, ['series', 'issuedBy'], path + '.', errors);
  if (value.kind === 'passport-rf') {
    if (value.series !== undefined && !/^\d{4}$/.test(String(value.series).replace(/\s/g, ''))) {
      errors.push({ field: path + '.series', message: 'Серия паспорта РФ — 4 цифры.' });
    }
    if (typeof value.number === 'string' && !/^\d{6}$/.test(value.number)) {
      errors.push({ field: path + '.number', message: 'Номер паспорта РФ — 6 цифр.' });
    }
  }
  if (value.issuedOn !== undefined) {
    if (!isDate(value.issuedOn))
      errors.push({ field: path + '.issuedOn', message: 'Дата должна иметь вид ГГГГ-ММ-ДД.' });
    else if (value.issuedOn > today) {
      errors.push({ field: path + '.issuedOn', message: 'Дата выдачи не может быть позже сегодняшней.' });
    } else if (isDate(birthDate) && value.issuedOn < birthDate) {
      errors.push({ field: path + '.issuedOn', message: 'Документ не мог быть выдан до рождения.' });
    }
  }
}

const PASSPORT_DATA_FIELDS = [
  'patientId',
  'surname',
  'name',
  'patronymic',
  'birthDate',
  'sex',
  'snils',
  'omsPolicy',
  'identityDocument',
  'address',
  'phones',
  'legalRepresentative',
  'caregivers',
];

/** Every problem of a passport's plaintext; `today` is the device's date (`YYYY-MM-DD`). */
export function validatePassportData(data: unknown, today: string): ValidationError[] {
  if (!isRecord(data)) return notObject();
  const errors: ValidationError[] = [];
  unknownFieldErrors(data, PASSPORT_DATA_FIELDS, '', errors);
  if (typeof data.patientId !== 'string' || !UUID_PATTERN.test(data.patientId)) {
    errors.push({ field: 'patientId', message: 'Идентификатор пациента должен быть UUID.' });
  }
  if (!isText(data.surname)) errors.push({ field: 'surname', message: 'Укажите фамилию.' });
  if (!isText(data.name)) errors.push({ field: 'name', message: 'Укажите имя.' });
  optionalTextErrors(data, ['patronymic'], '', errors);
  if (!isDate(data.birthDate)) {
    errors.push({ field: 'birthDate', message: 'Дата рождения должна иметь вид ГГГГ-ММ-ДД.' });
  } else if (data.birthDate > today) {
    errors.push({ field: 'birthDate', message: 'Дата рождения не может быть в будущем.' });
  } else if (isDate(today) && data.birthDate < yearsBefore(today, MAX_AGE_YEARS)) {
    errors.push({ field: 'birthDate', message: 'Возраст больше ' + MAX_AGE_YEARS + ' лет — проверьте дату рождения.' });
  }
  if (!isOneOf(data.sex, SEXES)) errors.push({ field: 'sex', message: 'Укажите пол.' });
  if (data.snils !== undefined && !isValidSnils(data.snils)) {
    errors.push({ field: 'snils', message: 'СНИЛС — 11 цифр с верной контрольной суммой.' });
  }
  if (data.omsPolicy !== undefined && !isValidOmsPolicy(data.omsPolicy)) {
    errors.push({ field: 'omsPolicy', message: 'Единый номер полиса ОМС — 16 цифр.' });
  }
  if (data.identityDocument !== undefined) identityDocumentErrors(data.identityDocument, data.birthDate, today, errors);
  if (data.address !== undefined) {
    const address = data.address;
    if (!isRecord(address)) errors.push({ field: 'address', message: 'Ожидается адрес и район.' });
    else {
      unknownFieldErrors(address, ['text', 'districtId'], 'address', errors);
      if (!isText(address.text)) errors.push({ field: 'address.text', message: 'Укажите адрес.' });
      if (
        address.districtId !== undefined &&
        !(typeof address.districtId === 'string' && DISTRICT_ID.test(address.districtId))
      ) {
        errors.push({ field: 'address.districtId', message: 'Район — запись справочника «district:…».' });
      }
    }
  }
  if (!Array.isArray(data.phones)) errors.push({ field: 'phones', message: 'Телефоны — список.' });
  else {
    data.phones.forEach((phone: unknown, index: number) => {
      if (!isNormalisedPhone(phone)) {
        errors.push({ field: 'phones[' + index + ']', message: 'Телефон в виде +7XXXXXXXXXX.' });
      }
    });
  }
  if (data.legalRepresentative !== undefined) contactErrors(data.legalRepresentative, 'legalRepresentative', errors);
  if (!Array.isArray(data.caregivers)) errors.push({ field: 'caregivers', message: 'Ухаживающие — список.' });
  else
    data.caregivers.forEach((caregiver: unknown, index: number) => {
      contactErrors(caregiver, 'caregivers[' + index + ']', errors);
    });
  return errors;
}

/** `passport:<uuid>` as stored: `{type, v, kid, iv, ct}` besides CouchDB's own fields, and nothing else. */
export function validatePassportDoc(doc: unknown): ValidationError[] {
  if (!isRecord(doc)) return notObject();
  const errors = idErrors(doc, 'passport', [UUID_PATTERN], 'passport:<uuid>');
  for (const key in doc) {
    if (
      (META_FIELDS as readonly string[]).indexOf(key) === -1 &&
      ['type', 'v', 'kid', 'iv', 'ct'].indexOf(key) === -1
    ) {
      errors.push({ field: key, message: 'Паспорт хранится только зашифрованным: поле «' + key + '» недопустимо.' });
    }
  }
  const envelope = { v: doc.v, kid: doc.kid, iv: doc.iv, ct: doc.ct };
  if (!isSealed(envelope)) {
    errors.push({ field: 'ct', message: 'Паспорт должен быть зашифрован: {v: 1, kid, iv, ct}.' });
  }
  return errors;
}
