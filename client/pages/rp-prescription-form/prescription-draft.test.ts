/**
 * The prescription form keeps what a doctor typed across a reload, sealed under the member's `muk` — the medicament
 * picked from the real reference replica, the regimen and the prescription number — and stores the prescription
 * through the real records layer, after which the draft is gone; the raw device never holds the typed number.
 */
import { assert, expect, html } from '@open-wc/testing';
import PouchDB from 'pouchdb-browser/lib/index.es.js';
import './rp-prescription-form.ts';
import type { RpPrescriptionForm } from './rp-prescription-form.ts';
import { DraftStore } from '../../services/draft-store.ts';
import { importMuk } from '../../crypto/muk-keys.ts';
import { FacilityRepository, type FacilityDatabase } from '../../records/facility-repository.ts';
import { LocalReferenceStore } from '../../records/local-reference-store.ts';
import { TEST_TODAY, TestFacilityKeys, patientInput } from '../../records/records-fixtures.ts';
import { localFacilityDatabaseName } from '../../records/local-databases.ts';
import { referenceDatabaseName } from '../../sync/reference-replication.ts';
import { starterDocs } from '../../records/testing/patient-fixtures.ts';
import { uniqueName } from '../../test-support/test-register.ts';
import { $, check, render, textOf, type, until } from '../rp-patient-file/testing/care-fixtures.ts';
import { everythingOnDevice } from '../../test-support/raw-indexeddb.ts';

const NUMBER = '56ЖЖ 7319428';
const MORPHINE = 'medicament:morphine-tablets-10mg';
const opened: { destroy(): Promise<unknown> }[] = [];

afterEach(async () => {
  for (const db of opened.splice(0)) await db.destroy();
  localStorage.clear();
});

async function device() {
  const login = uniqueName('olga');
  const pouch = new PouchDB(localFacilityDatabaseName('draft-rx', login));
  const referenceReplica = new PouchDB(referenceDatabaseName(login));
  opened.push(pouch, referenceReplica);
  await referenceReplica.bulkDocs(starterDocs() as unknown as { _id: string }[]);
  const records = new FacilityRepository({
    facilityId: 'draft-rx',
    login,
    roles: ['doctor', 'facility:draft-rx'],
    db: pouch as unknown as FacilityDatabase,
    keys: await TestFacilityKeys.create(),
    today: () => TEST_TODAY,
    device: 'test-tablet',
  });
  await records.open();
  const { patientId } = await records.createPatient(patientInput());
  const drafts = new DraftStore(await importMuk(crypto.getRandomValues(new Uint8Array(32))), login);
  const reference = new LocalReferenceStore(login);
  const slot = `rp.draft.${login}.prescription-form:${patientId}`;
  const open = async () => {
    const form = await render<RpPrescriptionForm>(
      html`<rp-prescription-form
        .records=${records}
        .reference=${reference}
        .patientId=${patientId}
        .roles=${['doctor']}
        .today=${TEST_TODAY}
        .drafts=${drafts}
      ></rp-prescription-form>`,
      'rp-prescription-form',
    );
    await until(() => form.medicaments.length > 0);
    return form;
  };
  return { records, patientId, slot, open };
}

function button(form: RpPrescriptionForm, label: string): HTMLButtonElement {
  const found = [...(form.shadowRoot?.querySelectorAll('button') ?? [])].find((b) => b.textContent?.trim() === label);
  if (!found) throw new Error(`no button «${label}»`);
  return found;
}

async function fill(form: RpPrescriptionForm): Promise<void> {
  type(form, '#medicament-query', 'морфин');
  await form.updateComplete;
  type(form, '#medicamentId', MORPHINE);
  type(form, '#dose', '10');
  type(form, '#timesPerDay', '4');
  check(form, 'input[name=regimen][value=as-needed]');
  await form.updateComplete;
  type(form, '#maxDailyDose', '60');
  type(form, '#number', NUMBER);
}

describe('rp-prescription-form drafts', () => {
  it('restores sealed input after a reload and drops it once the prescription is stored', async () => {
    const { records, patientId, slot, open } = await device();
    const first = await open();
    await fill(first);
    await until(() => (localStorage.getItem(slot) ?? '').length > 0);
    // The last change is kept too (the draft follows every change, half a second after it).
    await new Promise((resolve) => setTimeout(resolve, 700));
    assert.notInclude(await everythingOnDevice(), NUMBER);

    first.remove();
    const second = await open();
    await until(() => $<HTMLInputElement>(second, '#number').value === NUMBER);
    await second.updateComplete;
    assert.equal($<HTMLSelectElement>(second, '#medicamentId').value, MORPHINE);
    assert.equal($<HTMLInputElement>(second, '#medicament-query').value, 'морфин');
    assert.isTrue($<HTMLInputElement>(second, 'input[name=regimen][value=as-needed]').checked);
    assert.equal($<HTMLInputElement>(second, '#maxDailyDose').value, '60');
    assert.include(textOf(second), 'Восстановлено то, что было введено и не сохранено');
    assert.include(textOf(second), 'Суточная доза: 60 мг', 'the preview follows the restored controls');
    await expect(second).to.be.accessible();

    button(second, 'Сохранить назначение').click();
    await until(() => localStorage.getItem(slot) === null);
    const stored = await records.listPrescriptions({ patientId });
    assert.deepEqual(
      stored.map((p) => [p.prescription.medicamentId, p.prescription.regimen, p.prescription.maxDailyDose, p.number]),
      [[MORPHINE, 'as-needed', 60, NUMBER]],
    );
    assert.notInclude(await everythingOnDevice(), NUMBER, 'the stored prescription holds the number sealed');
    records.close();
  });

  it('starts over with the medicament and the regimen as a new form has them', async () => {
    const { slot, open, records } = await device();
    const first = await open();
    await fill(first);
    await new Promise((resolve) => setTimeout(resolve, 700));
    first.remove();
    const second = await open();
    await until(() => $<HTMLInputElement>(second, '#number').value === NUMBER);
    button(second, 'Начать заново').click();
    await until(() => $<HTMLSelectElement>(second, '#medicamentId').value === '');
    assert.isTrue($<HTMLInputElement>(second, 'input[name=regimen][value=regular]').checked);
    assert.equal($<HTMLInputElement>(second, '#number').value, '');
    assert.isNull(localStorage.getItem(slot));
    // Resetting is no input: no draft of the empty form is written afterwards.
    await new Promise((resolve) => setTimeout(resolve, 700));
    assert.isNull(localStorage.getItem(slot));
    records.close();
  });
});
