// Online backup of the database, safe while the server is running and writing: the
// engine's SQLite store copies a consistent snapshot with SQLite's backup API
// (SqliteStore.backup). Invariant: an existing file is never overwritten, the copy is
// 0600 from its first byte (it holds contact details and stored pseudonyms), and it is
// integrity-checked before success is reported. Keys are not in the database and are
// backed up separately.

import { existsSync } from 'node:fs';
import { isEngineError, openSqliteStore } from '@sluis/engine';

export class BackupError extends Error {
  override readonly name = 'BackupError';
}

export async function backupDatabase(database: string, target: string): Promise<{ pages: number }> {
  if (!existsSync(database)) throw new BackupError(`database ${database} does not exist`);
  if (existsSync(target)) throw new BackupError(`${target} already exists (refusing to overwrite)`);
  const store = openSqliteStore({ path: database });
  try {
    return await store.backup(target);
  } catch (e) {
    if (isEngineError(e, 'conflict'))
      throw new BackupError(`${target} already exists (refusing to overwrite)`);
    if (isEngineError(e, 'database_corrupt')) {
      throw new BackupError('the backup copy failed its integrity check');
    }
    throw new BackupError('the backup failed (see the database and disk)');
  } finally {
    await store.close();
  }
}
