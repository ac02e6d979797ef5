/**
 * Markup typed into the care forms stays text. Every free-text control of the patient form (names, address,
 * identity document, phones, the legal representative and caregivers), the visit form, the prescription form, the
 * prescription's cancellation and the status change gets `<img src=x onerror=alert(1)>` followed by the control's
 * id (so each value can be found where it is shown); a control whose validation refuses the markup for its format
 * (SNILS, a phone) gets its ordinary value back, as in admin-forms-markup.test.ts. Each form is saved through the
 * REAL records layer — a FacilityRepository on IndexedDB PouchDB with real facility keys, the passport and the free
 * text sealed and opened again — and the pages that show the values (the patient search in the patients section,
 * the patient file with its passport, visits, prescriptions and status history, the edit form, the prescription
 * search) are searched through every shadow root: each value is shown as text, and no element was made from it.
 */
import { assert, html } from '@open-wc/testing';
import PouchDB from 'pouchdb-browser/lib/index.es.js';
import '../pages/rp-patients-section/rp-patients-section.ts';
import '../pages/rp-patient-form/rp-patient-form.ts';
import '../pages/rp-patient-file/rp-patient-file.ts';
import '../pages/rp-prescriptions-page/rp-prescriptions-page.ts';
import type { RpPatientForm } from '../pages/rp-patient-form/rp-patient-form.ts';
import type { RpPatientFile } from '../pages/rp-patient-file/rp-patient-file.ts';
import type { RpPatientsSection } from '../pages/rp-patients-section/rp-patients-section.ts';
import type { RpPrescriptionForm } from '../pages/rp-prescription-form/rp-prescription-form.ts';
import type { RpPrescriptionList } from '../pages/rp-prescription-list/rp-prescription-list.ts';
import type { RpStatusChange } from '../pages/rp-status-change/rp-status-change.ts';
import { renderAdmin } from '../admin/testing/admin-test-context.ts';
import { FacilityRepository, type FacilityDatabase } from '../records/facility-repository.ts';
import { TEST_TODAY, TestFacilityKeys } from '../records/records-fixtures.ts';
import { patientInput } from '../records/testing/patient-fixtures.ts';
import { localFacilityDatabaseName } from '../records/local-databases.ts';
import { LocalReferenceStore } from '../records/local-reference-store.ts';
import { referenceDatabaseName } from '../sync/reference-replication.ts';
import { loadPatientReference } from '../pages/rp-patients-section/patient-reference.ts';
import { starterReferenceDocs } from '../../common/reference/starter-docs.ts';
import { EXCLUSION_REASONS } from '../../common/records/index.ts';
import { uniqueName } from '../test-support/test-register.ts';
import {
  MARKUP,
  deepText,
  expectOnlyText,
  fillAndSave,
  until,
  type FillOptions,
  type TextControl,
} from './markup-check.ts';

const FACILITY = 'xss-care';
const opened: { destroy(): Promise<unknown> }[] = [];
const repositories: FacilityRepository[] = [];

afterEach(async () => {
  document.body.replaceChildren();
  for (const records of repositories.splice(0)) records.close();
  for (const db of opened.splice(0)) await db.destroy();
});

/** A doctor's device: the facility's local database under real keys, and the reference books replicated. */
async function device() {
  const login = uniqueName('xss-doctor');
  const books = new PouchDB(referenceDatabaseName(login));
  opened.push(books);
  await books.bulkDocs(
    starterReferenceDocs({ by: 'admin', at: '2026-11-01T08:00:00.000Z' }).map((doc) => ({ ...doc })),
  );
  // Shares the IndexedDB connection of `books`, which the test destroys afterwards.
  const reference = new LocalReferenceStore(login);
  const pouch = new PouchDB(localFacilityDatabaseName(FACILITY, login));
  opened.push(pouch);
  const records = new FacilityRepository({
    facilityId: FACILITY,
    login,
    roles: ['doctor', `facility:${FACILITY}`],
    db: pouch as unknown as FacilityDatabase,
    keys: await TestFacilityKeys.create(),
    today: () => TEST_TODAY,
    device: 'test-desktop',
    lookups: (await loadPatientReference(reference)).lookups,
  });
  repositories.push(records);
  await records.open();
  return { records, reference };
}

/** What each control gets: the markup, then the control's id to tell the values apart where they are shown. */
const marked = (id: string): string => `${MARKUP} ${id}`;

/** Types a value as a person would: the value, then `input` and `change` (the care forms keep state from them). */
function typeInto(control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, value: string): void {
  control.value = value;
  control.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  control.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
}

function $<T extends Element = HTMLInputElement>(root: ParentNode | null | undefined, selector: string): T {
  const found = root?.querySelector<T>(selector);
  if (!found) throw new Error(`${selector} not found`);
  return found;
}

