/**
 * The report views as the store runs them: source text compiled in a context of their own with only `emit` and
 * `log` (like test/helpers/ddoc-sandbox.ts does for validation), fed documents as JSON.
 */
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  PATIENT_ID,
  auditEvent,
  changed,
  passportDoc,
  patientRecord,
  prescription,
  visit,
} from '../../../common/records/test-fixtures.ts';
import { facilityDesignDoc } from '../../index.ts';
import { REPORT_VIEW, viewMapSource } from './index.ts';

type Emitted = [unknown, unknown];

const map = viewMapSource(REPORT_VIEW);

/** Runs the report view's map function over `doc` in a fresh context and returns what it emitted. */
function mapped(doc: unknown): Emitted[] {
  const emitted: Emitted[] = [];
  const context = vm.createContext({
    emit: (key: unknown, value: unknown) => emitted.push([key, value]),
    log: () => undefined,
  });
  const run = vm.runInContext(`(${map})`, context) as (doc: unknown) => void;
  run(JSON.parse(JSON.stringify(doc)));
  return JSON.parse(JSON.stringify(emitted)) as Emitted[];
}

describe('the report view', () => {
  it('is in every facility design document', () => {
    expect(facilityDesignDoc('a').views).toEqual({ [REPORT_VIEW]: { map } });
  });

  it('emits nothing for a passport, an audit event, a design document or a type its id does not name', () => {
    const impostor = { ...visit(), _id: `patient:${PATIENT_ID}` };
    for (const doc of [passportDoc(), auditEvent(), { _id: '_design/register', type: 'patient' }, impostor]) {
      expect(mapped(doc)).toEqual([]);
    }
  });

  it('keeps a patient on the register open-ended, without diagnoses or notes', () => {
    const record = changed(patientRecord(), (doc) => {
      doc.statusHistory[0] = { ...doc.statusHistory[0], note: { v: 1, kid: 'a:1', iv: 'x', ct: 'y' } } as never;
    });
    expect(mapped(record)).toEqual([
      [
        ['patient', '9999-12-31'],
        {
          sex: 'female',
          birthYear: 1948,
          diseaseGroup: 'cancer',
          inclusionDate: '2026-11-01',
          status: [
            ['2026-11-01', 'pending', null, null, null],
            ['2026-11-02', 'active', null, null, null],
          ],
          care: [['2026-11-01', 'home']],
          needs: [['2026-11-01', { 'functional-bed': [true, false], wheelchair: [true, true] }]],
        },
      ],
    ]);
  });

  it('keys a record that left the register by its last date', () => {
    const died = changed(patientRecord(), (doc) => {
      doc.statusHistory.push({ from: '2026-11-20', status: 'deceased', death: { date: '2026-11-19', place: 'home' } });
      doc.careSettingHistory.push({ from: '2026-11-10', setting: 'hospice' });
    });
    const [row] = mapped(died);
    expect(row?.[0]).toEqual(['patient', '2026-11-20']);
    expect((row?.[1] as { status: unknown[] }).status[2]).toEqual([
      '2026-11-20',
      'deceased',
      null,
      '2026-11-19',
      'home',
    ]);
    const excluded = changed(patientRecord(), (doc) => {
      doc.statusHistory.push({ from: '2026-11-05', status: 'excluded', reason: 'refused-care' });
      doc.needsHistory.push({ from: '2026-11-09', needs: {} });
    });
    expect(mapped(excluded)[0]?.[0]).toEqual(['patient', '2026-11-09']);
  });

  it('gives a visit its date and type only', () => {
    expect(mapped(visit())).toEqual([[['visit', '2026-11-28'], 'home']]);
  });

  it('keys a prescription by the end, or by the day of cancellation when that comes first', () => {
    const [row] = mapped(prescription());
    expect(row).toEqual([
      ['prescription', '2026-12-19'],
      {
        medicamentId: 'medicament:morphine-tablets-prolonged-30mg',
        dose: 30,
        doseUnit: 'mg',
        timesPerDay: 2,
        intervalHours: null,
        regimen: 'regular',
        maxDailyDose: null,
        start: '2026-11-20',
        end: '2026-12-19',
        cancelledOn: null,
      },
    ]);
    const open = changed(prescription(), (doc) => {
      delete doc.end;
    });
    expect(mapped(open)[0]?.[0]).toEqual(['prescription', '9999-12-31']);
    const cancelled = changed(prescription(), (doc) => {
      doc.status = 'cancelled';
      doc.cancellation = { at: '2026-11-25T08:00:00.000Z', by: 'olga', reason: { v: 1, kid: 'a:1', iv: 'x', ct: 'y' } };
    });
    const [cancelledRow] = mapped(cancelled);
    expect(cancelledRow?.[0]).toEqual(['prescription', '2026-11-25']);
    expect(cancelledRow?.[1]).toMatchObject({ cancelledOn: '2026-11-25' });
    expect(JSON.stringify(cancelledRow)).not.toContain('kid');
  });

  it('never emits the patient id in a value (the row id carries it)', () => {
    for (const doc of [patientRecord(), visit(), prescription()]) {
      expect(JSON.stringify(mapped(doc))).not.toContain(PATIENT_ID);
    }
  });
});
