import { assert, expect, html, oneEvent } from '@open-wc/testing';
import './rp-status-change.ts';
import type { RpStatusChange } from './rp-status-change.ts';
import { renderAdmin } from '../../admin/testing/admin-test-context.ts';
import { until } from '../../test-support/render.ts';
import type { MemoryRecords } from '../../records/testing/memory-records.ts';
import { TODAY, memoryRecords, patientInput, starterReference } from '../../records/testing/patient-fixtures.ts';
import { RecordValidationError, type PatientFile, type StatusChange } from '../../records/records-api.ts';
import PouchDB from 'pouchdb-browser/lib/index.es.js';
import { FacilityRepository, type FacilityDatabase } from '../../records/facility-repository.ts';
import { TestFacilityKeys, patientInput as sealedPatientInput } from '../../records/records-fixtures.ts';
import { localFacilityDatabaseName } from '../../records/local-databases.ts';
import { transferPatient } from '../../records/transfer.ts';
import { uniqueName } from '../../test-support/test-register.ts';

const FACILITIES = [
  { id: 'hospice-ptz', name: 'Хоспис Петрозаводска' },
  { id: 'crb-kondopoga', name: 'Кондопожская ЦРБ' },
];

async function setup(records: MemoryRecords, file: PatientFile, roles: string[] = ['doctor']): Promise<RpStatusChange> {
  const panel = await renderAdmin<RpStatusChange>(
    html`<rp-status-change
      .records=${records}
      .reference=${starterReference()}
      .roles=${roles}
      .file=${file}
      .facilities=${FACILITIES}
      .facilityId=${'hospice-ptz'}
      .today=${TODAY}
    ></rp-status-change>`,
    'rp-status-change',
  );
  await until(() => panel.lookup.chunks.length > 0);
  return panel;
}

function $<T extends Element = HTMLInputElement>(panel: RpStatusChange, selector: string): T {
  const found = panel.shadowRoot?.querySelector<T>(selector);
  if (!found) throw new Error(`${selector} not found`);
  return found;
}

async function pick(panel: RpStatusChange, kind: string): Promise<void> {
  $(panel, `input[name=kind][value=${kind}]`).click();
  await panel.updateComplete;
}

async function fill(panel: RpStatusChange, id: string, value: string): Promise<void> {
  const control = $<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(panel, `#${id}`);
  control.value = value;
  control.dispatchEvent(new Event(control.localName === 'select' ? 'change' : 'input'));
  await panel.updateComplete;
}

async function submit(panel: RpStatusChange): Promise<void> {
  $<HTMLButtonElement>(panel, 'button[type=submit]').click();
  await until(() => !panel.busy);
  await panel.updateComplete;
}

function messageFor(panel: RpStatusChange, id: string): string {
  const control = $<HTMLElement>(panel, `#${id}`);
  const ids = (control.getAttribute('aria-describedby') ?? '').split(' ').filter((ref) => ref.endsWith('-error'));
  return ids.map((ref) => panel.shadowRoot?.getElementById(ref)?.textContent?.trim() ?? '').join(' ');
}

function changes(records: MemoryRecords): StatusChange[] {
  return records.callsOf('changeStatus').map((args) => args[1] as StatusChange);
}

