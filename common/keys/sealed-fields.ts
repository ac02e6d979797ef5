/**
 * Where sealed values sit in facility documents, and the context each is sealed under (sealed-document.ts):
 *
 * - a passport document is itself the sealed value: docId = its `_id`, purpose `passport`;
 * - any other sealed value is a field of a record, visit or prescription (a note, a prescription number, a reason):
 *   docId = `<_id>#<field name>` (the last key of its path), purpose by that name — `number` → `prescription-number`,
 *   `reason` → `reason`, anything else → `note`.
 *
 * One rule for every writer and reader — the repository that seals before `put`, the administrator's re-encryption
 * after a revocation — so a value sealed by one opens in the other. The field name (not its position in a list) is
 * bound, so reordering a dated history does not break decryption; a value moved to another document never opens.
 */
import { isSealedDocument, type DocumentContext, type SealedDocument } from './sealed-document.ts';
import type { ContentPurpose } from './epoch-keys.ts';
import { parseKeyId } from './epoch-keys.ts';

export type SealedPath = (string | number)[];

export interface SealedValue {
  path: SealedPath;
  sealed: SealedDocument;
}

/** The purpose whose content key seals the field named `field`. */
export function purposeOfField(field: string): ContentPurpose {
  if (field === 'number') return 'prescription-number';
  if (field === 'reason') return 'reason';
  return 'note';
}

/** The document id and purpose a sealed value at `path` in document `docId` is bound to (empty path: a passport). */
export function sealedContext(docId: string, path: SealedPath): { docId: string; purpose: ContentPurpose } {
  const field = [...path].reverse().find((part): part is string => typeof part === 'string');
  if (path.length === 0 || field === undefined) return { docId, purpose: 'passport' };
  return { docId: `${docId}#${field}`, purpose: purposeOfField(field) };
}

/** Every sealed value in a document (the document itself when it is a passport), depth first. */
export function findSealedValues(doc: unknown): SealedValue[] {
  const found: SealedValue[] = [];
  const walk = (value: unknown, path: SealedPath): void => {
    if (typeof value !== 'object' || value === null) return;
    if (isSealedDocument(value)) {
      found.push({ path, sealed: value });
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, [...path, index]));
      return;
    }
    for (const [key, member] of Object.entries(value)) {
      if (!key.startsWith('_')) walk(member, [...path, key]);
    }
  };
  walk(doc, []);
  return found;
}

/** The epoch of a sealed value from its `kid`, or null when the kid does not name this facility. */
export function sealedEpoch(sealed: SealedDocument, facilityId: string): number | null {
  const parsed = parseKeyId(sealed.kid);
  return parsed?.facilityId === facilityId ? parsed.epoch : null;
}

/** The full decryption context of a sealed value found in a document of `facilityId`. */
export function contextOf(
  facilityId: string,
  docId: string,
  value: SealedValue,
): (DocumentContext & { purpose: ContentPurpose }) | null {
  const epoch = sealedEpoch(value.sealed, facilityId);
  if (epoch === null) return null;
  return { facilityId, epoch, ...sealedContext(docId, value.path) };
}

/** A copy of `doc` with the value at `path` replaced (the empty path replaces the sealed part of a passport). */
export function withSealedValue<T>(doc: T, path: SealedPath, sealed: SealedDocument): T {
  if (path.length === 0) return { ...(doc as object), ...sealed } as T;
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = copy;
  for (const part of path.slice(0, -1)) parent = parent[part] as Record<string | number, unknown>;
  parent[path[path.length - 1] as string | number] = sealed;
  return copy as T;
}
