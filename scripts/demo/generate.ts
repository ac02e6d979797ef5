/**
 * Synthetic patients of one facility, written through the records layer the app uses (client/records,
 * `FacilityRepository`): passports and free text are sealed with the facility's epoch key exactly as on a device,
 * every document passes the same validation as a form, and the device-side audit events are written too. The
 * doctor and the nurse each write through their own repository, so every document names the member who wrote it,
 * as the facility's design document demands.
 *
 * The database under the repositories is a Map (memory-database.ts), not PouchDB, and patients are written in
 * chunks, each into a fresh one: a repository opened on a chunk decrypts only that chunk's passports, so memory and
 * time grow with the chunk, not with the facility. What is made comes back as documents with their revision
 * histories, ready for `_bulk_docs` with `new_edits: false` (upload.ts).
 *
 * Deterministic: the same seed, facility id, count and `today` give the same pseudonymous content and the same
 * identities inside the passports. Random, as on a device: patient, passport and document ids (UUIDs), revision
 * hashes, and the IVs — hence the ciphertexts — of sealed values.
 */
import { FacilityRepository, type FacilityKeySource } from '../../client/records/facility-repository.ts';
import type { StoredDoc } from '../../client/records/facility-database.ts';
import type { ReferenceLookups } from '../../common/records/checks.ts';
import { ICD10_STARTER } from '../../common/reference/icd10-starter.ts';
import { KARELIA_DISTRICTS } from '../../common/reference/districts-karelia.ts';
import { MEDICAMENT_SEED } from '../../common/reference/medicaments-seed.ts';
import { facilityRole } from '../../common/roles.ts';
import { MemoryFacilityDatabase, type UploadDoc, type UploadPhase } from './memory-database.ts';
import { planPatient, type Outcome, type PatientPlan, type PlanStep } from './patient-plan.ts';
import { patientRandom } from './random.ts';

export type { FacilityKeySource, StoredDoc, UploadDoc, UploadPhase };

/** The day the generated story ends on unless told otherwise: fixed, so that a seed always gives the same data. */
export const DEFAULT_TODAY = '2026-11-01';
/** Patients written into one in-memory database before the next chunk starts. */
export const DEFAULT_CHUNK = 200;
export const DEFAULT_CONCURRENCY = 3;

export interface GenerateOptions {
  seed: number;
  facilityId: string;
  patients: number;
  /** The facility's epoch keys (the member's key ring in the demo; any `FacilityKeySource` will do). */
  keys: FacilityKeySource;
  /** Logins of the facility's doctor and nurse; the same login for both makes the doctor do everything. */
  doctor: string;
  nurse: string;
  /** `YYYY-MM-DD`: the last day of the story (default `DEFAULT_TODAY`); inclusions spread over the year before. */
  today?: string;
  /** Leave out the device audit events (about half the documents); the default keeps them, as the app writes them. */
  auditEvents?: boolean;
  chunkSize?: number;
  /** Chunks made at once (default `DEFAULT_CONCURRENCY`). */
  concurrency?: number;
}

export interface GeneratedCounts {
  patients: number;
  visits: number;
  prescriptions: number;
  /** Every document, audit events included (unless left out). */
  documents: number;
  cancelled: number;
  outcomes: Record<Outcome, number>;
}

export interface GeneratedFacility {
  facilityId: string;
  /** Every document at its last revision, as written, with `_rev` and `_revisions`. */
  docs: StoredDoc[];
  /** The uploads that recreate `docs` on a server, member by member (memory-database.ts, upload.ts). */
  phases: UploadPhase[];
  counts: GeneratedCounts;
}

/** What the reference books' seed holds, so that every code, district and medicament is checked like in a form. */
const LOOKUPS: ReferenceLookups = (() => {
  const codes = new Set(ICD10_STARTER.map((entry) => entry.code));
  const districts = new Set(KARELIA_DISTRICTS.map((district) => `district:${district.slug}`));
  const medicaments = new Set(MEDICAMENT_SEED.map((seed) => `medicament:${seed.slug}`));
  return {
    diagnosisExists: (code) => codes.has(code),
    districtExists: (id) => districts.has(id),
    medicamentExists: (id) => medicaments.has(id),
  };
})();

