import { assert, expect, html, oneEvent } from '@open-wc/testing';
import './rp-visit-form.ts';
import type { RpVisitForm } from './rp-visit-form.ts';
import { RecordValidationError, type VisitView } from '../../records/records-api.ts';
import {
  $,
  check,
  messageFor,
  PATIENT_ID,
  records,
  render,
  TODAY,
  type,
} from '../rp-patient-file/testing/care-fixtures.ts';
import type { MemoryCareRecords } from '../rp-patient-file/testing/memory-care-records.ts';

async function setup(roles: string[] = ['nurse']): Promise<{ form: RpVisitForm; memory: MemoryCareRecords }> {
  const memory = records('nina');
  const form = await render<RpVisitForm>(
    html`<rp-visit-form .records=${memory} .patientId=${PATIENT_ID} .roles=${roles} .today=${TODAY}></rp-visit-form>`,
    'rp-visit-form',
  );
  return { form, memory };
}

async function submit(form: RpVisitForm): Promise<void> {
  $<HTMLButtonElement>(form, 'button[type=submit]').click();
  await form.updateComplete;
}

function fillValidVisit(form: RpVisitForm): void {
  type(form, '#date', '2026-11-28');
  type(form, '#visitType', 'phone');
  type(form, '#ecog', '2');
  type(form, '#karnofsky', '60');
  type(form, '#pps', '50');
  type(form, '#pain', '4');
  type(form, '#esas-pain', '4');
  type(form, '#esas-nausea', '2');
  check(form, 'input[name=syndromes][value=pain]');
  check(form, 'input[name=needsNoticed][value=functional-bed]');
  type(form, '#note', 'Дочь Анна просит перезвонить');
}

describe('rp-visit-form', () => {
  it('is accessible as it opens, dated today', async () => {
    const { form } = await setup();
    assert.equal($<HTMLInputElement>(form, '#date').value, TODAY);
    assert.equal($<HTMLInputElement>(form, '#date').max, TODAY);
    await expect(form).to.be.accessible();
  });

  it('refuses pain 11 and a date in the future next to their fields, keeping what was typed', async () => {
    const { form, memory } = await setup();
    fillValidVisit(form);
    type(form, '#date', '2026-12-01');
    type(form, '#pain', '11');
    type(form, '#esas-tiredness', '12');
    await submit(form);
    assert.equal(messageFor(form, '#date'), 'Дата не может быть позже сегодняшней.');
    assert.equal(messageFor(form, '#pain'), 'Боль (ЦРШ) — целое от 0 до 10.');
    assert.equal(messageFor(form, '#esas-tiredness'), 'Оценка — целое от 0 до 10.');
    assert.equal(messageFor(form, '#ecog'), '');
    assert.equal($(form, '#pain').getAttribute('aria-invalid'), 'true');
    assert.equal(form.shadowRoot?.activeElement?.id, 'date');
    assert.equal($<HTMLInputElement>(form, '#pain').value, '11');
    assert.equal($<HTMLTextAreaElement>(form, '#note').value, 'Дочь Анна просит перезвонить');
    assert.isTrue($<HTMLInputElement>(form, 'input[name=syndromes][value=pain]').checked);
    assert.notInclude(
      memory.calls.map((call) => call.method),
      'addVisit',
    );
    await expect(form).to.be.accessible();
  });

  it('refuses a Karnofsky index that is not a multiple of ten', async () => {
    const { form } = await setup();
    type(form, '#karnofsky', '55');
    await submit(form);
    assert.equal(messageFor(form, '#karnofsky'), 'Индекс Карновского — от 0 до 100 с шагом 10.');
    assert.equal(form.shadowRoot?.activeElement?.id, 'karnofsky');
  });

  it('stores the visit through addVisit with what was typed and announces it', async () => {
    const { form, memory } = await setup();
    fillValidVisit(form);
    const saved = oneEvent(form, 'rp-visit-saved') as Promise<CustomEvent<VisitView>>;
    await submit(form);
    const { detail } = await saved;
    const call = memory.calls.find((entry) => entry.method === 'addVisit');
    assert.deepEqual(call?.args, [
      PATIENT_ID,
      {
        date: '2026-11-28',
        visitType: 'phone',
        performerRole: 'nurse',
        syndromes: ['pain'],
        needsNoticed: ['functional-bed'],
        ecog: 2,
        karnofsky: 60,
        pps: 50,
        pain: 4,
        esas: { pain: 4, nausea: 2 },
        note: 'Дочь Анна просит перезвонить',
      },
    ]);
    assert.equal(detail.visit.performer, 'nina');
    assert.equal(detail.note, 'Дочь Анна просит перезвонить');
  });

  it('records a doctor as the performer role for a doctor', async () => {
    const { form, memory } = await setup(['doctor']);
    await submit(form);
    const call = memory.calls.find((entry) => entry.method === 'addVisit');
    assert.deepInclude(call?.args[1] as object, { performerRole: 'doctor', date: TODAY, visitType: 'home' });
  });

  it('shows problems the records layer refused next to their fields, with nothing lost', async () => {
    const { form, memory } = await setup();
    fillValidVisit(form);
    memory.failNextWrite = new RecordValidationError([
      { field: 'esas.nausea', message: 'Оценка — целое от 0 до 10.' },
      { field: 'createdBy', message: 'Не указано, кто создал запись.' },
    ]);
    await submit(form);
    await form.updateComplete;
    assert.equal(messageFor(form, '#esas-nausea'), 'Оценка — целое от 0 до 10.');
    assert.include($(form, '[role=alert]').textContent ?? '', 'createdBy: Не указано, кто создал запись.');
    assert.equal(form.shadowRoot?.activeElement?.id, 'esas-nausea');
    assert.equal($<HTMLInputElement>(form, '#esas-nausea').value, '2');
    assert.equal($<HTMLTextAreaElement>(form, '#note').value, 'Дочь Анна просит перезвонить');
    await expect(form).to.be.accessible();
  });

  it('keeps the form as it was when saving fails for another reason', async () => {
    const { form, memory } = await setup();
    fillValidVisit(form);
    memory.failNextWrite = new Error('IndexedDB is full');
    await submit(form);
    await form.updateComplete;
    assert.include($(form, '[role=alert]').textContent ?? '', 'Не удалось сохранить');
    assert.equal($<HTMLInputElement>(form, '#pain').value, '4');
    assert.isFalse($<HTMLButtonElement>(form, 'button[type=submit]').disabled);
  });

  it('names a full device when the browser refuses the write for lack of space', async () => {
    const { form, memory } = await setup();
    fillValidVisit(form);
    // PouchDB's IndexedDB adapter passes the browser's refusal on as a 500 whose reason is the error's name.
    memory.failNextWrite = Object.assign(new Error('Database encountered an unknown error'), {
      status: 500,
      name: 'indexed_db_went_bad',
      reason: 'QuotaExceededError',
    });
    await submit(form);
    await form.updateComplete;
    const alert = $(form, '[role=alert]').textContent ?? '';
    assert.include(alert, 'закончилось место');
    assert.notInclude(alert, 'Не удалось сохранить');
    assert.equal($<HTMLInputElement>(form, '#pain').value, '4');
  });
});
