// Memory of a running process, read from /proc/<pid>/status (Linux): the resident set
// now (VmRSS) and its peak (VmHWM), in MiB. Undefined where /proc is not available.

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
