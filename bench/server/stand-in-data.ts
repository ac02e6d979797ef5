/**
 * Generated facility documents for the server benchmarks, used while scripts/demo/generate.ts (the demo's
 * generator, which writes through the client's records layer) is not there: every document a facility database
 * holds — a passport sealed with AES-GCM under a real facility key (the server cannot tell it from a device's), the
 * pseudonymous record, about 8 visits and 10 prescriptions per patient (1 : 8 : 10, the mix of the Scale target
 * of 100,000 patients and 1,000,000 prescriptions) — written by the facility's doctor and nurse as the design
 * document requires, dated in the past, with a `_rev` as a device would push it. Content is seeded per patient, so
 * the same seed gives the same records; passport ciphertexts use random IVs.
 */
import { createHash } from 'node:crypto';
import { deriveContentKey } from '../../common/keys/epoch-keys.ts';
import { encryptDocument } from '../../common/keys/sealed-document.ts';
import type { FacilityKeySource } from '../../client/records/facility-sealer.ts';
import {
  CARE_SETTINGS,
  DEATH_PLACES,
  DISEASE_GROUPS,
  EXCLUSION_REASONS,
  NEEDS,
  VISIT_TYPES,
  type PatientRecord,
} from '../../common/records/types.ts';
import { addDays } from '../../server/reports/dates.ts';
import { edgeDice, prescriptionDoc, type Dice } from '../../server/reports/testing/generated-register.ts';

export type StoredDoc = Record<string, unknown> & { _id: string; _rev: string };

export interface GenerateOptions {
  seed: number;
  facilityId: string;
  patients: number;
  keys: FacilityKeySource;
  doctor: string;
  nurse: string;
}

/** One round of an upload: each member's documents, to be sent under that member's session. */
export type UploadPhase = { login: string; docs: StoredDoc[] }[];

export interface GeneratedFacility {
  facilityId: string;
  docs: StoredDoc[];
  /** The uploads that recreate `docs` on a server, member by member. */
  phases: UploadPhase[];
  counts: { patients: number; visits: number; prescriptions: number; documents: number };
}

const FIRST_DAY = '2023-01-01';
/** Nothing is dated after this day, so every document is in the past for the design document. */
const LAST_DAY = '2026-10-31';
const SURNAMES = ['Иванова', 'Петров', 'Смирнова', 'Кузнецов', 'Попова', 'Васильев', 'Соколова', 'Михайлов'];
const NAMES = ['Мария', 'Иван', 'Анна', 'Пётр', 'Елена', 'Николай', 'Ольга', 'Сергей'];

function withRev<T extends { _id: string }>(doc: T): T & { _rev: string } {
  const digest = createHash('md5').update(JSON.stringify(doc)).digest('hex');
  return { ...doc, _rev: `1-${digest}` };
}

function earlier(a: string, b: string): string {
  return a < b ? a : b;
}

function seedOf(seed: number, facilityId: string, index: number): number {
  const digest = createHash('sha256').update(`${seed}|${facilityId}|${index}`).digest();
  return digest.readUInt32LE(0);
}

function patientRecord(dice: Dice, patientId: string, doctor: string): PatientRecord {
  const inclusionDate = addDays(FIRST_DAY, dice.int(0, 1_300));
  const statusHistory: PatientRecord['statusHistory'] = [{ from: inclusionDate, status: 'active' }];
  const ending = dice.int(0, 9);
  const endDay = earlier(addDays(inclusionDate, dice.int(5, 300)), LAST_DAY);
  if (ending <= 2 && endDay > inclusionDate) {
    statusHistory.push({ from: endDay, status: 'deceased', death: { date: endDay, place: dice.pick(DEATH_PLACES) } });
  } else if (ending === 3 && endDay > inclusionDate) {
    statusHistory.push({ from: endDay, status: 'excluded', reason: dice.pick(EXCLUSION_REASONS) });
  }
  const needs: PatientRecord['needsHistory'][number]['needs'] = {};
  for (const need of NEEDS) if (dice.chance(0.2)) needs[need] = { needed: true, met: dice.chance(0.5) };
  return {
    _id: `patient:${patientId}`,
    type: 'patient',
    sex: dice.chance(0.5) ? 'male' : 'female',
    birthYear: dice.int(1925, 2000),
    districtId: 'district:petrozavodsk',
    diseaseGroup: dice.pick(DISEASE_GROUPS),
    diagnoses: [{ code: 'C34.1', role: 'main' }],
    eligibility: 'incurable-cancer',
    inclusionDate,
    statusHistory,
    careSettingHistory: [{ from: inclusionDate, setting: dice.pick(CARE_SETTINGS) }],
    needsHistory: [{ from: inclusionDate, needs }],
    caregiver: 'available',
    createdBy: doctor,
    createdAt: `${inclusionDate}T09:00:00.000Z`,
  };
}

