// A quick A/B helper for work on the batch path (docs/performance.md "Bulk"): alternates rounds of
// the bulk import (bench/cases/bulk-import.ts: POST /v1/signals/batch × 500, 4 in flight) against
// the built server and, with SLUIS_AB_ROOT=<another checkout, built>, that checkout's server, with
// the raw batched SQLite inserts between them, in one process, and prints per round each server's
// rate, CPU time per signal (all threads, and the main thread alone, /proc) and the ratio to the
// raw inserts around it — into an empty table, case 3's row 3.fresh's form, not its target row's:
// the servers' databases grow by every round (docs/performance.md "Thirty-second pass"). The server
// started first runs slower (docs/performance.md bulk "Ninth pass"): SLUIS_AB_OTHER_FIRST=1 starts
// and measures the other one first, so both orders run from one checkout. Each round also prints
// each server's resident set (now and its peak) and the bytes it wrote and read per signal
// (/proc/<pid>/io `wchar`/`rchar`: the WAL, the checkpoint's copies and its reads of WAL frames,
// page reads SQLite's page cache missed, the HTTP requests and answers on its sockets, and whatever
// the server prints, e.g. --trace-gc lines). Run under SLUIS_NODE_ARGS="--cpu-prof
// --cpu-prof-dir=…" to profile the servers, or SLUIS_NODE_ARGS=--trace-gc to count their
// collections per 1,000 signals (gc-trace.ts). SLUIS_AB_PREFILL=N first imports N signals into each
// server the same way (batches of 500, 4 in flight, before the warm-up), so the rounds run on a
// larger database (case 3's importer runs begin on 0, ≈ 270,000 and ≈ 360,000 signals) rather than
// a new one: once an index with random keys has many more leaves than a commit has signals, each
// signal dirties a leaf of its own (docs/performance.md "Eleventh pass", "Fifteenth pass"). Each
// round prints the signals stored before it. SLUIS_AB_SAMPLE=1 samples each measured server's main
// thread every 2 ms during its round (thread-state-sample.ts: running, in fsync, in futex, idle;
// docs/performance.md "Twenty-fourth pass: bulk, the commit's fsync overlapped").
// SLUIS_AB_MINIMAL=1 sends every batch (the prefill's too) with `Prefer: return=minimal`, as the
// SDK's CSV import does: each placed item answered with its signal's id only (docs/api.md "POST
// /v1/signals/batch"; case 3's row, where 3.full keeps the full answers) — a server that does not
// know the preference ignores it and answers in full (RFC 7240 §2). Not part of `pnpm bench`;
// nothing asserted.
//   node --conditions=sluis-source --import tsx bench/tools/bulk-ab.ts [rounds] [signals per round]

import { BATCH, bulkRequests } from '../cases/bulk-import.js';
import { startAbServers } from '../lib/ab-servers.js';
import { runLoad } from '../lib/http-load.js';
import { mainThreadCpuMs, processCpuMs, processIo, processMemory } from '../lib/proc.js';
import { batchedInsertRate } from '../lib/sqlite-baseline.js';
import { startThreadSampler } from '../lib/thread-sampler.js';
import { gcCounts, gcPerThousand } from './gc-trace.js';

const rounds = Number(process.argv[2] ?? 3);
const perRound = Number(process.argv[3] ?? 10_000);
/** Rounded up to whole batches; the rounds' request ids continue after the prefill's. */
const prefill = Math.ceil(Number(process.env.SLUIS_AB_PREFILL ?? 0) / BATCH) * BATCH;
const call = { minimal: process.env.SLUIS_AB_MINIMAL === '1' };
console.log(`answers: ${call.minimal ? 'minimal (Prefer: return=minimal)' : 'full'}`);
const servers = await startAbServers(1_000_000);
try {
  for (const s of servers) {
    const t0 = performance.now();
    for (let done = 0; done < prefill; done += 20_000) {
      const rows = Math.min(20_000, prefill - done);
      const r = await runLoad(
        s.bench.server.url,
        bulkRequests(s.bench, rows, { firstRequest: done })(call),
        4,
        600,
      );
      if (r.failed > 0) throw new Error(`prefill refused: ${JSON.stringify(r.statuses)}`);
    }
    if (prefill > 0) {
      console.log(
        `prefill ${s.name}: ${prefill} signals in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
      );
    }
  }
  const prepares = servers.map((s) => bulkRequests(s.bench, perRound, { firstRequest: prefill }));
  const measure = async (i: number) => {
    const { bench } = servers[i]!;
    const requests = prepares[i]!(call);
    const pid = bench.server.process.pid!;
    const cpu0 = processCpuMs(pid);
    const main0 = mainThreadCpuMs(pid);
    const io0 = processIo(pid);
    const gc0 = gcCounts(bench.server.output());
    const sampler = process.env.SLUIS_AB_SAMPLE === '1' ? await startThreadSampler(pid) : undefined;
    const r = await runLoad(bench.server.url, requests, 4, 600);
    const sampled = sampler === undefined ? '' : ` ${await sampler.stop()}`;
    const cpu1 = processCpuMs(pid);
    const main1 = mainThreadCpuMs(pid);
    const io1 = processIo(pid);
    if (r.failed > 0) throw new Error(`refused: ${JSON.stringify(r.statuses)}`);
    const signals = r.ok * BATCH;
    const memory = processMemory(pid);
    return {
      sampled,
      gc: gcPerThousand(gc0, gcCounts(bench.server.output()), signals),
      rss:
        memory === undefined
          ? ''
          : ` rss ${memory.rssMiB.toFixed(0)} MiB (peak ${memory.peakRssMiB.toFixed(0)})`,
      io:
        io0 === undefined || io1 === undefined
          ? ''
          : ` written ${((io1.wchar - io0.wchar) / signals / 1024).toFixed(2)} read ${((io1.rchar - io0.rchar) / signals / 1024).toFixed(2)} KiB/signal`,
      rate: signals / r.seconds,
      cpuUs: (((cpu1 ?? 0) - (cpu0 ?? 0)) * 1000) / signals,
      mainUs: (((main1 ?? 0) - (main0 ?? 0)) * 1000) / signals,
    };
  };
  for (let i = 0; i < servers.length; i++) await measure(i); // warm-up
  for (let round = 0; round < rounds; round++) {
    const parts: string[] = [`${(prefill + (round + 1) * perRound).toLocaleString('en-US')} stored before`];
    let raw = batchedInsertRate(perRound, BATCH);
    for (let i = 0; i < servers.length; i++) {
      const m = await measure(i);
      const after = batchedInsertRate(perRound, BATCH);
      parts.push(
        `${servers[i]!.name} ${m.rate.toFixed(0)}/s cpu ${m.cpuUs.toFixed(0)} (main thread ${m.mainUs.toFixed(0)}) µs/signal${m.io}${m.rss}${m.gc}${m.sampled} (×raw ${(m.rate / ((raw + after) / 2)).toFixed(2)})`,
      );
      raw = after;
    }
    console.log(`round ${round + 1}: ${parts.join(' | ')} | raw ${raw.toFixed(0)}/s`);
  }
} finally {
  for (const s of servers) await s.bench.stop();
}
