/**
 * The reference books as the administrator reads and writes them: plain requests to the `reference` database
 * through the gateway (`/db/reference`, admins may write). Every document is validated with
 * common/reference/validation.ts before it is written; nothing is ever deleted (entries are deactivated).
 */
import { ApiError, NetworkError } from '../http/api-errors.ts';
import { validateReferenceDoc, type ReferenceDoc, type ValidationError } from '../../common/reference/types.ts';
import { isRecord } from './admin-types.ts';

/** A document refused by the shared validation before it left the browser. */
export class InvalidReferenceDocError extends Error {
  override name = 'InvalidReferenceDocError';
  constructor(readonly errors: ValidationError[]) {
    super(errors.map((error) => `${error.field}: ${error.message}`).join('; '));
  }
}

export interface ReferenceStore {
  /** Every document whose id starts with `prefix` (e.g. `medicament:`), in id order. */
  list(prefix: string): Promise<unknown[]>;
  /** Writes a validated document and returns it with its new revision. */
  put<T extends ReferenceDoc>(doc: T): Promise<T>;
}

type Fetch = typeof fetch;
const BASE = '/db/reference';

export class HttpReferenceStore implements ReferenceStore {
  readonly #fetch: Fetch;

  constructor(fetchImpl: Fetch = (input, init) => globalThis.fetch(input, init)) {
    this.#fetch = fetchImpl;
  }

  async #json(path: string, init: RequestInit = {}): Promise<unknown> {
    let response: Response;
    try {
      response = await this.#fetch(path, { credentials: 'same-origin', ...init });
    } catch (error) {
      throw new NetworkError(error instanceof Error ? error.message : 'The server cannot be reached.');
    }
    const body: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const code = isRecord(body) && typeof body.error === 'string' ? body.error : 'http_error';
      const reason = isRecord(body) && typeof body.reason === 'string' ? body.reason : response.statusText;
      throw new ApiError(response.status, code, reason);
    }
    return body;
  }

  async list(prefix: string): Promise<unknown[]> {
    const params = new URLSearchParams({
      include_docs: 'true',
      startkey: JSON.stringify(prefix),
      endkey: JSON.stringify(`${prefix}\ufff0`),
    });
    const body = await this.#json(`${BASE}/_all_docs?${params.toString()}`, {
      headers: { accept: 'application/json' },
    });
    const rows = isRecord(body) && Array.isArray(body.rows) ? body.rows : [];
    return rows
      .map((row: unknown) => (isRecord(row) ? row.doc : undefined))
      .filter((doc) => doc !== undefined && doc !== null);
  }

  async put<T extends ReferenceDoc>(doc: T): Promise<T> {
    const errors = validateReferenceDoc(doc);
    if (errors.length > 0) throw new InvalidReferenceDocError(errors);
    const body = await this.#json(`${BASE}/${encodeURIComponent(doc._id)}`, {
      method: 'PUT',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify(doc),
    });
    const rev = isRecord(body) && typeof body.rev === 'string' ? body.rev : doc._rev;
    return rev === undefined ? doc : { ...doc, _rev: rev };
  }
}
