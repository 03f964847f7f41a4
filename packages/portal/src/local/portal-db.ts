// The portal's IndexedDB database `sluis.portal` (docs/portal.md "What stays in the browser"):
// one store for the signed-in session (./session-store.ts) and one for the per-person keys of
// the lookup tags (./tag-key.ts). Version 2 added the second store; an upgrade only creates the
// stores that are missing, so a version-1 database keeps its session.

export const PORTAL_DB = 'sluis.portal';
export const PORTAL_DB_VERSION = 2;
export const SESSION_STORE = 'session';
export const TAG_KEY_STORE = 'tag-keys';

export function openPortalDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = globalThis.indexedDB.open(PORTAL_DB, PORTAL_DB_VERSION);
    req.onupgradeneeded = () => {
      for (const name of [SESSION_STORE, TAG_KEY_STORE])
        if (!req.result.objectStoreNames.contains(name)) req.result.createObjectStore(name);
    };
    req.onsuccess = () => {
      // Another tab's newer version must not wait for this connection.
      req.result.onversionchange = () => req.result.close();
      resolve(req.result);
    };
    req.onerror = () => reject(req.error);
  });
}

/** One request in one transaction of `store`, resolved when the transaction completes. */
export async function inStore<T>(
  store: string,
  mode: IDBTransactionMode,
  fn: (s: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await openPortalDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(store, mode);
      const req = fn(tx.objectStore(store));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}
