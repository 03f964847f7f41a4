// Online backup of the database, safe while the server is running and writing: the
// engine's SQLite store copies a consistent snapshot with SQLite's backup API
// (SqliteStore.backup). Invariant: the target name only ever holds a complete copy that
// passed its integrity check — the copy is made in a hidden `.<name>.partial-…` sibling and
// linked to the target only then, so a stop or a crash mid-copy never leaves a file under
// the backup's name; an existing file is never overwritten; every copy is 0600 from its first
// byte (it holds contact details and stored pseudonyms). A stop (`signal`) removes the
// partial copy and rejects with an AbortError (docs/operations.md "Back up and restore").
// Keys are not in the database and are backed up separately. The copy is one self-contained
// file: no -wal or -shm beside it.

import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { isEngineError, openSqliteStore } from '@sluis/engine';
import { ServerError } from '../errors.js';
import { assertSqliteBindingLoads } from './store-selection.js';

export async function backupDatabase(
  database: string,
  target: string,
  signal?: AbortSignal,
): Promise<{ pages: number; leftoversRemoved: number }> {
  if (!existsSync(database)) throw new ServerError('backup_source_missing', { path: database });
  if (existsSync(target)) throw new ServerError('backup_target_exists', { path: target });
  const folder = dirname(target);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new ServerError('backup_target_folder_missing', { path: folder });
  }
  assertSqliteBindingLoads();
  const store = openSqliteStore({ path: database });
  try {
    return await store.backup(target, signal === undefined ? {} : { signal });
  } catch (e) {
    if (e instanceof Error && e.name === 'AbortError') throw e;
    if (isEngineError(e, 'conflict')) throw new ServerError('backup_target_exists', { path: target });
    if (isEngineError(e, 'database_corrupt')) throw new ServerError('backup_integrity_failed');
    throw new ServerError('backup_failed');
  } finally {
    await store.close();
  }
}
