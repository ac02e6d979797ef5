import { describe, expect, it } from 'vitest';
import {
  isDiagnosisChunk,
  isDistrict,
  isMedicament,
  validateDiagnosisChunk,
  validateDiagnosisMeta,
  validateDistrict,
  validateMedicament,
  validateReferenceDoc,
  type DiagnosisChunk,
  type DiagnosisMeta,
  type District,
  type Medicament,
} from './types.ts';

const stamp = {
  createdBy: 'admin',
  createdAt: '2026-01-10T09:00:00.000Z',
  updatedBy: 'admin',
  updatedAt: '2026-01-10T09:00:00Z',
};
const morphine: Medicament = {
  _id: 'medicament:morphine-tablets-10mg',
  type: 'medicament',
  active: true,
  innRu: 'Морфин',
  innLatin: 'Morphinum',
  tradeNames: [],
  atcCode: 'N02AA01',
  form: 'tablet',
  strength: 10,
  strengthUnit: 'mg',
  route: 'oral',
  narcotic: true,
  psychotropic: false,
  controlList: 'II',
  potent: false,
  opioidClass: 'strong',
  morphineFactor: 1,
  factorBasis: 'mg',
  factorSource: 'CDC 2022',
  ...stamp,
};
const chunk: DiagnosisChunk = {
  _id: 'diagnosis-chunk:C',
  type: 'diagnosis-chunk',
  active: true,
  entries: [
    { code: 'C34', name: 'Злокачественное новообразование бронхов и легкого', parent: 'C30-C39', actual: true },
    { code: 'C34.1', name: 'Злокачественное новообразование верхней доли, бронхов или легкого', actual: true },
  ],
  ...stamp,
};
const meta: DiagnosisMeta = {
  _id: 'diagnosis-meta:icd10',
  type: 'diagnosis-meta',
  active: true,
  version: '2.27',
  oid: '1.2.643.5.1.13.13.11.1005',
  source: 'НСИ',
  count: 2,
  importedAt: '2026-01-10T09:00:00.000Z',
  ...stamp,
};
const district: District = {
  _id: 'district:kemsky',
  type: 'district',
  active: true,
  name: 'Кемский муниципальный округ',
  kind: 'municipal-okrug',
  centre: 'Кемь',
  region: 'Республика Карелия',
  ...stamp,
};