describe('rp-status-change', () => {
  it('asks what to change first, and is accessible', async () => {
    const records = memoryRecords();
    const panel = await setup(records, records.seedPatient(patientInput()));
    assert.include(panel.shadowRoot?.textContent ?? '', 'Текущий статус: в регистре');
    assert.notExists(panel.shadowRoot?.querySelector('input[value=confirm]'));
    await submit(panel);
    assert.equal(messageFor(panel, 'kind'), 'Выберите, что изменить.');
    assert.equal(panel.shadowRoot?.activeElement?.getAttribute('name'), 'kind');
    await expect(panel).to.be.accessible();
  });

  it('excludes with a reason and a note, refusing a missing reason and a future date next to the fields', async () => {
    const records = memoryRecords();
    const file = records.seedPatient(patientInput());
    const panel = await setup(records, file);
    await pick(panel, 'exclude');
    await fill(panel, 'status-from', '2027-01-05');
    await fill(panel, 'status-note', 'Переехала к дочери в Мурманск');
    await submit(panel);
    assert.equal(messageFor(panel, 'status-reason'), 'Укажите причину исключения из регистра.');
    assert.equal(messageFor(panel, 'status-from'), 'Дата не может быть позже сегодняшней.');
    assert.equal($<HTMLTextAreaElement>(panel, '#status-note').value, 'Переехала к дочери в Мурманск');
    assert.deepEqual(changes(records), []);
    await expect(panel).to.be.accessible();
    await fill(panel, 'status-from', '2026-11-28');
    await fill(panel, 'status-reason', 'moved-away');
    const changed = oneEvent(panel, 'rp-status-changed');
    await submit(panel);
    assert.deepEqual(changes(records), [
      { status: 'excluded', from: '2026-11-28', reason: 'moved-away', note: 'Переехала к дочери в Мурманск' },
    ]);
    const { detail } = (await changed) as CustomEvent<PatientFile>;
    assert.equal(detail.record.statusHistory.at(-1)?.status, 'excluded');
    assert.equal(detail.statusNotes[detail.record.statusHistory.length - 1], 'Переехала к дочери в Мурманск');
  });

  it('records a death with a cause from the ICD-10 book, refusing a code the book lacks', async () => {
    const records = memoryRecords();
    const panel = await setup(records, records.seedPatient(patientInput()));
    await pick(panel, 'death');
    await fill(panel, 'status-deathDate', '2026-11-27');
    await fill(panel, 'status-causeCode', 'C34.9');
    await fill(panel, 'status-place', 'home');
    await submit(panel);
    assert.equal(messageFor(panel, 'status-causeCode'), 'Кода C34.9 нет в справочнике МКБ-10.');
    assert.equal(panel.shadowRoot?.activeElement?.id, 'status-causeCode');
    await fill(panel, 'status-causeCode', 'с34');
    await submit(panel);
    assert.deepEqual(changes(records), [
      { status: 'deceased', from: '2026-11-27', death: { date: '2026-11-27', causeCode: 'C34', place: 'home' } },
    ]);
    assert.include(panel.shadowRoot?.textContent ?? '', 'Статус «умер» окончательный');
  });

  describe('transfer', () => {
    const pouches: { destroy(): Promise<unknown> }[] = [];
    afterEach(async () => {
      for (const pouch of pouches.splice(0)) await pouch.destroy();
    });

    /** A facility's records on a real device database with its own real keys. */
    async function facilityRecords(id: string, roles: string[]): Promise<FacilityRepository> {
      const pouch = new PouchDB(localFacilityDatabaseName(id, uniqueName('olga')));
      pouches.push(pouch);
      return new FacilityRepository({
        facilityId: id,
        login: 'olga',
        roles,
        db: pouch as unknown as FacilityDatabase,
        keys: await TestFacilityKeys.create(),
        today: () => TODAY,
      });
    }

    async function transferPanel(roles: string[]) {
      const source = await facilityRecords('hospice-ptz', roles);
      const target = await facilityRecords('crb-kondopoga', roles);
      await source.open();
      const created = await source.createPatient(sealedPatientInput());
      const transfers = {
        transfer: (request: Parameters<typeof transferPatient>[1]) =>
          transferPatient({ source, target, login: 'olga', roles }, request),
      };
      const panel = await renderAdmin<RpStatusChange>(
        html`<rp-status-change
          .records=${source}
          .reference=${starterReference()}
          .roles=${roles}
          .file=${await source.openPatient(created.patientId)}
          .facilities=${FACILITIES}
          .facilityId=${'hospice-ptz'}
          .transfers=${transfers}
          .today=${TODAY}
        ></rp-status-change>`,
        'rp-status-change',
      );
      await until(() => panel.lookup.chunks.length > 0);
      return { panel, source, target, patientId: created.patientId };
    }

    it('copies the patient into another of the member’s facilities and marks them transferred', async () => {
      const roles = ['doctor', 'facility:hospice-ptz', 'facility:crb-kondopoga'];
      const { panel, source, target, patientId } = await transferPanel(roles);
      await pick(panel, 'transfer');
      const options = [...(panel.shadowRoot?.querySelectorAll<HTMLOptionElement>('#status-target option') ?? [])].map(
        (option) => option.value,
      );
      assert.deepEqual(options, ['', 'crb-kondopoga']);
      await submit(panel);
      assert.equal(messageFor(panel, 'status-target'), 'Выберите учреждение.');
      await fill(panel, 'status-target', 'crb-kondopoga');
      const saved = oneEvent(panel, 'rp-status-changed');
      await submit(panel);
      const file = (await saved).detail;
      assert.deepInclude(file.record.statusHistory.at(-1), { status: 'transferred', transferredTo: 'crb-kondopoga' });
      await target.open();
      assert.deepEqual((await target.openPatient(patientId)).passport, file.passport);
      target.close();
      source.close();
    });

    it('shows why a transfer is refused next to the target, and writes nothing', async () => {
      const roles = ['doctor', 'facility:hospice-ptz'];
      const { panel, source, target, patientId } = await transferPanel(roles);
      await pick(panel, 'transfer');
      await fill(panel, 'status-target', 'crb-kondopoga');
      await submit(panel);
      assert.include(messageFor(panel, 'status-target'), 'Вы не состоите в учреждении «crb-kondopoga»');
      assert.equal($<HTMLSelectElement>(panel, '#status-target').value, 'crb-kondopoga');
      assert.isFalse(await target.holdsPatient(patientId));
      assert.equal((await source.openPatient(patientId)).record.statusHistory.at(-1)?.status, 'active');
      source.close();
    });
  });

  it('lets a doctor confirm a pending patient, and not a nurse', async () => {
    const records = memoryRecords();
    const pending = records.seedPatient(patientInput(), { statusHistory: [{ from: '2026-11-01', status: 'pending' }] });
    const nurse = await setup(records, pending, ['nurse']);
    assert.notExists(nurse.shadowRoot?.querySelector('input[value=confirm]'));
    const doctor = await setup(records, pending, ['doctor']);
    await pick(doctor, 'confirm');
    await submit(doctor);
    assert.deepEqual(changes(records), [{ status: 'active', from: TODAY }]);
  });

  it('keeps the choices when the records layer refuses, showing the refusal next to the field', async () => {
    const records = memoryRecords();
    const panel = await setup(records, records.seedPatient(patientInput()));
    await pick(panel, 'death');
    await fill(panel, 'status-place', 'hospice');
    records.failNext(new Error('disk full'));
    await submit(panel);
    assert.include(panel.shadowRoot?.querySelector('[role=alert]')?.textContent ?? '', 'Введённые данные остались');
    assert.equal($<HTMLSelectElement>(panel, '#status-place').value, 'hospice');
    records.failNext(
      new RecordValidationError([{ field: 'record.statusHistory[2].death.place', message: 'Место не подходит.' }]),
    );
    await submit(panel);
    assert.equal(messageFor(panel, 'status-place'), 'Место не подходит.');
  });
});
