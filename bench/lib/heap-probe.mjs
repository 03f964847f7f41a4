// Loaded into a bench server with `node --import` (bench/tools/placement-heap.ts): on SIGUSR2 it
// collects all garbage, writes the process's memory figures to $SLUIS_HEAP_DIR/mem-<n>.json
// and, unless SLUIS_HEAP_SNAPSHOT=0, a heap snapshot to heap-<n>.heapsnapshot, then
// done-<n>. No identifier is in either beyond what the server's heap holds (pseudonyms keyed
// by the server: a snapshot stays on this machine's temporary directory).

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapStatistics, setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
const dir = process.env.SLUIS_HEAP_DIR;
let n = 0;
process.on('SIGUSR2', () => {
  if (dir === undefined) return;
  n++;
  gc();
  gc();
  const m = process.memoryUsage();
  const h = getHeapStatistics();
  writeFileSync(
    join(dir, `mem-${n}.json`),
    JSON.stringify({ ...m, mallocedMemory: h.malloced_memory, peakMallocedMemory: h.peak_malloced_memory }),
  );
  if (process.env.SLUIS_HEAP_SNAPSHOT !== '0') writeHeapSnapshot(join(dir, `heap-${n}.heapsnapshot`));
  writeFileSync(join(dir, `done-${n}`), '');
});
