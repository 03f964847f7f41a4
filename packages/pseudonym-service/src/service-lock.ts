// The data directory's exclusive lock, held for a running service's life (docs/operations.md
// "Pseudonym service (OPRF epochs)"): two services on one directory would
// each keep their own budget and replay memory and drop each other's nonces.log lines. A lock
// file of lock-file.ts: its owner's pid, start time, host, boot id and pid namespace, put in place with link(2), a stale one
// replaced race-free.

import { join } from 'node:path';
import { LOCK_FILE } from './data-dir.js';
import { tryLockFile } from './lock-file.js';

/** Another live process holds the data directory's lock: the CLI exits 4 (cli.ts). */
export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
  constructor(
    readonly lockFile: string,
    readonly pid: number | undefined,
    readonly elsewhere?: string,
  ) {
    super(
      pid === undefined
        ? `data directory in use: ${lockFile} exists but cannot be read; remove it if no service runs on this data directory`
        : elsewhere === undefined
          ? `data directory in use: ${lockFile} is held by process ${pid}; stop that service first`
          : `data directory in use: ${lockFile} is held by process ${pid} in ${elsewhere}, which cannot be checked from here; stop that service first, or remove the file by hand once sure no service runs on this data directory`,
    );
  }
}

export interface ServiceLock {
  release(): void;
}

/**
 * Takes the lock of `dataDir` for this process, replacing a stale one (logged with its code and
 * file), or throws DataDirLockedError naming the lock file and the live owner's pid.
 */
export function acquireServiceLock(dataDir: string): ServiceLock {
  const file = join(dataDir, LOCK_FILE);
  const attempt = tryLockFile(file, () =>
    process.stderr.write(`${JSON.stringify({ level: 'warn', event: 'service_lock_stale', file })}\n`),
  );
  if ('heldBy' in attempt) throw new DataDirLockedError(file, attempt.heldBy, attempt.elsewhere);
  return attempt;
}
