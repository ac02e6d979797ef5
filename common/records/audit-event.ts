/**
 * `audit:<login>:<ISO time>:<uuid>` — the facility's append-only journal: who opened a passport, printed, changed
 * or resolved a conflict, when, from which device. It replicates to every member's device, so it may carry no text
 * that could identify anyone: details are flat tokens (ids, revisions, counts, flags). Resolving a conflict keeps
 * the losing revision in `losing`, itself a facility document that passes its own validation.
 */
import {
  META_FIELDS,
  idErrors,
  isIsoTime,
  isLogin,
  isOneOf,
  isRecord,
  notObject,
  unknownFieldErrors,
  type ValidationError,
} from './checks.ts';
import { AUDIT_ACTIONS, type AuditEvent } from './types.ts';

const AUDIT_ID =
  /^audit:([a-z0-9][a-z0-9._-]{1,63}):(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z):([0-9a-f-]{36})$/;
/** Ids, revisions, times, slugs: no spaces, no letters outside ASCII, so no names. */
const TOKEN = /^[A-Za-z0-9:._#@+-]{0,200}$/;
const DEVICE = /^[A-Za-z0-9_-]{1,64}$/;
const REV = /^\d+-[0-9a-f]{1,64}$/;

const AUDIT_FIELDS = [
  ...META_FIELDS,
  'type',
  'action',
  'docId',
  'rev',
  'at',
  'device',
  'details',
  'losing',
  'createdBy',
  'createdAt',
];

/** The login named in an audit event id, or null. */
export function auditLoginOf(id: unknown): string | null {
  if (typeof id !== 'string') return null;
  const match = AUDIT_ID.exec(id);
  return match ? (match[1] ?? null) : null;
}

/**
 * Every structural problem of an audit event. `validateLosing` checks the copy of a losing revision by its own
 * type (the facility validation passes itself in, so this module needs no other document type).
 */
export function validateAuditEvent(
  doc: unknown,
  validateLosing?: (losing: unknown) => ValidationError[],
): ValidationError[] {
  if (!isRecord(doc)) return notObject();
  const errors = idErrors(doc, 'audit', [], 'audit:<login>:<ISO time>:<uuid>').filter((error) => error.field !== '_id');
  const match = typeof doc._id === 'string' ? AUDIT_ID.exec(doc._id) : null;
  if (!match || isNaN(Date.parse(match[2] ?? ''))) {
    errors.push({ field: '_id', message: 'Идентификатор должен иметь вид «audit:<login>:<ISO time>:<uuid>».' });
  }
  unknownFieldErrors(doc, AUDIT_FIELDS, '', errors);
  if (!isOneOf(doc.action, AUDIT_ACTIONS)) errors.push({ field: 'action', message: 'Неизвестное действие.' });
  if (doc.docId !== undefined && !(typeof doc.docId === 'string' && /^[a-z]+:[^\s]+$/.test(doc.docId))) {
    errors.push({ field: 'docId', message: 'Идентификатор документа вида «<тип>:…».' });
  }
  if (doc.rev !== undefined && !(typeof doc.rev === 'string' && REV.test(doc.rev))) {
    errors.push({ field: 'rev', message: 'Ревизия вида «3-abc…».' });
  }
  if (!isIsoTime(doc.at)) errors.push({ field: 'at', message: 'Время события не в формате ISO 8601.' });
  if (doc.device !== undefined && !(typeof doc.device === 'string' && DEVICE.test(doc.device))) {
    errors.push({ field: 'device', message: 'Устройство — латинские буквы, цифры, «-» и «_».' });
  }
  if (doc.details !== undefined) {
    const details = doc.details;
    if (!isRecord(details)) errors.push({ field: 'details', message: 'Подробности — плоский объект.' });
    else {
      for (const key in details) {
        const value = details[key];
        const ok =
          /^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(key) &&
          (value === null ||
            typeof value === 'boolean' ||
            (typeof value === 'number' && isFinite(value)) ||
            (typeof value === 'string' && TOKEN.test(value)));
        if (!ok) {
          errors.push({ field: 'details.' + key, message: 'Только идентификаторы, числа и флаги — никакого текста.' });
        }
      }
    }
  }
  if (doc.losing !== undefined) {
    if (doc.action !== 'conflict-resolved') {
      errors.push({ field: 'losing', message: 'Копия проигравшей версии — только при разрешении конфликта.' });
    } else if (
      !isRecord(doc.losing) ||
      doc.losing._id !== doc.docId ||
      typeof doc.losing.type !== 'string' ||
      doc.losing.type === 'audit'
    ) {
      errors.push({ field: 'losing', message: 'Копия проигравшей версии — документ, названный в docId.' });
    } else if (validateLosing) {
      for (const error of validateLosing(doc.losing)) {
        errors.push({ field: 'losing.' + error.field, message: error.message });
      }
    }
  }
  if (!isLogin(doc.createdBy) || (match !== null && doc.createdBy !== match[1])) {
    errors.push({ field: 'createdBy', message: 'Автор события — логин из его идентификатора.' });
  }
  if (!isIsoTime(doc.createdAt)) errors.push({ field: 'createdAt', message: 'Время создания не в формате ISO 8601.' });
  return errors;
}

export function isAuditEvent(doc: unknown): doc is AuditEvent {
  return validateAuditEvent(doc).length === 0;
}
