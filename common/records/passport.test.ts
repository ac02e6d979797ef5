import { describe, expect, it } from 'vitest';
import type { PassportData } from './types.ts';
import {
  isValidOmsPolicy,
  isValidSnils,
  normalisePhone,
  validatePassportData,
  validatePassportDoc,
} from './passport.ts';
import { TODAY, changed, passportData, passportDoc } from './test-fixtures.ts';

const fields = (errors: { field: string }[]) => errors.map((error) => error.field);

describe('SNILS', () => {
  it.each(['112-233-445 95', '11223344595', '123-456-789 64', '001-001-998 00', '000-000-001 23'])(
    'accepts %j',
    (snils) => {
      expect(isValidSnils(snils)).toBe(true);
    },
  );

  it.each(['112-233-445 96', '1122334459', '112233445950', 'abc', '', 11223344595])('refuses %j', (snils) => {
    expect(isValidSnils(snils)).toBe(false);
  });

  it('writes a checksum of 100 or 101 as 00', () => {
    expect(isValidSnils('920-000-003 00')).toBe(true); // 9×9 + 2×8 + 3×1 = 100
    expect(isValidSnils('920-000-004 00')).toBe(true); // 101
    expect(isValidSnils('905-000-000 00')).toBe(false); // 9×9 + 5×7 = 116, 116 mod 101 = 15
    expect(isValidSnils('905-000-000 15')).toBe(true);
  });
});

describe('OMS policy', () => {
  it.each([
    ['1000000000000001', true],
    ['100000000000000', false],
    ['10000000000000012', false],
    ['1000 0000 0000 0001', false],
    [1000000000000001, false],
  ])('%j is %s', (policy, valid) => {
    expect(isValidOmsPolicy(policy)).toBe(valid);
  });
});

describe('phone numbers', () => {
  it.each([
    ['8 (911) 123-45-67', '+79111234567'],
    ['+7 911 123 45 67', '+79111234567'],
    ['79111234567', '+79111234567'],
    ['9111234567', '+79111234567'],
    ['+358 40 1234567', '+358401234567'],
    ['123', null],
    ['звонить дочери', null],
  ])('normalises %j to %j', (raw, normalised) => {
    expect(normalisePhone(raw)).toBe(normalised);
  });
});

describe('passport data (the plaintext, checked before sealing)', () => {
  it('accepts a complete passport', () => {
    expect(validatePassportData(passportData(), TODAY)).toEqual([]);
  });

  it('accepts the least a passport needs', () => {
    const minimal: PassportData = {
      patientId: passportData().patientId,
      surname: 'Ким',
      name: 'Ли',
      birthDate: '1960-01-01',
      sex: 'male',
      phones: [],
      caregivers: [],
    };
    expect(validatePassportData(minimal, TODAY)).toEqual([]);
  });

  it('accepts someone born today and someone exactly 130 years old', () => {
    expect(validatePassportData({ ...passportData(), birthDate: TODAY, identityDocument: undefined }, TODAY)).toEqual(
      [],
    );
    expect(validatePassportData({ ...passportData(), birthDate: '1896-11-29' }, TODAY)).toEqual([]);
  });

  it.each<[string, (data: Record<string, unknown>) => void, string]>([
    ['an empty surname', (d) => (d.surname = '  '), 'surname'],
    ['no name', (d) => delete d.name, 'name'],
    ['an empty patronymic', (d) => (d.patronymic = ''), 'patronymic'],
    [
      'a birth date in the future',
      (d) => {
        d.birthDate = '2026-11-30';
        delete d.identityDocument;
      },
      'birthDate',
    ],
    ['someone older than 130 years', (d) => (d.birthDate = '1896-11-28'), 'birthDate'],
    ['an impossible birth date', (d) => (d.birthDate = '1950-02-30'), 'birthDate'],
    ['a birth date in another format', (d) => (d.birthDate = '14.03.1948'), 'birthDate'],
    ['an unknown sex', (d) => (d.sex = 'f'), 'sex'],
    ['a bad SNILS checksum', (d) => (d.snils = '112-233-445 96'), 'snils'],
    ['a short OMS policy', (d) => (d.omsPolicy = '123'), 'omsPolicy'],
    ['a patient id that is not a UUID', (d) => (d.patientId = 'p1'), 'patientId'],
    [
      'an unknown identity document',
      (d) => (d.identityDocument = { kind: 'visa', number: '1' }),
      'identityDocument.kind',
    ],
    [
      'a passport number of five digits',
      (d) => (d.identityDocument = { kind: 'passport-rf', number: '12345' }),
      'identityDocument.number',
    ],
    [
      'a document issued before birth',
      (d) => (d.identityDocument = { kind: 'other', number: 'x', issuedOn: '1940-01-01' }),
      'identityDocument.issuedOn',
    ],
    ['an address without text', (d) => (d.address = { districtId: 'district:kem' }), 'address.text'],
    [
      'a district that is not a reference id',
      (d) => (d.address = { text: 'x', districtId: 'Кемь' }),
      'address.districtId',
    ],
    ['a phone not normalised', (d) => (d.phones = ['8 911 123-45-67']), 'phones[0]'],
    ['phones as text', (d) => (d.phones = '+79111234567'), 'phones'],
    ['a caregiver without relation', (d) => (d.caregivers = [{ name: 'Пётр' }]), 'caregivers[0].relation'],
    ['a representative as text', (d) => (d.legalRepresentative = 'сын'), 'legalRepresentative'],
    ['an unknown field', (d) => (d.diagnosis = 'C34'), 'diagnosis'],
  ])('refuses %s', (_what, change, field) => {
    const data = changed(passportData() as unknown as Record<string, unknown>, change);
    expect(fields(validatePassportData(data, TODAY))).toEqual([field]);
  });
});

describe('passport document (what the store holds)', () => {
  it('accepts ciphertext with the fields replication adds', () => {
    expect(validatePassportDoc({ ...passportDoc(), _rev: '2-b', _revisions: { start: 2, ids: ['b', 'a'] } })).toEqual(
      [],
    );
  });

  it.each(['surname', 'snils', 'createdBy', '_attachments'])('refuses a plaintext field %j', (field) => {
    expect(fields(validatePassportDoc({ ...passportDoc(), [field]: 'x' }))).toEqual([field]);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['v 2', { v: 2 }, ['ct']],
    ['no iv', { iv: undefined }, ['ct']],
    ['a kid that is not <facility>:<epoch>', { kid: 'a/1' }, ['ct']],
    ['an id that is not a UUID', { _id: 'passport:7f3a' }, ['_id']],
    ['another type', { type: 'patient' }, ['type']],
  ])('refuses %s', (_what, change, expected) => {
    const doc = JSON.parse(JSON.stringify({ ...passportDoc(), ...change })) as unknown;
    expect(fields(validatePassportDoc(doc))).toEqual(expected);
  });
});
