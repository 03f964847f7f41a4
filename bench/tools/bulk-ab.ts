// A quick A/B helper for work on the batch path (docs/performance.md "Bulk"): alternates
// rounds of the bulk import (bench/cases/bulk-import.ts: POST /v1/signals/batch × 500,
// 4 in flight) against the built server and, with SLUIS_AB_ROOT=<another checkout, built>,
// that checkout's server, with the raw batched SQLite inserts between them, in one
// process, and prints per round each server's rate, CPU time per signal (all threads, and
// the main thread alone, /proc) and the ratio to the raw inserts around it. The server
// started first runs slower (docs/performance.md bulk "Ninth pass"): SLUIS_AB_OTHER_FIRST=1
// starts and measures the other one first, so both orders run from one checkout. Each round
// also prints each server's resident set (now and its peak). Run under SLUIS_NODE_ARGS="--cpu-prof
// --cpu-prof-dir=…" to profile the servers, or SLUIS_NODE_ARGS=--trace-gc to count their
// collections per 1,000 signals (gc-trace.ts). Not part of `pnpm bench`; nothing asserted.
//   node --conditions=sluis-source --import tsx bench/tools/bulk-ab.ts [rounds] [signals per round]

import { BATCH, bulkRequests } from '../cases/bulk-import.js';
import { startAbServers } from '../lib/ab-servers.js';
import { runLoad } from '../lib/http-load.js';
import { mainThreadCpuMs, processCpuMs, processMemory } from '../lib/proc.js';
import { batchedInsertRate } from '../lib/sqlite-baseline.js';
import { gcCounts, gcPerThousand } from './gc-trace.js';

const rounds = Number(process.argv[2] ?? 3);
const perRound = Number(process.argv[3] ?? 10_000);
const servers = await startAbServers(1_000_000);
try {
  const prepares = servers.map((s) => bulkRequests(s.bench, perRound));
  const measure = async (i: number) => {
    const { bench } = servers[i]!;
    const requests = prepares[i]!();
    const pid = bench.server.process.pid!;
    const cpu0 = processCpuMs(pid);
    const main0 = mainThreadCpuMs(pid);
    const gc0 = gcCounts(bench.server.output());
    const r = await runLoad(bench.server.url, requests, 4, 600);
    const cpu1 = processCpuMs(pid);
    const main1 = mainThreadCpuMs(pid);
    if (r.failed > 0) throw new Error(`refused: ${JSON.stringify(r.statuses)}`);
    const signals = r.ok * BATCH;
    const memory = processMemory(pid);
    return {
      gc: gcPerThousand(gc0, gcCounts(bench.server.output()), signals),
      rss:
        memory === undefined
          ? ''
          : ` rss ${memory.rssMiB.toFixed(0)} MiB (peak ${memory.peakRssMiB.toFixed(0)})`,
      rate: signals / r.seconds,
      cpuUs: (((cpu1 ?? 0) - (cpu0 ?? 0)) * 1000) / signals,
      mainUs: (((main1 ?? 0) - (main0 ?? 0)) * 1000) / signals,
    };
  };
  for (let i = 0; i < servers.length; i++) await measure(i); // warm-up
  for (let round = 0; round < rounds; round++) {
    const parts: string[] = [];
    let raw = batchedInsertRate(perRound, BATCH);
    for (let i = 0; i < servers.length; i++) {
      const m = await measure(i);
      const after = batchedInsertRate(perRound, BATCH);
      parts.push(
        `${servers[i]!.name} ${m.rate.toFixed(0)}/s cpu ${m.cpuUs.toFixed(0)} (main thread ${m.mainUs.toFixed(0)}) µs/signal${m.rss}${m.gc} (×raw ${(m.rate / ((raw + after) / 2)).toFixed(2)})`,
      );
      raw = after;
    }
    console.log(`round ${round + 1}: ${parts.join(' | ')} | raw ${raw.toFixed(0)}/s`);
  }
} finally {
  for (const s of servers) await s.bench.stop();
}
