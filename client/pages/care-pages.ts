/**
 * The pages of the patient register as one lazy chunk: patients (search, form, file with visits and
 * prescriptions), prescriptions, and synchronisation. Loaded on the first visit to one of them.
 */
import './rp-patients-section/rp-patients-section.ts';
import './rp-prescriptions-page/rp-prescriptions-page.ts';
import './rp-sync-panel/rp-sync-panel.ts';
