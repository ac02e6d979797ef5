import { describe, expect, it } from 'vitest';
import { scanPatients } from './linear-scan.ts';
import { preparePatient } from './matching.ts';
import { DuplicatePatientError, PatientIndex, type PatientEntry } from './patient-index.ts';
import { syntheticPatients, syntheticQueries } from './synthetic-patients.ts';

const PATIENTS: PatientEntry[] = [
  {
    id: 'ivanov',
    surname: 'Иванов',
    name: 'Иван',
    patronymic: 'Петрович',
    birthDate: '1950-03-12',
    snils: '123-456-789 01',
    omsPolicy: '1234 5678 9012 3456',
  },
  { id: 'ivanova', surname: 'Иванова', name: 'Мария', patronymic: 'Ивановна', birthDate: '1948-11-02' },
  { id: 'petrov', surname: 'Петров', name: 'Пётр', patronymic: 'Иванович', birthDate: '1950-07-01' },
  { id: 'smirnova', surname: 'Смирнова', name: 'Алёна', patronymic: 'Сергеевна', birthDate: '2005-03-12' },
  { id: 'fedorov', surname: 'Фёдоров', name: 'Семён', patronymic: 'Ильич', birthDate: '1905-03-12' },
  { id: 'petrova-vodkina', surname: 'Петрова-Водкина', name: 'Анна', patronymic: 'Кузьминична' },
  { id: 'zuikova', surname: 'Зуйкова', name: 'Ольга', patronymic: 'Николаевна', snils: '11223344595' },
  { id: 'zuikova-i', surname: 'Зуикова', name: 'Ольга' },
  { id: 'dartagnan', surname: "Д'Артаньян", name: 'Шарль' },
  { id: 'li', surname: 'Ли', name: 'Ирина', patronymic: 'Петровна', omsPolicy: 'ЕП 7654321' },
];

const index = new PatientIndex(PATIENTS);
const ids = (query: string, limit?: number): string[] =>
  index.search(query, limit === undefined ? {} : { limit }).map((hit) => hit.id);

describe('patient index', () => {
  it.each([
    ['иванов', ['ivanov', 'ivanova', 'petrov']],
    ['ИВАНОВ', ['ivanov', 'ivanova', 'petrov']],
    ['  Иванов  ', ['ivanov', 'ivanova', 'petrov']],
    ['Федоров', ['fedorov']],
    ['фёдоров семён', ['fedorov']],
    ['ФЁДОРОВ СЕМЕН', ['fedorov']],
    ['алена смирнова', ['smirnova']],
    ['Зуйкова', ['zuikova', 'zuikova-i']],
    ['Зуикова', ['zuikova-i', 'zuikova']],
  ])('folds case and ё, keeps й: %j', (query, expected) => {
    expect(ids(query)).toEqual(expected);
  });

  it.each([
    ['Иваноф', ['ivanov']],
    ['Ивнаов', ['ivanov']],
    ['Смирнва', ['smirnova']],
    ['Смирнова Ална', ['smirnova']],
    ['Кузминична', ['petrova-vodkina']],
    ['Кузьминчина', ['petrova-vodkina']],
    ['Ливанов', ['ivanov']],
    ['Сидоров', []],
    ['Ли', ['li']],
    ['Лиа', []],
  ])('forgives one slip from 4 letters and two from 8: %j', (query, expected) => {
    expect(ids(query)).toEqual(expected);
  });

  it.each([
    ['Иван', ['ivanov', 'ivanova', 'petrov']],
    ['ива', ['ivanov', 'ivanova', 'petrov']],
    ['смир ал', ['smirnova']],
    ['петров', ['petrov', 'petrova-vodkina', 'ivanov', 'li']],
  ])('ranks exact before prefix before slip: %j', (query, expected) => {
    expect(ids(query)).toEqual(expected);
  });

  it.each([
    ['Иванов И П', ['ivanov']],
    ['Иванов И.П.', ['ivanov']],
    ['Иванов И. П.', ['ivanov']],
    ['И.П. Иванов', ['ivanov']],
    ['иванов п', ['ivanov', 'petrov']],
    ['Иванов И И', []],
    ['Зуйкова О Н', ['zuikova']],
    ['и', ['ivanov', 'ivanova', 'li', 'fedorov', 'petrov']],
  ])('reads single letters as initials: %j', (query, expected) => {
    expect(ids(query)).toEqual(expected);
  });

  it.each([
    ['Петрова-Водкина', ['petrova-vodkina']],
    ['водкина', ['petrova-vodkina']],
    ['петроваводкина', ['petrova-vodkina']],
    ['Водкина Анна', ['petrova-vodkina']],
    ["Д'Артаньян", ['dartagnan']],
    ['Д’артаньян', ['dartagnan']],
    ['дартаньян', ['dartagnan']],
  ])('splits hyphens and joins apostrophes: %j', (query, expected) => {
    expect(ids(query)).toEqual(expected);
  });

  it.each([
    ['12.03.1950', ['ivanov']],
    ['12/03/1950', ['ivanov']],
    ['12.3.1950', ['ivanov']],
    ['1950-03-12', ['ivanov']],
    ['12.03.50', ['ivanov']],
    ['12.03.05', ['smirnova', 'fedorov']],
    ['12.03', ['ivanov', 'smirnova', 'fedorov']],
    ['1950', ['ivanov', 'petrov']],
    ['иванов 1950', ['ivanov', 'petrov']],
    ['1948 иванова', ['ivanova']],
    ['Иванов 12.03.1950', ['ivanov']],
    ['31.02.1950', []],
    ['29.02.1951', []],
    ['13.13.1950', []],
    ['иванов 1951', []],
  ])('finds birth dates: %j', (query, expected) => {
    expect(ids(query)).toEqual(expected);
  });

  it.each([
    ['123-456-789 01', ['ivanov'], ['snils']],
    ['12345678901', ['ivanov'], ['snils']],
    ['123 456 789 01', ['ivanov'], ['snils']],
    ['112-233-445 95', ['zuikova'], ['snils']],
    ['1234 5678 9012 3456', ['ivanov'], ['omsPolicy']],
    ['1234567890123456', ['ivanov'], ['omsPolicy']],
    ['7654321', ['li'], ['omsPolicy']],
    ['11223', ['zuikova'], ['snils']],
    ['Зуйкова 11223344595', ['zuikova'], ['surname', 'snils']],
    ['1122', [], []],
    ['99999999999', [], []],
  ])('finds SNILS and OMS policies: %j', (query, expected, fields) => {
    const hits = index.search(query);
    expect(hits.map((hit) => hit.id)).toEqual(expected);
    if (hits[0]) expect(hits[0].matched).toEqual(fields);
  });

  it('says which fields matched, best hit first', () => {
    expect(index.search('Иванов И П 12.03.1950')).toEqual([
      { id: 'ivanov', score: 10.5 + 6 + 6 + 10, matched: ['surname', 'name', 'patronymic', 'birthDate'] },
    ]);
    const [exact, prefix] = index.search('иванов');
    expect(exact?.score).toBeGreaterThan(prefix?.score ?? Infinity);
  });

  it.each([
    [''],
    ['   '],
    ['!!!'],
    ['—-.,;'],
    ['\u0000\uffff'],
    ['🙂'],
    ['٣٤٥'],
    ['ыыыыыы'],
    ['12'],
    ['а'.repeat(10_000)],
    ['Иванов '.repeat(500)],
    ['1'.repeat(500)],
    [null as unknown as string],
    [{ toString: () => 'иванов' } as unknown as string],
  ])('never throws on garbage: %j', (query) => {
    expect(() => index.search(query)).not.toThrow();
    expect(index.search(query)).toEqual(expect.any(Array));
  });

  it('honours the limit, 50 by default', () => {
    const many = new PatientIndex(syntheticPatients(300, 7));
    expect(many.search('а')).toHaveLength(50);
    expect(many.search('а', { limit: 3 })).toHaveLength(3);
    expect(many.search('а', { limit: 0 })).toEqual([]);
    expect(many.search('а', { limit: 3 })).toEqual(many.search('а').slice(0, 3));
  });
});

