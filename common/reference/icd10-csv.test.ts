import { describe, expect, it } from 'vitest';
import { Icd10CsvError, parseNsiIcd10Csv, splitCsvRecords } from './icd10-csv.ts';
import { readSharedIcd10 } from './shared-icd10-fixture.ts';

const HEADER = 'ID;REC_CODE;MKB_CODE;MKB_NAME;ID_PARENT;ADDL_CODE;ACTUAL;DATE';

function csv(...lines: string[]): string {
  return [HEADER, ...lines].join('\n');
}

function errorOf(text: string): string {
  try {
    parseNsiIcd10Csv(text);
  } catch (error) {
    expect(error).toBeInstanceOf(Icd10CsvError);
    return (error as Error).message;
  }
  throw new Error('the text was accepted');
}

describe('splitting CSV records', () => {
  it.each([
    ['plain fields', 'a;b;c', [['a', 'b', 'c']]],
    ['quoted fields with the separator inside', '"a;b";"c"', [['a;b', 'c']]],
    ['doubled quotes inside a quoted field', '"Болезнь ""кленового сиропа""";x', [['Болезнь "кленового сиропа"', 'x']]],
    ['a field that is only a quote', '"""";""', [['"', '']]],
    ['empty fields', ';;', [['', '', '']]],
    [
      'CRLF line ends',
      'a;b\r\nc;d\r\n',
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ],
    [
      'a BOM before the first field',
      '\ufeffID;X\n1;2',
      [
        ['ID', 'X'],
        ['1', '2'],
      ],
    ],
    [
      'a line break inside quotes',
      '"a\r\nb";c\nd;e',
      [
        ['a\r\nb', 'c'],
        ['d', 'e'],
      ],
    ],
    ['blank lines', 'a\n\n\nb\n', [['a'], ['b']]],
  ])('reads %s', (_what, text, expected) => {
    expect(splitCsvRecords(text).map((record) => record.fields)).toEqual(expected);
  });

  it('numbers records by the line they start on, counting line breaks inside quotes', () => {
    expect(splitCsvRecords('a\r\n"b\r\nc"\r\n\r\nd').map((record) => record.line)).toEqual([1, 2, 5]);
  });
});

