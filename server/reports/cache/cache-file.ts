/**
 * One facility's report rows on disk (`DATA_DIR/report-cache/<facility>.rows`), so that a restart catches up from
 * the saved sequence instead of reading the whole database again (a million prescriptions take minutes to read).
 *
 * The file is a JSON header line and a body: JSON parts (string tables, patient rows, document ids) and the typed
 * columns as raw bytes. The header names the format version, the report view's source hash, the facility, the
 * store's generation marker (a restore from backup changes it), the sequence the rows are complete up to, the
 * length of every part and the SHA-256 of the body. A file that is cut short, altered, of another version or made
 * by another view definition is refused as a whole (the caller reads the database again); nothing of it is trusted
 * piecemeal. Writes go to a temporary file renamed into place, so a crash while saving leaves the previous file.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPORT_VIEW, viewMapSource } from '../../../design-docs/facility/views/index.ts';
import { COLUMN_NAMES, type FacilityRowsSnapshot } from './facility-rows.ts';

/** Raised to 2, 3, … whenever what is stored changes meaning (the parsers or the columns). */
export const CACHE_FORMAT_VERSION = 1;
const FORMAT = 'palliative-register/report-rows';

/** The report view's definition: rows made by another definition are not the rows a report needs now. */
export const VIEW_HASH = createHash('sha256').update(viewMapSource(REPORT_VIEW)).digest('hex');

interface Header {
  format: string;
  version: number;
  viewHash: string;
  facilityId: string;
  /** The store's generation marker (server/store-generation.ts) the rows were read from; a restore changes it. */
  generation: string | null;
  seq: unknown;
  sha256: string;
  parts: { name: string; kind: 'json' | 'i32' | 'f64' | 'u8'; length: number }[];
}

/** Why a file was not used, for the log. */
export class CacheFileRefused extends Error {
  override name = 'CacheFileRefused';
}

export function cacheFilePath(directory: string, facilityId: string): string {
  return join(directory, `${facilityId}.rows`);
}

type Column = Int32Array | Float64Array | Uint8Array;

const kindOf = (column: Column): 'i32' | 'f64' | 'u8' =>
  column instanceof Int32Array ? 'i32' : column instanceof Float64Array ? 'f64' : 'u8';

/** Writes the rows of `facilityId`, complete up to `seq`. */
export async function writeCacheFile(
  directory: string,
  facilityId: string,
  seq: unknown,
  snapshot: FacilityRowsSnapshot,
  generation: string | null = null,
): Promise<void> {
  const { visitIds, prescriptionIds, visitColumns, prescriptionColumns, ...meta } = snapshot;
  const parts: { name: string; bytes: Buffer; kind: Header['parts'][number]['kind'] }[] = [
    { name: 'meta', kind: 'json', bytes: Buffer.from(JSON.stringify(meta)) },
    { name: 'visitIds', kind: 'json', bytes: Buffer.from(JSON.stringify(visitIds)) },
    { name: 'prescriptionIds', kind: 'json', bytes: Buffer.from(JSON.stringify(prescriptionIds)) },
  ];
  for (const [prefix, columns] of [
    ['visit', visitColumns],
    ['prescription', prescriptionColumns],
  ] as const) {
    for (const [name, column] of Object.entries(columns) as [string, Column][]) {
      parts.push({
        name: `${prefix}.${name}`,
        kind: kindOf(column),
        bytes: Buffer.from(column.buffer, column.byteOffset, column.byteLength),
      });
    }
  }
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part.bytes);
  const header: Header = {
    format: FORMAT,
    version: CACHE_FORMAT_VERSION,
    viewHash: VIEW_HASH,
    facilityId,
    generation,
    seq,
    sha256: hash.digest('hex'),
    parts: parts.map(({ name, kind, bytes }) => ({ name, kind, length: bytes.byteLength })),
  };
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const path = cacheFilePath(directory, facilityId);
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(
      temporary,
      Buffer.concat([Buffer.from(JSON.stringify(header) + '\n'), ...parts.map((p) => p.bytes)]),
      {
        mode: 0o600,
      },
    );
    await rename(temporary, path);
  } finally {
    await rm(temporary, { force: true });
  }
}

