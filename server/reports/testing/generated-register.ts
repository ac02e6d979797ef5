/**
 * Deterministic facility documents for the summary report's tests (imported only by tests): hundreds of patients
 * across several facilities with dated histories, transfers between facilities (the record copied, the source
 * left "transferred"), visits and prescriptions of every kind the report treats apart — regular and as-needed,
 * patches, solutions, medicaments without a factor, cancelled ones — from a seeded generator, so a failure
 * reproduces exactly. Edge cases the report must get right are added by name (`edgeCases`).
 */
import type { NeedState, PatientRecord, Prescription, SealedDocument, Visit } from '../../../common/records/types.ts';
import {
  CARE_SETTINGS,
  DEATH_PLACES,
  DISEASE_GROUPS,
  EXCLUSION_REASONS,
  NEEDS,
  VISIT_TYPES,
} from '../../../common/records/types.ts';
import { addDays } from '../dates.ts';

export type FacilityDocument = PatientRecord | Visit | Prescription;

/** A small seeded generator (mulberry32): the same seed, the same documents. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Dice {
  constructor(private readonly random: () => number) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.random() < p;
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(0, list.length - 1)] as T;
  }
  uuid(): string {
    const hex = (n: number) => Array.from({ length: n }, () => this.int(0, 15).toString(16)).join('');
    return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  }
}

function sealed(facilityId: string): SealedDocument {
  return { v: 1, kid: `${facilityId}:1`, iv: 'AAECAwQFBgcICQoL', ct: 'Y2lwaGVydGV4dC1hbmQtdGFn' };
}

/** What a prescription of one medicament looks like: the unit of its dose and a usual dose. */
interface PrescriptionShape {
  medicamentId: string;
  doseUnit: Prescription['doseUnit'];
  doses: number[];
  route: Prescription['route'];
  patch?: boolean;
}

export const SHAPES: PrescriptionShape[] = [
  { medicamentId: 'medicament:morphine-tablets-10mg', doseUnit: 'mg', doses: [5, 10, 20], route: 'oral' },
  { medicamentId: 'medicament:morphine-prolonged-tablets-30mg', doseUnit: 'unit', doses: [1, 2], route: 'oral' },
  { medicamentId: 'medicament:morphine-injection-10mg-ml', doseUnit: 'ml', doses: [0.5, 1], route: 'parenteral' },
  { medicamentId: 'medicament:oxycodone-prolonged-tablets-10mg', doseUnit: 'mg', doses: [10, 20], route: 'oral' },
  {
    medicamentId: 'medicament:fentanyl-patch-25ug-h',
    doseUnit: 'ug_per_h',
    doses: [25, 50],
    route: 'transdermal',
    patch: true,
  },
  { medicamentId: 'medicament:fentanyl-patch-50ug-h', doseUnit: 'unit', doses: [1], route: 'transdermal', patch: true },
  { medicamentId: 'medicament:tramadol-capsules-50mg', doseUnit: 'mg', doses: [50, 100], route: 'oral' },
  { medicamentId: 'medicament:tramadol-injection-50mg-ml', doseUnit: 'mg', doses: [50], route: 'parenteral' },
  { medicamentId: 'medicament:codeine-paracetamol-tablets-8-500mg', doseUnit: 'unit', doses: [1, 2], route: 'oral' },
  { medicamentId: 'medicament:trimeperidine-injection-20mg-ml', doseUnit: 'ml', doses: [1], route: 'parenteral' },
  {
    medicamentId: 'medicament:buprenorphine-patch-35ug-h',
    doseUnit: 'unit',
    doses: [1],
    route: 'transdermal',
    patch: true,
  },
  { medicamentId: 'medicament:paracetamol-tablets-500mg', doseUnit: 'mg', doses: [500, 1000], route: 'oral' },
  { medicamentId: 'medicament:lactulose-syrup-667mg-ml', doseUnit: 'ml', doses: [15, 30], route: 'oral' },
  { medicamentId: 'medicament:haloperidol-tablets-5mg', doseUnit: 'mg', doses: [2.5, 5], route: 'oral' },
];

export interface GeneratedRegister {
  /** Documents per facility id. */
  byFacility: Map<string, FacilityDocument[]>;
}

