// What a placement leaves in the SQLite server's memory (docs/performance.md "Sixteenth pass").
// Starts the built server as the bench does (lib/bench-server.ts), with lib/heap-probe.mjs loaded
// into it, places case 2's mix (lib/placement-mix.ts, four organisations) at concurrency 64 in
// runs of `chunk`, and at each checkpoint (placements so far) reads the server's resident set
// from /proc (anonymous, file-backed and shared parts), then signals it to collect all garbage,
// report process.memoryUsage() (heap used after the collection, external, array buffers) and
// write a heap snapshot (SLUIS_HEAP_SNAPSHOT=0: the figures only), which
// bench/tools/heap-groups.ts groups by holder. SLUIS_HEAP_ARGS: more server arguments, e.g.
// "--clock-skew 20" so that nonces expire after 21 s instead of 301 s (the window's bound, shown
// within minutes). SLUIS_HEAP_DIR: where the snapshots go (a new temporary directory otherwise;
// they hold keyed pseudonyms: delete them after). Not part of `pnpm bench`; nothing asserted.
//   node --conditions=sluis-source --import tsx bench/tools/placement-heap.ts [checkpoints] [chunk]

import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const checkpoints = (process.argv[2] ?? '20000,60000,120000').split(',').map(Number);
const chunk = Number(process.argv[3] ?? 5_000);
const dir = process.env.SLUIS_HEAP_DIR ?? mkdtempSync(join(tmpdir(), 'sluis-heap-'));
// The snapshots hold keyed pseudonyms: a directory of this user's only (made if missing; the
// probe in the server writes into it and would fail on a missing one).
mkdirSync(dir, { recursive: true, mode: 0o700 });
process.env.SLUIS_HEAP_DIR = dir;
const probe = fileURLToPath(new URL('../lib/heap-probe.mjs', import.meta.url));
// Read by test/support/server-process.ts when it is first imported: set before the import.
process.env.SLUIS_NODE_ARGS = `${process.env.SLUIS_NODE_ARGS ?? ''} --import ${probe}`;
const { startBenchServer } = await import('../lib/bench-server.js');
const { runLoad } = await import('../lib/http-load.js');
const { placementMix, signedPlacements } = await import('../lib/placement-mix.js');
const { pseudonyms } = await import('../lib/population.js');

const last = checkpoints.at(-1)!;
const mix = placementMix(pseudonyms(Math.ceil(last * 0.7) + 10));
const bench = await startBenchServer(4, {
  args: (process.env.SLUIS_HEAP_ARGS ?? '').split(' ').filter((a) => a !== ''),
});
const pid = bench.server.process.pid!;
const status = () => {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mib = (f: string) =>
    Number(new RegExp(`^${f}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN) / 1024;
  return { rss: mib('VmRSS'), anon: mib('RssAnon'), file: mib('RssFile'), shmem: mib('RssShmem') };
};
const MB = (b: number) => (b / 1048576).toFixed(1);
let n = 0;
const probeNow = async (placed: number) => {
  const s = status();
  n++;
  process.kill(pid, 'SIGUSR2');
  // Bounded: a server that died (or a probe that failed) ends the tool instead of a wait forever.
  const until = Date.now() + 600_000;
  while (!existsSync(join(dir, `done-${n}`))) {
    if (bench.server.process.exitCode !== null || bench.server.process.signalCode !== null) {
      throw new Error(`the server exited while probe ${n} ran`);
    }
    if (Date.now() > until) throw new Error(`probe ${n} did not finish within 600 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const m = JSON.parse(readFileSync(join(dir, `mem-${n}.json`), 'utf8')) as Record<string, number>;
  console.log(
    `${placed} placed: rss ${s.rss.toFixed(1)} MiB (anon ${s.anon.toFixed(1)}, file ${s.file.toFixed(1)}, shmem ${s.shmem.toFixed(1)}); ` +
      `after a full GC heap used ${MB(m.heapUsed!)} MiB of ${MB(m.heapTotal!)}, external ${MB(m.external!)}, ` +
      `array buffers ${MB(m.arrayBuffers!)}, malloced ${MB(m.mallocedMemory!)} MiB` +
      `${process.env.SLUIS_HEAP_SNAPSHOT === '0' ? '' : `; ${join(dir, `heap-${n}.heapsnapshot`)}`}`,
  );
  return m;
};
try {
  await probeNow(0);
  let placed = 0;
  const t0 = performance.now();
  for (const at of checkpoints) {
    while (placed < at) {
      const count = Math.min(chunk, at - placed);
      const r = await runLoad(bench.server.url, signedPlacements(mix, bench, count), 64, 300);
      if (r.failed > 0) throw new Error(`refused: ${JSON.stringify(r.statuses)}`);
      placed += count;
    }
    console.log(`  (${((performance.now() - t0) / 1000).toFixed(0)} s since the first placement)`);
    await probeNow(placed);
  }
} finally {
  await bench.stop();
}
