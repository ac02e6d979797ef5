import { beforeAll, describe, expect, it } from 'vitest';
import { TestFacilityKeys } from '../../client/records/records-fixtures.ts';
import { FacilitySealer } from '../../client/records/facility-sealer.ts';
import { facilityWriteRefusal } from '../../design-docs/facility/validate.ts';
import { validateFacilityDoc } from '../../common/records/facility-doc.ts';
import { facilityRole } from '../../common/roles.ts';
import { DEFAULT_TODAY, generateFacility, type GeneratedFacility, type GenerateOptions } from './generate.ts';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const REVISION = /\b\d+-[0-9a-f]{32}\b/g;

/** What must not depend on the run: everything but UUIDs, revision hashes and ciphertexts. */
function pseudonymous(generated: GeneratedFacility): string[] {
  return generated.docs
    .map((doc) =>
      JSON.stringify(doc, (key, value: unknown) => {
        if (key === '_rev' || key === '_revisions') return undefined;
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
        if ('kid' in value) return 'sealed';
        const fields = value as Record<string, unknown>;
        return Object.fromEntries(
          Object.keys(fields)
            .sort()
            .map((key) => [key, fields[key]]),
        );
      })
        .replace(UUID, 'U')
        .replace(REVISION, 'R'),
    )
    .sort();
}

async function generate(overrides: Partial<GenerateOptions> = {}): Promise<GeneratedFacility> {
  return generateFacility({
    seed: 42,
    facilityId: 'demo-1',
    patients: 40,
    keys: await TestFacilityKeys.create(),
    doctor: 'doctor-demo-1',
    nurse: 'nurse-demo-1',
    ...overrides,
  });
}

let keys: TestFacilityKeys;
let generated: GeneratedFacility;

beforeAll(async () => {
  keys = await TestFacilityKeys.create();
  generated = await generate({ keys });
}, 60_000);

describe('generated facility', { timeout: 60_000 }, () => {
  it('is the same for the same seed, whatever the keys and the chunks, and differs for another seed', async () => {
    const again = await generate({ chunkSize: 7 });
    expect(pseudonymous(again)).toEqual(pseudonymous(generated));
    expect(again.counts).toEqual(generated.counts);
    expect(pseudonymous(await generate({ seed: 43 }))).not.toEqual(pseudonymous(generated));
  });

  it('counts what it holds', () => {
    const ofType = (type: string): number => generated.docs.filter((doc) => doc.type === type).length;
    expect(generated.counts.patients).toBe(40);
    expect(ofType('patient')).toBe(40);
    expect(ofType('passport')).toBe(40);
    expect(ofType('visit')).toBe(generated.counts.visits);
    expect(ofType('prescription')).toBe(generated.counts.prescriptions);
    expect(generated.docs.length).toBe(generated.counts.documents);
    const cancelled = generated.docs.filter((doc) => doc.type === 'prescription' && doc.status === 'cancelled');
    expect(cancelled.length).toBe(generated.counts.cancelled);
  });

  it('holds only documents the validation accepts, passports as ciphertext only', () => {
    for (const doc of generated.docs) {
      expect(validateFacilityDoc(doc, DEFAULT_TODAY), doc._id).toEqual([]);
      if (doc.type === 'passport') {
        expect(Object.keys(doc).sort()).toEqual(['_id', '_rev', '_revisions', 'ct', 'iv', 'kid', 'type', 'v']);
      }
    }
  });

  it('uploads in rounds the design document accepts, each revision from the member who wrote it', () => {
    const onServer = new Map<string, Record<string, unknown>>();
    const rules = { facilityId: 'demo-1', minWriteEpoch: 1 };
    for (const phase of generated.phases) {
      for (const { login, docs } of phase) {
        const writer = { name: login, roles: [login.split('-')[0] ?? '', facilityRole('demo-1')] };
        for (const doc of docs) {
          const old = onServer.get(doc._id) ?? null;
          expect(facilityWriteRefusal(doc, old, writer, rules, DEFAULT_TODAY), `${login} ${doc._id}`).toBeNull();
          onServer.set(doc._id, doc);
        }
      }
    }
    expect(onServer.size).toBe(generated.docs.length);
    for (const doc of generated.docs) expect(onServer.get(doc._id)?._rev).toBe(doc._rev);
  });

  it('seals passports that open with the facility key and name the patient of their record', async () => {
    const sealer = new FacilitySealer('demo-1', keys);
    const records = new Set(generated.docs.filter((doc) => doc.type === 'patient').map((doc) => doc._id));
    for (const passport of generated.docs.filter((doc) => doc.type === 'passport')) {
      const data = (await sealer.open(passport._id, [], passport)) as { patientId: string; surname: string };
      expect(records.has(`patient:${data.patientId}`)).toBe(true);
      expect(data.surname).toMatch(/^[А-ЯЁ]/);
    }
  });
});
