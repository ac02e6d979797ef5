/**
 * The admin API over HTTP (`/api/admin/*`, session cookie, admin role). Failures become NetworkError or ApiError;
 * a 400 that names the field it refuses becomes FieldError, so that the form shows the message next to that field.
 */
import { ApiError } from '../http/api-errors.ts';
import { requestJson } from '../http/request-json.ts';
import type { SignedKeyCopy, WrappedSigningKey } from '../../common/keys/index.ts';
import {
  isAuditEvent,
  isFacility,
  isFacilityKeysDoc,
  isKeyRecipients,
  isPendingKeyConfirmation,
  isRecord,
  isStaffMember,
  type AdminApi,
  type AuditEvent,
  type AuditFilter,
  type Credentials,
  type Facility,
  type FacilityChange,
  type FacilityKeysDoc,
  type KeyRecipients,
  type NewEpoch,
  type PendingKeyConfirmation,
  type NewFacility,
  type NewStaffMember,
  type StaffChange,
  type StaffFilter,
  type StaffMember,
} from './admin-types.ts';

export { FieldError } from '../http/api-errors.ts';

type Fetch = typeof fetch;
const REQUEST_TIMEOUT_MS = 20_000;

function query(params: Readonly<Record<string, string | number | undefined>>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

function listOf<T>(body: unknown, key: string, guard: (item: unknown) => item is T): T[] {
  const list = isRecord(body) ? body[key] : undefined;
  if (!Array.isArray(list)) throw new ApiError(502, 'bad_answer', `The server sent no ${key} list.`);
  return list.filter(guard);
}

export class HttpAdminApi implements AdminApi {
  readonly #fetch: Fetch;
  #deploymentId: string | null = null;

  constructor(fetchImpl: Fetch = (input, init) => globalThis.fetch(input, init)) {
    this.#fetch = fetchImpl;
  }

  #request(method: string, path: string, body?: unknown): Promise<unknown> {
    return requestJson(this.#fetch, method, path, body, REQUEST_TIMEOUT_MS);
  }

  async deploymentId(): Promise<string> {
    if (this.#deploymentId) return this.#deploymentId;
    const body = await this.#request('GET', '/api/config');
    if (!isRecord(body) || typeof body.deploymentId !== 'string' || body.deploymentId === '') {
      throw new ApiError(502, 'bad_config', 'The server configuration has no deploymentId.');
    }
    this.#deploymentId = body.deploymentId;
    return body.deploymentId;
  }

  async listFacilities(): Promise<Facility[]> {
    return listOf(await this.#request('GET', '/api/admin/facilities'), 'facilities', isFacility);
  }

  async createFacility(facility: NewFacility): Promise<void> {
    await this.#request('POST', '/api/admin/facilities', facility);
  }

  async updateFacility(id: string, change: FacilityChange): Promise<void> {
    await this.#request('PATCH', `/api/admin/facilities/${encodeURIComponent(id)}`, change);
  }

  async listStaff(filter: StaffFilter = {}): Promise<StaffMember[]> {
    const path = `/api/admin/staff${query({ q: filter.q, role: filter.role, facility: filter.facility, status: filter.status })}`;
    return listOf(await this.#request('GET', path), 'staff', isStaffMember);
  }

  async createStaff(member: NewStaffMember): Promise<void> {
    await this.#request('POST', '/api/admin/staff', member);
  }

  async updateStaff(login: string, change: StaffChange): Promise<void> {
    await this.#request('PATCH', `/api/admin/staff/${encodeURIComponent(login)}`, change);
  }

  async disableStaff(login: string): Promise<void> {
    await this.#request('POST', `/api/admin/staff/${encodeURIComponent(login)}/disable`, {});
  }

  async enableStaff(login: string, credentials: Credentials): Promise<void> {
    await this.#request('POST', `/api/admin/staff/${encodeURIComponent(login)}/enable`, credentials);
  }

  async resetStaff(login: string, credentials: Credentials): Promise<void> {
    await this.#request('POST', `/api/admin/staff/${encodeURIComponent(login)}/reset`, credentials);
  }

  async listKeyConfirmations(): Promise<PendingKeyConfirmation[]> {
    return listOf(await this.#request('GET', '/api/admin/key-confirmations'), 'pending', isPendingKeyConfirmation);
  }

  async facilityKeys(facilityId: string): Promise<FacilityKeysDoc | null> {
    try {
      const doc = await this.#request('GET', `/db/reference/${encodeURIComponent(`facility-keys:${facilityId}`)}`);
      return isFacilityKeysDoc(doc) ? doc : null;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  }

  async issueKeyCopies(login: string, copies: SignedKeyCopy[]): Promise<void> {
    await this.#request('POST', `/api/admin/staff/${encodeURIComponent(login)}/key-copies`, { copies });
  }

  async keyRecipients(facilityId: string): Promise<KeyRecipients> {
    const body = await this.#request('GET', `/api/admin/facilities/${encodeURIComponent(facilityId)}/key-recipients`);
    if (!isKeyRecipients(body)) throw new ApiError(502, 'bad_answer', 'The server sent no key recipients.');
    return body;
  }

  async startEpoch(facilityId: string, epoch: NewEpoch): Promise<{ epoch: number; members: number; retireAt: string }> {
    const body = await this.#request('POST', `/api/admin/facilities/${encodeURIComponent(facilityId)}/epochs`, epoch);
    if (!isRecord(body) || typeof body.epoch !== 'number' || typeof body.retireAt !== 'string')
      throw new ApiError(502, 'bad_answer', 'The server did not confirm the new epoch.');
    return { epoch: body.epoch, members: typeof body.members === 'number' ? body.members : 0, retireAt: body.retireAt };
  }

  async takeCustody(
    facilityId: string,
    custody: { signingKey: WrappedSigningKey; epochKeys: SignedKeyCopy[] },
  ): Promise<{ epochs: number[] }> {
    const body = await this.#request(
      'POST',
      `/api/admin/facilities/${encodeURIComponent(facilityId)}/custody`,
      custody,
    );
    const epochs = isRecord(body) && Array.isArray(body.epochs) ? body.epochs : [];
    return { epochs: epochs.filter((epoch): epoch is number => typeof epoch === 'number') };
  }

  async listAudit(filter: AuditFilter = {}): Promise<AuditEvent[]> {
    const path = `/api/admin/audit${query({ login: filter.login, event: filter.event, from: filter.from, to: filter.to, limit: filter.limit })}`;
    return listOf(await this.#request('GET', path), 'events', isAuditEvent);
  }
}
