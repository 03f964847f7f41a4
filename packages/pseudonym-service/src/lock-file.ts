// An exclusive lock file held by one process (docs/operations.md "Pseudonym service"): the data
// directory's service.lock (service-lock.ts) and admission.json.lock (admission.ts). The file
// holds the owner's pid and, on Linux, its start time (/proc/<pid>/stat field 22), so a pid
// reused after a reboot is not taken for the owner; an ended process not yet reaped by its
// parent (a zombie, state Z) is no owner either. It is put in place whole with link(2), which
// fails when the file exists (the exclusion of O_CREAT|O_EXCL, without a window in which the
// file is empty). A lock whose owner is not alive is stale and is replaced, race-free: only the
// process that creates the claim `<lock>.takeover-<pid>-<start time>` for that dead owner (link(2)
// again, so one process at a time) may remove a file of that owner, and only after reading,
// under the claim, that the file still names it. Two starts that find one stale lock at once
// thus cannot both take it over: the second either fails to claim or finds the lock renamed to
// the first. A claim whose maker died mid-takeover belongs to a dead owner too and is removed
// the same way (each level needs another process that died inside a takeover, so it ends).

import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';

interface LockOwner {
  readonly pid: number;
  readonly startTime: string | null;
}

/** The lock was taken (release it when done), or a live process holds it (undefined: unreadable). */
export type LockAttempt = { readonly release: () => void } | { readonly heldBy: number | undefined };

/** Tries after this many lock files that vanished or were replaced between two looks: a live lock. */
const MAX_ATTEMPTS = 100;

/** Fields 3 on of /proc/<pid>/stat (state, …, start time at [19]), or null where there is no /proc. */
function statOf(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** The process's start time in clock ticks since boot (Linux), or null where there is no /proc. */
const startTimeOf = (pid: number): string | null => statOf(pid)?.[19] ?? null;

function alive(owner: LockOwner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ESRCH') return false;
  }
  // EPERM: alive under another user. A zombie (ended, not yet reaped by its parent) holds
  // nothing. A recorded start time that differs: the pid was reused.
  const stat = statOf(owner.pid);
  if (stat?.[0] === 'Z') return false;
  if (owner.startTime === null) return true;
  const now = stat?.[19] ?? null;
  return now === null || now === owner.startTime;
}

/** The file's owner; undefined when it cannot be read or parsed; null when there is no file. */
function ownerOf(file: string): LockOwner | undefined | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return (e as { code?: unknown }).code === 'ENOENT' ? null : undefined;
  }
  try {
    const c = JSON.parse(text) as Partial<LockOwner>;
    if (Number.isSafeInteger(c.pid) && (c.pid as number) > 0)
      return { pid: c.pid as number, startTime: typeof c.startTime === 'string' ? c.startTime : null };
  } catch {}
  return undefined;
}

const same = (a: LockOwner | undefined | null, b: LockOwner) =>
  a !== undefined && a !== null && a.pid === b.pid && a.startTime === b.startTime;

/** link(2): true when `to` was made, false when it exists. */
function linked(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch (e) {
    if ((e as { code?: unknown }).code === 'EEXIST') return false;
    throw e;
  }
}

/**
 * Tries once to take the lock `file` for this process, replacing a stale one (`onStale` is called
 * when this process removed it). Never waits: a live owner's pid comes back as `heldBy`.
 */
export function tryLockFile(file: string, onStale: () => void): LockAttempt {
  const me: LockOwner = { pid: process.pid, startTime: startTimeOf(process.pid) };
  const mine = `${file}.tmp-${process.pid}`;
  writeFileSync(mine, `${JSON.stringify(me)}\n`, { mode: 0o600 });
  let budget = MAX_ATTEMPTS;

  /**
   * Removes `path` if it still names the dead `owner`, under the claim for that owner. Returns
   * undefined when the caller may look again, else the live process that is replacing it.
   */
  const removeStale = (path: string, owner: LockOwner): { heldBy: number | undefined } | undefined => {
    const claim = `${file}.takeover-${owner.pid}-${owner.startTime ?? 'none'}`;
    while (!linked(mine, claim)) {
      if (--budget < 0) return { heldBy: undefined };
      const claimer = ownerOf(claim);
      if (claimer === null) continue; // that claim was just released: claim again
      if (claimer === undefined || alive(claimer)) return { heldBy: claimer?.pid };
      const blocked = removeStale(claim, claimer); // its maker died mid-takeover
      if (blocked !== undefined) return blocked;
    }
    try {
      if (same(ownerOf(path), owner)) {
        unlinkSync(path);
        if (path === file) onStale();
      }
    } finally {
      unlinkSync(claim);
    }
    return undefined;
  };

  try {
    while (budget-- > 0) {
      if (linked(mine, file))
        return {
          release: () => {
            if (same(ownerOf(file), me)) unlinkSync(file);
          },
        };
      const owner = ownerOf(file);
      if (owner === null) continue; // released or being replaced meanwhile: look again
      if (owner === undefined || alive(owner)) return { heldBy: owner?.pid };
      const blocked = removeStale(file, owner);
      if (blocked !== undefined) return blocked;
    }
    return { heldBy: undefined };
  } finally {
    unlinkSync(mine);
  }
}
