import { describe, expect, it } from 'vitest';
import { currentStatus, validatePatientRecord, valueOn } from './patient.ts';
import { TODAY, changed, nth, patientRecord, sealed } from './test-fixtures.ts';
import type { PatientRecord } from './types.ts';

const fields = (errors: { field: string }[]) => errors.map((error) => error.field);
type Change = (record: PatientRecord & Record<string, unknown>) => void;

describe('patient record', () => {
  it('accepts a complete record', () => {
    expect(validatePatientRecord(patientRecord(), TODAY)).toEqual([]);
  });

  it.each<[string, Change]>([
    [
      'an exclusion with its reason and a sealed note',
      (r) => r.statusHistory.push({ from: '2026-11-20', status: 'excluded', reason: 'refused-care', note: sealed() }),
    ],
    [
      'a death with date, cause and place',
      (r) =>
        r.statusHistory.push({
          from: '2026-11-28',
          status: 'deceased',
          death: { date: '2026-11-27', causeCode: 'C34', place: 'home' },
        }),
    ],
    [
      'a transfer to another facility',
      (r) => r.statusHistory.push({ from: TODAY, status: 'transferred', transferredTo: 'hospice-2' }),
    ],
    ['two changes on one day', (r) => r.statusHistory.push({ from: '2026-11-02', status: 'pending' })],
    ['a needs entry with no needs', (r) => r.needsHistory.push({ from: TODAY, needs: {} })],
    [
      'an update signed by its author',
      (r) => Object.assign(r, { updatedBy: 'nina', updatedAt: '2026-11-29T10:00:00Z' }),
    ],
  ])('accepts %s', (_what, change) => {
    expect(validatePatientRecord(changed(patientRecord(), change), TODAY)).toEqual([]);
  });

  it.each<[string, Change, string[]]>([
    ['an id that is not a UUID', (r) => (r._id = 'patient:p1'), ['_id']],
    ['an unknown sex', (r) => (r.sex = 'f' as 'female'), ['sex']],
    ['a birth year in the future', (r) => (r.birthYear = 2027), ['birthYear']],
    ['a birth year 131 years ago', (r) => (r.birthYear = 1895), ['birthYear']],
    ['a district as free text', (r) => (r.districtId = 'Кемский район'), ['districtId']],
    ['an unknown disease group', (r) => (r.diseaseGroup = 'hiv' as 'cancer'), ['diseaseGroup']],
    ['no diagnoses', (r) => (r.diagnoses = []), ['diagnoses']],
    ['a diagnosis code in another format', (r) => (nth(r.diagnoses, 1).code = 'c78'), ['diagnoses[1].code']],
    ['a block instead of a code', (r) => (nth(r.diagnoses, 1).code = 'C30-C39'), ['diagnoses[1].code']],
    ['the same code twice', (r) => (nth(r.diagnoses, 1).code = 'C34.1'), ['diagnoses[1].code']],
    ['two main diagnoses', (r) => (nth(r.diagnoses, 1).role = 'main'), ['diagnoses']],
    ['no main diagnosis', (r) => (nth(r.diagnoses, 0).role = 'secondary'), ['diagnoses']],
    ['a diagnosis dated in the future', (r) => (nth(r.diagnoses, 0).since = '2026-12-01'), ['diagnoses[0].since']],
    ['an unknown eligibility basis', (r) => (r.eligibility = 'age' as 'other'), ['eligibility']],
    ['an inclusion date in the future', (r) => (r.inclusionDate = '2026-11-30'), ['inclusionDate']],
    ['an inclusion before birth', (r) => (r.inclusionDate = '1947-12-31'), ['inclusionDate']],
    ['an empty status history', (r) => (r.statusHistory = []), ['statusHistory']],
    ['a status history out of order', (r) => (nth(r.statusHistory, 1).from = '2026-10-31'), ['statusHistory[1].from']],
    ['a status dated in the future', (r) => (nth(r.statusHistory, 1).from = '2026-11-30'), ['statusHistory[1].from']],
    ['an unknown status', (r) => (nth(r.statusHistory, 1).status = 'dead' as 'active'), ['statusHistory[1].status']],
    [
      'an exclusion without reason',
      (r) => r.statusHistory.push({ from: TODAY, status: 'excluded' }),
      ['statusHistory[2].reason'],
    ],
    ['a reason on an active status', (r) => (nth(r.statusHistory, 1).reason = 'other'), ['statusHistory[1].reason']],
    [
      'a death without its details',
      (r) => r.statusHistory.push({ from: TODAY, status: 'deceased' }),
      ['statusHistory[2].death'],
    ],
    [
      'a death before the year of birth',
      (r) => r.statusHistory.push({ from: TODAY, status: 'deceased', death: { date: '1947-01-01', place: 'home' } }),
      ['statusHistory[2].death.date'],
    ],
    [
      'a death in the future',
      (r) => r.statusHistory.push({ from: TODAY, status: 'deceased', death: { date: '2026-12-01', place: 'home' } }),
      ['statusHistory[2].death.date'],
    ],
    [
      'an unknown place of death',
      (r) =>
        r.statusHistory.push({ from: TODAY, status: 'deceased', death: { date: TODAY, place: 'street' as 'other' } }),
      ['statusHistory[2].death.place'],
    ],
    [
      'a status after death',
      (r) =>
        r.statusHistory.push(
          { from: TODAY, status: 'deceased', death: { date: TODAY, place: 'home' } },
          { from: TODAY, status: 'active' },
        ),
      ['statusHistory[3].status'],
    ],
    [
      'a transfer without its target',
      (r) => r.statusHistory.push({ from: TODAY, status: 'transferred' }),
      ['statusHistory[2].transferredTo'],
    ],
    [
      'a plaintext note',
      (r) => ((nth(r.statusHistory, 1) as unknown as Record<string, unknown>).note = 'Звонила дочь'),
      ['statusHistory[1].note'],
    ],
    [
      'an unknown care setting',
      (r) => (nth(r.careSettingHistory, 0).setting = 'street' as 'home'),
      ['careSettingHistory[0].setting'],
    ],
    ['an empty care setting history', (r) => (r.careSettingHistory = []), ['careSettingHistory']],
    [
      'an unknown need',
      (r) => ((nth(r.needsHistory, 0).needs as Record<string, unknown>).jetpack = { needed: true, met: false }),
      ['needsHistory[0].needs.jetpack'],
    ],
    [
      'a need met that is not needed',
      (r) => (nth(r.needsHistory, 0).needs.wheelchair = { needed: false, met: true }),
      ['needsHistory[0].needs.wheelchair.met'],
    ],
    [
      'a need without its state',
      (r) => ((nth(r.needsHistory, 0).needs as Record<string, unknown>).wheelchair = true),
      ['needsHistory[0].needs.wheelchair'],
    ],
    ['an unknown caregiver availability', (r) => (r.caregiver = 'yes' as 'available'), ['caregiver']],
    ['no author', (r) => delete (r as Partial<PatientRecord>).createdBy, ['createdBy']],
    ['an update without its time', (r) => (r.updatedBy = 'nina'), ['updatedAt']],
    ['a name beside the record', (r) => (r.surname = 'Иванова'), ['surname']],
    ['attachments', (r) => (r._attachments = {}), ['_attachments']],
  ])('refuses %s', (_what, change, expected) => {
    expect(fields(validatePatientRecord(changed(patientRecord(), change), TODAY))).toEqual(expected);
  });

  it('checks codes and districts against the reference books it is given', () => {
    const lookups = { diagnosisExists: (code: string) => code !== 'C78.7', districtExists: () => false };
    expect(fields(validatePatientRecord(patientRecord(), TODAY, lookups))).toEqual(['districtId', 'diagnoses[1].code']);
  });
});

describe('dated histories', () => {
  const history = [
    { from: '2026-11-01', status: 'pending' as const },
    { from: '2026-11-02', status: 'active' as const },
    { from: '2026-11-02', status: 'excluded' as const },
  ];

  it.each([
    ['2026-10-31', null],
    ['2026-11-01', 'pending'],
    ['2026-11-02', 'excluded'],
    ['2030-01-01', 'excluded'],
  ])('gives the entry in force on %s', (date, status) => {
    expect(valueOn(history, date)?.status ?? null).toBe(status);
    expect(currentStatus({ statusHistory: history }, date)).toBe(status);
  });
});
