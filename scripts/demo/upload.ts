/**
 * Sends generated documents to a running register through its gateway, as members' devices do when they push:
 * `POST /db/facility-<id>/_bulk_docs` with `new_edits: false`, so the revisions the records layer made (and their
 * histories) are kept, under each member's own session — the facility's design document accepts a revision only
 * from the member it names. Rounds (`phases`) go in order, because a later round continues documents the earlier
 * one left on the server; within a round, batches of `batchSize`. Any refused document stops the upload with the
 * store's reason: nothing is dropped silently.
 */
import { facilityDatabase } from '../../common/roles.ts';
import type { GeneratedFacility } from './generate.ts';

export interface RefusedDocument {
  id: string;
  error: string;
  reason: string;
}

/** The store refused documents (the design document's reasons, one per document). */
export class UploadRefusedError extends Error {
  override name = 'UploadRefusedError';
  constructor(
    readonly facilityId: string,
    readonly refused: readonly RefusedDocument[],
  ) {
    const first = refused[0];
    super(
      `facility-${facilityId} refused ${refused.length} document(s)` +
        (first ? `, first ${first.id}: ${first.error} — ${first.reason}` : ''),
    );
  }
}

export interface UploadResult {
  documents: number;
  requests: number;
}

/** One session cookie for every writer, or one per login (`{"doctor-demo-1": "rp_session=…", …}`). */
export type UploadSessions = string | Readonly<Record<string, string>>;

function cookieFor(sessions: UploadSessions, login: string): string {
  if (typeof sessions === 'string') return sessions;
  const cookie = sessions[login];
  if (!cookie) throw new Error(`No session for ${login}, who wrote documents of this facility.`);
  return cookie;
}

async function postBatch(baseUrl: string, cookie: string, facilityId: string, docs: readonly unknown[]): Promise<void> {
  const url = `${baseUrl.replace(/\/+$/, '')}/db/${facilityDatabase(facilityId)}/_bulk_docs`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ docs, new_edits: false }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`_bulk_docs into facility-${facilityId}: ${response.status} ${text}`);
  const rows = JSON.parse(text) as { id?: string; error?: string; reason?: string }[];
  const refused = rows
    .filter((row) => row.error !== undefined)
    .map((row) => ({ id: row.id ?? '?', error: row.error ?? '', reason: row.reason ?? '' }));
  if (refused.length > 0) throw new UploadRefusedError(facilityId, refused);
}

/**
 * Uploads what `generateFacility` (or one chunk of `generateFacilityChunks`) made. `sessions`: the gateway
 * session cookie of each member who wrote (a single cookie only when one member wrote everything). Within a round
 * the documents are independent, so `concurrency` batches are in flight at once (the store validates each
 * document in its own process).
 */
export async function uploadFacility(
  baseUrl: string,
  sessions: UploadSessions,
  generated: Pick<GeneratedFacility, 'facilityId' | 'phases'>,
  batchSize = 1000,
  concurrency = 2,
): Promise<UploadResult> {
  const result: UploadResult = { documents: 0, requests: 0 };
  for (const phase of generated.phases) {
    const batches: { cookie: string; docs: unknown[] }[] = [];
    for (const { login, docs } of phase) {
      const cookie = cookieFor(sessions, login);
      for (let start = 0; start < docs.length; start += batchSize) {
        batches.push({ cookie, docs: docs.slice(start, start + batchSize) });
      }
    }
    const send = async (): Promise<void> => {
      for (let batch = batches.shift(); batch; batch = batches.shift()) {
        await postBatch(baseUrl, batch.cookie, generated.facilityId, batch.docs);
        result.requests += 1;
        result.documents += batch.docs.length;
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, send));
  }
  return result;
}
