import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateRegister } from '../testing/generated-register.ts';
import { CacheFileRefused, cacheFilePath, readCacheFile, writeCacheFile } from './cache-file.ts';
import { documentRow } from './document-row.ts';
import { FacilityRowStore } from './facility-rows.ts';

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'report-cache-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

function rows(): FacilityRowStore {
  const store = new FacilityRowStore('f1');
  const generated = generateRegister({
    seed: 5,
    facilities: ['f1', 'f2'],
    patientsPerFacility: 30,
    firstDay: '2025-01-01',
    lastDay: '2026-06-30',
  });
  for (const doc of generated.byFacility.get('f1') ?? []) store.apply(doc._id, documentRow(doc));
  return store;
}

const PERIOD = { from: '2025-06-01', to: '2026-05-31', nextDays: 30 };

describe('the report cache file', () => {
  it('gives back the rows and the sequence it was written with', async () => {
    const store = rows();
    await writeCacheFile(directory, 'f1', '42-abc', store.snapshot());
    const saved = await readCacheFile(directory, 'f1');
    expect(saved?.seq).toBe('42-abc');
    const copy = FacilityRowStore.fromSnapshot('f1', saved?.snapshot ?? store.snapshot());
    expect(copy.rowsFor(PERIOD)).toEqual(store.rowsFor(PERIOD));
  });

  it('is null when there is none', async () => {
    expect(await readCacheFile(directory, 'f1')).toBeNull();
  });

  it.each([
    ['one changed byte', (file: Buffer) => Buffer.from(file).fill(0x20, file.length - 1)],
    ['a missing end', (file: Buffer) => file.subarray(0, file.length - 100)],
    [
      'another version',
      (file: Buffer) => Buffer.from(file.toString('latin1').replace('"version":1', '"version":9'), 'latin1'),
    ],
    [
      'another view',
      (file: Buffer) => Buffer.from(file.toString('latin1').replace(/"viewHash":"\w+"/, '"viewHash":"0"'), 'latin1'),
    ],
    ['no header', () => Buffer.from('garbage')],
  ])('is refused with %s', async (_, spoil) => {
    await writeCacheFile(directory, 'f1', 7, rows().snapshot());
    const path = cacheFilePath(directory, 'f1');
    writeFileSync(path, spoil(readFileSync(path)));
    await expect(readCacheFile(directory, 'f1')).rejects.toBeInstanceOf(CacheFileRefused);
  });

  it('is refused for another facility', async () => {
    await writeCacheFile(directory, 'f1', 7, rows().snapshot());
    writeFileSync(cacheFilePath(directory, 'f2'), readFileSync(cacheFilePath(directory, 'f1')));
    await expect(readCacheFile(directory, 'f2')).rejects.toBeInstanceOf(CacheFileRefused);
  });
});
