/**
 * The addresses of the patients section, written once: the pages link to each other by these paths (real
 * `<a href>` links, or `rp-navigate` after a save), and the section reads them back to choose its page.
 */
import type { NavigateDetail } from '../../app/navigate.ts';

export type PatientsRoute =
  { kind: 'search' } | { kind: 'new' } | { kind: 'file'; patientId: string } | { kind: 'edit'; patientId: string };

export const PATIENTS_PATH = '/patients';
export const NEW_PATIENT_PATH = '/patients/new';

export function patientPath(patientId: string): string {
  return `${PATIENTS_PATH}/${encodeURIComponent(patientId)}`;
}

export function editPatientPath(patientId: string): string {
  return `${patientPath(patientId)}/edit`;
}

export function newVisitPath(patientId: string): string {
  return `${patientPath(patientId)}?visit=new`;
}

export function newPrescriptionPath(patientId: string): string {
  return `${patientPath(patientId)}?prescription=new`;
}

export function prescriptionHistoryPath(patientId: string): string {
  return `/prescriptions?patient=${encodeURIComponent(patientId)}`;
}

/** The page a path asks for; a query string and a trailing slash are ignored, anything unknown is the search. */
export function patientsRouteOf(path: string): PatientsRoute {
  const parts = (path.split(/[?#]/)[0] ?? '')
    .split('/')
    .filter((part) => part !== '')
    .map((part) => decodeURIComponent(part));
  if (parts[0] !== 'patients' || parts.length === 1) return { kind: 'search' };
  const id = parts[1] ?? '';
  if (id === 'new' && parts.length === 2) return { kind: 'new' };
  if (parts.length === 2) return { kind: 'file', patientId: id };
  if (parts.length === 3 && parts[2] === 'edit') return { kind: 'edit', patientId: id };
  return { kind: 'search' };
}

/** Asks rp-app to show `path` (after a save, where no link was clicked). */
export function navigate(from: EventTarget, path: string): void {
  from.dispatchEvent(
    new CustomEvent<NavigateDetail>('rp-navigate', { detail: { path }, bubbles: true, composed: true }),
  );
}