function emptyCounts(): GeneratedCounts {
  return {
    patients: 0,
    visits: 0,
    prescriptions: 0,
    documents: 0,
    cancelled: 0,
    outcomes: { active: 0, pending: 0, deceased: 0, excluded: 0 },
  };
}

/** The time of the `index`-th step of a patient on `day`: from 08:00 UTC, a few minutes apart. */
function timeOf(day: string, index: number): Date {
  return new Date(Date.parse(`${day}T08:00:00.000Z`) + Math.min(index * 7, 900) * 60_000);
}

interface Clock {
  today: string;
  now: Date;
}

/** Plays the steps of `plans` chosen by `which` through `repository`, each at its own time. */
async function play(
  repository: FacilityRepository,
  plans: readonly PatientPlan[],
  patientIds: (string | undefined)[],
  clock: Clock,
  which: (step: PlanStep) => boolean,
  counts: GeneratedCounts,
): Promise<void> {
  for (const [index, plan] of plans.entries()) {
    const prescriptionIds = new Map<number, string>();
    let day = '';
    let sameDay = 0;
    for (const step of plan.steps) {
      sameDay = step.on === day ? sameDay + 1 : 0;
      day = step.on;
      if (!which(step)) continue;
      clock.today = step.on;
      clock.now = timeOf(step.on, sameDay);
      if (step.kind === 'create') {
        patientIds[index] = (await repository.createPatient(step.input)).patientId;
        counts.patients += 1;
        continue;
      }
      const patientId = patientIds[index];
      if (patientId === undefined) throw new Error(`Patient ${index} was not created before its ${step.kind}.`);
      if (step.kind === 'status') await repository.changeStatus(patientId, step.change);
      else if (step.kind === 'visit') {
        await repository.addVisit(patientId, step.input);
        counts.visits += 1;
      } else if (step.kind === 'prescribe') {
        prescriptionIds.set(step.key, (await repository.addPrescription(patientId, step.input)).prescription._id);
        counts.prescriptions += 1;
      } else {
        const prescriptionId = prescriptionIds.get(step.key);
        if (prescriptionId === undefined) throw new Error(`Prescription ${step.key} was cancelled before written.`);
        await repository.cancelPrescription(prescriptionId, step.reason);
        counts.cancelled += 1;
      }
    }
  }
}

function withoutAudit(phases: UploadPhase[]): UploadPhase[] {
  return phases
    .map((phase) =>
      phase
        .map(({ login, docs }) => ({ login, docs: docs.filter((doc) => !doc._id.startsWith('audit:')) }))
        .filter(({ docs }) => docs.length > 0),
    )
    .filter((phase) => phase.length > 0);
}

