// The data directory's exclusive lock, held for a running service's life (docs/operations.md
// "Pseudonym service", "One service per data directory"): two services on one directory would
// each keep their own budget and replay memory and drop each other's nonces.log lines.
// The lock file holds the owner's pid and, on Linux, its start time (/proc/<pid>/stat field 22),
// so a pid reused after a reboot is not taken for the owner. It is put in place whole with
// link(2), which fails when the file exists (the same exclusion as O_CREAT|O_EXCL, without a
// window in which the file is empty). A lock whose owner is not alive is stale and replaced.

import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'service.lock';

/** Another live process holds the data directory's lock: the CLI exits 4 (cli.ts). */
export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
  constructor(
    readonly lockFile: string,
    readonly pid: number | undefined,
  ) {
    super(
      pid === undefined
        ? `data directory in use: ${lockFile} exists but cannot be read; remove it if no service runs on this data directory`
        : `data directory in use: ${lockFile} is held by process ${pid}; stop that service first`,
    );
  }
}

interface LockContent {
  readonly pid: number;
  readonly startTime: string | null;
}

/** The process's start time in clock ticks since boot (Linux), or null where there is no /proc. */
function startTimeOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function alive(owner: LockContent): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ESRCH') return false;
  }
  // EPERM: alive under another user. A recorded start time that differs: the pid was reused.
  if (owner.startTime === null) return true;
  const now = startTimeOf(owner.pid);
  return now === null || now === owner.startTime;
}

function readLock(file: string): LockContent | undefined {
  try {
    const c = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockContent>;
    if (Number.isSafeInteger(c.pid) && (c.pid as number) > 0)
      return { pid: c.pid as number, startTime: typeof c.startTime === 'string' ? c.startTime : null };
  } catch {}
  return undefined;
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
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify({ pid: process.pid, startTime: startTimeOf(process.pid) })}\n`, {
    mode: 0o600,
  });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(tmp, file);
        break;
      } catch (e) {
        if ((e as { code?: unknown }).code !== 'EEXIST') throw e;
      }
      const owner = readLock(file);
      if (owner === undefined || alive(owner) || attempt > 0) throw new DataDirLockedError(file, owner?.pid);
      process.stderr.write(`${JSON.stringify({ level: 'warn', event: 'service_lock_stale', file })}\n`);
      unlinkSync(file);
    }
  } finally {
    unlinkSync(tmp);
  }
  return {
    release: () => {
      if (readLock(file)?.pid === process.pid) unlinkSync(file);
    },
  };
}
