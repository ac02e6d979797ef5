/**
 * Valid documents of facility `a`, one per type, for the tests of common/records and of the facility design
 * document (imported only by tests). Every test starts from one of these and breaks one thing.
 */
import type {
  AuditEvent,
  PassportData,
  PassportDoc,
  PatientRecord,
  Prescription,
  SealedDocument,
  Visit,
} from './types.ts';

export const TODAY = '2026-11-29';
export const PATIENT_ID = '3f0c6a52-8d1e-4b7a-9c2f-5e6d7a8b9c0d';
const UUID_1 = '9b2e4c1a-0f3d-4e5b-8a6c-7d8e9f0a1b2c';
const UUID_2 = 'c4d5e6f7-a8b9-4c0d-9e1f-2a3b4c5d6e7f';

/** A sealed value of facility `a` under `epoch`: the envelope only (what a store sees). */
export function sealed(epoch = 1, facilityId = 'a'): SealedDocument {
  return { v: 1, kid: `${facilityId}:${epoch}`, iv: 'AAECAwQFBgcICQoL', ct: 'Y2lwaGVydGV4dC1hbmQtdGFn' };
}

export function passportData(): PassportData {
  return {
    patientId: PATIENT_ID,
    surname: 'Иванова',
    name: 'Мария',
    patronymic: 'Петровна',
    birthDate: '1948-03-14',
    sex: 'female',
    snils: '112-233-445 95',
    omsPolicy: '1000000000000001',
    identityDocument: { kind: 'passport-rf', series: '8601', number: '123456', issuedOn: '2005-06-01' },
    address: { text: 'Петрозаводск, ул. Ленина, 1', districtId: 'district:petrozavodsk' },
    phones: ['+79111234567'],
    legalRepresentative: { name: 'Иванов Пётр', relation: 'сын', phone: '+79217654321' },
    caregivers: [{ name: 'Иванов Пётр', relation: 'сын' }],
  };
}

export function passportDoc(): PassportDoc {
  return { _id: `passport:${UUID_1}`, type: 'passport', ...sealed() };
}

export function patientRecord(): PatientRecord {
  return {
    _id: `patient:${PATIENT_ID}`,
    type: 'patient',
    sex: 'female',
    birthYear: 1948,
    districtId: 'district:petrozavodsk',
    diseaseGroup: 'cancer',
    diagnoses: [
      { code: 'C34.1', role: 'main', since: '2026-05-10' },
      { code: 'C78.7', role: 'complication' },
    ],
    eligibility: 'incurable-cancer',
    inclusionDate: '2026-11-01',
    statusHistory: [
      { from: '2026-11-01', status: 'pending' },
      { from: '2026-11-02', status: 'active' },
    ],
    careSettingHistory: [{ from: '2026-11-01', setting: 'home' }],
    needsHistory: [
      {
        from: '2026-11-01',
        needs: { 'functional-bed': { needed: true, met: false }, wheelchair: { needed: true, met: true } },
      },
    ],
    caregiver: 'partial',
    createdBy: 'olga',
    createdAt: '2026-11-01T09:00:00.000Z',
  };
}

export function visit(): Visit {
  return {
    _id: `visit:${PATIENT_ID}:${UUID_1}`,
    type: 'visit',
    date: '2026-11-28',
    visitType: 'home',
    performer: 'nina',
    performerRole: 'nurse',
    ecog: 3,
    karnofsky: 40,
    pps: 40,
    pain: 5,
    esas: { pain: 5, tiredness: 7, wellbeing: 6 },
    syndromes: ['pain', 'constipation'],
    needsNoticed: ['anti-decubitus-mattress'],
    note: sealed(),
    createdBy: 'nina',
    createdAt: '2026-11-28T12:00:00.000Z',
  };
}

export function prescription(): Prescription {
  return {
    _id: `prescription:${PATIENT_ID}:${UUID_2}`,
    type: 'prescription',
    medicamentId: 'medicament:morphine-tablets-prolonged-30mg',
    dose: 30,
    doseUnit: 'mg',
    route: 'oral',
    timesPerDay: 2,
    regimen: 'regular',
    start: '2026-11-20',
    end: '2026-12-19',
    quantity: 60,
    prescriptionForm: '107/у-НП',
    number: sealed(),
    prescriber: 'olga',
    status: 'active',
    createdBy: 'olga',
    createdAt: '2026-11-20T10:00:00.000Z',
  };
}

export function auditEvent(login = 'nina'): AuditEvent {
  return {
    _id: `audit:${login}:2026-11-29T09:00:00.000Z:${UUID_1}`,
    type: 'audit',
    action: 'passport-opened',
    docId: `passport:${UUID_1}`,
    at: '2026-11-29T09:00:00.000Z',
    device: 'tablet-7f3a',
    createdBy: login,
    createdAt: '2026-11-29T09:00:00.000Z',
  };
}

/** A deep copy with `change` applied to it, for "break one thing" cases (any field may be added or broken). */
export function changed<T>(doc: T, change: (copy: T & Record<string, unknown>) => void): T {
  const copy = JSON.parse(JSON.stringify(doc)) as T & Record<string, unknown>;
  change(copy);
  return copy;
}

/** The entry at `index`, which the test knows is there. */
export function nth<T>(list: readonly T[], index: number): T {
  const entry = list[index];
  if (entry === undefined) throw new Error(`no entry ${index}`);
  return entry;
}

/**
 * The same document under a new random id (the patient id kept for visits and prescriptions), for tests that write
 * several into one database.
 */
export function withFreshId<T extends { _id: string }>(doc: T): T {
  const parts = doc._id.split(':');
  const fresh =
    parts[0] === 'audit'
      ? doc._id.replace(/[0-9a-f-]{36}$/, crypto.randomUUID())
      : [...parts.slice(0, -1), crypto.randomUUID()].join(':');
  return { ...doc, _id: fresh };
}
