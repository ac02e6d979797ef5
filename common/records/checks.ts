/**
 * The small checks every facility-document validator is built from. Import-free apart from a type, and free of
 * Node and browser globals, because the same code is bundled into the facility design document and runs inside
 * `validate_doc_update`. Each check pushes `{field, message}` onto a list instead of throwing: a form shows every
 * problem next to its field at once, and no input — `null`, an array, a number — can make a validator throw.
 * Messages are Russian: staff read them next to the field named.
 */
import type { ValidationError } from '../reference/validation.ts';

export type { ValidationError };

export type Fields = Record<string, unknown>;

/** Top-level fields CouchDB and replication add to any document. `_attachments` is not one: it could hide text. */
export const META_FIELDS = ['_id', '_rev', '_revisions', '_deleted'] as const;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;
const KEY_ID = /^[a-z0-9][a-z0-9-]{0,62}:[1-9]\d*$/;
/** Staff logins, as the administration API accepts them (server/admin/validation.ts). */
const LOGIN = /^[a-z0-9][a-z0-9._-]{1,63}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isText(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

export function isOneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).indexOf(value) !== -1;
}

/** A real calendar date written `YYYY-MM-DD` (2026-02-30 is not one). */
export function isDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = DATE.exec(value);
  if (!match) return false;
  const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return day.toISOString().slice(0, 10) === value;
}

export function isIsoTime(value: unknown): value is string {
  return typeof value === 'string' && ISO_TIME.test(value) && !isNaN(Date.parse(value));
}

export function isLogin(value: unknown): value is string {
  return typeof value === 'string' && LOGIN.test(value);
}

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

export function isInteger(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Math.floor(value) === value && value >= min && value <= max;
}

export function isPositiveNumber(value: unknown): value is number {
  return typeof value === 'number' && isFinite(value) && value > 0;
}

/** `{v: 1, kid: "<facilityId>:<epoch>", iv, ct}` and nothing else — the stored form of any sealed text. */
export function isSealed(value: unknown): boolean {
  if (!isRecord(value)) return false;
  for (const key in value) if (['v', 'kid', 'iv', 'ct'].indexOf(key) === -1) return false;
  return (
    value.v === 1 &&
    typeof value.kid === 'string' &&
    KEY_ID.test(value.kid) &&
    typeof value.iv === 'string' &&
    BASE64URL.test(value.iv) &&
    typeof value.ct === 'string' &&
    BASE64URL.test(value.ct)
  );
}

export function sealedErrors(value: unknown, field: string, errors: ValidationError[]): void {
  if (!isSealed(value)) {
    errors.push({ field, message: 'Текст хранится только зашифрованным ({v: 1, kid, iv, ct}).' });
  }
}

/** Refuses fields a type does not know: a client must not slip readable text in beside the record. */
export function unknownFieldErrors(
  value: Fields,
  known: readonly string[],
  path: string,
  errors: ValidationError[],
): void {
  for (const key in value) {
    if (known.indexOf(key) === -1) {
      errors.push({ field: path === '' ? key : path + '.' + key, message: 'Неизвестное поле.' });
    }
  }
}

export function notObject(field = ''): ValidationError[] {
  return [{ field, message: 'Документ должен быть объектом.' }];
}

/** The `_id` is `<type>:<key…>` with the parts `keyPatterns` describe (one pattern per `:`-separated part). */
export function idErrors(doc: Fields, type: string, keyPatterns: RegExp[], example: string): ValidationError[] {
  const id = doc._id;
  const parts = typeof id === 'string' ? id.split(':') : [];
  const ok =
    parts.length === keyPatterns.length + 1 &&
    parts[0] === type &&
    keyPatterns.every((pattern, index) => pattern.test(parts[index + 1] ?? ''));
  const errors: ValidationError[] = [];
  if (!ok) errors.push({ field: '_id', message: 'Идентификатор должен иметь вид «' + example + '».' });
  if (doc.type !== type) errors.push({ field: 'type', message: 'Тип документа должен быть «' + type + '».' });
  return errors;
}

/** `createdBy/At` always; `updatedBy/At` together or not at all. */
export function authorshipErrors(doc: Fields, errors: ValidationError[]): void {
  if (!isLogin(doc.createdBy)) errors.push({ field: 'createdBy', message: 'Не указано, кто создал запись.' });
  if (!isIsoTime(doc.createdAt)) errors.push({ field: 'createdAt', message: 'Время создания не в формате ISO 8601.' });
  if (doc.updatedBy !== undefined || doc.updatedAt !== undefined) {
    if (!isLogin(doc.updatedBy)) errors.push({ field: 'updatedBy', message: 'Не указано, кто изменил запись.' });
    if (!isIsoTime(doc.updatedAt)) {
      errors.push({ field: 'updatedAt', message: 'Время изменения не в формате ISO 8601.' });
    }
  }
}

export const AUTHORSHIP_FIELDS = ['createdBy', 'createdAt', 'updatedBy', 'updatedAt'] as const;

/** Pushes an error unless `date` is a date no later than `today` (both `YYYY-MM-DD`). */
export function pastDateErrors(value: unknown, today: string, field: string, errors: ValidationError[]): void {
  if (!isDate(value)) errors.push({ field, message: 'Дата должна иметь вид ГГГГ-ММ-ДД.' });
  else if (value > today) errors.push({ field, message: 'Дата не может быть позже сегодняшней.' });
}

/** The patient id in `patient:<id>`, `visit:<id>:<uuid>`, `prescription:<id>:<uuid>` and in passports. */
export const PATIENT_ID = UUID;
export const UUID_PATTERN = UUID;

/**
 * Reference data a validator may consult. The client passes what its replica of the reference books knows; the
 * design document cannot look anything up and passes nothing, so there only the format is checked.
 */
export interface ReferenceLookups {
  diagnosisExists?: (code: string) => boolean;
  medicamentExists?: (id: string) => boolean;
  districtExists?: (id: string) => boolean;
}

/** ICD-10 category or subcategory as records use them: `C34`, `C34.1`, `C34.10`. */
export const ICD10_CODE = /^[A-Z]\d{2}(\.\d{1,2})?$/;
export const DISTRICT_ID = /^district:[a-z0-9]+(-[a-z0-9]+)*$/;
export const MEDICAMENT_ID = /^medicament:[a-z0-9]+(-[a-z0-9]+)*$/;
export const FACILITY_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
