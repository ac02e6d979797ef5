import { assert } from '@open-wc/testing';
import PouchDB, { type Database } from 'pouchdb-browser/lib/index.es.js';
import { rangeEnd, readAll, type FacilityDatabase, type StoredDoc } from './facility-database.ts';
import { readRangeFromIndexedDb } from './idb-range.ts';

/** What `allDocs` answers for a range: the reference the direct read must equal, document for document. */
async function throughAllDocs(db: FacilityDatabase, prefix: string): Promise<StoredDoc[]> {
  const { rows } = await db.allDocs({ include_docs: true, startkey: prefix, endkey: rangeEnd(prefix) });
  return rows.flatMap((row) => (row.doc ? [row.doc] : []));
}

/** A second revision of `parent` as replication brings it (`new_edits: false`), its hash made of `letter`. */
function secondRevision(parent: { _id: string; _rev: string }, letter: string, fields: object): StoredDoc {
  const hash = letter.repeat(32);
  return {
    ...fields,
    _id: parent._id,
    _rev: `2-${hash}`,
    _revisions: { start: 2, ids: [hash, parent._rev.slice(2)] },
  };
}

async function databaseNames(): Promise<string[]> {
  return (await indexedDB.databases()).map((info) => info.name ?? '');
}

describe('reading an id range straight from IndexedDB', () => {
  let db: Database;
  let name: string;

  beforeEach(() => {
    name = `idb-range-${crypto.randomUUID().slice(0, 8)}`;
    db = new PouchDB(name);
  });

  afterEach(async () => {
    await db.destroy();
  });

  it('answers what allDocs answers: winning revisions of live documents only, in id order', async () => {
    const facility = db as unknown as FacilityDatabase;
    const docs: StoredDoc[] = [];
    for (let i = 0; i < 300; i += 1) {
      docs.push({ _id: `passport:${String(i).padStart(4, '0')}-${crypto.randomUUID()}`, n: i, body: { kid: `k${i}` } });
    }
    // Ids next to the range's edges, with separators and Cyrillic in them.
    docs.push({ _id: 'passport:', edge: 'prefix itself' });
    docs.push({ _id: 'passport:а::б', edge: 'colons inside' });
    docs.push({ _id: 'passport0', edge: 'just after the range' });
    docs.push({ _id: 'passpor', edge: 'just before the range' });
    docs.push({ _id: 'patient:1', edge: 'another range' });
    await db.bulkDocs(docs);
    // Several revisions of one document: only the latest is listed.
    const edited = await db.get('passport:а::б');
    await db.put({ ...edited, edge: 'edited once' });
    const again = await db.get('passport:а::б');
    await db.put({ ...again, edge: 'edited twice' });
    // A deleted document, and one deleted and then written again.
    const gone = await db.get(docs[3]?._id ?? '');
    await db.remove(gone._id, gone._rev);
    const back = await db.get(docs[4]?._id ?? '');
    await db.remove(back._id, back._rev);
    await db.put({ _id: docs[4]?._id ?? '', n: 'written again' });
    // A conflict: two branches replicated in; PouchDB's deterministic winner is the one listed.
    const conflicted = docs[5]?._id ?? '';
    const base = await db.get(conflicted);
    await db.bulkDocs([secondRevision(base, 'a', { side: 'a' }), secondRevision(base, 'f', { side: 'f' })], {
      new_edits: false,
    });
    // A conflict whose winner is deleted leaves the other branch listed.
    const branchy = docs[6]?._id ?? '';
    const root = await db.get(branchy);
    await db.bulkDocs(
      [secondRevision(root, 'b', { ...root, side: 'b' }), secondRevision(root, 'e', { _deleted: true })],
      { new_edits: false },
    );
    await db.put({ _id: '_local/passport:snapshot', sealed: 'x' });
    // Replicated in with a history: one stored body, at revision 3; and a deletion replicated in alone.
    await db.bulkDocs(
      [
        {
          _id: 'passport:from-elsewhere',
          _rev: '3-cccccccccccccccccccccccccccccccc',
          n: 'third',
          _revisions: {
            start: 3,
            ids: [
              'cccccccccccccccccccccccccccccccc',
              'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
              'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
            ],
          },
        },
        {
          _id: 'passport:deleted-elsewhere',
          _rev: '2-dddddddddddddddddddddddddddddddd',
          _deleted: true,
          _revisions: { start: 2, ids: ['dddddddddddddddddddddddddddddddd', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'] },
        },
      ],
      { new_edits: false },
    );

    const direct = await readRangeFromIndexedDb(facility, 'passport:', rangeEnd('passport:'));
    const reference = await throughAllDocs(facility, 'passport:');
    assert.isNotNull(direct);
    assert.equal(reference.length, 302);
    assert.equal(
      direct?.find((doc) => doc._id === 'passport:from-elsewhere')?._rev,
      '3-cccccccccccccccccccccccccccccccc',
    );
    assert.isUndefined(direct?.find((doc) => doc._id === 'passport:deleted-elsewhere'));
    assert.deepEqual(direct, reference);
    assert.deepInclude(direct ?? [], { ...(await db.get('passport:а::б')) });
    assert.equal(direct?.find((doc) => doc._id === conflicted)?.side, 'f');
    assert.equal(direct?.find((doc) => doc._id === branchy)?.side, 'b');
    assert.isUndefined(direct?.find((doc) => doc._id === docs[3]?._id));
    assert.equal(direct?.find((doc) => doc._id === docs[4]?._id)?.n, 'written again');
    // readAll takes this path and answers the same.
    assert.deepEqual(await readAll(facility, 'passport:'), reference);
    assert.deepEqual(await readRangeFromIndexedDb(facility, 'nothing:', rangeEnd('nothing:')), []);
  });

  it('answers what allDocs answers when most documents have several revisions (their metadata read at once)', async () => {
    const facility = db as unknown as FacilityDatabase;
    const written = await db.bulkDocs(
      Array.from({ length: 260 }, (_, i) => ({ _id: `patient:${String(i).padStart(3, '0')}`, version: 1 })),
    );
    await db.bulkDocs(
      written.map((row, i) => ({
        _id: row.id ?? '',
        _rev: 'rev' in row ? row.rev : '',
        version: 2,
        ...(i % 7 === 0 ? { _deleted: true } : {}),
      })),
    );
    const direct = await readRangeFromIndexedDb(facility, 'patient:', rangeEnd('patient:'));
    const reference = await throughAllDocs(facility, 'patient:');
    assert.isNotNull(direct);
    assert.equal(reference.length, 260 - Math.ceil(260 / 7));
    assert.isTrue(reference.every((doc) => doc.version === 2));
    assert.deepEqual(direct, reference);
  });

  it('answers null, creating nothing, where the path does not apply', async () => {
    await db.put({ _id: 'passport:1' });
    const missing = `_pouch_idb-range-missing-${crypto.randomUUID().slice(0, 8)}`;
    assert.isNull(await readRangeFromIndexedDb({ adapter: 'idb', name: missing.slice('_pouch_'.length) }, 'a', 'b'));
    assert.notInclude(await databaseNames(), missing);
    assert.isNull(await readRangeFromIndexedDb({ adapter: 'http', name }, 'passport:', rangeEnd('passport:')));
    assert.isNull(await readRangeFromIndexedDb({ adapter: 'idb' }, 'passport:', rangeEnd('passport:')));
  });

  it('answers null for a database of another layout, and readAll still reads through allDocs', async () => {
    await db.put({ _id: 'passport:1', n: 1 });
    // A database named like a replica whose stores are not the adapter's.
    const strange = `idb-range-strange-${crypto.randomUUID().slice(0, 8)}`;
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open(`_pouch_${strange}`, 1);
      open.onupgradeneeded = () => open.result.createObjectStore('document-store', { keyPath: 'id' });
      open.onsuccess = () => {
        open.result.close();
        resolve();
      };
      open.onerror = () => reject(open.error ?? new Error('open failed'));
    });
    assert.isNull(await readRangeFromIndexedDb({ adapter: 'idb', name: strange }, 'passport:', rangeEnd('passport:')));
    // A fake database whose allDocs is the only way in: readAll falls back to it.
    const fallback = {
      adapter: 'idb',
      name: strange,
      allDocs: (options: object) => db.allDocs(options),
    } as unknown as FacilityDatabase;
    const read = await readAll(fallback, 'passport:');
    assert.deepEqual(
      read.map((doc) => [doc._id, doc.n]),
      [['passport:1', 1]],
    );
    await new Promise((resolve) => {
      indexedDB.deleteDatabase(`_pouch_${strange}`).onsuccess = resolve;
    });
  });

  it('does not hold up PouchDB destroying the database after a read', async () => {
    await db.put({ _id: 'passport:1' });
    assert.lengthOf(
      (await readRangeFromIndexedDb(db as unknown as FacilityDatabase, 'passport:', rangeEnd('passport:'))) ?? [],
      1,
    );
    await db.destroy();
    assert.notInclude(await databaseNames(), `_pouch_${name}`);
    db = new PouchDB(name);
  });
});
