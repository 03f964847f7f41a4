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
// A claim whose maker died after it removed the stale lock names an owner no lock names any
// more, so no takeover meets it again: the process that takes the lock removes every claim, and
// every temporary file, whose maker is dead, a claim again under its own claim (never a live one).
//
// A pid means something only on its own host, boot and pid namespace: two containers sharing one
// volume both run as pid 1. So the file also names the owner's host (os.hostname()), boot id
// (/proc/sys/kernel/random/boot_id) and pid namespace (readlink /proc/self/ns/pid). A lock from
// another host or pid namespace cannot be judged from here and counts as live; one from this host
// under another boot id is stale (the machine rebooted). A lock without these fields (written by
// an older version) cannot be placed either and counts as live too.

import { randomBytes } from 'node:crypto';
import {
  closeSync,
  linkSync,
  openSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';

interface LockOwner {
  readonly pid: number;
  readonly startTime: string | null;
  /** Absent in a lock written by an older version. */
  readonly host?: string;
  readonly bootId: string | null;
  readonly pidNamespace: string | null;
}

/**
 * The lock was taken (release it when done), or a live process holds it (`heldBy` undefined: the
 * file is unreadable). `elsewhere` names the host or pid namespace of a holder that cannot be
 * seen from here, or says that the lock does not record one.
 */
export type LockAttempt = { readonly release: () => void } | Held;
type Held = { readonly heldBy: number | undefined; readonly elsewhere?: string };

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

function orNull(read: () => string): string | null {
  try {
    return read().trim();
  } catch {
    return null;
  }
}

/** This process as a lock owner. */
function thisProcess(): LockOwner {
  return {
    pid: process.pid,
    startTime: startTimeOf(process.pid),
    host: hostname(),
    bootId: orNull(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8')),
    pidNamespace: orNull(() => readlinkSync('/proc/self/ns/pid')),
  };
}

/**
 * Where `owner` runs when its pid cannot be checked from `me` (so it counts as live), 'rebooted'
 * when it ran on this host before its last boot, undefined when its pid is checked here.
 */
function placeOf(owner: LockOwner, me: LockOwner): string | 'rebooted' | undefined {
  if (owner.host === undefined) return 'a host and pid namespace the lock does not record (an older version)';
  if (owner.host !== me.host) return `host ${JSON.stringify(owner.host)}`;
  if (owner.bootId !== me.bootId)
    return owner.bootId !== null && me.bootId !== null
      ? 'rebooted'
      : `host ${JSON.stringify(owner.host)} under boot id ${owner.bootId ?? 'none'}`;
  if (owner.pidNamespace !== me.pidNamespace)
    return `pid namespace ${owner.pidNamespace ?? 'none'} of host ${JSON.stringify(owner.host)}`;
  return undefined;
}

/** The owner's pid is checked on this host, boot and pid namespace. */
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
    const c = JSON.parse(text) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v : null);
    if (Number.isSafeInteger(c.pid) && (c.pid as number) > 0)
      return {
        pid: c.pid as number,
        startTime: str(c.startTime),
        ...(typeof c.host === 'string' ? { host: c.host } : {}),
        bootId: str(c.bootId),
        pidNamespace: str(c.pidNamespace),
      };
  } catch {}
  return undefined;
}

const same = (a: LockOwner | undefined | null, b: LockOwner) =>
  a !== undefined &&
  a !== null &&
  a.pid === b.pid &&
  a.startTime === b.startTime &&
  a.host === b.host &&
  a.bootId === b.bootId &&
  a.pidNamespace === b.pidNamespace;

/**
 * Writes `text` to a new file `<file>.tmp-<random>` (O_EXCL, 0600) and returns its path; a
 * failed write removes it. Only a process killed before its `finally` leaves one behind.
 */
function writeTemp(file: string, text: string): string {
  const path = `${file}.tmp-${randomBytes(8).toString('hex')}`;
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, text);
  } catch (e) {
    closeSync(fd);
    unlinkSync(path);
    throw e;
  }
  closeSync(fd);
  return path;
}

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
  const me = thisProcess();
  const mine = writeTemp(file, `${JSON.stringify(me)}\n`);
  let budget = MAX_ATTEMPTS;

  /** Undefined when `owner` is stale, else how to answer (a live process holds it). */
  const holding = (owner: LockOwner): Held | undefined => {
    const place = placeOf(owner, me);
    if (place === 'rebooted') return undefined;
    if (place !== undefined) return { heldBy: owner.pid, elsewhere: place };
    return alive(owner) ? { heldBy: owner.pid } : undefined;
  };

  /**
   * Removes `path` if it still names the dead `owner`, under the claim for that owner. Returns
   * undefined when the caller may look again, else the live process that is replacing it.
   */
  const removeStale = (path: string, owner: LockOwner): Held | undefined => {
    const claim = `${file}.takeover-${owner.pid}-${owner.startTime ?? 'none'}`;
    while (!linked(mine, claim)) {
      if (--budget < 0) return { heldBy: undefined };
      const claimer = ownerOf(claim);
      if (claimer === null) continue; // that claim was just released: claim again
      if (claimer === undefined) return { heldBy: undefined };
      const live = holding(claimer);
      if (live !== undefined) return live;
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

  /**
   * Removes the claims and temporary files of `file` that a dead process left (a crash inside a
   * takeover or between writeTemp and its `finally`): after this process took the lock, so none
   * is needed by a takeover of it. Best effort: a file that cannot be read or removed stays.
   */
  const sweep = () => {
    const prefix = basename(file);
    for (const name of readdirSync(dirname(file))) {
      const claim = name.startsWith(`${prefix}.takeover-`);
      if (!claim && !name.startsWith(`${prefix}.tmp-`)) continue;
      const path = join(dirname(file), name);
      if (path === mine) continue;
      try {
        const maker = ownerOf(path);
        if (maker === null || maker === undefined || holding(maker) !== undefined) continue;
        // A temporary file is used by its maker only; a claim may be in a takeover's hands.
        if (claim) removeStale(path, maker);
        else unlinkSync(path);
      } catch {
        // gone meanwhile, or not ours to remove: left as it is
      }
    }
  };

  try {
    while (budget-- > 0) {
      if (linked(mine, file)) {
        try {
          sweep();
        } catch {
          // the directory could not be listed: the lock is taken all the same
        }
        return {
          release: () => {
            if (same(ownerOf(file), me)) unlinkSync(file);
          },
        };
      }
      const owner = ownerOf(file);
      if (owner === null) continue; // released or being replaced meanwhile: look again
      if (owner === undefined) return { heldBy: undefined };
      const live = holding(owner);
      if (live !== undefined) return live;
      const blocked = removeStale(file, owner);
      if (blocked !== undefined) return blocked;
    }
    return { heldBy: undefined };
  } finally {
    unlinkSync(mine);
  }
}
