// A quick A/B helper for work on the placement path (docs/performance.md "Profiling the
// placement path"): alternates rounds of signed placements at concurrency 64 against the
// built server, the floor server (lib/floor-server.ts) and, with SLUIS_AB_ROOT=<another
// checkout, built>, that checkout's server, in one process, and prints per round each
// server's rate, p99 and CPU time per request (all threads, /proc) and the ratios to the
// floor. Each round also replays a placement's statements and hashes raw (lib/statement-floor.ts,
// the "statement floor" and "hash floor", in this process between the HTTP runs) in batches
// of the size this build's group commit formed (from its /metrics counters), and prints the
// sum of the three floors beside each server's CPU per placement, and each server's main-thread
// CPU per placement and resident set (now and its peak). SLUIS_AB_OTHER_NODE_OPTIONS gives the
// other server alone a NODE_OPTIONS (e.g. this checkout again under a V8 flag), and
// SLUIS_AB_OTHER_FIRST=1 starts and measures the other server first, so both orders run from
// one checkout (docs/performance.md "Tenth pass: garbage collection"). Run under
// SLUIS_NODE_ARGS="--cpu-prof --cpu-prof-dir=…" to profile the servers, or
// SLUIS_NODE_ARGS=--trace-gc to count their collections per 1,000 placements (gc-trace.ts).
// SLUIS_AB_PREFILL=N first places N signals on each server (case 2's mix, at 64, before the
// warm-up), so the rounds measure a database of case 2's size rather than a new one
// (docs/performance.md "Eleventh pass": bytes written per placement grow with the database).
// Not part of `pnpm bench`; nothing asserted.
//   node --conditions=sluis-source --import tsx bench/tools/placement-vs-floor.ts [rounds] [requests]

import { startAbServers } from '../lib/ab-servers.js';
import type { BenchServer } from '../lib/bench-server.js';
import { startFloorServer } from '../lib/floor-server.js';
import { runLoad } from '../lib/http-load.js';
import { placementMix, signedPlacements } from '../lib/placement-mix.js';
import { pseudonyms } from '../lib/population.js';
import { serverRound } from '../lib/server-round.js';
import { statementFloor } from '../lib/statement-floor.js';
import { gcCounts, gcPerThousand } from './gc-trace.js';

const rounds = Number(process.argv[2] ?? 3);
const perRound = Number(process.argv[3] ?? 10_000);
/** SLUIS_AB_STATEMENTS=0 leaves the statement floor out of the rounds. */
const withStatements = process.env.SLUIS_AB_STATEMENTS !== '0';
const servers = await startAbServers();
const first = servers[0]!.bench;
const floor = await startFloorServer(
  new Map(first.organisations.map((o) => [o.signer.keyId, o.key.publicKey] as const)),
);
try {
  const mix = placementMix(
    pseudonyms(
      Math.ceil(
        (perRound * (rounds + 1) * (servers.length + 1) +
          Number(process.env.SLUIS_AB_PREFILL ?? 0) * servers.length) *
          0.7,
      ) + 10,
    ),
  );
  const prepare = (bench: BenchServer, count: number) => signedPlacements(mix, bench, count);
  const measure = async (bench: BenchServer, url: string, pid: number, sluis = true) => {
    const gc0 = sluis ? gcCounts(bench.server.output()) : undefined;
    const m = await serverRound(url, pid, prepare(bench, perRound), 64, sluis ? bench : undefined);
    return {
      ...m,
      gc: gc0 === undefined ? '' : gcPerThousand(gc0, gcCounts(bench.server.output()), m.ok),
      rss:
        m.memory === undefined
          ? ''
          : ` rss ${m.memory.rssMiB.toFixed(0)} MiB (peak ${m.memory.peakRssMiB.toFixed(0)})`,
    };
  };
  const prefill = Number(process.env.SLUIS_AB_PREFILL ?? 0);
  for (const s of servers) {
    for (let left = prefill; left > 0; left -= 10_000) {
      const r = await runLoad(s.bench.server.url, prepare(s.bench, Math.min(10_000, left)), 64, 300);
      if (r.failed > 0) throw new Error(`prefill refused: ${JSON.stringify(r.statuses)}`);
    }
  }
  // The batch size of this build's group commit, from the warm-up and then the previous round.
  let group = 64;
  for (const s of servers) {
    const warm = await measure(s.bench, s.bench.server.url, s.bench.server.process.pid!);
    if (s === servers[0] && warm.perCommit !== undefined) group = warm.perCommit;
  }
  for (let i = 0; i < rounds; i++) {
    const f = await measure(first, floor.url, floor.process.pid!, false);
    const sql = withStatements
      ? await statementFloor(Math.min(perRound, 4_000), Math.max(1, Math.round(group)))
      : undefined;
    const sum = f.cpu + (sql === undefined ? 0 : sql.cpuMsPerPlacement + sql.hashCpuMsPerPlacement);
    const parts = [
      `floor ${f.rate.toFixed(0)}/s p99 ${f.p99.toFixed(1)} ms cpu ${f.cpu.toFixed(3)} ms (load generator ${f.generator.toFixed(3)} ms)`,
    ];
    if (sql !== undefined) {
      parts.push(
        `statements ${sql.statementsPerPlacement.toFixed(1)}/placement in ${sql.placementsPerCommit.toFixed(1)} per commit: cpu ${sql.cpuMsPerPlacement.toFixed(3)} ms; hashes ${sql.hashesPerPlacement.toFixed(1)}/placement: cpu ${sql.hashCpuMsPerPlacement.toFixed(3)} ms (floor + statements + hashes ${sum.toFixed(3)} ms)`,
      );
    }
    for (const s of servers) {
      const m = await measure(s.bench, s.bench.server.url, s.bench.server.process.pid!);
      if (s === servers[0] && m.perCommit !== undefined) group = m.perCommit;
      parts.push(
        `${s.name} ${m.rate.toFixed(0)}/s p99 ${m.p99.toFixed(1)} ms cpu ${m.cpu.toFixed(3)} ms (main thread ${m.main.toFixed(3)}; load generator ${m.generator.toFixed(3)} ms)${m.rss}${m.gc}${m.perCommit === undefined ? '' : ` ${m.perCommit.toFixed(1)}/commit`} (×floor: rate ${(m.rate / f.rate).toFixed(2)}, cpu ${(m.cpu / f.cpu).toFixed(2)}${sql === undefined ? '' : `; cpu − floors ${(m.cpu - sum).toFixed(3)} ms`})`,
      );
    }
    console.log(`round ${i + 1}: ${parts.join(' | ')}`);
  }
} finally {
  await floor.stop();
  for (const s of servers) await s.bench.stop();
}
