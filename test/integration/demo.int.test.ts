/**
 * `npm run demo` against a real register: what it prints is what the store holds, the server holds no readable
 * identity, the printed logins work and the doctor's keys open the passports, a seed always gives the same
 * pseudonymous content, re-running adds nothing, real data is refused, and the summary report counts the patients
 * the demo says it made.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { deriveAuthKey } from '../../common/auth-derivation.ts';
import { FacilityRepository } from '../../client/records/facility-repository.ts';
import { TestFacilityKeys } from '../../client/records/records-fixtures.ts';
import { facilityRole } from '../../common/roles.ts';
import { DEFAULT_TODAY, generateFacility } from '../../scripts/demo/generate.ts';
import { MemoryFacilityDatabase } from '../../scripts/demo/memory-database.ts';
import { memberKeys, signInMember } from '../../scripts/demo/members.ts';
import { planPatient } from '../../scripts/demo/patient-plan.ts';
import { patientRandom } from '../../scripts/demo/random.ts';
import { runDemo, type DemoOptions, type DemoReport } from '../../scripts/demo/run-demo.ts';
import { RealDataError } from '../../scripts/demo/store-check.ts';
import { formatReport } from '../../scripts/demo/main.ts';
import type { SummaryReport } from '../../server/reports/build-report.ts';
import { ADMIN_PASSWORD, useRegister } from '../helpers/start-register.ts';
import { changeUserDoc, createFacility, createUser, firstAdmin, logIn, postSession } from '../helpers/users.ts';

const register = useRegister();
const SEED = 20261129;
const PATIENTS = 20;
const FACILITIES = ['demo-1', 'demo-2'];

type Doc = Record<string, unknown> & { _id: string };

let report: DemoReport;

function options(overrides: Partial<DemoOptions> = {}): DemoOptions {
  return {
    baseUrl: register.current.url,
    facilities: FACILITIES.length,
    patients: PATIENTS,
    seed: SEED,
    adminUsername: 'admin',
    adminPassword: ADMIN_PASSWORD,
    today: DEFAULT_TODAY,
    ...overrides,
  };
}

async function allDocs(db: string): Promise<Doc[]> {
  const { body } = await register.current.store.expect<{ rows: { doc: Doc }[] }>(
    'GET',
    `/${db}/_all_docs?include_docs=true`,
    undefined,
  );
  return body.rows.map((row) => row.doc).filter((doc) => !doc._id.startsWith('_design/'));
}

/** The identities the seed puts into the passports of one facility, as they would be typed. */
function identities(facilityId: string): { names: string[]; snils: string[] } {
  const names: string[] = [];
  const snils: string[] = [];
  for (let index = 0; index < PATIENTS; index += 1) {
    const plan = planPatient(patientRandom(SEED, facilityId, index), DEFAULT_TODAY, true);
    const create = plan.steps[0];
    if (create?.kind !== 'create') throw new Error('a plan starts with the registration');
    const { passport } = create.input;
    names.push(`${passport.surname} ${passport.name}`);
    if (passport.snils) snils.push(passport.snils, passport.snils.replace(/\D/g, ''));
  }
  return { names, snils };
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** A document without what is random by design: UUIDs, revision hashes, ciphertexts. */
function pseudonymous(doc: Doc): string {
  const text = JSON.stringify(doc, (key, value: unknown) => {
    if (key === '_rev' || key === '_revisions') return undefined;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    if ('kid' in value) return 'sealed';
    const fields = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(fields)
        .sort()
        .map((key) => [key, fields[key]]),
    );
  });
  return text.replace(UUID, 'U').replace(/\b\d+-[0-9a-f]{32}\b/g, 'R');
}

beforeAll(async () => {
  report = await runDemo(options());
}, 300_000);

