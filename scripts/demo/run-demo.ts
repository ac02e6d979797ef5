/**
 * `npm run demo`: fills a running register with demo facilities, staff and synthetic patients through the app's
 * own client modules — the administrator's pages' key handling, the members' first login, the records layer —
 * so that passports are sealed exactly as in real use and every document passes the design documents. See
 * main.ts for the command line and README for what it makes.
 *
 * Re-running is safe: a demo facility that already holds patients is left as it is ("already there"), existing
 * staff are signed in with `DEMO_PASSWORD` rather than made again, and nothing is written beside real data.
 */
import { createFacilityKeys } from '../../client/admin/facility-keys.ts';
import { generateOneTimePassword } from '../../client/admin/one-time-password.ts';
import { passwordScore, MIN_PASSWORD_SCORE } from '../../client/services/password-strength.ts';
import { KARELIA_DISTRICTS } from '../../common/reference/districts-karelia.ts';
import { facilityDatabase, type StaffRole } from '../../common/roles.ts';
import type { EcPublicKeyJwk } from '../../common/keys/index.ts';
import { signInAdministrator, type DemoAdministrator } from './administrator.ts';
import { DEFAULT_TODAY, generateFacilityChunks, type GeneratedCounts } from './generate.ts';
import {
  MemberLoginError,
  confirmMembers,
  enrolMember,
  memberKeys,
  signInMember,
  type DemoAccount,
  type SignedInMember,
} from './members.ts';
import { holdsRealData, inspectStore, patientCount, RealDataError } from './store-check.ts';
import { uploadFacility } from './upload.ts';

export interface DemoOptions {
  baseUrl: string;
  facilities: number;
  patients: number;
  seed: number;
  adminUsername: string;
  adminPassword: string;
  /** The staff's password; unset: one strong password is generated for each and printed. */
  demoPassword?: string;
  today?: string;
  force?: boolean;
  batchSize?: number;
}

export interface DemoFacility {
  id: string;
  name: string;
  database: string;
  /** Made by this run (false: it was there from an earlier one). */
  created: boolean;
  /** Patients were already there: nothing was added. */
  alreadyThere: boolean;
  patients: number;
  counts: GeneratedCounts | null;
  /** The printed recovery code of a facility made by this run. */
  recoveryCode: string | null;
}

export interface DemoLogin {
  login: string;
  role: StaffRole;
  facilityId: string;
  /** Null for an account made by an earlier run whose password this run does not know. */
  password: string | null;
  created: boolean;
}

export interface DemoReport {
  url: string;
  today: string;
  administrator: { login: string; newPassword: string | null; notes: string[] };
  facilities: DemoFacility[];
  logins: DemoLogin[];
  /**
   * The documents this run made; time spent waiting for the generator (which runs ahead while the store is busy)
   * and for the store's answers.
   */
  timing: { documents: number; generateMs: number; uploadMs: number };
}

/** Refused input: a weak DEMO_PASSWORD, a re-run that cannot sign existing staff in. */
export class DemoInputError extends Error {
  override name = 'DemoInputError';
}

const PLACES = ['petrozavodsk', 'kondopozhsky', 'segezhsky', 'sortavalsky', 'kostomuksha', 'medvezhyegorsky'];

function facilityName(index: number): { name: string; districtId: string } {
  const slug = PLACES[(index - 1) % PLACES.length] ?? 'petrozavodsk';
  const district = KARELIA_DISTRICTS.find((item) => item.slug === slug);
  return {
    name: `Демо ${index}: паллиативная служба, ${district?.centre ?? 'Петрозаводск'}`,
    districtId: slug,
  };
}

function accountsOf(facilityId: string): DemoAccount[] {
  const roles: [StaffRole, string][] = [
    ['doctor', 'Врач'],
    ['nurse', 'Медсестра'],
    ['analyst', 'Аналитик'],
  ];
  return roles.map(([role, title]) => ({
    login: `${role}-${facilityId}`,
    displayName: `${title} (демо, ${facilityId})`,
    role,
    facilityId,
    facilities: role === 'analyst' ? [] : [facilityId],
  }));
}

async function checkedDemoPassword(password: string | undefined): Promise<string | undefined> {
  if (password === undefined || password === '') return undefined;
  if ((await passwordScore(password, ['demo', 'демо'])) < MIN_PASSWORD_SCORE) {
    throw new DemoInputError(
      'DEMO_PASSWORD слишком простой (нужна оценка zxcvbn ≥ 3) · DEMO_PASSWORD is too weak (zxcvbn score 3 or more).',
    );
  }
  return password;
}

