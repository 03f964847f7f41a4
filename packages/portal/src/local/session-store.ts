// The signed-in session kept across a reload (docs/portal.md "Signing in", docs/threat-model.md
// §5.11): one record in this browser's IndexedDB holding the
// session id, what the server said about it, and the session's private key as a WebCrypto
// CryptoKey. IndexedDB stores a CryptoKey by structured clone, and a key made with
// extractable=false stays non-extractable there: script in the page can sign with it but no
// script can read its bytes. One slot: a new sign-in replaces the record of whoever signed in
// before; sign-out, an ended session (401) and a record past its absolute expiry delete it.
// Where IndexedDB is unavailable the session lives in page memory only. The database: ./portal-db.ts.

import { inStore, openPortalDb, SESSION_STORE } from './portal-db.js';

export interface StoredSession {
  readonly sessionId: string;
  readonly personId: string;
  readonly organisationId: string | null;
  readonly roles: readonly string[];
  readonly expiresAt: string;
  readonly idleExpiresAt: string;
  readonly privateKey: CryptoKey;
}

const SLOT = 'current';

const run = <T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>) =>
  inStore(SESSION_STORE, mode, fn);

function valid(x: unknown, now: number): x is StoredSession {
  if (typeof x !== 'object' || x === null) return false;
  const s = x as Record<string, unknown>;
  return (
    typeof s.sessionId === 'string' &&
    typeof s.personId === 'string' &&
    Array.isArray(s.roles) &&
    typeof s.expiresAt === 'string' &&
    Date.parse(s.expiresAt) > now &&
    s.privateKey instanceof CryptoKey &&
    s.privateKey.extractable === false
  );
}

/** Keeps the session (replacing any other person's); false when this browser cannot. */
export async function storeSession(session: StoredSession): Promise<boolean> {
  try {
    await run('readwrite', (s) => s.put(session, SLOT));
    return true;
  } catch {
    return false;
  }
}

/**
 * The kept session, or undefined. A record past its absolute expiry (or malformed) is
 * deleted here; one past its idle expiry is left for the server to refuse, since only the
 * server knows the last request's time.
 */
export async function storedSession(now = Date.now()): Promise<StoredSession | undefined> {
  let record: unknown;
  try {
    record = await run('readonly', (s) => s.get(SLOT));
  } catch {
    return undefined;
  }
  if (record === undefined) return undefined;
  if (valid(record, now)) return record;
  await forgetSession();
  return undefined;
}

/**
 * Deletes the kept session — only if it is `sessionId`'s when one is named: a tab holding an
 * older session that ended must not delete a newer sign-in kept since (the check and the
 * delete in one transaction).
 */
export async function forgetSession(sessionId?: string): Promise<void> {
  try {
    const db = await openPortalDb();
    try {
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction(SESSION_STORE, 'readwrite');
        const store = tx.objectStore(SESSION_STORE);
        const get = store.get(SLOT);
        get.onsuccess = () => {
          const kept = get.result as { sessionId?: unknown } | undefined;
          if (sessionId === undefined || kept?.sessionId === sessionId) store.delete(SLOT);
        };
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      });
    } finally {
      db.close();
    }
  } catch {
    // Nothing kept, nothing to delete.
  }
}
