/**
 * The embedded store keeps compiled `validate_doc_update` functions and the design documents it read
 * (couch/embedded-store.ts), because compiling and decoding them for every written document was most of the cost of
 * a write. A kept validator must never outlive its design document: changed, deleted, added again, or arriving by
 * `_bulk_docs` as replication brings it, the next write is judged by what the database holds now.
 */
import { describe, expect, it } from 'vitest';
import { useRegister } from '../helpers/start-register.ts';

const register = useRegister();
const DB = 'validation-cache';

function validator(refused: string): string {
  return `function (newDoc) { if (newDoc.kind === ${JSON.stringify(refused)}) throw { forbidden: 'no ${refused}' }; }`;
}

async function write(kind: string): Promise<number> {
  const result = await register.current.store.request('POST', `/${DB}/_bulk_docs`, {
    docs: [{ _id: `doc-${kind}-${Math.random().toString(36).slice(2)}`, kind }],
  });
  const rows = result.body as { error?: string }[];
  return rows[0]?.error === 'forbidden' ? 403 : result.status;
}

describe('kept validators follow their design documents', () => {
  it('judges every write by the design documents the database holds at that moment', async () => {
    const store = register.current.store;
    await store.expect('PUT', `/${DB}`, undefined);
    expect(await write('apple')).toBe(201);

    const first = await store.expect<{ rev: string }>('PUT', `/${DB}/_design/rules`, {
      validate_doc_update: validator('apple'),
    });
    expect(await write('apple')).toBe(403);
    expect(await write('pear')).toBe(201);

    // Changed: the kept function for the old revision must not be used.
    const second = await store.expect<{ rev: string }>('PUT', `/${DB}/_design/rules`, {
      _rev: first.body.rev,
      validate_doc_update: validator('pear'),
    });
    expect(await write('apple')).toBe(201);
    expect(await write('pear')).toBe(403);

    // Deleted: nothing refuses any more.
    await store.expect('DELETE', `/${DB}/_design/rules?rev=${second.body.rev}`, undefined);
    expect(await write('pear')).toBe(201);

    // A second design document arriving by _bulk_docs (as replication writes it) counts at once.
    await store.expect('POST', `/${DB}/_bulk_docs`, {
      docs: [{ _id: '_design/more', validate_doc_update: validator('plum') }],
    });
    expect(await write('plum')).toBe(403);
    expect(await write('apple')).toBe(201);

    // Reading the design documents over HTTP still gives their bodies (the kept answer is shared, not altered).
    const listed = await store.expect<{ rows: { id: string; doc: { validate_doc_update?: string } }[] }>(
      'GET',
      `/${DB}/_all_docs?startkey=${encodeURIComponent('"_design/"')}&endkey=${encodeURIComponent('"_design0"')}&include_docs=true`,
      undefined,
    );
    expect(listed.body.rows.map((row) => [row.id, row.doc.validate_doc_update])).toEqual([
      ['_design/more', validator('plum')],
    ]);
    await store.expect('DELETE', `/${DB}`, undefined);
  });
});