describe('patient index changes', () => {
  it('removes a patient', () => {
    const changing = new PatientIndex(PATIENTS);
    expect(changing.remove('ivanov')).toBe(true);
    expect(changing.remove('ivanov')).toBe(false);
    expect(changing.size).toBe(PATIENTS.length - 1);
    expect(changing.has('ivanov')).toBe(false);
    expect(changing.search('иванов').map((hit) => hit.id)).toEqual(['ivanova', 'petrov']);
    expect(changing.search('12.03.1950')).toEqual([]);
    expect(changing.search('123-456-789 01')).toEqual([]);
  });

  it('updates a patient, or adds one it does not hold', () => {
    const changing = new PatientIndex(PATIENTS);
    changing.update({ id: 'ivanova', surname: 'Сидорова', name: 'Мария', patronymic: 'Ивановна' });
    expect(changing.size).toBe(PATIENTS.length);
    // "Иванова" is now only a slip away from "Иванов" and "Ивановна".
    expect(changing.search('иванова').map((hit) => [hit.id, hit.score])).toEqual([
      ['ivanov', 4.5],
      ['ivanova', 4],
    ]);
    expect(changing.search('сидорова').map((hit) => hit.id)).toEqual(['ivanova']);
    expect(changing.search('1948')).toEqual([]);
    changing.update({ id: 'new', surname: 'Новикова', name: 'Вера' });
    expect(changing.size).toBe(PATIENTS.length + 1);
    expect(changing.search('новикова вера').map((hit) => hit.id)).toEqual(['new']);
  });

  it('refuses to add an id twice', () => {
    const changing = new PatientIndex(PATIENTS);
    expect(() => changing.add({ id: 'li', surname: 'Ли', name: 'Ирина' })).toThrow(DuplicatePatientError);
  });

  it('finds a name again after its last holder left and a new one came', () => {
    const changing = new PatientIndex(PATIENTS);
    changing.remove('dartagnan');
    expect(changing.search('дартаньян')).toEqual([]);
    changing.add({ id: 'again', surname: "Д'Артаньян", name: 'Луи' });
    expect(changing.search('Дартаньян Луи').map((hit) => hit.id)).toEqual(['again']);
  });
});

describe('patient index against a plain scan', () => {
  it('answers every kind of query exactly as scoring every patient does, also after changes', () => {
    const patients = syntheticPatients(3000, 11);
    const changing = new PatientIndex(patients);
    const current = new Map(patients.map((patient) => [patient.id, patient]));
    const queries = syntheticQueries(patients, 240, 12).map((query) => query.query);
    queries.push('и', 'а п', 'ов', '1950', '12.03', '01.01.50', '12345', 'Петрова-Водкина', 'Иванов И', 'ьь');
    const compare = (): void => {
      const prepared = [...current.values()].map(preparePatient);
      for (const query of queries) {
        expect(changing.search(query, { limit: 200 }), query).toEqual(scanPatients(prepared, query, 200));
      }
    };
    compare();
    for (const patient of patients.slice(0, 300)) {
      changing.remove(patient.id);
      current.delete(patient.id);
    }
    for (const patient of patients.slice(300, 600)) {
      const changed = { ...patient, surname: patient.name, name: patient.surname };
      changing.update(changed);
      current.set(patient.id, changed);
    }
    compare();
  });
});
