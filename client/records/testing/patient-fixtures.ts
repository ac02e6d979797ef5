/**
 * TEST-ONLY fixtures for the patient pages: the reference books a fresh install starts with (in a memory stand-in
 * of the reference store), lookups over them, valid patient inputs to start from, and a `MemoryRecords` wired to
 * both. Tests fix the device's date (`TODAY`) instead of reading the clock.
 */
import type { District, ReferenceDoc } from '../../../common/reference/types.ts';
import { starterReferenceDocs } from '../../../common/reference/starter-docs.ts';
import { MemoryReferenceStore } from '../../admin/testing/admin-test-context.ts';
import { referenceFrom } from '../../pages/rp-patients-section/patient-reference.ts';
import type { PatientInput } from '../records-api.ts';
import { MemoryRecords, type MedicamentFacts, type MemoryRecordsOptions } from './memory-records.ts';

export const TODAY = '2026-11-29';

export function starterDocs(): ReferenceDoc[] {
  return starterReferenceDocs({ by: 'admin', at: '2026-11-01T08:00:00.000Z' });
}

export function starterReference(): MemoryReferenceStore {
  return new MemoryReferenceStore(starterDocs());
}

/** Lookups (diagnoses, districts, medicaments) over the starter reference books. */
export function starterLookups(): NonNullable<MemoryRecordsOptions['lookups']> {
  const docs = starterDocs();
  const medicaments = new Set(docs.filter((doc) => doc.type === 'medicament').map((doc) => doc._id));
  return {
    ...referenceFrom(
      docs.filter((doc) => doc.type === 'district'),
      docs.filter((doc) => doc.type === 'diagnosis-chunk'),
    ).lookups,
    medicamentExists: (id) => medicaments.has(id),
  };
}

/** The starter medicaments as the prescription filter of `MemoryRecords` needs them. */
export function starterMedicamentFacts(): Map<string, MedicamentFacts> {
  const facts = new Map<string, MedicamentFacts>();
  for (const doc of starterDocs()) {
    if (doc.type === 'medicament') {
      const { innRu, innLatin, atcCode, opioidClass } = doc;
      facts.set(doc._id, { innRu, innLatin, atcCode, opioidClass });
    }
  }
  return facts;
}

/** A `MemoryRecords` on `TODAY` with the starter books' lookups; `options` may change anything. */
export function memoryRecords(options: MemoryRecordsOptions = {}): MemoryRecords {
  return new MemoryRecords({
    today: TODAY,
    lookups: starterLookups(),
    medicaments: starterMedicamentFacts(),
    ...options,
  });
}

export const PETROZAVODSK: District['_id'] = 'district:petrozavodsk';

/** A valid new patient; `change` may alter a copy. */
export function patientInput(change: (input: PatientInput) => void = () => undefined): PatientInput {
  const input: PatientInput = {
    passport: {
      surname: 'Иванова',
      name: 'Мария',
      patronymic: 'Петровна',
      birthDate: '1948-03-14',
      sex: 'female',
      snils: '112-233-445 95',
      omsPolicy: '1000000000000001',
      address: { text: 'Петрозаводск, ул. Ленина, 1', districtId: PETROZAVODSK },
      phones: ['+79111234567'],
      caregivers: [{ name: 'Иванов Пётр', relation: 'сын', phone: '+79217654321' }],
    },
    record: {
      sex: 'female',
      districtId: PETROZAVODSK,
      diseaseGroup: 'cancer',
      diagnoses: [
        { code: 'C34', role: 'main' },
        { code: 'C78', role: 'complication' },
      ],
      eligibility: 'incurable-cancer',
      inclusionDate: '2026-11-01',
      careSetting: 'home',
      needs: { 'functional-bed': { needed: true, met: false } },
      caregiver: 'partial',
    },
  };
  change(input);
  return input;
}

/** A second and third patient for lists and searches. */
export function otherPatients(): PatientInput[] {
  return [
    patientInput((input) => {
      Object.assign(input.passport, {
        surname: 'Петров',
        name: 'Сергей',
        patronymic: 'Иванович',
        birthDate: '1955-07-02',
        sex: 'male',
      });
      delete input.passport.snils;
      delete input.passport.omsPolicy;
      input.record.sex = 'male';
      input.record.diseaseGroup = 'other-progressive';
      input.record.diagnoses = [{ code: 'J44', role: 'main' }];
      input.record.eligibility = 'organ-failure';
      input.record.careSetting = 'hospice';
      input.record.needs = { 'oxygen-concentrator': { needed: true, met: true } };
    }),
    patientInput((input) => {
      Object.assign(input.passport, { surname: 'Сидорова', name: 'Анна', birthDate: '1960-01-20' });
      delete input.passport.snils;
      delete input.passport.omsPolicy;
      input.record.districtId = 'district:kondopozhsky';
      input.passport.address = { text: 'Кондопога, ул. Пролетарская, 5', districtId: 'district:kondopozhsky' };
      input.record.diagnoses = [{ code: 'C50', role: 'main' }];
    }),
  ];
}
