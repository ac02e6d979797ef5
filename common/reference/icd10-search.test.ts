import { beforeAll, describe, expect, it } from 'vitest';
import { buildDiagnosisChunks, chunksFromEntries, codePrefixes, parseNsiIcd10Csv, searchDiagnoses } from './icd10.ts';
import type { DiagnosisChunk, DiagnosisEntry } from './types.ts';
import { readSharedIcd10 } from './shared-icd10-fixture.ts';

const authorship = { by: 'admin', at: '2026-01-10T09:00:00.000Z' };
const ENTRIES: DiagnosisEntry[] = [
  { code: 'II', name: 'НОВООБРАЗОВАНИЯ', actual: true },
  { code: 'C30-C39', name: 'ЗЛОКАЧЕСТВЕННЫЕ НОВООБРАЗОВАНИЯ ОРГАНОВ ДЫХАНИЯ И ГРУДНОЙ КЛЕТКИ', actual: true },
  { code: 'C34', name: 'Злокачественное новообразование бронхов и легкого', actual: true },
  { code: 'C34.0', name: 'Злокачественное новообразование главного бронха', actual: true },
  { code: 'C34.1', name: 'Злокачественное новообразование верхней доли, бронхов или легкого', actual: true },
  { code: 'C78.0', name: 'Вторичное злокачественное новообразование легкого', actual: true },
  { code: 'C84.2', name: 'Лимфома T-зоны', actual: false },
  { code: 'J44', name: 'Другая хроническая обструктивная легочная болезнь', actual: true },
  { code: 'O44', name: 'Предлежание плаценты', actual: true },
  { code: 'Q35.1', name: 'Расщелина твердого нёба', actual: true },
  { code: 'G12.2', name: 'Болезнь двигательного неврона', actual: true },
  { code: 'W67', name: 'Утопление и погружение в воду во время нахождения в плавательном бассейне', actual: true },
  { code: 'I50', name: 'Сердечная недостаточность', actual: true },
  { code: 'N18.5', name: 'Хроническая болезнь почки, стадия 5', actual: true },
  { code: 'T18.5', name: 'Инородное тело в заднем проходе и прямой кишке', actual: true },
];
const chunks = chunksFromEntries(ENTRIES, authorship);
const codes = (query: string, options = {}, limit = 20): string[] =>
  searchDiagnoses(chunks, query, limit, options).map((entry) => entry.code);

describe('diagnosis search by code', () => {
  it.each([
    ['C34', ['C34', 'C34.0', 'C34.1']],
    ['c34', ['C34', 'C34.0', 'C34.1']],
    ['  C34.1 ', ['C34.1']],
    ['c34,1', ['C34.1']],
    ['C341', ['C34.1']],
    ['C3', ['C34', 'C34.0', 'C34.1']],
    ['С34', ['C34', 'C34.0', 'C34.1']], // Cyrillic С
    ['с34ю1', ['C34.1']], // Russian layout: "ю" is the key of "."
    ['Н18.5', []], // Cyrillic Н looks like Latin H and shares its key with Y: neither is N
    ['Т18.5', ['T18.5', 'N18.5']], // Cyrillic Т looks like T and sits on the key of N
    ['О44', ['O44', 'J44']], // Cyrillic О looks like O and sits on the key of J
  ])('finds %j', (query, expected) => {
    expect(codes(query)).toEqual(expected);
  });

  it('puts the exact code first and stops at the limit', () => {
    expect(codes('C34', {}, 2)).toEqual(['C34', 'C34.0']);
  });

  it('shows classes and blocks, and codes no longer in force, only when asked', () => {
    expect(codes('C3', { includeGroups: true })).toEqual(['C30-C39', 'C34', 'C34.0', 'C34.1']);
    expect(codes('C84')).toEqual([]);
    expect(codes('C84', { includeInactive: true })).toEqual(['C84.2']);
  });

  it.each([
    ['C34', ['C34']],
    ['с34.1', ['C34.1']],
    ['Ы34', ['S34']],
    ['рак', null],
    ['C', null],
    ['Ж34', null],
  ])('reads %j as code prefixes %j', (query, expected) => {
    expect(codePrefixes(query)).toEqual(expected);
  });
});

describe('diagnosis search by words', () => {
  it.each([
    [
      'all words as prefixes, in any case; categories, then shorter names first',
      'ЗЛОКАЧ бронх',
      ['C34', 'C34.0', 'C34.1'],
    ],
    ['ё as е in the query', 'лёгкого вторичное', ['C78.0']],
    ['ё as е in the name', 'твердого неба', ['Q35.1']],
    ['an inflected word by its stem', 'легких', ['C34', 'C78.0', 'C34.1']],
    ['"рак" as malignant neoplasm', 'рак легкого', ['C34', 'C34.1', 'C78.0']],
    ['ХОБЛ', 'ХОБЛ', ['J44']],
    ['БАС before a swimming pool', 'бас', ['G12.2', 'W67']],
    ['a code prefix among words', 'c34 верхней', ['C34.1']],
    ['nothing when one word is missing', 'рак почки', []],
  ])('matches %s', (_what, query, expected) => {
    expect(codes(query)).toEqual(expected);
  });

  it('answers an empty query, or a limit of zero, with nothing', () => {
    expect(codes('   ')).toEqual([]);
    expect(codes('C34', {}, 0)).toEqual([]);
  });
});

describe('diagnosis search over the ministry file', () => {
  let all: DiagnosisChunk[] = [];
  beforeAll(() => {
    const edition = { version: '2.27', oid: '1.2.643.5.1.13.13.11.1005', source: 'НСИ' };
    all = buildDiagnosisChunks(parseNsiIcd10Csv(readSharedIcd10().text), edition, authorship).chunks;
  });

  it.each([
    ['C34', 'C34'],
    ['С34', 'C34'],
    ['рак легкого', 'C34'],
    ['злокачественное новообразование бронхов', 'C34'],
    ['хроническая болезнь почки стадия 5', 'N18.5'],
    ['паллиативная помощь', 'Z51.5'],
    ['болезнь альцгеймера', 'G30'],
    ['ХОБЛ', 'J44'],
  ])('finds %j with %s among the first five', (query, code) => {
    expect(searchDiagnoses(all, query, 5).map((entry) => entry.code)).toContain(code);
  });

  it('answers within a keystroke once the chunks are indexed', () => {
    searchDiagnoses(all, 'прогрев', 20);
    const started = performance.now();
    for (const query of ['рак легкого', 'C34', 'сердечная недостаточность', 'болезнь']) searchDiagnoses(all, query, 20);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