/** Makes (or finds) one demo facility with its staff, signed in; returns the facility and its members. */
async function facilityWithStaff(
  admin: DemoAdministrator,
  options: DemoOptions,
  index: number,
  existing: { facilities: Set<string>; logins: Set<string> },
  demoPassword: string | undefined,
  logins: DemoLogin[],
): Promise<{ facility: DemoFacility; members: Map<StaffRole, SignedInMember> }> {
  const api = admin.session.adminApi();
  const id = `demo-${index}`;
  const { name, districtId } = facilityName(index);
  let recoveryCode: string | null = null;
  if (!existing.facilities.has(id)) {
    const made = await createFacilityKeys(id, admin.own);
    await api.createFacility({ id, name, shortName: `Демо ${index}`, districtId, keys: made.keys });
    recoveryCode = made.recoveryCode;
  }
  const keys = await api.facilityKeys(id);
  const signingKeys: Record<string, EcPublicKeyJwk> = keys ? { [id]: keys.signingPublicKey } : {};
  const members = new Map<StaffRole, SignedInMember>();
  for (const account of accountsOf(id)) {
    if (existing.logins.has(account.login)) {
      // Made by an earlier run: signed in with DEMO_PASSWORD when that is their password, else left as they are.
      const member =
        demoPassword === undefined
          ? null
          : await signInMember(options.baseUrl, admin.deploymentId, account, demoPassword).catch((error: unknown) => {
              if (error instanceof MemberLoginError) return null;
              throw error;
            });
      if (member) members.set(account.role, member);
      logins.push({
        login: account.login,
        role: account.role,
        facilityId: id,
        password: member ? (demoPassword ?? null) : null,
        created: false,
      });
      continue;
    }
    const password = demoPassword ?? generateOneTimePassword();
    members.set(
      account.role,
      await enrolMember(
        api,
        options.baseUrl,
        admin.deploymentId,
        account,
        password,
        account.facilities.length > 0 ? signingKeys : {},
      ),
    );
    logins.push({ login: account.login, role: account.role, facilityId: id, password, created: true });
  }
  const facility: DemoFacility = {
    id,
    name,
    database: facilityDatabase(id),
    created: recoveryCode !== null,
    alreadyThere: false,
    patients: 0,
    counts: null,
    recoveryCode,
  };
  return { facility, members };
}

export async function runDemo(
  options: DemoOptions,
  progress: (line: string) => void = () => undefined,
): Promise<DemoReport> {
  const demoPassword = await checkedDemoPassword(options.demoPassword);
  const today = options.today ?? DEFAULT_TODAY;
  progress(`Вход администратора · signing in as ${options.adminUsername} at ${options.baseUrl}`);
  const admin = await signInAdministrator(options.baseUrl, options.adminUsername, options.adminPassword, () =>
    Promise.resolve(demoPassword ?? generateOneTimePassword()),
  );
  const api = admin.session.adminApi();
  const findings = await inspectStore(admin.session, api, admin.login);
  if (holdsRealData(findings) && !options.force) throw new RealDataError(findings);
  const logins: DemoLogin[] = [];
  const prepared: { facility: DemoFacility; members: Map<StaffRole, SignedInMember> }[] = [];
  for (let index = 1; index <= options.facilities; index += 1) {
    progress(`Организация · facility demo-${index}`);
    prepared.push(await facilityWithStaff(admin, options, index, findings, demoPassword, logins));
  }
  const demoLogins = new Set(logins.map((login) => login.login));
  await confirmMembers(api, admin.own, demoLogins);
  const timing = { documents: 0, generateMs: 0, uploadMs: 0 };
  for (const { facility, members } of prepared) {
    const already = findings.demoPatients.get(facility.id) ?? 0;
    if (already > 0) {
      Object.assign(facility, { alreadyThere: true, patients: already });
      progress(
        `${facility.database}: уже есть ${already} пациентов · already holds ${already} patients, nothing added`,
      );
      continue;
    }
    const doctor = members.get('doctor');
    const nurse = members.get('nurse');
    if (!doctor || !nurse) {
      throw new DemoInputError(
        `Сотрудники ${facility.id} созданы ранее: укажите их пароль в DEMO_PASSWORD · The staff of ${facility.id} were made by an earlier run: give their password in DEMO_PASSWORD.`,
      );
    }
    const keys = await memberKeys(doctor, facility.id);
    const sessions = { [doctor.own.login]: doctor.session.cookie ?? '', [nurse.own.login]: nurse.session.cookie ?? '' };
    const chunks = generateFacilityChunks({
      seed: options.seed,
      facilityId: facility.id,
      patients: options.patients,
      keys,
      doctor: doctor.own.login,
      nurse: nurse.own.login,
      today,
    });
    for (;;) {
      const started = performance.now();
      const next = await chunks.next();
      timing.generateMs += performance.now() - started;
      if (next.done) break;
      const chunk = next.value;
      const sent = performance.now();
      await uploadFacility(options.baseUrl, sessions, chunk, options.batchSize ?? 1000);
      timing.uploadMs += performance.now() - sent;
      timing.documents += chunk.counts.documents;
      facility.counts = facility.counts ? addCounts(facility.counts, chunk.counts) : chunk.counts;
      progress(`${facility.database}: ${facility.counts.patients}/${options.patients}`);
    }
    facility.patients = await patientCount(admin.session, facility.id);
  }
  return {
    url: options.baseUrl,
    today,
    administrator: { login: admin.login, newPassword: admin.newPassword, notes: admin.notes },
    facilities: prepared.map(({ facility }) => facility),
    logins,
    timing,
  };
}

function addCounts(a: GeneratedCounts, b: GeneratedCounts): GeneratedCounts {
  return {
    patients: a.patients + b.patients,
    visits: a.visits + b.visits,
    prescriptions: a.prescriptions + b.prescriptions,
    documents: a.documents + b.documents,
    cancelled: a.cancelled + b.cancelled,
    outcomes: {
      active: a.outcomes.active + b.outcomes.active,
      pending: a.outcomes.pending + b.outcomes.pending,
      deceased: a.outcomes.deceased + b.outcomes.deceased,
      excluded: a.outcomes.excluded + b.outcomes.excluded,
    },
  };
}
