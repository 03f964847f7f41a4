// Online backup of the SQLite database with SQLite's backup API (better-sqlite3's
// .backup()), safe while the server is running and writing: the copy is a consistent
// snapshot. Invariant: an existing file is never overwritten, the copy is 0600 (it
// holds contact details and stored pseudonyms), and it is integrity-checked before
// success is reported. Keys are not in the database and are backed up separately.

import { chmodSync, existsSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

interface Db {
  backup(target: string): Promise<{ totalPages: number; remainingPages: number }>;
  pragma(sql: string, options?: { simple?: boolean }): unknown;
  close(): void;
}
type DbConstructor = new (path: string, options?: { readonly?: boolean; fileMustExist?: boolean }) => Db;

/**
 * better-sqlite3 is the engine's driver. The server has no direct dependency on it, so
 * it is resolved from the engine package (one copy of the native module on disk).
 */
function loadDriver(): DbConstructor {
  const engineDir = realpathSync(
    fileURLToPath(new URL('../../node_modules/@sluis/engine/', import.meta.url)),
  );
  return createRequire(`${engineDir}/package.json`)('better-sqlite3') as DbConstructor;
}

export class BackupError extends Error {
  override readonly name = 'BackupError';
}

export async function backupDatabase(database: string, target: string): Promise<{ pages: number }> {
  if (!existsSync(database)) throw new BackupError(`database ${database} does not exist`);
  if (existsSync(target)) throw new BackupError(`${target} already exists (refusing to overwrite)`);
  const Database = loadDriver();
  const source = new Database(database, { fileMustExist: true });
  let pages: number;
  try {
    const r = await source.backup(target);
    pages = r.totalPages;
  } catch {
    rmSync(target, { force: true });
    throw new BackupError('the backup failed (see the database and disk)');
  } finally {
    source.close();
  }
  chmodSync(target, 0o600);
  const copy = new Database(target, { readonly: true, fileMustExist: true });
  try {
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new BackupError('the backup copy failed its integrity check');
  } finally {
    copy.close();
  }
  return { pages };
}
