import { describe, expect, it } from 'vitest';
import { starterDistricts, starterMedicaments, starterReferenceDocs } from './starter-docs.ts';
import { ICD10_STARTER } from './icd10-starter.ts';
import { KARELIA_DISTRICTS } from './districts-karelia.ts';
import { parseNsiIcd10Csv } from './icd10.ts';
import { validateReferenceDoc, type Medicament } from './types.ts';
import { readSharedIcd10 } from './shared-icd10-fixture.ts';

const authorship = { by: 'system', at: '2026-01-10T09:00:00.000Z' };
const medicaments = starterMedicaments(authorship);

function byInn(innRu: string): Medicament[] {
  const found = medicaments.filter((medicament) => medicament.innRu === innRu);
  expect(found.length, `${innRu} in the seed`).toBeGreaterThan(0);
  return found;
}

describe('starter reference documents', () => {
  it('are all valid, with distinct ids', () => {
    const docs = starterReferenceDocs(authorship);
    expect(
      docs.flatMap((doc) => validateReferenceDoc(doc).map((error) => `${doc._id} ${error.field}: ${error.message}`)),
    ).toEqual([]);
    expect(new Set(docs.map((doc) => doc._id)).size).toBe(docs.length);
  });
});

describe('seed medicaments', () => {
  it.each<[string, string, number | null, 'mg' | 'ug_per_h' | null]>([
    ['Морфин', 'oral', 1, 'mg'],
    ['Морфин', 'parenteral', 3, 'mg'],
    ['Оксикодон', 'oral', 1.5, 'mg'],
    ['Оксикодон + налоксон', 'oral', 1.5, 'mg'],
    ['Фентанил', 'transdermal', 2.4, 'ug_per_h'],
    ['Гидроморфон', 'oral', 5, 'mg'],
    ['Метадон', 'oral', 4.7, 'mg'],
    ['Трамадол', 'oral', 0.2, 'mg'],
    ['Кодеин + парацетамол', 'oral', 0.15, 'mg'],
    ['Тапентадол', 'oral', 0.4, 'mg'],
    ['Бупренорфин', 'transdermal', null, null],
    ['Тримеперидин', 'parenteral', null, null],
    ['Трамадол', 'parenteral', null, null],
  ])('give %s (%s) the factor %s per %s, with its source', (inn, route, factor, basis) => {
    const forms = byInn(inn).filter((medicament) => medicament.route === route);
    expect(forms.length).toBeGreaterThan(0);
    for (const medicament of forms) {
      expect([medicament.morphineFactor, medicament.factorBasis]).toEqual([factor, basis]);
      expect(medicament.factorSource).toMatch(
        factor === null ? /нет коэффициента|только для приёма внутрь/ : /CDC 2022|1:3/,
      );
    }
  });

  it.each<[string, string | null, boolean, boolean, boolean]>([
    ['Морфин', 'II', true, false, false],
    ['Фентанил', 'II', true, false, false],
    ['Оксикодон', 'II', true, false, false],
    ['Оксикодон + налоксон', 'II', true, false, false],
    ['Гидроморфон', 'II', true, false, false],
    ['Тапентадол', 'II', true, false, false],
    ['Бупренорфин', 'II', true, false, false],
    ['Тримеперидин', 'II', true, false, false],
    ['Метадон', 'I', true, false, false],
    ['Трамадол', null, false, false, true],
    ['Кодеин + парацетамол', null, false, false, false],
    ['Мидазолам', 'III', false, true, false],
    ['Парацетамол', null, false, false, false],
    ['Галоперидол', null, false, false, false],
  ])('file %s under list %s (narcotic %s, psychotropic %s, potent %s)', (inn, list, narcotic, psychotropic, potent) => {
    for (const medicament of byInn(inn)) {
      expect([medicament.controlList, medicament.narcotic, medicament.psychotropic, medicament.potent]).toEqual([
        list,
        narcotic,
        psychotropic,
        potent,
      ]);
    }
  });

  it('class tramadol and codeine as weak opioids, the other opioids as strong, the rest as none', () => {
    const classOf = (inn: string): string[] => [...new Set(byInn(inn).map((medicament) => medicament.opioidClass))];
    for (const inn of ['Трамадол', 'Кодеин + парацетамол']) expect(classOf(inn)).toEqual(['weak']);
    for (const inn of ['Морфин', 'Фентанил', 'Оксикодон', 'Гидроморфон', 'Метадон', 'Тапентадол', 'Бупренорфин']) {
      expect(classOf(inn)).toEqual(['strong']);
    }
    for (const inn of ['Парацетамол', 'Кеторолак', 'Дексаметазон', 'Галоперидол', 'Метоклопрамид', 'Мидазолам']) {
      expect(classOf(inn)).toEqual(['none']);
    }
    for (const inn of ['Лактулоза', 'Омепразол', 'Фуросемид']) expect(classOf(inn)).toEqual(['none']);
  });

  it('offer fentanyl patches of 12, 25, 50, 75 and 100 µg/h', () => {
    expect(byInn('Фентанил').map((patch) => [patch.strength, patch.strengthUnit, patch.form])).toEqual(
      [12, 25, 50, 75, 100].map((rate) => [rate, 'ug_per_h', 'transdermal-patch']),
    );
  });

  it('carry real ATC codes for the key substances', () => {
    const atc = (inn: string): string[] => [...new Set(byInn(inn).map((medicament) => medicament.atcCode))];
    expect([atc('Морфин'), atc('Фентанил'), atc('Оксикодон'), atc('Трамадол'), atc('Бупренорфин')]).toEqual([
      ['N02AA01'],
      ['N02AB03'],
      ['N02AA05'],
      ['N02AX02'],
      ['N02AE01'],
    ]);
  });

  it('leave methadone inactive: its circulation is prohibited in Russia', () => {
    expect(byInn('Метадон').map((medicament) => medicament.active)).toEqual([false]);
    expect(medicaments.filter((medicament) => !medicament.active)).toHaveLength(1);
  });
});

