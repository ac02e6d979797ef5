/** TEST-ONLY: what a device's IndexedDB holds, read around PouchDB, to prove nothing readable was stored. */

/** Every record of every object store of the device's IndexedDB database, as text: all revisions, local docs. */
export async function rawDatabaseText(name: string): Promise<string> {
  const idb = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(`_pouch_${name}`);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB did not open'));
  });
  try {
    const stores = [...idb.objectStoreNames];
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
