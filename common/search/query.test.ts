import { describe, expect, it } from 'vitest';
import { parsePatientQuery, type ParsedQuery, type QueryTerm } from './query.ts';

const word = (text: string, position: number): QueryTerm => ({ kind: 'word', text, position });
const initial = (letter: string, order: number): QueryTerm => ({ kind: 'initial', letter, order });
const date = (year: number | null, yearOfCentury: number | null, month: number, day: number): QueryTerm => ({
  kind: 'date',
  year,
  yearOfCentury,
  month,
  day,
});

describe('patient query parsing', () => {
  it.each<[string, ParsedQuery]>([
    ['Иванов Иван', { terms: [word('иванов', 0), word('иван', 1)], impossible: false }],
    ['Иванов И.П.', { terms: [word('иванов', 0), initial('и', 0), initial('п', 1)], impossible: false }],
    ['и п', { terms: [word('и', 0), word('п', 1)], impossible: false }],
    ['Петрова-Водкина', { terms: [word('петрова', 0), word('водкина', 1)], impossible: false }],
    ["Д'Артаньян", { terms: [word('дартаньян', 0)], impossible: false }],
    ['12.03.1950', { terms: [date(1950, null, 3, 12)], impossible: false }],
    ['1950-03-12', { terms: [date(1950, null, 3, 12)], impossible: false }],
    ['1.3.1950', { terms: [date(1950, null, 3, 1)], impossible: false }],
    ['12.03.50', { terms: [date(null, 50, 3, 12)], impossible: false }],
    ['12.03', { terms: [date(null, null, 3, 12)], impossible: false }],
    ['29.02.2000', { terms: [date(2000, null, 2, 29)], impossible: false }],
    ['29.02.1900', { terms: [], impossible: true }],
    ['1950', { terms: [{ kind: 'year', year: 1950 }], impossible: false }],
    ['1950г.', { terms: [{ kind: 'year', year: 1950 }], impossible: false }],
    ['1899', { terms: [], impossible: true }],
    ['123-456-789 01', { terms: [{ kind: 'identifier', text: '12345678901' }], impossible: false }],
    ['123 456 789 01', { terms: [{ kind: 'identifier', text: '12345678901' }], impossible: false }],
    ['1234 5678 9012 3456', { terms: [{ kind: 'identifier', text: '1234567890123456' }], impossible: false }],
    ['ЕП1234567', { terms: [{ kind: 'identifier', text: '1234567' }], impossible: false }],
    ['иванова, 1950', { terms: [word('иванова', 0), { kind: 'year', year: 1950 }], impossible: false }],
    ['42', { terms: [], impossible: true }],
    ['?!', { terms: [], impossible: false }],
  ])('reads %j', (query, expected) => {
    expect(parsePatientQuery(query)).toEqual(expected);
  });

  it('reads nothing from what is not a string', () => {
    expect(parsePatientQuery(undefined)).toEqual({ terms: [], impossible: false });
    expect(parsePatientQuery(12)).toEqual({ terms: [], impossible: false });
  });
});
