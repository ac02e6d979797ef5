/**
 * What the summary report reads from a facility database: the rows of the report views
 * (design-docs/facility/views/), parsed at the boundary into plain types. A row that does not have the expected
 * shape (a document written by a restore that skipped validation, say) is left out and counted, never guessed at.
 */
import type { DeathPlace, DiseaseGroup, ExclusionReason, PatientStatus, Sex } from '../../common/records/types.ts';
import type { DoseUnit } from '../../common/reference/opioid-equivalence.ts';

export interface StatusStep {
  from: string;
  status: PatientStatus;
  reason: ExclusionReason | null;
  deathDate: string | null;
  deathPlace: DeathPlace | null;
}

export interface PatientRow {
  patientId: string;
  sex: Sex;
  birthYear: number;
  diseaseGroup: DiseaseGroup;
  inclusionDate: string;
  status: StatusStep[];
  care: { from: string; setting: string }[];
  needs: { from: string; needs: Record<string, { needed: boolean; met: boolean }> }[];
}

export interface VisitRow {
  id: string;
  patientId: string;
  date: string;
  visitType: string;
}

export interface PrescriptionRow {
  id: string;
  patientId: string;
  medicamentId: string;
  dose: number;
  doseUnit: DoseUnit;
  timesPerDay?: number;
  intervalHours?: number;
  regimen: 'regular' | 'as-needed';
  maxDailyDose?: number;
  start: string;
  end: string | null;
  /** The day a cancelled prescription was cancelled on; it is in force up to the day before. */
  cancelledOn: string | null;
}

/** Everything a report needs from one facility. */
export interface FacilityRows {
  facilityId: string;
  patients: PatientRow[];
  visits: VisitRow[];
  prescriptions: PrescriptionRow[];
  /** Rows left out because their shape was wrong. */
  skipped: number;
}

export interface ViewRow {
  id: string;
  key: unknown;
  value: unknown;
}

type Fields = Record<string, unknown>;

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const optionalNumber = (value: unknown): number | undefined => (isNumber(value) ? value : undefined);

/** `patient:<id>` → `<id>`; `visit:<id>:<uuid>` and `prescription:<id>:<uuid>` → `<id>`. */
export function patientIdOf(docId: string): string {
  return docId.split(':')[1] ?? '';
}

function statusStep(value: unknown): StatusStep | null {
  if (!Array.isArray(value) || !isText(value[0]) || !isText(value[1])) return null;
  const [from, status, reason, deathDate, deathPlace] = value as unknown[];
  return {
    from: from as string,
    status: status as PatientStatus,
    reason: isText(reason) ? (reason as ExclusionReason) : null,
    deathDate: isText(deathDate) ? deathDate : null,
    deathPlace: isText(deathPlace) ? (deathPlace as DeathPlace) : null,
  };
}

export function parsePatientRow(row: ViewRow): PatientRow | null {
  const value = row.value;
  if (!isFields(value) || !Array.isArray(value.status) || !Array.isArray(value.care) || !Array.isArray(value.needs))
    return null;
  if (!isText(value.sex) || !isNumber(value.birthYear) || !isText(value.diseaseGroup) || !isText(value.inclusionDate))
    return null;
  const status = value.status.map(statusStep);
  if (status.some((step) => step === null)) return null;
  const care: PatientRow['care'] = [];
  for (const entry of value.care as unknown[]) {
    if (!Array.isArray(entry) || !isText(entry[0]) || !isText(entry[1])) return null;
    care.push({ from: entry[0], setting: entry[1] });
  }
  const needs: PatientRow['needs'] = [];
  for (const entry of value.needs as unknown[]) {
    if (!Array.isArray(entry) || !isText(entry[0]) || !isFields(entry[1])) return null;
    const states: Record<string, { needed: boolean; met: boolean }> = {};
    for (const [need, state] of Object.entries(entry[1])) {
      if (Array.isArray(state)) states[need] = { needed: state[0] === true, met: state[1] === true };
    }
    needs.push({ from: entry[0], needs: states });
  }
  return {
    patientId: patientIdOf(row.id),
    sex: value.sex as Sex,
    birthYear: value.birthYear,
    diseaseGroup: value.diseaseGroup as DiseaseGroup,
    inclusionDate: value.inclusionDate,
    status: status as StatusStep[],
    care,
    needs,
  };
}

export function parseVisitRow(row: ViewRow): VisitRow | null {
  const date = Array.isArray(row.key) ? (row.key[1] as unknown) : null;
  if (!isText(date) || !isText(row.value)) return null;
  return { id: row.id, patientId: patientIdOf(row.id), date, visitType: row.value };
}

export function parsePrescriptionRow(row: ViewRow): PrescriptionRow | null {
  const value = row.value;
  if (!isFields(value) || !isText(value.medicamentId) || !isNumber(value.dose) || !isText(value.doseUnit)) return null;
  if (!isText(value.start) || (value.regimen !== 'regular' && value.regimen !== 'as-needed')) return null;
  const timesPerDay = optionalNumber(value.timesPerDay);
  const intervalHours = optionalNumber(value.intervalHours);
  const maxDailyDose = optionalNumber(value.maxDailyDose);
  return {
    id: row.id,
    patientId: patientIdOf(row.id),
    medicamentId: value.medicamentId,
    dose: value.dose,
    doseUnit: value.doseUnit as DoseUnit,
    ...(timesPerDay === undefined ? {} : { timesPerDay }),
    ...(intervalHours === undefined ? {} : { intervalHours }),
    regimen: value.regimen,
    ...(maxDailyDose === undefined ? {} : { maxDailyDose }),
    start: value.start,
    end: isText(value.end) ? value.end : null,
    cancelledOn: typeof value.cancelledOn === 'string' ? value.cancelledOn : null,
  };
}
