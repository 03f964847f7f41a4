// Online backup of the database, safe while the server is running and writing: the
// engine's SQLite store copies a consistent snapshot with SQLite's backup API
// (SqliteStore.backup). Invariant: an existing file is never overwritten, the copy is
// 0600 from its first byte (it holds contact details and stored pseudonyms), and it is
// integrity-checked before success is reported. Keys are not in the database and are
// backed up separately. The copy is one self-contained file: no -wal or -shm beside it.

import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { isEngineError, openSqliteStore } from '@sluis/engine';
import { ServerError } from '../errors.js';
import { assertSqliteBindingLoads } from './store-selection.js';

export async function backupDatabase(database: string, target: string): Promise<{ pages: number }> {
  if (!existsSync(database)) throw new ServerError('backup_source_missing', { path: database });
  if (existsSync(target)) throw new ServerError('backup_target_exists', { path: target });
  const folder = dirname(target);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new ServerError('backup_target_folder_missing', { path: folder });
  }
  assertSqliteBindingLoads();
  const store = openSqliteStore({ path: database });
  try {
    return await store.backup(target);
  } catch (e) {
    if (isEngineError(e, 'conflict')) throw new ServerError('backup_target_exists', { path: target });
    if (isEngineError(e, 'database_corrupt')) throw new ServerError('backup_integrity_failed');
    throw new ServerError('backup_failed');
  } finally {
    await store.close();
  }
}
