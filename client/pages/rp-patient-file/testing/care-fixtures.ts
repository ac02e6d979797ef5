/**
 * TEST-ONLY fixtures of the care pages' browser tests: a fixed "today", the starter reference book (medicaments
 * with their CDC factors, districts, ICD-10 starter chunks) in the administrator's in-memory reference stand-in,
 * one patient, and small helpers to find controls and the message tied to them through `aria-describedby`.
 */
import { renderAdmin, MemoryReferenceStore } from '../../../admin/testing/admin-test-context.ts';
import { starterMedicaments, starterReferenceDocs } from '../../../../common/reference/starter-docs.ts';
import { passportData, patientRecord, PATIENT_ID } from '../../../../common/records/test-fixtures.ts';
import type { Prescription } from '../../../../common/records/types.ts';
import type { PatientFile } from '../../../records/records-api.ts';
import { MemoryCareRecords } from './memory-care-records.ts';

export { PATIENT_ID };
export const TODAY = '2026-11-29';
const AUTHORSHIP = { by: 'admin', at: '2026-11-01T08:00:00.000Z' };
export const MEDICAMENTS = starterMedicaments(AUTHORSHIP);

export function reference(): MemoryReferenceStore {
  return new MemoryReferenceStore(starterReferenceDocs(AUTHORSHIP));
}

export function patientFile(): PatientFile {
  return {
    patientId: PATIENT_ID,
    passportId: 'passport:9b2e4c1a-0f3d-4e5b-8a6c-7d8e9f0a1b2c',
    passport: passportData(),
    record: patientRecord(),
    statusNotes: {},
  };
}

/** Records with the fixture patient in them. */
export function records(login = 'olga'): MemoryCareRecords {
  const memory = new MemoryCareRecords({ today: TODAY, login, medicaments: MEDICAMENTS });
  memory.patients.set(PATIENT_ID, patientFile());
  return memory;
}

/** A stored active prescription of the fixture patient. */
export function storedPrescription(medicamentId: string, change: Partial<Prescription> = {}): Prescription {
  return {
    _id: `prescription:${PATIENT_ID}:${crypto.randomUUID()}`,
    type: 'prescription',
    medicamentId,
    dose: 10,
    doseUnit: 'mg',
    route: 'oral',
    timesPerDay: 2,
    regimen: 'regular',
    start: '2026-11-20',
    end: '2026-12-19',
    prescriptionForm: '107/у-НП',
    prescriber: 'olga',
    status: 'active',
    createdBy: 'olga',
    createdAt: '2026-11-20T10:00:00.000Z',
    ...change,
  };
}

/** Renders inside `<main>` with the Russian i18n context, as the administrator's tests do. */
export { renderAdmin as render };

export function $<T extends Element = HTMLElement>(host: Element, selector: string): T {
  const found = host.shadowRoot?.querySelector<T>(selector);
  if (!found) throw new Error(`${selector} not found`);
  return found;
}

/** Text of the host's shadow root, whitespace collapsed. */
export function textOf(host: Element): string {
  return (host.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** The error message tied to a control through aria-describedby, or '' when there is none. */
export function messageFor(host: Element, selector: string): string {
  const control = $(host, selector);
  const ids = (control.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id.endsWith('-error'));
  return ids.map((id) => host.shadowRoot?.getElementById(id)?.textContent?.trim() ?? '').join(' ');
}

/** Types `value` into a control as a person would (the value, then `input` and `change`). */
export function type(host: Element, selector: string, value: string): void {
  const control = $<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(host, selector);
  control.value = value;
  control.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  control.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
}

export function check(host: Element, selector: string): void {
  const box = $<HTMLInputElement>(host, selector);
  box.checked = true;
  box.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
}

/** Waits until `condition` holds; the limit only bounds a hung test. */
export async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!condition()) throw new Error('the condition did not become true');
}