export interface GenerateOptions {
  seed: number;
  facilities: string[];
  patientsPerFacility: number;
  /** Dates are drawn from `firstDay` to `lastDay`. */
  firstDay: string;
  lastDay: string;
  /** Prescriptions drawn per patient, from–to (default 0–4; the benchmark draws about ten). */
  prescriptionsPerPatient?: [number, number];
}

function dayBetween(dice: Dice, first: string, last: string): string {
  const span = Math.round((Date.parse(last) - Date.parse(first)) / 86_400_000);
  return addDays(first, dice.int(0, span));
}

function needsEntry(dice: Dice, from: string): PatientRecord['needsHistory'][number] {
  const needs: Partial<Record<(typeof NEEDS)[number], NeedState>> = {};
  for (const need of NEEDS) {
    if (!dice.chance(0.25)) continue;
    const met = dice.chance(0.5);
    needs[need] = { needed: true, met };
  }
  if (dice.chance(0.1)) needs['walker'] = { needed: false, met: false };
  return { from, needs };
}

function patientRecord(dice: Dice, id: string, options: GenerateOptions): PatientRecord {
  const inclusionDate = dayBetween(dice, options.firstDay, options.lastDay);
  const birthYear = dice.chance(0.08) ? dice.int(2010, 2024) : dice.int(1925, 2000);
  const statusHistory: PatientRecord['statusHistory'] = [{ from: inclusionDate, status: 'pending' }];
  let day = inclusionDate;
  if (dice.chance(0.85)) {
    day = addDays(day, dice.int(0, 3));
    statusHistory.push({ from: day, status: 'active' });
  }
  const ending = dice.int(0, 9);
  if (ending <= 2) {
    day = addDays(day, dice.int(0, 300));
    const place = dice.pick(DEATH_PLACES);
    statusHistory.push({ from: day, status: 'deceased', death: { date: day, place } });
  } else if (ending === 3) {
    day = addDays(day, dice.int(1, 300));
    statusHistory.push({ from: day, status: 'excluded', reason: dice.pick(EXCLUSION_REASONS) });
    if (dice.chance(0.3)) {
      day = addDays(day, dice.int(1, 60));
      statusHistory.push({ from: day, status: 'active' });
    }
  }
  const careSettingHistory: PatientRecord['careSettingHistory'] = [
    { from: inclusionDate, setting: dice.pick(CARE_SETTINGS) },
  ];
  if (dice.chance(0.4)) careSettingHistory.push({ from: addDays(inclusionDate, dice.int(1, 200)), setting: 'home' });
  const needsHistory = [needsEntry(dice, inclusionDate)];
  if (dice.chance(0.4)) needsHistory.push(needsEntry(dice, addDays(inclusionDate, dice.int(1, 200))));
  return {
    _id: `patient:${id}`,
    type: 'patient',
    sex: dice.chance(0.5) ? 'male' : 'female',
    birthYear,
    districtId: 'district:petrozavodsk',
    diseaseGroup: dice.pick(DISEASE_GROUPS),
    diagnoses: [{ code: 'C34.1', role: 'main' }],
    eligibility: 'incurable-cancer',
    inclusionDate,
    statusHistory,
    careSettingHistory,
    needsHistory,
    caregiver: 'available',
    createdBy: 'olga',
    createdAt: `${inclusionDate}T09:00:00.000Z`,
  };
}

function visitDoc(dice: Dice, patientId: string, date: string): Visit {
  return {
    _id: `visit:${patientId}:${dice.uuid()}`,
    type: 'visit',
    date,
    visitType: dice.pick(VISIT_TYPES),
    performer: 'nina',
    performerRole: 'nurse',
    syndromes: [],
    needsNoticed: [],
    createdBy: 'nina',
    createdAt: `${date}T12:00:00.000Z`,
  };
}

