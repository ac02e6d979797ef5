import { assert, expect, html, oneEvent } from '@open-wc/testing';
import './rp-patient-form.ts';
import type { RpPatientForm } from './rp-patient-form.ts';
import { renderAdmin } from '../../admin/testing/admin-test-context.ts';
import { until } from '../../test-support/render.ts';
import { DraftStore } from '../../services/draft-store.ts';
import { importMuk } from '../../crypto/muk-keys.ts';
import { RecordValidationError, type PatientInput } from '../../records/records-api.ts';
import type { MemoryRecords } from '../../records/testing/memory-records.ts';
import { TODAY, memoryRecords, patientInput, starterReference } from '../../records/testing/patient-fixtures.ts';

async function setup(records: MemoryRecords, roles: string[] = ['doctor'], patientId = ''): Promise<RpPatientForm> {
  const form = await renderAdmin<RpPatientForm>(
    html`<rp-patient-form
      .records=${records}
      .reference=${starterReference()}
      .roles=${roles}
      .today=${TODAY}
      .patientId=${patientId}
    ></rp-patient-form>`,
    'rp-patient-form',
  );
  await until(() => form.lookup.chunks.length > 0 && (patientId === '' || form.loaded !== null));
  await form.updateComplete;
  return form;
}

function $<T extends Element = HTMLInputElement>(form: RpPatientForm, selector: string): T {
  const found = form.shadowRoot?.querySelector<T>(selector);
  if (!found) throw new Error(`${selector} not found`);
  return found;
}

async function type(form: RpPatientForm, id: string, value: string): Promise<void> {
  const input = $(form, `#${id}`);
  input.value = value;
  input.dispatchEvent(new InputEvent('input'));
  await form.updateComplete;
}

async function choose(form: RpPatientForm, id: string, value: string): Promise<void> {
  const select = $<HTMLSelectElement>(form, `#${id}`);
  select.value = value;
  select.dispatchEvent(new Event('change'));
  await form.updateComplete;
}

async function submit(form: RpPatientForm): Promise<void> {
  $<HTMLButtonElement>(form, 'button[type=submit]').click();
  await until(() => !form.busy);
  await form.updateComplete;
}

/** The message tied to a control through aria-describedby, or '' when there is none. */
function messageFor(form: RpPatientForm, id: string): string {
  const control = $<HTMLElement>(form, `#${id}`);
  const ids = (control.getAttribute('aria-describedby') ?? '').split(' ').filter((ref) => ref.endsWith('-error'));
  return ids.map((ref) => form.shadowRoot?.getElementById(ref)?.textContent?.trim() ?? '').join(' ');
}

/** Types a whole valid patient, picking the diagnosis from the ICD-10 book by words. */
async function fillValidPatient(form: RpPatientForm): Promise<void> {
  await type(form, 'passport-surname', 'Иванова');
  await type(form, 'passport-name', 'Мария');
  await type(form, 'passport-patronymic', 'Петровна');
  await type(form, 'passport-birthDate', '1948-03-14');
  await choose(form, 'passport-sex', 'female');
  await type(form, 'passport-snils', '112-233-445 95');
  await type(form, 'passport-address-text', 'Петрозаводск, ул. Ленина, 1');
  await choose(form, 'record-districtId', 'district:petrozavodsk');
  await type(form, 'passport-phones-0', '8 (911) 123-45-67');
  await choose(form, 'record-diseaseGroup', 'cancer');
  await choose(form, 'record-eligibility', 'incurable-cancer');
  await type(form, 'diagnosis-search', 'рак легкого');
  $<HTMLButtonElement>(form, 'button.choice').click();
  await form.updateComplete;
  await choose(form, 'record-caregiver', 'partial');
  await choose(form, 'need-functional-bed', 'unmet');
}

