/**
 * The repository's writes into the device database: single `put`s, the get → change → put retry when another write
 * came first (409), and the device-side audit events. It remembers the revisions it wrote, so that the changes feed
 * does not announce them a second time (the repository has already taken them into memory).
 */
import { validateAuditEvent } from '../../common/records/audit-event.ts';
import { errorStatus, getOrNull, type FacilityDatabase, type StoredDoc } from './facility-database.ts';
import { auditEvent, prefixed, type Writer } from './record-documents.ts';
import { RecordValidationError } from './records-api.ts';
import type { AuditAction, AuditEvent } from './records-types.ts';

const MAX_ATTEMPTS = 3;

/** The document asked for is not on this device. */
export class RecordNotFoundError extends Error {
  override name = 'RecordNotFoundError';
}

export class DocumentWriter {
  readonly #db: FacilityDatabase;
  readonly #writer: () => Writer;
  readonly #device: string | undefined;
  readonly #written = new Set<string>();
  /** Whether to remember revisions (only while the changes feed runs). */
  remember = false;

  constructor(db: FacilityDatabase, writer: () => Writer, device: string | undefined) {
    this.#db = db;
    this.#writer = writer;
    this.#device = device;
  }

  async put<T extends { _id: string; _rev?: string }>(doc: T): Promise<T & { _rev: string }> {
    const result = await this.#db.put(doc as unknown as StoredDoc);
    if (this.remember) this.#written.add(`${doc._id}@${result.rev}`);
    return { ...doc, _rev: result.rev };
  }

  /**
   * Writes documents that belong together in one `bulkDocs` — one IndexedDB transaction in PouchDB's adapter — so
   * that a crash or a full disk leaves all of them or none (a patient record without its passport would be a
   * patient nobody can name). Throws the first refusal, with its status, like a single `put`.
   */
  async putAll<T extends { _id: string; _rev?: string }>(docs: readonly T[]): Promise<(T & { _rev: string })[]> {
    const rows = await this.#db.bulkDocs(docs as unknown as StoredDoc[]);
    const refused = rows.find((row) => row.error !== undefined && row.error !== false);
    if (refused || rows.length !== docs.length) {
      const problem = new Error(refused?.message ?? refused?.reason ?? 'The documents were not written.');
      Object.assign(problem, { status: refused?.status ?? 500, name: refused?.name ?? 'bulk_docs_failed' });
      throw problem;
    }
    return docs.map((doc, index) => {
      const rev = rows[index]?.rev as string;
      if (this.remember) this.#written.add(`${doc._id}@${rev}`);
      return { ...doc, _rev: rev };
    });
  }

  /** Reads, changes and writes a document, reading again when another write came first (409). */
  async update<T extends { _id: string; _rev?: string }>(
    id: string,
    change: (current: T & { _rev: string }) => Promise<T>,
  ): Promise<T & { _rev: string }> {
    for (let attempt = 1; ; attempt += 1) {
      const current = await getOrNull(this.#db, id);
      if (!current) throw new RecordNotFoundError(`No document ${id} on this device.`);
      const next = await change(current as unknown as T & { _rev: string });
      try {
        return await this.put({ ...next, _rev: current._rev });
      } catch (error) {
        if (errorStatus(error) !== 409 || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /** Writes an audit event about one revision of one document: ids and flags only. */
  async audit(
    action: AuditAction,
    target: { docId: string; rev?: string },
    details?: AuditEvent['details'],
  ): Promise<void> {
    const event = auditEvent(action, target, this.#writer(), crypto.randomUUID(), this.#device, details);
    const problems = prefixed('audit', validateAuditEvent(event));
    if (problems.length > 0) throw new RecordValidationError(problems);
    await this.put(event);
  }

  /** True (once) when this revision was written here. */
  wrote(id: string, rev: string | undefined): boolean {
    return rev !== undefined && this.#written.delete(`${id}@${rev}`);
  }

  forget(): void {
    this.#written.clear();
  }
}
