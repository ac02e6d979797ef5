/**
 * Inputs and keys for the tests of the records layer (imported only by tests: the browser tests next to the
 * repository and test/integration/records-privacy.int.test.ts). The keys are real facility epoch keys made here,
 * as an administrator's browser makes them; the device's key ring (session-service.ts) hands out the same kind of
 * key in the app.
 */
import { generateEpochKey, importEpochKey } from '../../common/keys/epoch-keys.ts';
import type { FacilityKeySource } from './facility-sealer.ts';
import type { PatientInput, PrescriptionInput, VisitInput } from './records-api.ts';

/** A facility's epoch keys as a device holds them; `startEpoch` plays a revocation (a new current epoch). */
export class TestFacilityKeys implements FacilityKeySource {
  readonly #keys = new Map<number, CryptoKey>();
  #current = 0;

  static async create(): Promise<TestFacilityKeys> {
    const keys = new TestFacilityKeys();
    await keys.startEpoch();
    return keys;
  }

  get currentEpoch(): number {
    return this.#current;
  }

  async startEpoch(): Promise<number> {
    this.#current += 1;
    this.#keys.set(this.#current, await importEpochKey(generateEpochKey(), { wipe: true }));
    return this.#current;
  }

  /** Forgets an epoch, as a device that never received its key. */
  forget(epoch: number): void {
    this.#keys.delete(epoch);
  }

  current(): Promise<{ epoch: number; key: CryptoKey } | null> {
    const key = this.#keys.get(this.#current);
    return Promise.resolve(key ? { epoch: this.#current, key } : null);
  }

  forEpoch(_facilityId: string, epoch: number): Promise<CryptoKey | null> {
    return Promise.resolve(this.#keys.get(epoch) ?? null);
  }
}

export const TEST_TODAY = '2026-11-29';

/** A valid patient form; the identifying values are distinctive so a scan for them finds nothing else. */
export function patientInput(identity: { surname?: string; snils?: string; phone?: string } = {}): PatientInput {
  return {
    passport: {
      surname: identity.surname ?? 'Кузнецова',
      name: 'Анна',
      patronymic: 'Сергеевна',
      birthDate: '1950-03-12',
      sex: 'female',
      snils: identity.snils ?? '112-233-445 95',
      phones: [identity.phone ?? '+79111234567'],
      address: { text: 'Петрозаводск, ул. Ленина, 1' },
      caregivers: [{ name: 'Кузнецов Пётр', relation: 'сын' }],
    },
    record: {
      sex: 'female',
      districtId: 'district:petrozavodsk',
      diseaseGroup: 'cancer',
      diagnoses: [{ code: 'C34.1', role: 'main' }],
      eligibility: 'incurable-cancer',
      inclusionDate: '2026-11-01',
      careSetting: 'home',
      needs: { 'functional-bed': { needed: true, met: false } },
      caregiver: 'partial',
    },
  };
}

export function visitInput(note?: string): VisitInput {
  return {
    date: '2026-11-20',
    visitType: 'home',
    performerRole: 'nurse',
    ecog: 3,
    pps: 40,
    pain: 6,
    syndromes: ['pain'],
    needsNoticed: [],
    ...(note === undefined ? {} : { note }),
  };
}

export function prescriptionInput(number?: string): PrescriptionInput {
  return {
    medicamentId: 'medicament:morphine-tablet-10',
    dose: 10,
    doseUnit: 'mg',
    route: 'oral',
    timesPerDay: 2,
    regimen: 'regular',
    start: '2026-11-20',
    end: '2026-12-20',
    prescriptionForm: '107/у-НП',
    ...(number === undefined ? {} : { number }),
  };
}