describe('districts of Karelia', () => {
  const districts = starterDistricts(authorship);

  it('are the two urban okrugs and the sixteen former municipal districts, each once', () => {
    expect(districts).toHaveLength(18);
    expect(new Set(districts.map((district) => district.name)).size).toBe(18);
    expect(districts.filter((district) => district.kind === 'urban-okrug').map((district) => district.name)).toEqual([
      'Петрозаводский городской округ',
      'Костомукшский городской округ',
    ]);
    expect(districts.every((district) => district.region === 'Республика Карелия')).toBe(true);
  });

  it.each(KARELIA_DISTRICTS.map((district) => [district.name, district.kind] as const))(
    'names %s as its kind, %s',
    (name, kind) => {
      const suffix = {
        'urban-okrug': 'городской округ',
        'municipal-okrug': 'муниципальный округ',
        'municipal-district': 'муниципальный район',
      };
      expect(name.endsWith(suffix[kind])).toBe(true);
    },
  );
});

describe('ICD-10 starter list', () => {
  it('holds the palliative groups the register needs', () => {
    const codes = ICD10_STARTER.map((entry) => entry.code);
    const required = ['C00-C97', 'C34', 'C50', 'B20', 'B21', 'B22', 'B23', 'B24', 'G12.2', 'G35', 'G20', 'G30'];
    expect(codes).toEqual(expect.arrayContaining([...required, 'I50', 'I69', 'J44', 'J84.1', 'K74.6', 'N18.5']));
    expect(codes.length).toBeGreaterThanOrEqual(55);
  });

  it('matches the ministry file: every code in force, with its name and parent', () => {
    const rows = parseNsiIcd10Csv(readSharedIcd10().text);
    const byCode = new Map(rows.map((row) => [row.code, row]));
    const codeOfId = new Map(rows.map((row) => [row.id, row.code]));
    const differences = ICD10_STARTER.flatMap((entry) => {
      const row = byCode.get(entry.code);
      const parent = row?.parentId === null || row === undefined ? undefined : codeOfId.get(row.parentId);
      return row?.actual && row.name === entry.name && parent === entry.parent ? [] : [entry.code];
    });
    expect(differences).toEqual([]);
  });
});