/** One chunk: patients `first` … `first + count - 1` of the facility, in a database of their own. */
async function generateChunk(options: GenerateOptions, first: number, count: number): Promise<GeneratedFacility> {
  const today = options.today ?? DEFAULT_TODAY;
  const nurses = options.nurse !== options.doctor;
  const plans: PatientPlan[] = [];
  const counts = emptyCounts();
  for (let index = first; index < first + count; index += 1) {
    const plan = planPatient(patientRandom(options.seed, options.facilityId, index), today, nurses);
    plans.push(plan);
    counts.outcomes[plan.outcome] += 1;
  }
  const db = new MemoryFacilityDatabase();
  const clock: Clock = { today, now: timeOf(today, 0) };
  const repository = (login: string, role: 'doctor' | 'nurse'): FacilityRepository =>
    new FacilityRepository({
      facilityId: options.facilityId,
      login,
      roles: [role, facilityRole(options.facilityId)],
      db: db.as(login),
      keys: options.keys,
      today: () => clock.today,
      now: () => clock.now,
      device: 'demo-generator',
      lookups: LOOKUPS,
      // Each chunk's repositories open once; a snapshot for the next unlock would only cost time.
      searchSnapshot: false,
    });
  const patientIds: (string | undefined)[] = [];
  if (nurses) {
    // The nurse registers her patients first, so that the doctor's repository finds their passports when it opens.
    const nurse = repository(options.nurse, 'nurse');
    await nurse.open();
    await play(nurse, plans, patientIds, clock, (step) => step.by === 'nurse' && step.kind === 'create', counts);
    nurse.close();
  }
  const doctor = repository(options.doctor, 'doctor');
  await doctor.open();
  await play(doctor, plans, patientIds, clock, (step) => step.by === 'doctor', counts);
  doctor.close();
  if (nurses) {
    // Visits are documents of their own: the nurse's come after the doctor's writes without changing any of them.
    const nurse = repository(options.nurse, 'nurse');
    await play(nurse, plans, patientIds, clock, (step) => step.by === 'nurse' && step.kind === 'visit', counts);
  }
  const keepAudit = options.auditEvents ?? true;
  const made = db.export();
  const docs = keepAudit ? made.docs : made.docs.filter((doc) => !doc._id.startsWith('audit:'));
  const phases = keepAudit ? made.phases : withoutAudit(made.phases);
  counts.documents = docs.length;
  return { facilityId: options.facilityId, docs, phases, counts };
}

function mergeInto(target: GeneratedFacility, part: GeneratedFacility): void {
  target.docs.push(...part.docs);
  part.phases.forEach((phase, index) => {
    const merged = (target.phases[index] ??= []);
    for (const { login, docs } of phase) {
      const existing = merged.find((entry) => entry.login === login);
      if (existing) existing.docs.push(...docs);
      else merged.push({ login, docs: [...docs] });
    }
  });
  const counts = target.counts;
  counts.patients += part.counts.patients;
  counts.visits += part.counts.visits;
  counts.prescriptions += part.counts.prescriptions;
  counts.documents += part.counts.documents;
  counts.cancelled += part.counts.cancelled;
  for (const outcome of Object.keys(counts.outcomes) as Outcome[]) {
    counts.outcomes[outcome] += part.counts.outcomes[outcome];
  }
}

/**
 * The facility's patients chunk by chunk, each chunk a `GeneratedFacility` of its own (upload each before making
 * the next to keep memory flat); together they are exactly what `generateFacility` returns.
 */
export async function* generateFacilityChunks(options: GenerateOptions): AsyncGenerator<GeneratedFacility> {
  const size = Math.max(1, options.chunkSize ?? DEFAULT_CHUNK);
  const ahead = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  // Chunks share nothing (each has its own database, clock and repositories), so a few are made at once: WebCrypto
  // runs on libuv's threads, and one chunk alone leaves the process waiting for it much of the time.
  const pending: Promise<GeneratedFacility>[] = [];
  let first = 0;
  const startNext = (): void => {
    if (first >= options.patients) return;
    const made = generateChunk(options, first, Math.min(size, options.patients - first));
    made.catch(() => undefined); // awaited in order below; a failure surfaces there
    pending.push(made);
    first += size;
  };
  while (pending.length < ahead && first < options.patients) startNext();
  while (pending.length > 0) {
    const chunk = await (pending.shift() as Promise<GeneratedFacility>);
    startNext();
    yield chunk;
  }
}

/** Every document of the facility's synthetic patients, with their revisions and counts. */
export async function generateFacility(options: GenerateOptions): Promise<GeneratedFacility> {
  const generated: GeneratedFacility = {
    facilityId: options.facilityId,
    docs: [],
    phases: [],
    counts: emptyCounts(),
  };
  for await (const chunk of generateFacilityChunks(options)) mergeInto(generated, chunk);
  return generated;
}
