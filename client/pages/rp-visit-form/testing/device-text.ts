/**
 * TEST-ONLY: everything this device keeps, read around every library — each localStorage entry and every record
 * of every object store of every IndexedDB database — as one text, so a test can prove that what was typed is
 * nowhere on the device in readable form.
 */
async function databaseText(name: string): Promise<string> {
  const idb = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error(`${name} did not open`));
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

export async function everythingOnDevice(): Promise<string> {
  const parts: string[] = [];
  for (let index = 0; index < localStorage.length; index += 1) {
    const key = localStorage.key(index);
    if (key !== null) parts.push(`${key}=${localStorage.getItem(key) ?? ''}`);
  }
  for (const { name } of await indexedDB.databases()) {
    if (name) parts.push(await databaseText(name));
  }
  return parts.join('\n');
}
