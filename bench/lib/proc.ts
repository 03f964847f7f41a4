// Memory and CPU time of a running process, read from /proc (Linux): the resident set
// now (VmRSS) and its peak (VmHWM), in MiB, and the CPU time of all its threads (event
// loop, thread pool, V8's compiler and GC threads), or of it and its children (a PostgreSQL
// cluster). Undefined where /proc is not available.

import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessMemory {
  readonly rssMiB: number;
  readonly peakRssMiB: number;
}

export function processMemory(pid: number): ProcessMemory | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kib = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { rssMiB: kib('VmRSS') / 1024, peakRssMiB: kib('VmHWM') / 1024 };
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ): 100 on every Linux we run on. */
const USER_HZ = 100;

/** User + system CPU time of all the process's threads so far, in milliseconds (10 ms resolution). */
export function processCpuMs(pid: number): number | undefined {
  return statCpuMs(`/proc/${pid}/stat`);
}

/** The same for the process's main thread alone (its thread id is the process id): the event loop. */
export function mainThreadCpuMs(pid: number): number | undefined {
  return statCpuMs(`/proc/${pid}/task/${pid}/stat`);
}

function statCpuMs(path: string): number | undefined {
  const fields = statFields(path);
  // utime and stime are fields 14 and 15 of the line, i.e. 12 and 13 after the name.
  return fields === undefined ? undefined : ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
}

/** The fields of a /proc stat line after the parenthesised command name (which may contain spaces). */
function statFields(path: string): string[] | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/**
 * CPU time of a process and of its children so far, in milliseconds: its own, its reaped
 * children's (cutime, cstime) and each live child's (ppid = pid). A PostgreSQL postmaster
 * and its backends, for example. Undefined where /proc is not available.
 */
export function childrenCpuMs(pid: number): number | undefined {
  const own = statFields(`/proc/${pid}/stat`);
  if (own === undefined) return undefined;
  let ms = ((Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14])) * 1000) / USER_HZ;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const f = statFields(`/proc/${entry}/stat`);
    // field 4 of the line (ppid) is the second after the name; a child may exit meanwhile
    if (f !== undefined && Number(f[1]) === pid) ms += ((Number(f[11]) + Number(f[12])) * 1000) / USER_HZ;
  }
  return ms;
}

/** The pids of the processes whose command line contains every one of `parts` (Linux /proc). */
export function pidsByCommandLine(...parts: readonly string[]): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string;
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
    } catch {
      continue;
    }
    if (parts.every((p) => args.includes(p))) out.push(Number(entry));
  }
  return out;
}

/**
 * Bytes the process read and wrote through system calls so far (/proc/<pid>/io rchar, wchar):
 * for a SQLite server, its page reads that missed its own page cache (served by the OS's) and its
 * WAL and checkpoint writes. Undefined where /proc is not available.
 */
export function processIo(
  pid: number | 'self',
): { readonly rchar: number; readonly wchar: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/io`, 'utf8');
  } catch {
    return undefined;
  }
  const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { rchar: field('rchar'), wchar: field('wchar') };
}