function columnOf(kind: 'i32' | 'f64' | 'u8', bytes: Buffer): Column {
  const size = kind === 'i32' ? 4 : kind === 'f64' ? 8 : 1;
  if (bytes.byteLength % size !== 0) throw new CacheFileRefused('a column is cut short');
  // Copied into fresh memory: the file's buffer offsets need not be aligned for the column's type.
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  if (kind === 'i32') return new Int32Array(copy.buffer);
  if (kind === 'f64') return new Float64Array(copy.buffer);
  return copy;
}

/** The rows saved for `facilityId` and their sequence; null when there is no file, CacheFileRefused when unusable. */
export async function readCacheFile(
  directory: string,
  facilityId: string,
): Promise<{ seq: unknown; generation: string | null; snapshot: FacilityRowsSnapshot } | null> {
  let file: Buffer;
  try {
    file = await readFile(cacheFilePath(directory, facilityId));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const newline = file.indexOf(10);
  let header: Header;
  try {
    header = JSON.parse(file.subarray(0, newline < 0 ? 0 : newline).toString('utf8')) as Header;
  } catch {
    throw new CacheFileRefused('the header is not readable');
  }
  if (header.format !== FORMAT || header.version !== CACHE_FORMAT_VERSION)
    throw new CacheFileRefused(`it has format ${String(header.format)} version ${String(header.version)}`);
  if (header.viewHash !== VIEW_HASH) throw new CacheFileRefused('it was made by another report view');
  if (header.facilityId !== facilityId) throw new CacheFileRefused('it belongs to another facility');
  if (!Array.isArray(header.parts)) throw new CacheFileRefused('it lists no parts');
  const body = file.subarray(newline + 1);
  const total = header.parts.reduce((sum, part) => sum + part.length, 0);
  if (total !== body.byteLength) throw new CacheFileRefused('its length does not match its header');
  if (createHash('sha256').update(body).digest('hex') !== header.sha256)
    throw new CacheFileRefused('its checksum does not match');
  const json = new Map<string, unknown>();
  const columns = new Map<string, Column>();
  let offset = 0;
  for (const part of header.parts) {
    const bytes = body.subarray(offset, offset + part.length);
    offset += part.length;
    if (part.kind === 'json') json.set(part.name, JSON.parse(bytes.toString('utf8')));
    else columns.set(part.name, columnOf(part.kind, bytes));
  }
  const group = (prefix: string): Record<string, Column> =>
    Object.fromEntries(
      [...columns]
        .filter(([name]) => name.startsWith(`${prefix}.`))
        .map(([name, c]) => [name.slice(prefix.length + 1), c]),
    );
  const meta = json.get('meta') as Omit<
    FacilityRowsSnapshot,
    'visitIds' | 'prescriptionIds' | 'visitColumns' | 'prescriptionColumns'
  >;
  const snapshot = {
    ...meta,
    visitIds: json.get('visitIds'),
    prescriptionIds: json.get('prescriptionIds'),
    visitColumns: group('visit'),
    prescriptionColumns: group('prescription'),
  } as FacilityRowsSnapshot;
  if (
    !Array.isArray(snapshot.visitIds) ||
    !Array.isArray(snapshot.prescriptionIds) ||
    !Array.isArray(snapshot.patients)
  )
    throw new CacheFileRefused('a part is missing');
  for (const [ids, group, names] of [
    [snapshot.visitIds, snapshot.visitColumns, COLUMN_NAMES.visit],
    [snapshot.prescriptionIds, snapshot.prescriptionColumns, COLUMN_NAMES.prescription],
  ] as const) {
    const columns = group as Record<string, Column | undefined>;
    if (names.some((name) => columns[name]?.length !== ids.length))
      throw new CacheFileRefused('a column is missing or does not match its ids');
  }
  return { seq: header.seq, generation: typeof header.generation === 'string' ? header.generation : null, snapshot };
}