/** One facility's documents; `keys` must hold the facility's current epoch. */
export async function generateFacility(options: GenerateOptions): Promise<GeneratedFacility> {
  const { facilityId, doctor, nurse } = options;
  const current = await options.keys.current(facilityId);
  if (!current) throw new Error(`no key for facility ${facilityId}`);
  const passportKey = await deriveContentKey(current.key, { purpose: 'passport', facilityId, epoch: current.epoch });
  const docs: StoredDoc[] = [];
  const counts = { patients: 0, visits: 0, prescriptions: 0, documents: 0 };
  for (let index = 0; index < options.patients; index += 1) {
    const dice = edgeDice(seedOf(options.seed, facilityId, index));
    const patientId = dice.uuid();
    const record = patientRecord(dice, patientId, doctor);
    const lastDay = earlier(addDays(record.statusHistory.at(-1)?.from ?? record.inclusionDate, 0), LAST_DAY);
    const passportId = `passport:${dice.uuid()}`;
    const sealed = await encryptDocument(
      passportKey,
      { facilityId, docId: passportId, epoch: current.epoch },
      {
        patientId,
        surname: dice.pick(SURNAMES),
        name: dice.pick(NAMES),
        birthDate: `${record.birthYear}-0${dice.int(1, 9)}-1${dice.int(0, 9)}`,
        sex: record.sex,
        snils: `${dice.int(100, 999)}-${dice.int(100, 999)}-${dice.int(100, 999)} ${dice.int(10, 99)}`,
        address: { text: `Петрозаводск, ул. Ленина, ${dice.int(1, 99)}` },
      },
    );
    docs.push(
      withRev({ _id: passportId, type: 'passport', ...sealed }),
      withRev(record as unknown as Record<string, unknown> & { _id: string }),
    );
    counts.patients += 1;
    const span = Math.max(0, Math.round((Date.parse(lastDay) - Date.parse(record.inclusionDate)) / 86_400_000));
    for (let v = dice.int(4, 12); v > 0; v -= 1) {
      const date = addDays(record.inclusionDate, dice.int(0, span));
      docs.push(
        withRev({
          _id: `visit:${patientId}:${dice.uuid()}`,
          type: 'visit',
          date,
          visitType: dice.pick(VISIT_TYPES),
          performer: nurse,
          performerRole: 'nurse',
          pain: dice.int(0, 10),
          syndromes: [],
          needsNoticed: [],
          createdBy: nurse,
          createdAt: `${date}T12:00:00.000Z`,
        }),
      );
      counts.visits += 1;
    }
    for (let p = dice.int(5, 15); p > 0; p -= 1) {
      const start = addDays(record.inclusionDate, dice.int(0, span));
      const prescription: Record<string, unknown> & { _id: string } = {
        ...prescriptionDoc(dice, facilityId, patientId, start),
        prescriber: doctor,
        createdBy: doctor,
      };
      const cancellation = prescription.cancellation as { at: string; by: string } | undefined;
      if (cancellation) {
        const day = earlier(addDays(start, dice.int(0, 60)), LAST_DAY);
        prescription.cancellation = { ...cancellation, at: `${day}T15:30:00.000Z`, by: doctor };
      }
      docs.push(withRev(prescription));
      counts.prescriptions += 1;
    }
  }
  counts.documents = docs.length;
  const byAuthor = (login: string): StoredDoc[] =>
    docs.filter((doc) => (doc.createdBy ?? doctor) === login || (login === doctor && doc.createdBy === undefined));
  return { facilityId, docs, phases: [[doctor, nurse].map((login) => ({ login, docs: byAuthor(login) }))], counts };
}
