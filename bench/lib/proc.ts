// Memory and CPU time of a running process, read from /proc (Linux): the resident set
// now (VmRSS) and its peak (VmHWM), in MiB, and the CPU time of all its threads (event
// loop, thread pool, V8's compiler and GC threads). Undefined where /proc is not available.

import { readFileSync } from 'node:fs';

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
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the parenthesised command name (which may contain spaces): utime and
  // stime are fields 14 and 15 of the line, i.e. 12 and 13 after the name.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
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
