/**
 * The audit events devices write into facility databases, as the administration API lists them
 * (`GET /api/admin/device-audit`, server/admin/device-audit.ts). Kept beside the audit page rather than in the
 * general admin API, because only this page reads them; the type guard is the boundary where the answer comes in.
 * A losing version of a resolved conflict arrives as field names only: the server never sends its content.
 */
import { ApiError } from '../../http/api-errors.ts';
import { requestJson, type Fetch } from '../../http/request-json.ts';
import { AUDIT_ACTIONS, type AuditAction } from '../../../common/records/types.ts';
import type { DeviceAuditEvent, DeviceAuditPage } from '../../../common/records/device-audit.ts';

export type { DeviceAuditEvent, DeviceAuditPage };

const REQUEST_TIMEOUT_MS = 20_000;
export const DEVICE_AUDIT_PAGE = 100;

export interface DeviceAuditFilter {
  facility?: string;
  action?: AuditAction;
  login?: string;
  /** ISO times. */
  from?: string;
  to?: string;
  limit?: number;
  offset?: number;
}

/** What the audit page needs to list device events. */
export interface DeviceAuditApi {
  listDeviceAudit(filter: DeviceAuditFilter): Promise<DeviceAuditPage>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isAuditAction(value: unknown): value is AuditAction {
  return typeof value === 'string' && (AUDIT_ACTIONS as readonly string[]).includes(value);
}

export function isDeviceAuditEvent(value: unknown): value is DeviceAuditEvent {
  if (!isRecord(value)) return false;
  const strings = ['_id', 'facilityId', 'action', 'login', 'at'].every((name) => typeof value[name] === 'string');
  const optional = ['device', 'docId', 'rev'].every(
    (name) => value[name] === undefined || typeof value[name] === 'string',
  );
  const losing = value.losing;
  const losingOk =
    losing === undefined ||
    (isRecord(losing) && Array.isArray(losing.fields) && losing.fields.every((f) => typeof f === 'string'));
  return strings && optional && losingOk && (value.details === undefined || isRecord(value.details));
}

export class HttpDeviceAuditApi implements DeviceAuditApi {
  readonly #fetch: Fetch;

  constructor(fetchImpl: Fetch = (input, init) => globalThis.fetch(input, init)) {
    this.#fetch = fetchImpl;
  }

  async listDeviceAudit(filter: DeviceAuditFilter): Promise<DeviceAuditPage> {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(filter)) {
      if (value !== undefined && value !== '') search.set(name, String(value));
    }
    const query = search.toString();
    const body = await requestJson(
      this.#fetch,
      'GET',
      `/api/admin/device-audit${query ? `?${query}` : ''}`,
      undefined,
      REQUEST_TIMEOUT_MS,
    );
    if (!isRecord(body) || !Array.isArray(body.events)) {
      throw new ApiError(502, 'bad_answer', 'The server sent no events list.');
    }
    const next = body.nextOffset;
    return {
      events: body.events.filter(isDeviceAuditEvent),
      nextOffset: typeof next === 'number' && Number.isInteger(next) ? next : null,
    };
  }
}
