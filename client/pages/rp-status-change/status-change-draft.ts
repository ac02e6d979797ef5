/**
 * A change of a patient's status as chosen in the panel, the records layer's `StatusChange` made from it, and its
 * problems — found by running the shared record validator on the record as it would be with the new entry, so the
 * panel refuses exactly what the repository and the design document refuse (a date before the last change or in
 * the future, a cause of death that is not an ICD-10 code), each next to its own control.
 */
import {
  validatePatientRecord,
  type DeathPlace,
  type ExclusionReason,
  type PatientRecord,
  type PatientStatus,
  type ReferenceLookups,
  type StatusEntry,
  type ValidationError,
} from '../../../common/records/index.ts';
import type { StatusChange } from '../../records/records-api.ts';

export type ChangeKind = 'confirm' | 'exclude' | 'death' | 'transfer';

export interface StatusDraft {
  kind: ChangeKind | '';
  from: string;
  reason: ExclusionReason | '';
  note: string;
  deathDate: string;
  causeCode: string;
  place: DeathPlace | '';
  target: string;
}

/** The controls of the panel that a problem can be shown next to. */
export type StatusField = 'kind' | 'from' | 'reason' | 'note' | 'deathDate' | 'causeCode' | 'place' | 'target';

export function emptyStatusDraft(today: string): StatusDraft {
  return { kind: '', from: today, reason: '', note: '', deathDate: today, causeCode: '', place: '', target: '' };
}

/** What may follow the current status; a doctor alone confirms a pending patient; death is final. */
export function kindsFor(status: PatientStatus | null, isDoctor: boolean): ChangeKind[] {
  switch (status) {
    case 'pending':
      return [...(isDoctor ? (['confirm'] as const) : []), 'exclude', 'death', 'transfer'];
    case 'active':
      return ['exclude', 'death', 'transfer'];
    case 'excluded':
    case 'transferred':
      return ['death'];
    default:
      return [];
  }
}

/** The change for the records layer (free text trimmed; an empty note or cause left out), or null before a choice. */
export function changeOf(draft: StatusDraft): StatusChange | null {
  const note = draft.note.trim();
  const withNote = note === '' ? {} : { note };
  const cause = draft.causeCode.trim();
  switch (draft.kind) {
    case 'confirm':
      return { status: 'active', from: draft.from };
    case 'exclude':
      return { status: 'excluded', from: draft.from, reason: draft.reason as ExclusionReason, ...withNote };
    case 'death':
      return {
        status: 'deceased',
        from: draft.deathDate,
        death: {
          date: draft.deathDate,
          place: draft.place as DeathPlace,
          ...(cause === '' ? {} : { causeCode: cause }),
        },
      };
    case 'transfer':
      return { status: 'transferred', from: draft.from, transferredTo: draft.target, ...withNote };
    default:
      return null;
  }
}

const FIELD_OF_ENTRY: Readonly<Record<string, StatusField>> = {
  from: 'from',
  reason: 'reason',
  note: 'note',
  transferredTo: 'target',
  death: 'deathDate',
  'death.date': 'deathDate',
  'death.causeCode': 'causeCode',
  'death.place': 'place',
};

/**
 * A problem's control in the panel: `record.statusHistory[3].death.place` (with or without `record.`) → `place`. The
 * `from` of a death is its date, so it shows there. Null for problems no control shows.
 */
export function statusFieldOf(path: string, kind: ChangeKind | ''): StatusField | null {
  const match = /^(?:record\.)?statusHistory\[\d+\]\.(.+)$/.exec(path);
  const field = FIELD_OF_ENTRY[match ? (match[1] ?? '') : path] ?? null;
  if (!field) return null;
  return field === 'from' && kind === 'death' ? 'deathDate' : field;
}

/**
 * Problems of the new status entry as the records layer will add it (the rest of the record as stored); none for a
 * change not chosen yet, which the panel names itself.
 */
export function statusProblems(
  record: PatientRecord,
  draft: StatusDraft,
  today: string,
  lookups: ReferenceLookups,
): ValidationError[] {
  const change = changeOf(draft);
  if (!change) return [];
  const entry: StatusEntry = { from: change.from, status: change.status };
  if (change.status === 'excluded') entry.reason = change.reason;
  if (change.status === 'deceased') entry.death = change.death;
  if (change.status === 'transferred') entry.transferredTo = change.transferredTo;
  const candidate: PatientRecord = { ...record, statusHistory: [...record.statusHistory, entry] };
  const index = record.statusHistory.length;
  return validatePatientRecord(candidate, today, lookups).filter((problem) =>
    problem.field.startsWith(`statusHistory[${index}]`),
  );
}