describe('rp-patient-form', () => {
  it('shows a message next to every missing field, focuses the first and saves nothing', async () => {
    const records = memoryRecords();
    const form = await setup(records);
    await submit(form);
    assert.equal(messageFor(form, 'passport-surname'), 'Укажите фамилию.');
    assert.equal(messageFor(form, 'passport-birthDate'), 'Дата рождения должна иметь вид ГГГГ-ММ-ДД.');
    assert.equal(messageFor(form, 'record-districtId'), 'Укажите район.');
    assert.equal(messageFor(form, 'record-diagnoses'), 'Укажите хотя бы основной диагноз.');
    assert.equal(form.shadowRoot?.activeElement?.id, 'passport-surname');
    assert.deepEqual(records.callsOf('createPatient'), []);
  });

  it('refuses a birth date in the future, a bad SNILS, an unknown ICD-10 code and no main diagnosis', async () => {
    const records = memoryRecords();
    const form = await setup(records);
    await fillValidPatient(form);
    await type(form, 'passport-birthDate', '2027-01-01');
    await type(form, 'passport-snils', '112-233-445 96');
    await type(form, 'diagnosis-search', 'C78');
    $<HTMLButtonElement>(form, 'button.choice').click();
    await form.updateComplete;
    await choose(form, 'record-diagnoses-0-role', 'secondary');
    await type(form, 'record-diagnoses-1-code', 'с34.9');
    await submit(form);
    assert.equal(messageFor(form, 'passport-birthDate'), 'Дата рождения не может быть в будущем.');
    assert.equal(messageFor(form, 'passport-snils'), 'СНИЛС — 11 цифр с верной контрольной суммой.');
    assert.equal(messageFor(form, 'record-diagnoses-1-code'), 'Кода C34.9 нет в справочнике МКБ-10.');
    assert.equal(messageFor(form, 'record-diagnoses'), 'Основной диагноз должен быть ровно один.');
    assert.equal(form.shadowRoot?.activeElement?.id, 'passport-birthDate');
    // Nothing typed is lost.
    assert.equal($(form, '#passport-surname').value, 'Иванова');
    assert.equal($(form, '#passport-snils').value, '112-233-445 96');
    assert.deepEqual(records.callsOf('createPatient'), []);
    await expect(form).to.be.accessible();
  });

  it('fills a new patient’s inclusion date from the page’s today, not the clock, until someone types one', async () => {
    // A date that is not the clock's: the form read the clock in its constructor, before `.today` was set.
    const form = await setup(memoryRecords({ today: '2025-06-15' }));
    assert.equal($(form, '#record-inclusionDate').value, TODAY);
    form.today = '2025-06-15';
    await form.updateComplete;
    assert.equal($(form, '#record-inclusionDate').value, '2025-06-15');
    await type(form, 'record-inclusionDate', '2025-06-10');
    form.today = '2025-06-16';
    await form.updateComplete;
    assert.equal($(form, '#record-inclusionDate').value, '2025-06-10');
  });

  it('registers a valid patient through the records layer and opens the file', async () => {
    const records = memoryRecords();
    const form = await setup(records);
    await fillValidPatient(form);
    const navigated = oneEvent(form, 'rp-navigate');
    await submit(form);
    const [[input]] = records.callsOf('createPatient') as [[PatientInput]];
    assert.deepEqual(input, {
      passport: {
        surname: 'Иванова',
        name: 'Мария',
        patronymic: 'Петровна',
        birthDate: '1948-03-14',
        sex: 'female',
        snils: '112-233-445 95',
        phones: ['+79111234567'],
        caregivers: [],
        address: { text: 'Петрозаводск, ул. Ленина, 1', districtId: 'district:petrozavodsk' },
      },
      record: {
        sex: 'female',
        districtId: 'district:petrozavodsk',
        diseaseGroup: 'cancer',
        diagnoses: [{ code: 'C34', role: 'main' }],
        eligibility: 'incurable-cancer',
        inclusionDate: TODAY,
        careSetting: 'home',
        needs: { 'functional-bed': { needed: true, met: false } },
        caregiver: 'partial',
      },
    });
    const { detail } = await navigated;
    const [patient] = await records.listPatients();
    assert.equal(detail.path, `/patients/${patient?.patientId ?? '?'}`);
    assert.equal(patient?.status, 'active');
  });

  it('tells a nurse that the patient waits for a doctor, and registers them as pending', async () => {
    const records = memoryRecords({ login: 'nina', roles: ['nurse'] });
    const form = await setup(records, ['nurse']);
    assert.include($<HTMLElement>(form, '#pending-notice').textContent, 'ожидает подтверждения врачом');
    await fillValidPatient(form);
    await submit(form);
    const [patient] = await records.listPatients();
    assert.equal(patient?.status, 'pending');
  });

  it('adds and removes caregivers, and keeps their phones in the stored form', async () => {
    const records = memoryRecords();
    const form = await setup(records);
    await fillValidPatient(form);
    $<HTMLButtonElement>(form, 'fieldset#passport-caregivers > button').click();
    await form.updateComplete;
    $<HTMLButtonElement>(form, 'fieldset#passport-caregivers > button').click();
    await form.updateComplete;
    await type(form, 'passport-caregivers-0-relation', 'дочь');
    await type(form, 'passport-phones-0', '');
    $<HTMLButtonElement>(form, 'fieldset#passport-phones > button').click();
    await form.updateComplete;
    await type(form, 'passport-phones-1', '12345');
    await type(form, 'passport-caregivers-1-name', 'Иванов Пётр');
    await type(form, 'passport-caregivers-1-relation', 'сын');
    await type(form, 'passport-caregivers-1-phone', '+7 921 765-43-21');
    await submit(form);
    // The first caregiver has no name: refused next to it, the second kept as typed.
    assert.equal(messageFor(form, 'passport-caregivers-0-name'), 'Укажите имя.');
    // The blank first phone is left out; the bad second one is named in its own row.
    assert.equal(messageFor(form, 'passport-phones-1'), 'Телефон в виде +7XXXXXXXXXX.');
    await type(form, 'passport-phones-1', '89111234567');
    assert.equal($(form, '#passport-caregivers-1-name').value, 'Иванов Пётр');
    const rows = form.shadowRoot?.querySelectorAll('fieldset#passport-caregivers fieldset.nested > button') ?? [];
    (rows[0] as HTMLButtonElement).click();
    await form.updateComplete;
    await submit(form);
    const [[input]] = records.callsOf('createPatient') as [[PatientInput]];
    assert.deepEqual(input.passport.caregivers, [{ name: 'Иванов Пётр', relation: 'сын', phone: '+79217654321' }]);
  });

  it('shows what the records layer refused next to the field, keeping every value', async () => {
    const records = memoryRecords();
    const form = await setup(records);
    await fillValidPatient(form);
    records.failNext(new RecordValidationError([{ field: 'passport.snils', message: 'Такой СНИЛС уже есть.' }]));
    await submit(form);
    assert.equal(messageFor(form, 'passport-snils'), 'Такой СНИЛС уже есть.');
    assert.equal($(form, '#passport-snils').value, '112-233-445 95');
    assert.equal(form.shadowRoot?.activeElement?.id, 'passport-snils');
  });

  it('keeps everything typed and says so when a save fails for another reason', async () => {
    const records = memoryRecords();
    const form = await setup(records);
    await fillValidPatient(form);
    records.failNext(new Error('disk full'));
    await submit(form);
    assert.include(form.shadowRoot?.querySelector('[role=alert]')?.textContent ?? '', 'Введённые данные остались');
    assert.equal($(form, '#passport-surname').value, 'Иванова');
    assert.equal($(form, '#record-diagnoses-0-code').value, 'C34');
    await submit(form);
    assert.equal(records.callsOf('createPatient').length, 2);
  });

  it('changes a stored patient with updatePatient on the device’s date', async () => {
    const records = memoryRecords();
    const stored = records.seedPatient(patientInput());
    const form = await setup(records, ['doctor'], stored.patientId);
    assert.equal($(form, '#passport-surname').value, 'Иванова');
    assert.equal($<HTMLSelectElement>(form, '#need-functional-bed').value, 'unmet');
    await choose(form, 'record-careSetting', 'hospice');
    await submit(form);
    const [[id, input, on]] = records.callsOf('updatePatient') as [[string, PatientInput, string]];
    assert.equal(id, stored.patientId);
    assert.equal(on, TODAY);
    assert.equal(input.record.careSetting, 'hospice');
    assert.deepEqual(input.passport.caregivers, patientInput().passport.caregivers);
    await expect(form).to.be.accessible();
  });

  it('shows the fields of a stored patient only once it is open, so that nothing typed earlier is overwritten', async () => {
    const records = memoryRecords();
    const stored = records.seedPatient(patientInput());
    let release = (): void => undefined;
    const opened = new Promise<void>((done) => (release = done));
    const openPatient = records.openPatient.bind(records);
    records.openPatient = async (id: string) => {
      await opened;
      return openPatient(id);
    };
    const form = await renderAdmin<RpPatientForm>(
      html`<rp-patient-form
        .records=${records}
        .reference=${starterReference()}
        .roles=${['doctor']}
        .today=${TODAY}
        .patientId=${stored.patientId}
      ></rp-patient-form>`,
      'rp-patient-form',
    );
    await until(() => form.lookup.chunks.length > 0);
    assert.isNull(form.shadowRoot?.querySelector('form') ?? null);
    assert.isNull(form.shadowRoot?.querySelector('#record-caregiver') ?? null);
    assert.include(form.shadowRoot?.querySelector('[role="status"]')?.textContent ?? '', 'Загрузка');
    release();
    await until(() => form.loaded !== null);
    await form.updateComplete;
    assert.equal($(form, '#passport-surname').value, 'Иванова');
  });

  it('keeps unsaved input sealed on the device and restores it after a reload, until saved or started over', async () => {
    const drafts = new DraftStore(await importMuk(new Uint8Array(32).fill(7)), 'nina');
    const records = memoryRecords();
    const render = async () => {
      const form = await renderAdmin<RpPatientForm>(
        html`<rp-patient-form
          .records=${records}
          .reference=${starterReference()}
          .roles=${['doctor']}
          .today=${TODAY}
          .drafts=${drafts}
        ></rp-patient-form>`,
        'rp-patient-form',
      );
      await until(() => form.lookup.chunks.length > 0);
      return form;
    };
    const first = await render();
    await type(first, 'passport-surname', 'Черновикова');
    await type(first, 'passport-snils', '112-233-445 95');
    await until(() => localStorage.getItem('rp.draft.nina.patient-form:new') !== null);
    const stored = localStorage.getItem('rp.draft.nina.patient-form:new') ?? '';
    assert.notInclude(stored, 'Черновикова');
    assert.notInclude(stored, '112-233');

    // A reload: a new form finds the input again and says so.
    const second = await render();
    await until(() => second.restored);
    assert.equal($(second, '#passport-surname').value, 'Черновикова');
    assert.include(second.shadowRoot?.textContent ?? '', 'Восстановлено то, что было введено и не сохранено');
    await expect(second).to.be.accessible();

    const startOver = [...(second.shadowRoot?.querySelectorAll('button') ?? [])].find(
      (button) => button.textContent?.trim() === 'Начать заново',
    );
    startOver?.click();
    await second.updateComplete;
    assert.equal($(second, '#passport-surname').value, '');
    assert.isNull(localStorage.getItem('rp.draft.nina.patient-form:new'));

    // A saved patient leaves no draft behind.
    await fillValidPatient(second);
    await until(() => localStorage.getItem('rp.draft.nina.patient-form:new') !== null);
    await submit(second);
    assert.lengthOf(records.callsOf('createPatient'), 1);
    assert.isNull(localStorage.getItem('rp.draft.nina.patient-form:new'));
  });
});
