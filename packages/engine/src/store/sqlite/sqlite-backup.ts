// The SQLite store's online backup (SqliteStore.backup): SQLite's backup API copies a
// consistent snapshot from the read connection while writes go on. Invariant: the target name
// only ever holds a complete copy that passed its integrity check — the copy is made in a
// hidden `.<name>.partial-…` sibling, 0600 from its first byte (it holds contact details and
// stored pseudonyms), and linked to the target only then, never over an existing file; a
// failure or a stop removes the partial copy (docs/operations.md "Back up and restore").

import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  lstatSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { EngineError } from '../../errors.js';
import { mapSqliteError } from './sqlite-errors.js';

/** Pages per step of a backup (better-sqlite3's default): a stop is honoured within one step. */
const BACKUP_STEP_PAGES = 100;

/**
 * Copies the database `reader` is connected to into `targetPath` (SqliteStore.backup states
 * the contract). `signal` is checked between steps of the copy and before publishing; an
 * abort rejects with its AbortError.
 */
export async function onlineBackup(
  reader: Database.Database,
  targetPath: string,
  signal: AbortSignal | undefined,
): Promise<{ pages: number; leftoversRemoved: number }> {
  signal?.throwIfAborted();
  if (lexists(targetPath)) throw new EngineError('conflict', 'the backup target already exists');
  const folder = dirname(targetPath);
  const leftoversRemoved = removeLeftovers(folder, basename(targetPath));
  const partial = join(folder, `${partialPrefix(basename(targetPath))}${randomBytes(6).toString('hex')}`);
  let fd: number;
  try {
    // 'wx': a fresh file; 0o600 from the first byte, whatever the umask.
    fd = openSync(partial, 'wx', 0o600);
  } catch {
    throw new EngineError('database_read_only', 'the backup target cannot be created');
  }
  closeSync(fd);
  try {
    // Between two steps of the copy a throw from `progress` ends it: better-sqlite3 closes
    // the backup and rejects with the error thrown.
    const r = await reader.backup(partial, {
      progress: () => {
        signal?.throwIfAborted();
        return BACKUP_STEP_PAGES;
      },
    });
    signal?.throwIfAborted();
    // The copy is a single file: rollback-journal mode, so no -wal or -shm is left beside
    // it (docs/operations.md "Back up and restore"); the server switches a restored copy back to WAL.
    const copy = new Database(partial, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE');
      if (copy.pragma('quick_check', { simple: true }) !== 'ok') {
        throw new EngineError('database_corrupt', 'the backup copy failed its integrity check');
      }
    } finally {
      copy.close();
    }
    for (const side of ['-wal', '-shm']) rmSync(partial + side, { force: true });
    fsyncPath(partial);
    // A stop asked for during the check is honoured before the copy is published.
    await new Promise((r) => setImmediate(r));
    signal?.throwIfAborted();
    publishCopy(partial, targetPath);
    fsyncPath(folder);
    return { pages: r.totalPages, leftoversRemoved };
  } catch (e) {
    removeWithSides(partial);
    if (e instanceof EngineError || (e instanceof Error && e.name === 'AbortError')) throw e;
    throw mapSqliteError(e);
  }
}

/**
 * The name a backup's copy has until it is complete and checked: hidden, and not the name of
 * a backup (docs/operations.md "Back up and restore").
 */
function partialPrefix(name: string): string {
  return `.${name}.partial-`;
}

const PARTIAL_SUFFIX = /^[0-9a-f]{12}$/;

/**
 * Removes the copies a backup to the same name left when it was ended at once (a second
 * signal, SIGKILL, a power cut); they were never published. Returns how many.
 */
function removeLeftovers(folder: string, name: string): number {
  const prefix = partialPrefix(name);
  let removed = 0;
  let entries: string[];
  try {
    entries = readdirSync(folder);
  } catch {
    return 0; // the folder is missing or unreadable: creating the copy says so
  }
  for (const entry of entries) {
    if (!entry.startsWith(prefix) || !PARTIAL_SUFFIX.test(entry.slice(prefix.length))) continue;
    removeWithSides(join(folder, entry));
    removed++;
  }
  return removed;
}

function removeWithSides(file: string): void {
  for (const side of ['', '-journal', '-wal', '-shm']) rmSync(file + side, { force: true });
}

function lexists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The errors of link() on a file system without hard links (vfat, some SMB/CIFS mounts). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/**
 * Publishes the checked copy `partial` under `target` (docs/operations.md "Back up and restore"):
 * link() refuses an existing name, where rename() would replace it, so a file that appeared at
 * the target meanwhile is kept and the backup refused. Where the folder's file system has no
 * hard links, the copy is renamed after a last check that the name is free — a file created in
 * the instant between that check and the rename would be replaced, which the docs say.
 * `link` is node:fs's linkSync; a test gives one that fails as such a file system does.
 */
export function publishCopy(
  partial: string,
  target: string,
  link: (from: string, to: string) => void = linkSync,
): void {
  try {
    link(partial, target);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'EEXIST') throw new EngineError('conflict', 'the backup target already exists');
    if (typeof code !== 'string' || !NO_HARD_LINKS.has(code)) throw e;
    if (lexists(target)) throw new EngineError('conflict', 'the backup target already exists');
    renameSync(partial, target);
    return;
  }
  rmSync(partial);
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