describe('npm run demo', () => {
  it('fills the databases it names with the documents it counts', async () => {
    expect(report.facilities.map((facility) => facility.database)).toEqual(['facility-demo-1', 'facility-demo-2']);
    for (const facility of report.facilities) {
      const docs = await allDocs(facility.database);
      const ofType = (type: string): number => docs.filter((doc) => doc.type === type).length;
      expect(facility.counts?.patients).toBe(PATIENTS);
      expect(facility.patients).toBe(PATIENTS);
      expect(ofType('patient')).toBe(PATIENTS);
      expect(ofType('passport')).toBe(PATIENTS);
      expect(ofType('visit')).toBe(facility.counts?.visits);
      expect(ofType('prescription')).toBe(facility.counts?.prescriptions);
      expect(docs.length).toBe(facility.counts?.documents);
      expect(facility.counts?.visits).toBeGreaterThan(PATIENTS * 3);
      expect(facility.counts?.prescriptions).toBeGreaterThan(PATIENTS * 3);
    }
    const printed = formatReport(report);
    expect(printed).toContain('facility-demo-1');
    expect(printed).toContain(register.current.url);
  });

  it('leaves passports as ciphertext only, and no generated name or SNILS anywhere on the server', async () => {
    const { body: databases } = await register.current.store.expect<string[]>('GET', '/_all_dbs', undefined);
    let everything = '';
    for (const db of databases) everything += JSON.stringify(await allDocs(db));
    for (const facility of FACILITIES) {
      for (const passport of (await allDocs(`facility-${facility}`)).filter((doc) => doc.type === 'passport')) {
        expect(Object.keys(passport).sort()).toEqual(['_id', '_rev', 'ct', 'iv', 'kid', 'type', 'v']);
      }
      const { names, snils } = identities(facility);
      for (const value of [...names, ...snils]) expect(everything.includes(value), value).toBe(false);
    }
  });

  it('prints logins that work with their passwords, one of each role per facility', async () => {
    const r = register.current;
    expect(report.logins.map((login) => login.login).sort()).toEqual(
      FACILITIES.flatMap((id) => [`analyst-${id}`, `doctor-${id}`, `nurse-${id}`]).sort(),
    );
    for (const login of report.logins) {
      expect(login.login.startsWith(`${login.role}-`)).toBe(true);
      const authKey = await deriveAuthKey(r.deploymentId, login.login, login.password ?? '');
      const answer = await postSession(r.url, login.login, authKey);
      expect(answer.status, login.login).toBe(200);
    }
  });

  it("opens every passport with the doctor's keys through the records layer", async () => {
    const r = register.current;
    const doctor = report.logins.find((login) => login.login === 'doctor-demo-1');
    const member = await signInMember(
      r.url,
      r.deploymentId,
      { login: 'doctor-demo-1', displayName: '', role: 'doctor', facilityId: 'demo-1', facilities: ['demo-1'] },
      doctor?.password ?? '',
    );
    const session = await logIn(r, {
      name: 'doctor-demo-1',
      authKey: await deriveAuthKey(r.deploymentId, 'doctor-demo-1', doctor?.password ?? ''),
    });
    const answer = await session.get('/db/facility-demo-1/_all_docs?include_docs=true');
    const rows = (answer.json as { rows: { doc: Doc }[] }).rows;
    const device = new MemoryFacilityDatabase();
    for (const { doc } of rows) {
      if (doc._id.startsWith('_design/')) continue;
      const fields = { ...doc };
      delete fields._rev;
      await device.as('replica').put(fields);
    }
    const records = new FacilityRepository({
      facilityId: 'demo-1',
      login: 'doctor-demo-1',
      roles: ['doctor', facilityRole('demo-1')],
      db: device.as('doctor-demo-1'),
      keys: await memberKeys(member, 'demo-1'),
      today: () => DEFAULT_TODAY,
    });
    await records.open();
    const listed = await records.listPatients();
    records.close();
    expect(records.unreadablePassports).toEqual([]);
    expect(listed.map((patient) => `${patient.surname} ${patient.name}`).sort()).toEqual(
      identities('demo-1').names.sort(),
    );
  });

  it('gives the same pseudonymous content for the same seed, and adds nothing when run again', async () => {
    const again = await generateFacility({
      seed: SEED,
      facilityId: 'demo-1',
      patients: PATIENTS,
      keys: await TestFacilityKeys.create(),
      doctor: 'doctor-demo-1',
      nurse: 'nurse-demo-1',
      today: DEFAULT_TODAY,
    });
    const stored = await allDocs('facility-demo-1');
    expect(stored.map(pseudonymous).sort()).toEqual(again.docs.map((doc) => pseudonymous(doc)).sort());

    const rerun = await runDemo(options());
    expect(rerun.facilities.map((facility) => [facility.alreadyThere, facility.patients])).toEqual([
      [true, PATIENTS],
      [true, PATIENTS],
    ]);
    expect(rerun.logins.every((login) => !login.created)).toBe(true);
    expect((await allDocs('facility-demo-1')).length).toBe(stored.length);
  });

  it('counts in the summary report the patients it says it made', async () => {
    const r = register.current;
    const admin = await logIn(r, await firstAdmin(r));
    const from = '2025-11-01';
    const answer = await admin.get(
      `/api/reports/summary?from=${from}&to=${DEFAULT_TODAY}&facilities=${FACILITIES.join(',')}&format=json`,
    );
    expect(answer.status, answer.text).toBe(200);
    const lines = (answer.json as SummaryReport).sections.flatMap((section) => section.lines);
    const total = (key: string): number | null | undefined =>
      lines.find((line) => line.key === key)?.cells[FACILITIES.length]?.value;
    const sum = (pick: (outcomes: Record<string, number>) => number): number =>
      report.facilities.reduce((all, facility) => all + pick(facility.counts?.outcomes ?? {}), 0);
    expect(total('included')).toBe(PATIENTS * FACILITIES.length);
    expect(total('deaths')).toBe(sum((o) => o.deceased ?? 0));
    expect(total('excluded')).toBe(sum((o) => o.excluded ?? 0));
    expect(total('registered')).toBe(sum((o) => (o.active ?? 0) + (o.pending ?? 0)));
  });

  it('refuses a store that holds real patients or accounts, unless forced', async () => {
    const r = register.current;
    await createFacility(r, 'real-1');
    await r.store.upsert('reference', 'facility:real-1', () => ({
      _id: 'facility:real-1',
      type: 'facility',
      id: 'real-1',
      name: 'Хоспис',
      active: true,
      createdBy: 'admin',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedBy: 'admin',
      updatedAt: '2026-01-01T00:00:00.000Z',
    }));
    const realPatient = await generateFacility({
      seed: 1,
      facilityId: 'real-1',
      patients: 1,
      keys: await TestFacilityKeys.create(),
      doctor: 'doctor-real',
      nurse: 'doctor-real',
    });
    await r.store.expect('POST', '/facility-real-1/_bulk_docs', { docs: realPatient.docs, new_edits: false });
    const refused = await runDemo(options()).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RealDataError);
    expect(String((refused as Error).message)).toContain('facility-real-1: 1 patient');
    expect(String((refused as Error).message)).toContain('--force');

    await createUser(r, { name: 'ivanova', password: 'Long-enough-pass-2026', roles: ['nurse', 'facility:real-1'] });
    const accounts = await runDemo(options()).catch((error: unknown) => error);
    expect(String((accounts as Error).message)).toContain('ivanova');

    const forced = await runDemo(options({ force: true }));
    expect(forced.facilities.every((facility) => facility.alreadyThere)).toBe(true);
  });

  it("replaces the administrator's one-time password as the first login does, and prints the new one", async () => {
    const r = register.current;
    await changeUserDoc(r, 'admin', (doc) => ({ ...doc, mustChangePassword: true }));
    const run = await runDemo(options({ force: true }));
    const newPassword = run.administrator.newPassword ?? '';
    expect(newPassword).not.toBe('');
    expect(formatReport(run)).toContain(newPassword);
    const answer = await postSession(r.url, 'admin', await deriveAuthKey(r.deploymentId, 'admin', newPassword));
    expect(answer.status).toBe(200);
    expect((answer.json as { mustChangePassword?: boolean }).mustChangePassword).not.toBe(true);
  });
});
