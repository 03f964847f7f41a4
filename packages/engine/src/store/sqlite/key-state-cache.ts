// The committed rows of keys and organisations, kept in memory for the read connection
// (docs/engine.md "Key state cache"). Exact because one process owns the file (storage
// contract, clause 5) and its one writer connection is the only writer: temporary triggers
// on that connection report every statement that inserts, updates or deletes a key row or
// an organisation column the rows carry — whichever method or SQL ran it — and the group
// commit empties the cache when the transaction that ran one ends (committed or rolled
// back), synchronously, before any operation of that batch settles. So a read that follows
// an acknowledged revocation or suspension reads the new row, and a read during the
// transaction reads (and may cache) only the committed state, which is what the read
// connection sees anyway.

import type Database from 'better-sqlite3';
import type { KeyRow, OrganisationRow } from '../store.js';

/** A bound on the entries (the keys of a whole register fit); past it the cache starts over. */
const MAX_ENTRIES = 10_000;

/**
 * The organisations columns the cached row does not carry: a statement that changes only
 * these leaves the cache as it is (every event bumps event_seq, sqlite-events.ts).
 */
export const UNCACHED_ORGANISATION_COLUMNS: readonly string[] = ['event_seq'];

const CHANGED = 'sluis_key_state_changed';

export class KeyStateCache {
  readonly #keys = new Map<string, KeyRow>();
  readonly #organisations = new Map<number, OrganisationRow>();
  /** A statement of the open write transaction changed a key or an organisation. */
  #changed = false;
  /** Times the cache was emptied (tests: proof that a write reached it). */
  invalidations = 0;

  key(keyId: string): KeyRow | undefined {
    return this.#keys.get(keyId);
  }
  organisation(rid: number): OrganisationRow | undefined {
    return this.#organisations.get(rid);
  }
  /** Only rows the read connection just read: committed state. */
  rememberKey(k: KeyRow): KeyRow {
    if (this.#keys.size >= MAX_ENTRIES) this.#keys.clear();
    const row = Object.freeze(k);
    this.#keys.set(k.keyId, row);
    return row;
  }
  rememberOrganisation(o: OrganisationRow): OrganisationRow {
    if (this.#organisations.size >= MAX_ENTRIES) this.#organisations.clear();
    const row = Object.freeze(o);
    this.#organisations.set(o.rid, row);
    return row;
  }

  /**
   * Installs the triggers on the writer connection: every INSERT, UPDATE or DELETE of a
   * key, and of an organisation except an update of only UNCACHED_ORGANISATION_COLUMNS,
   * marks the transaction. TEMP triggers live in this connection only, never in the file.
   */
  watch(db: Database.Database): void {
    db.function(CHANGED, { deterministic: false, varargs: false }, () => {
      this.#changed = true;
      // A statement outside any transaction commits as it ends, and no read can run
      // before it does (better-sqlite3 is synchronous): forget at once.
      if (!db.inTransaction) this.transactionEnded();
      return null;
    });
    const columns = (db.pragma('table_info(organisations)') as { name: string }[])
      .map((c) => c.name)
      .filter((c) => !UNCACHED_ORGANISATION_COLUMNS.includes(c));
    const on = (name: string, event: string) =>
      `CREATE TEMP TRIGGER IF NOT EXISTS ${name} AFTER ${event} FOR EACH ROW BEGIN SELECT ${CHANGED}(); END;`;
    db.exec(
      [
        on('key_state_key_insert', 'INSERT ON main.keys'),
        on('key_state_key_update', 'UPDATE ON main.keys'),
        on('key_state_key_delete', 'DELETE ON main.keys'),
        on('key_state_org_insert', 'INSERT ON main.organisations'),
        on('key_state_org_update', `UPDATE OF ${columns.join(', ')} ON main.organisations`),
        on('key_state_org_delete', 'DELETE ON main.organisations'),
      ].join('\n'),
    );
  }

  /** The writer's transaction ended (commit or rollback): forget everything if it changed a row. */
  transactionEnded(): void {
    if (!this.#changed) return;
    this.#changed = false;
    this.#keys.clear();
    this.#organisations.clear();
    this.invalidations++;
  }
}
