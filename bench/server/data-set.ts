/**
 * The generated data the server benchmarks load, made once per seed and size and kept as NDJSON (one file per
 * facility under `.tmp/bench/data/<seed>-<facilities>x<patients>/`), so that repeated runs skip generation and
 * measure only the loading. Documents come from the demo's generator (scripts/demo/generate.ts, which writes
 * through the client's records layer) when it is there, otherwise from the stand-in (stand-in-data.ts); which one
 * made a cached set is kept with it, and a set made by the other is made again. `BENCH_GENERATOR=stand-in` forces
 * the stand-in.
 */
import {
  createReadStream,
  createWriteStream,
  existsSync,
  type WriteStream,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateEpochKey, importEpochKey } from '../../common/keys/epoch-keys.ts';
import type { FacilityKeySource } from '../../client/records/facility-sealer.ts';
import {
  generateFacility as standInGenerate,
  type GeneratedFacility,
  type GenerateOptions,
  type UploadPhase,
} from './stand-in-data.ts';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
export const DATA_ROOT = join(ROOT, '.tmp', 'bench', 'data');
const DEMO_GENERATOR = join(ROOT, 'scripts', 'demo', 'generate.ts');
/** Bumped when the stand-in's documents change, so an older cache is not mistaken for the current one. */
const STAND_IN_VERSION = 'stand-in/1';
/** Bumped when the layout of the cached files changes. */
const CACHE_FORMAT = 2;

/** Who writes the generated documents: a doctor and a nurse who are members of every benchmark facility. */
export const BENCH_DOCTOR = 'bench-doctor';
export const BENCH_NURSE = 'bench-nurse';

export interface DataSetSpec {
  seed: number;
  facilities: number;
  patientsPerFacility: number;
}

export interface CachedFacility {
  facilityId: string;
  file: string;
  counts: GeneratedFacility['counts'];
}

export interface DataSet {
  dir: string;
  generator: string;
  facilities: CachedFacility[];
  /** Null when the set came from the cache. */
  generationMs: number | null;
}

/** A facility's documents chunk by chunk (the demo's generator keeps memory flat that way), each with its phases. */
type GenerateChunks = (options: GenerateOptions) => AsyncIterable<Pick<GeneratedFacility, 'phases' | 'counts'>>;

export function facilityIdOf(index: number): string {
  return `bench-${String(index + 1).padStart(2, '0')}`;
}

/** A key source holding one random epoch-1 key per facility, as a member's unlocked key ring would. */
export async function benchKeySource(): Promise<FacilityKeySource> {
  const keys = new Map<string, CryptoKey>();
  const keyOf = async (facilityId: string): Promise<CryptoKey> => {
    const known = keys.get(facilityId);
    if (known) return known;
    const key = await importEpochKey(generateEpochKey());
    keys.set(facilityId, key);
    return key;
  };
  return {
    current: async (facilityId) => ({ epoch: 1, key: await keyOf(facilityId) }),
    forEpoch: async (facilityId, epoch) => (epoch === 1 ? keyOf(facilityId) : null),
  };
}

async function chooseGenerator(): Promise<{ name: string; generate: GenerateChunks }> {
  if (process.env.BENCH_GENERATOR !== 'stand-in' && existsSync(DEMO_GENERATOR)) {
    const module = (await import(pathToFileURL(DEMO_GENERATOR).href)) as { generateFacilityChunks?: unknown };
    if (typeof module.generateFacilityChunks === 'function') {
      return { name: 'scripts/demo/generate.ts', generate: module.generateFacilityChunks as GenerateChunks };
    }
  }
  return {
    name: STAND_IN_VERSION,
    generate: async function* (options) {
      yield await standInGenerate(options);
    },
  };
}

interface Meta {
  format: number;
  generator: string;
  facilities: CachedFacility[];
}

/** The data set of `spec`, from the cache or generated now (and cached). */
export async function prepareDataSet(spec: DataSetSpec, log: (line: string) => void): Promise<DataSet> {
  const dir = join(DATA_ROOT, `${spec.seed}-${spec.facilities}x${spec.patientsPerFacility}`);
  const metaFile = join(dir, 'meta.json');
  const { name, generate } = await chooseGenerator();
  if (existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as Meta;
    if (
      meta.format === CACHE_FORMAT &&
      meta.generator === name &&
      meta.facilities.every((facility) => existsSync(facility.file))
    ) {
      return { dir, generator: name, facilities: meta.facilities, generationMs: null };
    }
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const keys = await benchKeySource();
  const facilities: CachedFacility[] = [];
  const started = performance.now();
  for (let index = 0; index < spec.facilities; index += 1) {
    const facilityId = facilityIdOf(index);
    const file = join(dir, `${facilityId}.ndjson`);
    const out = createWriteStream(file);
    const counts = { patients: 0, visits: 0, prescriptions: 0, documents: 0 };
    const chunks = generate({
      seed: spec.seed,
      facilityId,
      patients: spec.patientsPerFacility,
      keys,
      doctor: BENCH_DOCTOR,
      nurse: BENCH_NURSE,
    });
    for await (const chunk of chunks) {
      await writePhases(out, chunk.phases);
      for (const key of ['patients', 'visits', 'prescriptions', 'documents'] as const) counts[key] += chunk.counts[key];
    }
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    facilities.push({ facilityId, file, counts });
    log(`  generated ${facilityId}: ${counts.documents} documents`);
  }
  const generationMs = performance.now() - started;
  writeFileSync(
    metaFile,
    JSON.stringify({ format: CACHE_FORMAT, generator: name, facilities } satisfies Meta, null, 2),
  );
  return { dir, generator: name, facilities, generationMs };
}

/** One line per document: its upload phase, the member who writes it, and the document. */
interface Line {
  phase: number;
  login: string;
  doc: UploadPhase[number]['docs'][number];
}

async function writePhases(out: WriteStream, phases: readonly UploadPhase[]): Promise<void> {
  for (const [phase, writers] of phases.entries()) {
    for (const { login, docs } of writers) {
      for (const doc of docs) {
        if (!out.write(JSON.stringify({ phase, login, doc } satisfies Line) + '\n')) {
          await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        }
      }
    }
  }
}

/**
 * Every document of one cached facility, as upload phases. Chunks were written one after the other, so phase `n`
 * of every chunk becomes phase `n` here: a later phase only continues documents of the same chunk's earlier ones.
 */
export async function readFacilityPhases(file: string): Promise<UploadPhase[]> {
  const phases: Map<string, UploadPhase[number]['docs']>[] = [];
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const text of lines) {
    if (!text) continue;
    const line = JSON.parse(text) as Line;
    const writers = (phases[line.phase] ??= new Map());
    const docs = writers.get(line.login);
    if (docs) docs.push(line.doc);
    else writers.set(line.login, [line.doc]);
  }
  return phases.map((writers) => [...writers].map(([login, docs]) => ({ login, docs })));
}

export function totalDocuments(set: DataSet): number {
  return set.facilities.reduce((sum, facility) => sum + facility.counts.documents, 0);
}
