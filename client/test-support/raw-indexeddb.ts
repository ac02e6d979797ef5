/** TEST-ONLY: what a device keeps, read around PouchDB and every other library, to prove nothing readable was stored. */

/** Every record of every object store of one IndexedDB database (by its full name), as text. */
async function indexedDbText(fullName: string): Promise<string> {
  const idb = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(fullName);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error(`${fullName} did not open`));
  });
  try {
    const stores = [...idb.objectStoreNames];
    if (stores.length === 0) return '';
    const transaction = idb.transaction(stores, 'readonly');
    const parts = await Promise.all(
      stores.map(
        (store) =>
          new Promise<string>((resolve, reject) => {
            const request = transaction.objectStore(store).getAll();
            request.onsuccess = () => resolve(JSON.stringify(request.result));
            request.onerror = () => reject(request.error ?? new Error(`${store} did not read`));
          }),
      ),
    );
    return parts.join('\n');
  } finally {
    idb.close();
  }
}

/** Every record of every object store of a PouchDB database's IndexedDB: all revisions, local docs. */
export function rawDatabaseText(name: string): Promise<string> {
  return indexedDbText(`_pouch_${name}`);
}

/** Everything the device keeps — each localStorage entry and every IndexedDB database — as one text. */
export async function everythingOnDevice(): Promise<string> {
  const parts: string[] = [];
  for (let index = 0; index < localStorage.length; index += 1) {
    const key = localStorage.key(index);
    if (key !== null) parts.push(`${key}=${localStorage.getItem(key) ?? ''}`);
  }
  for (const { name } of await indexedDB.databases()) {
    if (name) parts.push(await indexedDbText(name));
  }
  return parts.join('\n');
}