describe('reference document validation', () => {
  it('accepts well-formed documents of every type', () => {
    for (const doc of [morphine, chunk, meta, district]) expect(validateReferenceDoc(doc)).toEqual([]);
    expect([isMedicament(morphine), isDiagnosisChunk(chunk), isDistrict(district)]).toEqual([true, true, true]);
  });

  it('refuses what is not an object, and a type it does not know', () => {
    expect(validateMedicament(null)).toEqual([{ field: '', message: 'Документ должен быть объектом.' }]);
    expect(validateReferenceDoc({ ...district, type: 'staff' })).toEqual([
      { field: 'type', message: 'Неизвестный тип документа справочника.' },
    ]);
    expect(isMedicament(district)).toBe(false);
  });

  it.each<[string, Record<string, unknown>, { field: string; message: string }[]]>([
    [
      'an id of another type',
      { _id: 'district:x' },
      [{ field: '_id', message: 'Идентификатор должен иметь вид «medicament:morphine-tablets-10mg».' }],
    ],
    [
      'an id with capitals',
      { _id: 'medicament:Morphine' },
      [{ field: '_id', message: 'Идентификатор должен иметь вид «medicament:morphine-tablets-10mg».' }],
    ],
    ['a wrong type', { type: 'district' }, [{ field: 'type', message: 'Тип документа должен быть «medicament».' }]],
    ['no active flag', { active: undefined }, [{ field: 'active', message: 'Укажите, действует ли запись.' }]],
    ['no author', { createdBy: ' ' }, [{ field: 'createdBy', message: 'Не указано, кто создал запись.' }]],
    [
      'a local time',
      { updatedAt: '2026-01-10 09:00' },
      [{ field: 'updatedAt', message: 'Время изменения не в формате ISO 8601.' }],
    ],
    ['no Russian INN', { innRu: '' }, [{ field: 'innRu', message: 'Укажите МНН на русском языке.' }]],
    [
      'a Cyrillic Latin INN',
      { innLatin: 'Морфинум' },
      [{ field: 'innLatin', message: 'Укажите МНН латинскими буквами.' }],
    ],
    [
      'repeated trade names',
      { tradeNames: ['А', 'А'] },
      [{ field: 'tradeNames', message: 'Торговые наименования — список разных непустых названий.' }],
    ],
    [
      'a short ATC code',
      { atcCode: 'N02A' },
      [{ field: 'atcCode', message: 'Код АТХ должен иметь вид N02AA01 (или N01AH для группы).' }],
    ],
    ['an unknown form', { form: 'pill' }, [{ field: 'form', message: 'Неизвестная лекарственная форма.' }]],
    [
      'a zero strength',
      { strength: 0 },
      [{ field: 'strength', message: 'Дозировка должна быть положительным числом.' }],
    ],
    ['an unknown route', { route: 'inhaled' }, [{ field: 'route', message: 'Неизвестный путь введения.' }]],
    ['a flag that is not boolean', { potent: 'нет' }, [{ field: 'potent', message: 'Должно быть «да» или «нет».' }]],
    [
      'a narcotic without a list',
      { controlList: null },
      [{ field: 'controlList', message: 'Для наркотического или психотропного средства укажите список.' }],
    ],
    [
      'a narcotic in List III',
      { controlList: 'III' },
      [{ field: 'controlList', message: 'Наркотические средства входят в списки I и II, не в список III.' }],
    ],
    [
      'a list IV',
      { controlList: 'IV' },
      [{ field: 'controlList', message: 'Список может быть I, II, III или не указан.' }],
    ],
    [
      'a list without a flag',
      { narcotic: false },
      [{ field: 'controlList', message: 'Список указывается только для наркотических и психотропных средств.' }],
    ],
    [
      'a potent substance in List II',
      { potent: true },
      [{ field: 'potent', message: 'Сильнодействующее вещество не входит в списки I–III.' }],
    ],
    [
      'an unknown opioid class',
      { opioidClass: 'medium' },
      [{ field: 'opioidClass', message: 'Класс опиоида: сильный, слабый или не опиоид.' }],
    ],
    [
      'a zero factor',
      { morphineFactor: 0 },
      [{ field: 'morphineFactor', message: 'Коэффициент — положительное число или «нет коэффициента».' }],
    ],
    [
      'a factor on a non-opioid',
      { opioidClass: 'none' },
      [{ field: 'morphineFactor', message: 'Коэффициент пересчёта задаётся только для опиоидов.' }],
    ],
    [
      'a factor without a basis',
      { factorBasis: null },
      [{ field: 'factorBasis', message: 'Укажите основание коэффициента: на мг или на мкг/ч.' }],
    ],
    [
      'a per-µg/h factor on tablets',
      { factorBasis: 'ug_per_h' },
      [{ field: 'factorBasis', message: 'Коэффициент на мкг/ч — только для дозировки в мкг/ч, и наоборот.' }],
    ],
    [
      'a factor without a source',
      { factorSource: null },
      [{ field: 'factorSource', message: 'Укажите источник коэффициента.' }],
    ],
    [
      'a basis without a factor',
      { morphineFactor: null },
      [{ field: 'factorBasis', message: 'Без коэффициента основание не указывается.' }],
    ],
    ['an empty note', { note: '' }, [{ field: 'note', message: 'Пустой текст не допускается.' }]],
  ])('names the field of a medicament with %s', (_what, change, expected) => {
    expect(validateMedicament({ ...morphine, ...change })).toEqual(expected);
  });

  it('accepts "no factor" with or without a reason', () => {
    const none = { ...morphine, morphineFactor: null, factorBasis: null };
    expect(validateMedicament({ ...none, factorSource: null })).toEqual([]);
    expect(validateMedicament({ ...none, factorSource: 'В таблице CDC 2022 нет коэффициента' })).toEqual([]);
  });

  it.each<[string, unknown[], { field: string; message: string }[]]>([
    [
      'a code of another chunk',
      [{ code: 'D48', name: 'x', actual: true }],
      [{ field: 'entries[0].code', message: 'Код D48 не относится к части «C».' }],
    ],
    [
      'a malformed code',
      [{ code: 'C3', name: 'x', actual: true }],
      [{ field: 'entries[0].code', message: 'Код МКБ-10 должен иметь вид C34, C34.1, C30-C39 или II.' }],
    ],
    [
      'a repeated code',
      [
        { code: 'C34', name: 'x', actual: true },
        { code: 'C34', name: 'y', actual: true },
      ],
      [{ field: 'entries[1].code', message: 'Код C34 уже есть в entries[0].' }],
    ],
    [
      'an empty name',
      [{ code: 'C34', name: ' ', actual: true }],
      [{ field: 'entries[0].name', message: 'Укажите название диагноза.' }],
    ],
    [
      'a bad parent',
      [{ code: 'C34', name: 'x', parent: 'рак', actual: true }],
      [{ field: 'entries[0].parent', message: 'Родительский код должен быть кодом МКБ-10.' }],
    ],
    [
      'no actual flag',
      [{ code: 'C34', name: 'x' }],
      [{ field: 'entries[0].actual', message: 'Укажите, действует ли код.' }],
    ],
    ['an entry that is not an object', ['C34'], [{ field: 'entries[0]', message: 'Запись должна быть объектом.' }]],
  ])('names the entry of a diagnosis chunk with %s', (_what, entries, expected) => {
    expect(validateDiagnosisChunk({ ...chunk, entries })).toEqual(expected);
  });

  it('keeps the classes in their own chunk', () => {
    const classes = {
      ...chunk,
      _id: 'diagnosis-chunk:classes',
      entries: [{ code: 'II', name: 'НОВООБРАЗОВАНИЯ', actual: true }],
    };
    expect(validateDiagnosisChunk(classes)).toEqual([]);
    expect(validateDiagnosisChunk({ ...chunk, _id: 'diagnosis-chunk:c' })).toEqual([
      { field: '_id', message: 'Идентификатор должен иметь вид «diagnosis-chunk:C».' },
    ]);
    expect(validateDiagnosisChunk({ ...chunk, entries: {} })).toEqual([
      { field: 'entries', message: 'Коды части — список.' },
    ]);
  });

  it.each<[Record<string, unknown>, { field: string; message: string }]>([
    [
      { _id: 'diagnosis-meta:icd11' },
      { field: '_id', message: 'Идентификатор должен иметь вид «diagnosis-meta:icd10».' },
    ],
    [{ version: '' }, { field: 'version', message: 'Укажите версию справочника.' }],
    [{ oid: '1.2.x' }, { field: 'oid', message: 'OID — числа через точку, например 1.2.643.5.1.13.13.11.1005.' }],
    [{ source: undefined }, { field: 'source', message: 'Укажите источник справочника.' }],
    [{ count: 1.5 }, { field: 'count', message: 'Число кодов — целое неотрицательное число.' }],
    [{ importedAt: 'вчера' }, { field: 'importedAt', message: 'Время загрузки не в формате ISO 8601.' }],
  ])('names the field of the diagnosis meta document (%j)', (change, expected) => {
    expect(validateDiagnosisMeta({ ...meta, ...change })).toEqual([expected]);
  });

  it.each<[Record<string, unknown>, { field: string; message: string }]>([
    [{ name: '' }, { field: 'name', message: 'Укажите название.' }],
    [
      { kind: 'city' },
      { field: 'kind', message: 'Вид: городской округ, муниципальный округ или муниципальный район.' },
    ],
    [{ centre: null }, { field: 'centre', message: 'Укажите административный центр.' }],
    [{ region: '' }, { field: 'region', message: 'Укажите субъект Российской Федерации.' }],
  ])('names the field of a district (%j)', (change, expected) => {
    expect(validateDistrict({ ...district, ...change })).toEqual([expected]);
  });
});
