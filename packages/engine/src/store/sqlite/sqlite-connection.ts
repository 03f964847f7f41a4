// The settings of every connection of the SQLite store (docs/engine.md "Storage"): WAL,
// synchronous=FULL (an acknowledged write survives power loss), foreign keys, secure_delete
// (deleted rows are overwritten) and a short busy timeout, read back rather than assumed;
// and the TRUNCATE checkpoint that takes deleted rows' old pages out of the WAL.

import type Database from 'better-sqlite3';

/** The pragmas every connection of the store runs with (docs/engine.md "Storage"). */
export interface ConnectionSettings {
  readonly journalMode: string;
  /** 2 = FULL. */
  readonly synchronous: number;
  readonly foreignKeys: number;
  /** 1 = ON. */
  readonly secureDelete: number;
  readonly busyTimeoutMs: number;
  /** 2 = MEMORY on the writer (its savepoint journals), 0 = the default on the reader. */
  readonly tempStore: number;
}

export function settingsOf(db: Database.Database): ConnectionSettings {
  const n = (p: string) => Number(db.pragma(p, { simple: true }));
  return {
    journalMode: String(db.pragma('journal_mode', { simple: true })),
    synchronous: n('synchronous'),
    foreignKeys: n('foreign_keys'),
    secureDelete: n('secure_delete'),
    busyTimeoutMs: n('busy_timeout'),
    tempStore: n('temp_store'),
  };
}

/**
 * How long a statement waits for another process's lock. better-sqlite3 is synchronous,
 * so this is time the event loop stands still: kept short, and a lock held longer is
 * refused as `database_busy` (HTTP 503) instead of stalling every request for seconds.
 */
export const BUSY_TIMEOUT_MS = 100;

/**
 * The per-connection settings, on the writer and the reader alike: the reader never
 * writes, but holding it to the same settings means no connection of the store is the
 * exception (secure_delete and synchronous are per connection in SQLite).
 */
export function configureConnection(db: Database.Database): void {
  // FULL: the WAL is fsynced at every COMMIT, so an acknowledged write survives a power
  // loss, not only a process crash (NORMAL would lose the last commits on power loss).
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('secure_delete = ON');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
}

export function configure(db: Database.Database): void {
  // Persistent in the file; a read-only connection cannot set it, only report it.
  db.pragma('journal_mode = WAL');
  configureConnection(db);
}

/** Runs wal_checkpoint(TRUNCATE); true when SQLite reports it could not finish (busy). */
export function checkpointBusy(db: Database.Database): boolean {
  const rows = db.pragma('wal_checkpoint(TRUNCATE)') as { busy?: number }[];
  return (rows[0]?.busy ?? 0) !== 0;
}

/** Deletions already in the WAL left by a crash are checkpointed out at open. */
export function checkpointAtOpen(db: Database.Database): void {
  try {
    checkpointBusy(db);
  } catch {
    // a read-only or full disk: the store refuses writes anyway; the next scrub retries
  }
}
