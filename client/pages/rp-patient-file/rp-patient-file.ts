/**
 * One patient's file: passport and record, status history, visits with the scales over time, prescriptions.
 * (Placeholder with the final properties; the page is being built.)
 */
import { LitElement, html } from 'lit';
import type { FacilityRecords } from '../../records/records-api.ts';
import type { ReferenceStore } from '../../admin/reference-store.ts';

export class RpPatientFile extends LitElement {
  static override properties = {
    records: { attribute: false },
    reference: { attribute: false },
    patientId: { attribute: false },
    roles: { attribute: false },
  };

  declare records: FacilityRecords | null;
  declare reference: ReferenceStore | null;
  declare patientId: string;
  /** The signed-in member's roles (doctors write prescriptions). */
  declare roles: readonly string[];

  constructor() {
    super();
    this.records = null;
    this.reference = null;
    this.patientId = '';
    this.roles = [];
  }

  override render() {
    return html`<p>${this.patientId}</p>`;
  }
}

customElements.define('rp-patient-file', RpPatientFile);

declare global {
  interface HTMLElementTagNameMap {
    'rp-patient-file': RpPatientFile;
  }
}
