/**
 * Whether a failed local write means the device's storage is full. The browser refuses an IndexedDB transaction
 * that would pass the origin's quota with a `QuotaExceededError`; PouchDB's IndexedDB adapter passes it on as a 500
 * whose reason is that name (`indexed_db_went_bad`, reason `QuotaExceededError`), and layers above may wrap it. The
 * person must then be told plainly that nothing was saved because the device is full — not "try again" — while the
 * transaction was aborted as a whole, so what was stored before stays intact (test/e2e/faults-quota.e2e.test.ts).
 *
 * PouchDB's IndexedDB adapter also treats that abort as a failure of the whole database: it closes its connection,
 * and every later call on the same instance fails with some other error whose `reason` is the original
 * `QuotaExceededError` itself (an object, not a string) — so a second save on a full device is recognised too.
 */

const QUOTA = /quota/i;

export function isStorageFull(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const fields = error as { name?: unknown; reason?: unknown; message?: unknown; cause?: unknown };
  for (const value of [fields.name, fields.reason, fields.message])
    if (typeof value === 'string' && QUOTA.test(value)) return true;
  return isStorageFull(fields.reason, depth + 1) || isStorageFull(fields.cause, depth + 1);
}
