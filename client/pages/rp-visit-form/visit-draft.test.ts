/**
 * The visit form keeps what a nurse typed across a reload, sealed under the member's `muk`, and stores the visit
 * through the real records layer (PouchDB on IndexedDB, real facility keys): the raw device — localStorage and
 * every IndexedDB database — never holds the typed note, neither as a draft nor as the stored visit.
 */
import { assert, expect, html } from '@open-wc/testing';
import PouchDB from 'pouchdb-browser/lib/index.es.js';
import './rp-visit-form.ts';
import type { RpVisitForm } from './rp-visit-form.ts';
import { DraftStore } from '../../services/draft-store.ts';
import { importMuk } from '../../crypto/muk-keys.ts';
import { FacilityRepository, type FacilityDatabase } from '../../records/facility-repository.ts';
import { TEST_TODAY, TestFacilityKeys, patientInput } from '../../records/records-fixtures.ts';
import { localFacilityDatabaseName } from '../../records/local-databases.ts';
import { uniqueName } from '../../test-support/test-register.ts';
import { $, check, messageFor, render, type, until } from '../rp-patient-file/testing/care-fixtures.ts';
import { everythingOnDevice } from '../../test-support/raw-indexeddb.ts';

const NOTE = 'Внучка Ярослава Кузнецова просит перезвонить';
const opened: { destroy(): Promise<unknown> }[] = [];

afterEach(async () => {
  for (const db of opened.splice(0)) await db.destroy();
  localStorage.clear();
});

async function device() {
  const login = uniqueName('nina');
  const pouch = new PouchDB(localFacilityDatabaseName('draft-visit', login));
  opened.push(pouch);
  const records = new FacilityRepository({
    facilityId: 'draft-visit',
    login,
    roles: ['nurse', 'facility:draft-visit'],
    db: pouch as unknown as FacilityDatabase,
    keys: await TestFacilityKeys.create(),
    today: () => TEST_TODAY,
    device: 'test-tablet',
  });
  await records.open();
  const { patientId } = await records.createPatient(patientInput());
  const drafts = new DraftStore(await importMuk(crypto.getRandomValues(new Uint8Array(32))), login);
  const slot = `rp.draft.${login}.visit-form:${patientId}`;
  const open = () =>
    render<RpVisitForm>(
      html`<rp-visit-form
        .records=${records}
        .patientId=${patientId}
        .roles=${['nurse']}
        .today=${TEST_TODAY}
        .drafts=${drafts}
      ></rp-visit-form>`,
      'rp-visit-form',
    );
  return { records, patientId, slot, open };
}

function button(form: RpVisitForm, label: string): HTMLButtonElement {
  const found = [...(form.shadowRoot?.querySelectorAll('button') ?? [])].find((b) => b.textContent?.trim() === label);
  if (!found) throw new Error(`no button «${label}»`);
  return found;
}

describe('rp-visit-form drafts', () => {
  it('restores sealed input after a reload, keeps it through a refusal, and drops it once the visit is stored', async () => {
    const { records, patientId, slot, open } = await device();
    const first = await open();
    type(first, '#visitType', 'phone');
    type(first, '#pain', '11');
    type(first, '#esas-nausea', '3');
    check(first, 'input[name=syndromes][value=constipation]');
    type(first, '#note', NOTE);
    await until(() => localStorage.getItem(slot) !== null);
    const onDevice = await everythingOnDevice();
    for (const text of [NOTE, 'Ярослава']) assert.notInclude(onDevice, text);

    // A reload: a new form finds everything again, even the value it will refuse, and says so.
    first.remove();
    const second = await open();
    await until(() => $<HTMLTextAreaElement>(second, '#note').value === NOTE);
    assert.equal($<HTMLSelectElement>(second, '#visitType').value, 'phone');
    assert.equal($<HTMLInputElement>(second, '#pain').value, '11');
    assert.equal($<HTMLInputElement>(second, '#esas-nausea').value, '3');
    assert.isTrue($<HTMLInputElement>(second, 'input[name=syndromes][value=constipation]').checked);
    assert.include(second.shadowRoot?.textContent ?? '', 'Восстановлено то, что было введено и не сохранено');
    await expect(second).to.be.accessible();

    // Refused by the shared validation: the problem is shown at the field and nothing typed is lost.
    button(second, 'Сохранить визит').click();
    await until(() => messageFor(second, '#pain') !== '');
    assert.equal($<HTMLTextAreaElement>(second, '#note').value, NOTE);
    assert.isNotNull(localStorage.getItem(slot));

    type(second, '#pain', '4');
    button(second, 'Сохранить визит').click();
    await until(() => localStorage.getItem(slot) === null);
    const visits = await records.listVisits(patientId);
    assert.deepEqual(
      visits.map((v) => [v.visit.visitType, v.visit.pain, v.note]),
      [['phone', 4, NOTE]],
    );
    const after = await everythingOnDevice();
    assert.notInclude(after, NOTE, 'the stored visit holds the note sealed');
    assert.notInclude(after, 'Ярослава');
    records.close();
  });

  it('starts over: the draft is dropped and the form is as new', async () => {
    const { slot, open, records } = await device();
    const first = await open();
    type(first, '#note', NOTE);
    type(first, '#ecog', '2');
    await until(() => localStorage.getItem(slot) !== null);
    first.remove();
    const second = await open();
    await until(() => $<HTMLTextAreaElement>(second, '#note').value === NOTE);
    button(second, 'Начать заново').click();
    await second.updateComplete;
    assert.equal($<HTMLTextAreaElement>(second, '#note').value, '');
    assert.equal($<HTMLInputElement>(second, '#ecog').value, '');
    assert.equal($<HTMLInputElement>(second, '#date').value, TEST_TODAY);
    assert.isNull(localStorage.getItem(slot));
    // Resetting is no input: no draft of the empty form is written afterwards.
    await new Promise((resolve) => setTimeout(resolve, 700));
    assert.isNull(localStorage.getItem(slot));
    assert.notInclude(second.shadowRoot?.textContent ?? '', 'Восстановлено');
    records.close();
  });
});
