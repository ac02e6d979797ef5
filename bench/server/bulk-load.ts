/**
 * Loading generated documents into the embedded store the way devices push them: `_bulk_docs` with
 * `new_edits: false` through the gateway, in batches, each batch under the session of the member who wrote its
 * documents (the design document accepts a document only from its author). One request at a time, like one
 * device's push replication. A refused document is counted and reported with its reason, never skipped silently.
 */
import type { UploadPhase } from './stand-in-data.ts';

export interface UploadResult {
  documents: number;
  ms: number;
  requests: number;
  /** The first few refusals, as `id: reason`. */
  refused: string[];
  refusedCount: number;
}

/**
 * Uploads `phases` into facility database `db`: phase after phase (a later one continues documents of an earlier
 * one), each member's documents under their own session (`cookies` by login), in batches of `batchSize`.
 */
export async function uploadPhases(
  baseUrl: string,
  cookies: ReadonlyMap<string, string>,
  db: string,
  phases: readonly UploadPhase[],
  batchSize: number,
): Promise<UploadResult> {
  const result: UploadResult = { documents: 0, ms: 0, requests: 0, refused: [], refusedCount: 0 };
  const started = performance.now();
  for (const phase of phases) {
    for (const { login, docs } of phase) {
      const cookie = cookies.get(login);
      if (!cookie) throw new Error(`no session for ${login}, who wrote ${docs.length} documents`);
      for (let at = 0; at < docs.length; at += batchSize) {
        const batch = docs.slice(at, at + batchSize);
        const response = await fetch(`${baseUrl}/db/${db}/_bulk_docs`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ docs: batch, new_edits: false }),
        });
        result.requests += 1;
        result.documents += batch.length;
        const text = await response.text();
        if (!response.ok) throw new Error(`_bulk_docs into ${db} answered ${response.status}: ${text.slice(0, 300)}`);
        for (const row of JSON.parse(text) as { id?: string; error?: string; reason?: string }[]) {
          if (!row.error) continue;
          result.refusedCount += 1;
          if (result.refused.length < 10) result.refused.push(`${row.id ?? '?'}: ${row.error} ${row.reason ?? ''}`);
        }
      }
    }
  }
  result.ms = performance.now() - started;
  return result;
}
