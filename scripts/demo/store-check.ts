/**
 * Before the demo writes anything it looks at the store as the administrator sees it, because synthetic patients
 * mixed into a real register would end up in the ministry's reports: facilities the demo did not make (ids other
 * than `demo-<n>`) that hold patients, and accounts other than the administrator and the demo's staff, are real
 * data, and the demo refuses to run beside them unless told to (`--force`).
 */
import type { HttpAdminApi } from '../../client/admin/http-admin-api.ts';
import { facilityDatabase } from '../../common/roles.ts';
import type { BrowserSession } from './browser-session.ts';

export const DEMO_FACILITY = /^demo-\d+$/;
export const DEMO_LOGIN = /^(doctor|nurse|analyst)-demo-\d+$/;

export interface StoreFindings {
  /** Facilities not made by the demo that hold patients, with how many. */
  foreignFacilities: { id: string; patients: number }[];
  /** Accounts other than the administrator's and the demo's staff. */
  foreignAccounts: string[];
  /** Patients in each demo facility already there. */
  demoPatients: Map<string, number>;
  /** Every facility id and login there is. */
  facilities: Set<string>;
  logins: Set<string>;
}

/** The store holds real data: the demo refuses to write beside it (`--force` overrides). */
export class RealDataError extends Error {
  override name = 'RealDataError';
  constructor(readonly findings: StoreFindings) {
    const found = [
      ...findings.foreignFacilities.map(({ id, patients }) => `facility-${id}: ${patients} patient(s)`),
      ...(findings.foreignAccounts.length > 0 ? [`accounts: ${findings.foreignAccounts.join(', ')}`] : []),
    ].join('; ');
    super(
      `В хранилище есть настоящие данные (${found}). Демо ничего не записало; если это всё же нужно, запустите с --force.\n` +
        `The store holds real data (${found}). The demo wrote nothing; run with --force if you really mean it.`,
    );
  }
}

/** Patients (records) in a facility database, read as the administrator through the gateway. */
export async function patientCount(session: BrowserSession, facilityId: string): Promise<number> {
  const range = `startkey=${encodeURIComponent('"patient:"')}&endkey=${encodeURIComponent('"patient:\ufff0"')}`;
  const response = await session.fetch(`/db/${facilityDatabase(facilityId)}/_all_docs?${range}`, {
    headers: { accept: 'application/json' },
  });
  if (response.status === 404) return 0;
  if (!response.ok) throw new Error(`Reading facility-${facilityId}: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { rows?: unknown[] };
  return body.rows?.length ?? 0;
}

export async function inspectStore(
  session: BrowserSession,
  admin: HttpAdminApi,
  administrator: string,
): Promise<StoreFindings> {
  const findings: StoreFindings = {
    foreignFacilities: [],
    foreignAccounts: [],
    demoPatients: new Map(),
    facilities: new Set(),
    logins: new Set(),
  };
  for (const facility of await admin.listFacilities()) {
    findings.facilities.add(facility.id);
    const patients = await patientCount(session, facility.id);
    if (DEMO_FACILITY.test(facility.id)) findings.demoPatients.set(facility.id, patients);
    else if (patients > 0) findings.foreignFacilities.push({ id: facility.id, patients });
  }
  for (const member of await admin.listStaff()) {
    findings.logins.add(member.login);
    if (member.login !== administrator && !DEMO_LOGIN.test(member.login)) findings.foreignAccounts.push(member.login);
  }
  return findings;
}

export function holdsRealData(findings: StoreFindings): boolean {
  return findings.foreignFacilities.length > 0 || findings.foreignAccounts.length > 0;
}