describe('parsing the NSI ICD-10 export', () => {
  it('reads rows with every column', () => {
    const rows = parseNsiIcd10Csv(
      csv(
        '1;01;"I";"НЕКОТОРЫЕ ИНФЕКЦИОННЫЕ И ПАРАЗИТАРНЫЕ БОЛЕЗНИ";;;1;',
        '2;0101;"A00-A09";"КИШЕЧНЫЕ ИНФЕКЦИИ";1;;1;',
        '3;"0101A00";"A00";"Холера";2;1;0;"07.10.2020"',
      ),
    );
    expect(rows).toEqual([
      {
        line: 2,
        id: 1,
        recCode: '01',
        code: 'I',
        name: 'НЕКОТОРЫЕ ИНФЕКЦИОННЫЕ И ПАРАЗИТАРНЫЕ БОЛЕЗНИ',
        parentId: null,
        addlCode: null,
        actual: true,
        date: null,
      },
      {
        line: 3,
        id: 2,
        recCode: '0101',
        code: 'A00-A09',
        name: 'КИШЕЧНЫЕ ИНФЕКЦИИ',
        parentId: 1,
        addlCode: null,
        actual: true,
        date: null,
      },
      {
        line: 4,
        id: 3,
        recCode: '0101A00',
        code: 'A00',
        name: 'Холера',
        parentId: 2,
        addlCode: '1',
        actual: false,
        date: '07.10.2020',
      },
    ]);
  });

  it('finds columns by name, in any order, with CRLF and a BOM', () => {
    const text = '\ufeffMKB_NAME;ACTUAL;ID;ID_PARENT;MKB_CODE\r\n"Старость";1;7;;"R54"\r\n';
    expect(parseNsiIcd10Csv(text)).toMatchObject([
      { line: 2, id: 7, code: 'R54', name: 'Старость', actual: true, recCode: '' },
    ]);
  });

  it('keeps quotes and semicolons that are part of a name', () => {
    const [row] = parseNsiIcd10Csv(csv('1;x;"Q80.4";"Ихтиоз плода [""плод Арлекин""]; редкий";;;1;'));
    expect(row?.name).toBe('Ихтиоз плода ["плод Арлекин"]; редкий');
  });

  it.each([
    ['an empty file', '', 'line 1: the file is empty'],
    [
      'a header without MKB_CODE and ACTUAL',
      'ID;MKB_NAME;ID_PARENT\n1;x;',
      'line 1: the header lacks MKB_CODE, ACTUAL',
    ],
    ['a header and nothing else', `${HEADER}\n`, 'line 1: the header is followed by no rows'],
    ['a row with a field missing', csv('1;01;"I";"x";;1;'), 'line 2: expected 8 fields as in the header, found 7'],
    [
      'a row with a field too many',
      csv('1;01;"A00";"Холера";;;1;;'),
      'line 2: expected 8 fields as in the header, found 9',
    ],
    [
      'a quote that is never closed',
      csv('1;01;"A00";"Холера";;;1;', '2;02;"A01";"Тиф;;;1;'),
      'line 3: a quoted field is never closed',
    ],
    ['text after a closing quote', csv('1;01;"A00"x;"Холера";;;1;'), 'line 2: "x" after a closing quote'],
    ['a quote inside an unquoted field', csv('1;01;A"00;"Холера";;;1;'), 'line 2: a double quote inside a field'],
    ['an ID that is not a number', csv('1a;01;"A00";"Холера";;;1;'), 'line 2: ID "1a" is not a whole number'],
    [
      'a repeated ID',
      csv('1;01;"A00";"Холера";;;1;', '1;02;"A01";"Тиф";;;1;'),
      'line 3: ID 1 repeats the one on line 2',
    ],
    ['a code that is not ICD-10', csv('1;01;"А00";"Холера";;;1;'), 'line 2: MKB_CODE "А00" is not an ICD-10 code'],
    [
      'a repeated code',
      csv('1;01;"A00";"Холера";;;1;', '2;02;"A00";"Тиф";;;1;'),
      'line 3: MKB_CODE A00 repeats the one on line 2',
    ],
    ['an empty name', csv('1;01;"A00";"";;;1;'), 'line 2: MKB_NAME of A00 is empty'],
    ['an ACTUAL that is neither 1 nor 0', csv('1;01;"A00";"Холера";;;да;'), 'line 2: ACTUAL must be 1 or 0, not "да"'],
    ['a parent that is not a number', csv('1;01;"A00";"Холера";x;;1;'), 'line 2: ID_PARENT "x" is not a whole number'],
    [
      'a parent that does not exist',
      csv('1;01;"A00";"Холера";;;1;', '2;02;"A00.0";"x";9;;1;'),
      'line 3: ID_PARENT 9 is not the ID of any row',
    ],
  ])('refuses %s, naming the line', (_what, text, message) => {
    expect(errorOf(text)).toContain(message);
  });

  it('reads the ministry file: every row, its tree intact, the codes in force counted', () => {
    const { text, rowsInFile, actualInFile } = readSharedIcd10();
    const rows = parseNsiIcd10Csv(text);
    expect(rows).toHaveLength(rowsInFile);
    expect(rows.filter((row) => row.actual)).toHaveLength(actualInFile);
    expect(rows.find((row) => row.code === 'E71.0')?.name).toBe('Болезнь "кленового сиропа"');
    const c34 = rows.find((row) => row.code === 'C34');
    expect(rows.find((row) => row.id === c34?.parentId)?.code).toBe('C30-C39');
  });
});
