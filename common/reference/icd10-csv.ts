/**
 * Reads the Russian Ministry of Health's ICD-10 reference in its NSI export format: UTF-8 (a BOM is allowed),
 * `;`-separated, strings in double quotes with quotes inside doubled, CRLF or LF line ends, columns
 * `ID;REC_CODE;MKB_CODE;MKB_NAME;ID_PARENT;ADDL_CODE;ACTUAL;DATE` (found by name, in any order), a tree through
 * ID_PARENT, ACTUAL=1 for codes in force. Anything malformed stops the import with an error naming its line.
 */

export interface NsiIcd10Row {
  /** Line of the file the row starts on (the header is line 1). */
  line: number;
  id: number;
  recCode: string;
  code: string;
  name: string;
  parentId: number | null;
  addlCode: string | null;
  actual: boolean;
  /** As written in the file (`07.10.2020`), or null. */
  date: string | null;
}

/** A malformed file; `line` is where the problem is. */
export class Icd10CsvError extends Error {
  constructor(
    readonly line: number,
    problem: string,
  ) {
    super(`line ${line}: ${problem}`);
    this.name = 'Icd10CsvError';
  }
}

export const NSI_ICD10_COLUMNS = ['ID', 'REC_CODE', 'MKB_CODE', 'MKB_NAME', 'ID_PARENT', 'ADDL_CODE', 'ACTUAL', 'DATE'];
const REQUIRED_COLUMNS = ['ID', 'MKB_CODE', 'MKB_NAME', 'ID_PARENT', 'ACTUAL'];
const CODE = /^([IVX]+|[A-Z]\d{2}-[A-Z]\d{2}|[A-Z]\d{2}(\.\d{1,2})?)$/;

interface CsvRecord {
  line: number;
  fields: string[];
}

/** Splits CSV text into records of fields (RFC 4180 quoting, `;` as separator); blank lines are skipped. */
export function splitCsvRecords(text: string, separator = ';'): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let closedQuote = false;
  let line = 1;
  let recordLine = 1;
  const endRecord = (): void => {
    fields.push(field);
    if (fields.length > 1 || field !== '' || closedQuote) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    closedQuote = false;
  };
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted) {
      if (char !== '"') {
        if (char === '\n' || (char === '\r' && text[i + 1] !== '\n')) line += 1;
        field += char;
      } else if (text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else {
        quoted = false;
        closedQuote = true;
      }
    } else if (char === separator) {
      fields.push(field);
      field = '';
      closedQuote = false;
    } else if (char === '\r' || char === '\n') {
      if (char === '\r' && text[i + 1] === '\n') i += 1;
      endRecord();
      line += 1;
      recordLine = line;
    } else if (char === '"') {
      if (field !== '' || closedQuote) {
        throw new Icd10CsvError(
          line,
          'a double quote inside a field; quote the whole field and double the quotes in it',
        );
      }
      quoted = true;
    } else if (closedQuote) {
      throw new Icd10CsvError(line, `"${char}" after a closing quote; a quote inside a quoted field must be doubled`);
    } else {
      field += char;
    }
  }
  if (quoted) throw new Icd10CsvError(recordLine, 'a quoted field is never closed');
  endRecord();
  return records;
}

/** Where each column is, by name; the required ones must be there. */
function columnIndexes(header: CsvRecord): Record<string, number> {
  const indexes: Record<string, number> = {};
  header.fields.forEach((name, index) => {
    indexes[name.trim().toUpperCase()] = index;
  });
  const missing = REQUIRED_COLUMNS.filter((name) => indexes[name] === undefined);
  if (missing.length > 0) {
    throw new Icd10CsvError(
      header.line,
      `the header lacks ${missing.join(', ')} (an NSI ICD-10 export starts ${NSI_ICD10_COLUMNS.join(';')})`,
    );
  }
  return indexes;
}

function wholeNumber(value: string, column: string, line: number): number {
  if (!/^\d{1,15}$/.test(value)) throw new Icd10CsvError(line, `${column} "${value}" is not a whole number`);
  return Number(value);
}

/** Parses an NSI ICD-10 export; throws Icd10CsvError naming the line of the first malformed row. */
export function parseNsiIcd10Csv(text: string): NsiIcd10Row[] {
  const records = splitCsvRecords(text);
  const header = records[0];
  if (!header) throw new Icd10CsvError(1, 'the file is empty');
  const at = columnIndexes(header);
  const rows: NsiIcd10Row[] = [];
  const lineOfId = new Map<number, number>();
  const lineOfCode = new Map<string, number>();
  for (const { line, fields } of records.slice(1)) {
    if (fields.length !== header.fields.length) {
      throw new Icd10CsvError(line, `expected ${header.fields.length} fields as in the header, found ${fields.length}`);
    }
    const value = (column: string): string => {
      const index = at[column];
      return index === undefined ? '' : (fields[index] ?? '').trim();
    };
    const id = wholeNumber(value('ID'), 'ID', line);
    const code = value('MKB_CODE');
    const name = value('MKB_NAME');
    const parent = value('ID_PARENT');
    const actual = value('ACTUAL');
    if (lineOfId.has(id)) throw new Icd10CsvError(line, `ID ${id} repeats the one on line ${lineOfId.get(id)}`);
    if (!CODE.test(code)) throw new Icd10CsvError(line, `MKB_CODE "${code}" is not an ICD-10 code`);
    if (lineOfCode.has(code))
      throw new Icd10CsvError(line, `MKB_CODE ${code} repeats the one on line ${lineOfCode.get(code)}`);
    if (name === '') throw new Icd10CsvError(line, `MKB_NAME of ${code} is empty`);
    if (actual !== '1' && actual !== '0') throw new Icd10CsvError(line, `ACTUAL must be 1 or 0, not "${actual}"`);
    lineOfId.set(id, line);
    lineOfCode.set(code, line);
    rows.push({
      line,
      id,
      recCode: value('REC_CODE'),
      code,
      name,
      parentId: parent === '' ? null : wholeNumber(parent, 'ID_PARENT', line),
      addlCode: value('ADDL_CODE') || null,
      actual: actual === '1',
      date: value('DATE') || null,
    });
  }
  if (rows.length === 0) throw new Icd10CsvError(header.line, 'the header is followed by no rows');
  for (const row of rows) {
    if (row.parentId !== null && !lineOfId.has(row.parentId)) {
      throw new Icd10CsvError(row.line, `ID_PARENT ${row.parentId} is not the ID of any row`);
    }
  }
  return rows;
}
