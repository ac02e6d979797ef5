/**
 * The facilities the browser benchmarks sync and open: synthetic patients (common/search/synthetic-patients.ts, the
 * same Russian names the search benchmark uses), each a passport sealed by the records layer's own sealer under a
 * real epoch key and a pseudonymous record as the patient form writes it — the two documents every patient has,
 * and the ones opening a facility reads. They are written into the facility database through the store's admin
 * connection in batches (loading speed is the server benchmarks' subject, bench/server/). The epoch key's bytes
 * are kept, because the benchmark page plays the member's device that holds it.
 */
import { facilityDatabase } from '../../common/roles.ts';
import { generateEpochKey, importEpochKey } from '../../common/keys/epoch-keys.ts';
import { syntheticPatients } from '../../common/search/synthetic-patients.ts';
import type { PatientEntry } from '../../common/search/patient-index.ts';
import { FacilitySealer } from '../../client/records/facility-sealer.ts';
import { newPatientRecord, passportDataOf } from '../../client/records/record-documents.ts';
import type { PatientInput } from '../../client/records/records-api.ts';
import type { StoreClient } from '../../server/store-client.ts';
import { ensureFacility, ensureMember, type BenchAccount } from '../load/setup.ts';

export interface BenchFacility {
  facilityId: string;
  patients: number;
  /** Documents in the facility database (a passport and a record per patient). */
  documents: number;
  /** The epoch-1 key's bytes, base64. */
  rawKey: string;
  /** The patients' name fields, for the search queries. */
  entries: PatientEntry[];
  member: BenchAccount;
}

const UPLOAD_BATCH = 2000;

function inputOf(entry: PatientEntry, index: number): PatientInput {
  const sex = /[ая]$/.test(entry.surname) ? 'female' : 'male';
  return {
    passport: {
      surname: entry.surname,
      name: entry.name,
      ...(entry.patronymic === undefined ? {} : { patronymic: entry.patronymic }),
      birthDate: entry.birthDate ?? '1950-01-01',
      sex,
      ...(entry.snils === undefined ? {} : { snils: entry.snils }),
      ...(entry.omsPolicy === undefined ? {} : { omsPolicy: entry.omsPolicy }),
      phones: [`+7911${String(1_000_000 + index).slice(-7)}`],
      address: { text: `Петрозаводск, ул. Ленина, ${1 + (index % 120)}` },
      caregivers: [],
    },
    record: {
      sex,
      districtId: 'district:petrozavodsk',
      diseaseGroup: index % 5 === 0 ? 'other-progressive' : 'cancer',
      diagnoses: [{ code: index % 5 === 0 ? 'G12.2' : 'C34.1', role: 'main' }],
      eligibility: index % 5 === 0 ? 'neurodegenerative' : 'incurable-cancer',
      inclusionDate: '2026-06-01',
      careSetting: index % 3 === 0 ? 'hospice' : 'home',
      needs: { 'functional-bed': { needed: index % 2 === 0, met: false } },
      caregiver: 'partial',
    },
  };
}

/** A facility with `patients` patients and a nurse who may read it, made in the running register's store. */
export async function makeBenchFacility(
  store: StoreClient,
  facilityId: string,
  patients: number,
  seed: number,
): Promise<BenchFacility> {
  await ensureFacility(store, facilityId, `Учреждение ${facilityId}`);
  const member = await ensureMember(store, `nurse-${facilityId}`, 'nurse', [facilityId]);
  const bytes = generateEpochKey();
  const rawKey = Buffer.from(bytes).toString('base64');
  const key = await importEpochKey(bytes);
  const sealer = new FacilitySealer(facilityId, {
    current: () => Promise.resolve({ epoch: 1, key }),
    forEpoch: (_id, epoch) => Promise.resolve(epoch === 1 ? key : null),
  });
  const entries = syntheticPatients(patients, seed);
  const writer = { login: member.login, at: '2026-06-01T09:00:00.000Z' };
  const database = facilityDatabase(facilityId);
  for (let start = 0; start < entries.length; start += UPLOAD_BATCH / 2) {
    const docs: Record<string, unknown>[] = [];
    for (const [offset, entry] of entries.slice(start, start + UPLOAD_BATCH / 2).entries()) {
      const patientId = crypto.randomUUID();
      const input = inputOf(entry, start + offset);
      const passportId = `passport:${crypto.randomUUID()}`;
      const sealed = await sealer.seal(passportId, [], passportDataOf(patientId, input.passport));
      docs.push(
        { _id: passportId, type: 'passport', ...sealed },
        { ...newPatientRecord(patientId, input, false, writer) },
      );
    }
    await store.expect('POST', `/${database}/_bulk_docs`, { docs });
  }
  return { facilityId, patients, documents: patients * 2, rawKey, entries, member };
}
