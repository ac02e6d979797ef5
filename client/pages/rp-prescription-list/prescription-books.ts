/**
 * The books a list of prescriptions names its codes from — the medicaments and the staff directory — read from the
 * member's reference replica when the element gets it and again each time it changes: on a new device the first
 * sync brings them while the list may already be open (pages/reference-reader.ts). Shared by the patient's
 * prescription list and the prescriptions page.
 */
import type { ReactiveControllerHost } from 'lit';
import type { Medicament } from '../../../common/reference/types.ts';
import type { ReferenceStore } from '../../admin/reference-store.ts';
import { loadStaffNames } from '../rp-patient-file/reference-names.ts';
import { loadMedicaments } from '../rp-prescription-form/medicaments.ts';
import { ReferenceReader } from '../reference-reader.ts';

export interface PrescriptionBooksHost extends ReactiveControllerHost {
  reference: ReferenceStore | null;
  medicaments: Medicament[];
  staffNames: ReadonlyMap<string, string>;
  /** Set when the medicaments cannot be read (the list says so); the staff names only fall back to logins. */
  loadError: boolean;
}

export function readPrescriptionBooks(host: PrescriptionBooksHost): void {
  new ReferenceReader(host, {
    store: () => host.reference,
    read: loadMedicaments,
    use: (medicaments) => (host.medicaments = medicaments),
    failed: () => (host.loadError = true),
  });
  new ReferenceReader(host, {
    store: () => host.reference,
    read: loadStaffNames,
    use: (names) => (host.staffNames = names),
  });
}
