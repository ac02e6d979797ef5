/**
 * The server's own connection to the store (embedded or external CouchDB), as its server admin with basic auth.
 * Used by provisioning, the session resolver, the admin API and reports — never by browser requests, which go
 * through the gateway with the user's own session.
 */
import { StoreUnavailableError } from './errors.ts';

export interface StoreResponse<T = unknown> {
  status: number;
  body: T;
}

/** A store answer that was neither success nor an expected status. */
export class StoreError extends Error {
  constructor(
    readonly status: number,
    readonly storeError: string,
    reason: string,
  ) {
    super(`store answered ${status} ${storeError}: ${reason}`);
    this.name = 'StoreError';
  }
}

export class StoreClient {
  private readonly authorization: string;

  constructor(
    readonly baseUrl: string,
    adminUser: string,
    adminPassword: string,
  ) {
    this.authorization = 'Basic ' + Buffer.from(`${adminUser}:${adminPassword}`).toString('base64');
  }

  /** One request as server admin; network failures become StoreUnavailableError. */
  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<StoreResponse<T>> {
    let response: Response;
    try {
      response = await fetch(this.baseUrl + path, {
        method,
        headers: {
          authorization: this.authorization,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: signal ?? null,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new StoreUnavailableError(`The data store at ${this.baseUrl} is not reachable.`);
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = { error: 'bad_response', reason: text.slice(0, 200) };
    }
    return { status: response.status, body: parsed as T };
  }

  /** Like request, but anything other than 2xx or the listed statuses throws StoreError. */
  async expect<T = unknown>(
    method: string,
    path: string,
    body: unknown,
    okStatuses: number[] = [],
  ): Promise<StoreResponse<T>> {
    const result = await this.request<T>(method, path, body);
    if ((result.status >= 200 && result.status < 300) || okStatuses.includes(result.status)) return result;
    const error = (result.body ?? {}) as { error?: string; reason?: string };
    throw new StoreError(result.status, error.error ?? 'unknown', error.reason ?? '');
  }

  /** A document, or null when it does not exist. */
  async getDoc<T>(db: string, id: string): Promise<T | null> {
    const result = await this.request<T>('GET', `/${encodeURIComponent(db)}/${encodeDocId(id)}`);
    if (result.status === 404) return null;
    if (result.status >= 300) throw new StoreError(result.status, 'get_failed', `${db}/${id}`);
    return result.body;
  }

  /** Writes a document, retrying once on a conflict with a fresh read through `change`. */
  async upsert<T extends { _id: string; _rev?: string }>(
    db: string,
    id: string,
    change: (current: T | null) => T | null,
  ): Promise<boolean> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const current = await this.getDoc<T>(db, id);
      const next = change(current);
      if (!next) return false;
      const result = await this.request('PUT', `/${encodeURIComponent(db)}/${encodeDocId(id)}`, {
        ...next,
        _id: id,
        ...(current?._rev ? { _rev: current._rev } : {}),
      });
      if (result.status === 409) continue;
      if (result.status >= 300) {
        const error = (result.body ?? {}) as { error?: string; reason?: string };
        throw new StoreError(result.status, error.error ?? 'unknown', error.reason ?? '');
      }
      return true;
    }
    throw new StoreError(409, 'conflict', `${db}/${id} kept changing`);
  }
}

/** Encodes a document id for a URL, keeping the `_design/` and `_local/` prefixes readable as CouchDB expects. */
export function encodeDocId(id: string): string {
  for (const prefix of ['_design/', '_local/']) {
    if (id.startsWith(prefix)) return prefix + encodeURIComponent(id.slice(prefix.length));
  }
  return encodeURIComponent(id);
}
