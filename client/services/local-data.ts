/**
 * Erasing one user's data from this device: what the app offers when the server no longer accepts a member whose
 * password still opens the device (the account was disabled or its password replaced — ARCHITECTURE.md,
 * "Revocation"). It removes the member's local databases (PouchDB keeps each in an IndexedDB database named
 * `_pouch_<name>`; every local database of a member carries the login in its name, e.g. `reference-<login>`), the
 * muk-sealed key material and the lock record. What was never synchronised is lost with it, which is why the page
 * asks first and says so.
 */
import type { DeviceStore } from './device-store.ts';

/** Local database names of a member: `<kind>-<login>` (reference-replication.ts and the facility replicas). */
export function isUsersDatabase(name: string, username: string): boolean {
  const bare = name.startsWith('_pouch_') ? name.slice('_pouch_'.length) : name;
  return bare.endsWith(`-${username}`) || bare.includes(`-${username}-`);
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error ?? new Error(`could not delete ${name}`));
    // Another tab holds it open: the deletion completes when that tab lets go; nothing is left half-deleted.
    request.onblocked = () => resolve();
  });
}

/** Removes every local trace of `username` from this device; returns the databases deleted. */
export async function eraseLocalData(device: DeviceStore, username: string): Promise<string[]> {
  const names = (await indexedDB.databases())
    .map((info) => info.name ?? '')
    .filter((name) => name !== '' && isUsersDatabase(name, username));
  for (const name of names) await deleteDatabase(name);
  device.forgetUser(username);
  // Sealed form drafts of this member (draft-store.ts).
  const drafts = `rp.draft.${username}.`;
  for (const key of Object.keys(localStorage)) if (key.startsWith(drafts)) localStorage.removeItem(key);
  return names;
}
