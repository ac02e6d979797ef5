/**
 * A person's merge of two (or more) versions of one record: per field that differs, the version to take. The
 * merged document starts from the version the store shows now (the winner) and takes each chosen field whole, so
 * nothing is invented — a dated history is taken as one list, a sealed value as its envelope, which stays valid
 * because it is bound to this document and field, not to a revision (common/keys/sealed-fields.ts).
 *
 * Before anything is written it is checked with the same structural validation the store runs
 * (common/records, bundled into the design document), so an impossible combination is shown next to the field
 * rather than found later among refused writes. Writing goes through FacilitySync.resolveConflict, which copies
 * every losing revision into a `conflict-resolved` audit event before deleting it, as picking a version does.
 * Passports are one sealed value: a merge would have to open, combine and seal again, so they are pick-only.
 */
import { validateFacilityDoc, type ValidationError } from '../../../common/records/index.ts';

/** Fields every write changes, or the store keeps: never offered for a choice. */
const BOOKKEEPING = new Set(['_id', '_rev', '_conflicts', '_revisions', '_deleted', 'type', 'updatedBy', 'updatedAt']);
/** Fields that are one sealed passport: never merged field by field. */
const SEALED_PASSPORT = new Set(['v', 'kid', 'iv', 'ct']);

export type VersionDoc = Readonly<Record<string, unknown>> & { _id: string; _rev: string };

/** Whether versions of this document can be merged field by field. */
export function canMerge(id: string): boolean {
  const type = id.split(':')[0];
  return type === 'patient' || type === 'visit' || type === 'prescription';
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The fields a person may see and choose, sorted. */
export function shownFields(versions: readonly VersionDoc[]): string[] {
  return [...new Set(versions.flatMap((version) => Object.keys(version)))]
    .filter((field) => !BOOKKEEPING.has(field) && !SEALED_PASSPORT.has(field))
    .sort();
}

/** The fields whose values differ between versions (compared raw). */
export function differingFields(versions: readonly VersionDoc[]): string[] {
  return shownFields(versions).filter((field) =>
    versions.some((version) => !same(version[field], versions[0]?.[field])),
  );
}

export interface MergeWriter {
  login: string;
  /** ISO time of the write. */
  at: string;
}

/**
 * The merged document: the winner (`versions[0]`) with each chosen field taken from the version at the index
 * chosen (a missing choice keeps the winner's value), written by `writer`. Without `_rev`: resolveConflict puts it
 * on the revision it keeps.
 */
export function mergedVersion(
  versions: readonly VersionDoc[],
  choices: Readonly<Record<string, number>>,
  writer: MergeWriter,
): Record<string, unknown> & { _id: string } {
  const winner = versions[0];
  if (!winner) throw new Error('no versions to merge');
  const taken = new Map<string, unknown>();
  for (const field of differingFields(versions)) {
    const source = versions[choices[field] ?? 0] ?? winner;
    taken.set(field, structuredClone(source[field]));
  }
  const fields = new Set([...Object.keys(winner), ...taken.keys()]);
  const merged: Record<string, unknown> = {};
  for (const key of fields) {
    if (key === '_rev' || key === '_conflicts' || key === '_revisions') continue;
    const value = taken.has(key) ? taken.get(key) : winner[key];
    if (value !== undefined) merged[key] = value;
  }
  merged.updatedBy = writer.login;
  merged.updatedAt = writer.at;
  return { ...merged, _id: winner._id };
}

/** Problems of the merged document, as the store would find them, by field (the top-level field they sit in). */
export function mergeProblems(merged: Record<string, unknown>, today: string): Record<string, string[]> {
  const problems: Record<string, string[]> = {};
  for (const error of validateFacilityDoc(merged, today) as ValidationError[]) {
    const field = error.field.split(/[.[]/)[0] || '';
    (problems[field] ??= []).push(error.message);
  }
  return problems;
}
