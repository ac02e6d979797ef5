/**
 * What the load and the benchmarks need before they measure: facility databases (provisioned exactly as the
 * server provisions them, with `_security` and the generated design document), their entries in the reference
 * book (reports list facilities from there), and staff accounts. Accounts are written as the server writes them
 * (`_users` through the store's admin connection); their password is a random `authKey` — the value a device
 * derives from a typed password with Argon2id — because the load is about the gateway, not the derivation.
 * Every request that is measured afterwards goes through the gateway with the member's own session.
 */
import { randomBytes } from 'node:crypto';
import { facilityRole } from '../../common/roles.ts';
import { REFERENCE_DB, USERS_DB } from '../../couch/databases.ts';
import { provisionFacilityDatabase, userDocId, type UserDoc } from '../../couch/provision.ts';
import type { StoreClient } from '../../server/store-client.ts';

export interface BenchAccount {
  login: string;
  /** What the device would send as password: the authKey. */
  authKey: string;
  roles: string[];
}

/** Creates `facility-<id>` and its reference entry; doing it again changes nothing. */
export async function ensureFacility(store: StoreClient, facilityId: string, name = facilityId): Promise<void> {
  await provisionFacilityDatabase(store, facilityId);
  const at = new Date().toISOString();
  await store.upsert(REFERENCE_DB, `facility:${facilityId}`, (current) =>
    current
      ? null
      : {
          _id: `facility:${facilityId}`,
          type: 'facility',
          id: facilityId,
          name,
          active: true,
          createdBy: 'admin',
          createdAt: at,
          updatedBy: 'admin',
          updatedAt: at,
        },
  );
}

/** An active account with `roles` (staff roles and `facility:<id>` memberships). */
export async function ensureAccount(store: StoreClient, login: string, roles: string[]): Promise<BenchAccount> {
  const authKey = randomBytes(32).toString('base64url');
  await store.upsert<UserDoc>(USERS_DB, userDocId(login), (current) => ({
    ...(current ?? {}),
    _id: userDocId(login),
    name: login,
    type: 'user',
    roles,
    password: authKey,
    displayName: `Нагрузка ${login}`,
    status: 'active',
    mustChangePassword: false,
    createdAt: current?.createdAt ?? new Date().toISOString(),
  }));
  return { login, authKey, roles };
}

/** A member of `facilityIds` with a staff role. */
export function ensureMember(
  store: StoreClient,
  login: string,
  role: 'doctor' | 'nurse',
  facilityIds: readonly string[],
): Promise<BenchAccount> {
  return ensureAccount(store, login, [role, ...facilityIds.map(facilityRole)]);
}

/** `POST /db/_session` as the device does; returns the gateway's session cookie (`rp_session=…`). */
export async function logInAt(baseUrl: string, account: Pick<BenchAccount, 'login' | 'authKey'>): Promise<string> {
  const response = await fetch(`${baseUrl}/db/_session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ name: account.login, password: account.authKey }),
  });
  await response.arrayBuffer();
  const cookie = response.headers
    .getSetCookie()
    .find((header) => header.startsWith('rp_session='))
    ?.split(';')[0];
  if (response.status !== 200 || !cookie) throw new Error(`${account.login} could not log in: ${response.status}`);
  return cookie;
}

/** The accounts of a load run: `clients` nurses spread over the facilities in turn, and `reporters` analysts. */
export async function loadAccounts(
  store: StoreClient,
  facilityIds: readonly string[],
  clients: number,
  reporters: number,
): Promise<{ clients: { account: BenchAccount; facilityId: string }[]; reporters: BenchAccount[] }> {
  const devices: { account: BenchAccount; facilityId: string }[] = [];
  for (let n = 0; n < clients; n += 1) {
    const facilityId = facilityIds[n % facilityIds.length] as string;
    devices.push({ account: await ensureMember(store, `load-nurse-${n + 1}`, 'nurse', [facilityId]), facilityId });
  }
  const analysts: BenchAccount[] = [];
  for (let n = 0; n < reporters; n += 1)
    analysts.push(await ensureAccount(store, `load-analyst-${n + 1}`, ['analyst']));
  return { clients: devices, reporters: analysts };
}