/** Every control of a care form that takes typed text: text and phone inputs, and text areas. */
function freeTextControls(form: ParentNode): TextControl[] {
  return [...form.querySelectorAll<TextControl>('input, textarea')].filter(
    (control) =>
      !control.disabled && (control instanceof HTMLTextAreaElement || ['text', '', 'tel'].includes(control.type)),
  );
}

function careFill(host: { updateComplete: Promise<unknown> }): FillOptions {
  return {
    controls: freeTextControls,
    markup: (control) => marked(control.id),
    type: async (control, value) => {
      typeInto(control, value);
      await host.updateComplete;
    },
    settled: () => host.updateComplete,
  };
}

describe('markup typed into the care forms', () => {
  it('stays text from the patient form in the search results, the patient file and the edit form', async () => {
    const { records, reference } = await device();
    const form = await renderAdmin<RpPatientForm>(
      html`<rp-patient-form
        .records=${records}
        .reference=${reference}
        .roles=${['doctor']}
        .today=${TEST_TODAY}
      ></rp-patient-form>`,
      'rp-patient-form',
    );
    await until(() => form.lookup.chunks.length > 0, 'the reference books in the form');
    const root = form.shadowRoot;
    // Contact rows rebuild their handlers from the state on each render: let the form render after each value.
    const set = async (id: string, value: string) => {
      typeInto($<HTMLInputElement>(root, `#${id}`), value);
      await form.updateComplete;
    };
    // An ordinary patient first: every control that refuses the markup falls back to these values.
    $<HTMLButtonElement>(root, 'fieldset#passport-caregivers > button').click();
    await form.updateComplete;
    await set('passport-surname', 'Иванова');
    await set('passport-name', 'Мария');
    await set('passport-patronymic', 'Петровна');
    await set('passport-birthDate', '1948-03-14');
    await set('passport-sex', 'female');
    await set('passport-snils', '112-233-445 95');
    await set('passport-identityDocument-kind', 'other');
    await set('passport-identityDocument-series', 'II-ГИ');
    await set('passport-identityDocument-number', '123456');
    await set('passport-identityDocument-issuedBy', 'Отдел ЗАГС');
    await set('passport-address-text', 'Петрозаводск, ул. Ленина, 1');
    await set('record-districtId', 'district:petrozavodsk');
    await set('passport-phones-0', '+79111234567');
    await set('passport-legalRepresentative-name', 'Иванов Олег');
    await set('passport-legalRepresentative-relation', 'опекун');
    await set('passport-caregivers-0-name', 'Иванов Пётр');
    await set('passport-caregivers-0-relation', 'сын');
    await set('record-diseaseGroup', 'cancer');
    await set('record-eligibility', 'incurable-cancer');
    await set('record-caregiver', 'partial');
    await set('diagnosis-search', 'C34');
    await form.updateComplete;
    $<HTMLButtonElement>(root, 'button.choice').click();
    await form.updateComplete;
    const ordinary = Object.fromEntries(freeTextControls(root as ShadowRoot).map((c) => [c.id, c.value]));

    let patientId = '';
    form.addEventListener('rp-patient-saved', (event) => (patientId = event.detail.patientId));
    const fields = await fillAndSave(
      () => form.shadowRoot,
      ordinary,
      () => patientId !== '',
      careFill(form),
    );
    const names = ['passport-surname', 'passport-name', 'passport-patronymic'];
    const contacts = [
      'passport-address-text',
      'passport-legalRepresentative-name',
      'passport-legalRepresentative-relation',
      'passport-caregivers-0-name',
      'passport-caregivers-0-relation',
    ];
    const document_ = [
      'passport-identityDocument-series',
      'passport-identityDocument-number',
      'passport-identityDocument-issuedBy',
    ];
    assert.includeMembers(fields, [...names, ...contacts, ...document_]);
    // Refused for their format, so saved with their ordinary values: the check would not see them otherwise.
    assert.notIncludeMembers(fields, ['passport-snils', 'passport-phones-0']);
    const stored = await records.openPatient(patientId);
    assert.equal(stored.passport.surname, marked('passport-surname'));
    form.remove();

    const section = (path: string) =>
      renderAdmin<RpPatientsSection>(
        html`<rp-patients-section
          .records=${records}
          .reference=${reference}
          .roles=${['doctor']}
          .path=${path}
        ></rp-patients-section>`,
        'rp-patients-section',
      );

    // The search results: the names in the row, in its link and in the actions' hidden labels.
    const search = await section('/patients');
    await expectOnlyText({ shown: names.map(marked) });
    search.remove();

    // The patient file: the name as its heading, the passport with the address and the contacts.
    const file = await section(`/patients/${patientId}`);
    await expectOnlyText({ shown: [...names, ...contacts].map(marked) });
    file.remove();

    // The edit form gives every stored value back into its control, never as markup.
    await section(`/patients/${patientId}/edit`);
    await expectOnlyText();
    const values = deepText(document.body);
    for (const field of [...names, ...contacts, ...document_]) assert.include(values, marked(field));
  });

  it('stays text from the visit, prescription, cancellation and status forms in the patient file', async () => {
    const { records, reference } = await device();
    const { patientId } = await records.createPatient(patientInput());
    const file = await renderAdmin<RpPatientFile>(
      html`<rp-patient-file
        .records=${records}
        .reference=${reference}
        .patientId=${patientId}
        .roles=${['doctor']}
        .today=${TEST_TODAY}
      ></rp-patient-file>`,
      'rp-patient-file',
    );
    await until(() => file.file !== null, 'the patient file');
    const inFile = <T extends Element>(selector: string) => file.shadowRoot?.querySelector<T>(selector) ?? null;
    const shown: string[] = [];

    // A visit with its note.
    $<HTMLButtonElement>(file.shadowRoot, '#new-visit').click();
    await file.updateComplete;
    const visitForm = $<HTMLElement & { updateComplete: Promise<unknown> }>(file.shadowRoot, 'rp-visit-form');
    typeInto($(visitForm.shadowRoot, '#pain'), '4');
    let visitSaved = false;
    file.addEventListener('rp-visit-saved', () => (visitSaved = true));
    const visitFields = await fillAndSave(
      () => inFile('rp-visit-form')?.shadowRoot,
      {},
      () => visitSaved,
      careFill(visitForm),
    );
    assert.include(visitFields, 'note');
    shown.push(...visitFields.map(marked));

    // A prescription with its number.
    $<HTMLButtonElement>(file.shadowRoot, '#new-prescription').click();
    await file.updateComplete;
    const prescriptionForm = $<RpPrescriptionForm>(file.shadowRoot, 'rp-prescription-form');
    await until(() => prescriptionForm.medicaments.length > 0, 'the medicaments');
    typeInto($<HTMLSelectElement>(prescriptionForm.shadowRoot, '#medicamentId'), 'medicament:morphine-tablets-10mg');
    typeInto($(prescriptionForm.shadowRoot, '#dose'), '10');
    typeInto($(prescriptionForm.shadowRoot, '#timesPerDay'), '2');
    await prescriptionForm.updateComplete;
    let prescribed = false;
    file.addEventListener('rp-prescription-saved', () => (prescribed = true));
    const prescriptionFields = await fillAndSave(
      () => inFile('rp-prescription-form')?.shadowRoot,
      {},
      () => prescribed,
      careFill(prescriptionForm),
    );
    assert.include(prescriptionFields, 'number');
    shown.push(...prescriptionFields.map(marked));

    // Its cancellation, with the reason.
    const list = $<RpPrescriptionList>(file.shadowRoot, 'rp-prescription-list');
    await until(() => list.views?.length === 1, 'the prescription in the list');
    await list.updateComplete;
    $<HTMLButtonElement>(list.shadowRoot, 'td.actions button').click();
    await list.updateComplete;
    const cancelFields = await fillAndSave(
      () => list.shadowRoot?.querySelector('section.panel form'),
      {},
      () => list.views?.[0]?.cancellationReason !== null && list.views?.[0]?.cancellationReason !== undefined,
      careFill(list),
    );
    assert.include(cancelFields, 'cancel-reason');
    shown.push(...cancelFields.map(marked));

    // An exclusion from the register, with its note.
    $<HTMLButtonElement>(file.shadowRoot, '#change-status').click();
    await file.updateComplete;
    const status = $<RpStatusChange>(file.shadowRoot, 'rp-status-change');
    const exclude = $(status.shadowRoot, 'input[name=kind][value=exclude]');
    exclude.checked = true;
    exclude.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
    await status.updateComplete;
    typeInto($<HTMLSelectElement>(status.shadowRoot, '#status-reason'), EXCLUSION_REASONS[0] ?? '');
    await status.updateComplete;
    let changed = false;
    file.addEventListener('rp-status-changed', () => (changed = true));
    const statusFields = await fillAndSave(
      () => inFile('rp-status-change')?.shadowRoot?.querySelector('form'),
      {},
      () => changed,
      careFill(status),
    );
    assert.include(statusFields, 'status-note');
    shown.push(...statusFields.map(marked));

    // Every form is closed: what is on the page now is the file showing what was stored and opened again.
    await until(() => inFile('rp-status-change, rp-visit-form, rp-prescription-form') === null, 'the forms closed');
    await expectOnlyText({ shown });
    const [visit] = await records.listVisits(patientId);
    assert.equal(visit?.note, marked('note'));
    file.remove();

    // The facility's prescription search shows the number and the reason too.
    await renderAdmin(
      html`<rp-prescriptions-page
        .records=${records}
        .reference=${reference}
        .roles=${['doctor']}
      ></rp-prescriptions-page>`,
      'rp-prescriptions-page',
    );
    await expectOnlyText({ shown: [...prescriptionFields, ...cancelFields].map(marked) });
  });
});
