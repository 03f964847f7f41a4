// Describes the machine a benchmark ran on, printed beside every result: also the Node.js
// (and its V8) of this process — the load generator and the in-process baselines — and of
// every process the run started (the match server, the floor server, the pseudonym service),
// read from /proc/<pid>/exe, so a record says which Node ran each side (bench/on-node runs
// them all on one line; docs/performance.md "Seventeenth pass").

import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly v8: string;
  /** The Node.js versions of the processes the run started (empty when it started none). */
  readonly spawnedNodes: readonly string[];
  readonly platform: string;
}

const spawned = new Set<string>();

/**
 * Notes which Node.js runs the started process `pid`: its executable from /proc (Linux), this
 * process's own version when it is the same file, else that file's `--version`. Without /proc
 * nothing is noted.
 */
export function noteSpawnedNode(pid: number | undefined): void {
  if (pid === undefined) return;
  let exe: string;
  try {
    exe = realpathSync(`/proc/${pid}/exe`);
  } catch {
    return;
  }
  spawned.add(
    exe === realpathSync(process.execPath)
      ? process.version
      : execFileSync(exe, ['--version'], { encoding: 'utf8' }).trim(),
  );
}

export function machineInfo(): MachineInfo {
  const c = cpus();
  return {
    cpu: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    v8: process.versions.v8,
    spawnedNodes: [...spawned].sort(),
    platform: `${process.platform}-${process.arch}`,
  };
}