export function prescriptionDoc(
  dice: Dice,
  facilityId: string,
  patientId: string,
  start: string,
  shape: PrescriptionShape = dice.pick(SHAPES),
): Prescription {
  const dose = dice.pick(shape.doses);
  const asNeeded = !shape.patch && dice.chance(0.25);
  const end = dice.chance(0.8) ? addDays(start, dice.int(0, 120)) : undefined;
  const cancelled = dice.chance(0.15);
  const schedule = shape.patch
    ? { timesPerDay: 1 }
    : dice.chance(0.3)
      ? { intervalHours: dice.pick([4, 6, 8, 12]) }
      : { timesPerDay: dice.int(1, 4) };
  return {
    _id: `prescription:${patientId}:${dice.uuid()}`,
    type: 'prescription',
    medicamentId: shape.medicamentId,
    dose,
    doseUnit: shape.doseUnit,
    route: shape.route,
    ...schedule,
    regimen: asNeeded ? 'as-needed' : 'regular',
    ...(asNeeded ? { maxDailyDose: dose * dice.int(2, 4) } : {}),
    start,
    ...(end === undefined ? {} : { end }),
    prescriptionForm: '107/у-НП',
    prescriber: 'olga',
    status: cancelled ? 'cancelled' : 'active',
    ...(cancelled
      ? {
          cancellation: {
            at: `${addDays(start, dice.int(-2, 60))}T15:30:00.000Z`,
            by: 'olga',
            reason: sealed(facilityId),
          },
        }
      : {}),
    createdBy: 'olga',
    createdAt: `${start}T10:00:00.000Z`,
  };
}

/** Moves a patient: the source record ends "transferred", the target gets a copy that starts active there. */
function transfer(dice: Dice, record: PatientRecord, target: string): PatientRecord {
  const last = record.statusHistory[record.statusHistory.length - 1];
  const day = addDays(last?.from ?? record.inclusionDate, dice.int(1, 200));
  record.statusHistory.push({ from: day, status: 'transferred', transferredTo: target });
  return {
    ...structuredClone(record),
    statusHistory: [{ from: day, status: 'active' }],
    careSettingHistory: [{ from: day, setting: 'home' }],
    needsHistory: [needsEntry(dice, day)],
  };
}

export function generateRegister(options: GenerateOptions): GeneratedRegister {
  const dice = new Dice(seededRandom(options.seed));
  const byFacility = new Map<string, FacilityDocument[]>(options.facilities.map((id) => [id, []]));
  const push = (facilityId: string, doc: FacilityDocument): void => {
    byFacility.get(facilityId)?.push(doc);
  };
  for (const facilityId of options.facilities) {
    for (let n = 0; n < options.patientsPerFacility; n += 1) {
      const patientId = dice.uuid();
      const record = patientRecord(dice, patientId, options);
      const living = record.statusHistory.every((step) => step.status !== 'deceased' && step.status !== 'excluded');
      let copy: { record: PatientRecord; facilityId: string } | null = null;
      if (living && dice.chance(0.1)) {
        const target = dice.pick(options.facilities.filter((id) => id !== facilityId));
        copy = { record: transfer(dice, record, target), facilityId: target };
      }
      push(facilityId, record);
      if (copy) push(copy.facilityId, copy.record);
      const visits = dice.int(0, 6);
      for (let v = 0; v < visits; v += 1) {
        // Half the first visits fall around the inclusion (up to three days after it), where 48 hours is decided.
        const offset = v === 0 && dice.chance(0.5) ? dice.int(-1, 3) : dice.int(-1, 200);
        const visit = visitDoc(dice, patientId, addDays(record.inclusionDate, offset));
        push(facilityId, visit);
        // A transfer copies the visits made before it: the same document in both databases.
        if (copy && dice.chance(0.5)) push(copy.facilityId, visit);
      }
      const [fewest, most] = options.prescriptionsPerPatient ?? [0, 4];
      const prescriptions = dice.int(fewest, most);
      for (let p = 0; p < prescriptions; p += 1) {
        const start = addDays(record.inclusionDate, dice.int(0, 250));
        const doc = prescriptionDoc(dice, facilityId, patientId, start);
        push(facilityId, doc);
        if (copy && dice.chance(0.5)) push(copy.facilityId, doc);
      }
      if (copy) {
        const start = addDays(copy.record.statusHistory[0]?.from ?? record.inclusionDate, 1);
        push(copy.facilityId, prescriptionDoc(dice, copy.facilityId, patientId, start));
      }
    }
  }
  return { byFacility };
}

/** A generator for named edge cases, sharing the seeded ids. */
export function edgeDice(seed: number): Dice {
  return new Dice(seededRandom(seed));
}
export type { Dice };
