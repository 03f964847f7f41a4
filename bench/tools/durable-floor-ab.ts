// The durable floor against the floor and sluis (docs/performance.md "Twentieth pass: the durable
// floor"), in rounds at concurrency 64, and the batch floor against bulk import and the raw
// batched inserts. Case 2: the built server (bench-server.ts) first gets `prefill` placements of
// case 2's mix at 64 (its database the size case 2's is when its runs at 64 begin), the durable
// floor's recording the same number of signals before it (placement-floors.ts); then each round
// runs sluis, the floor and the durable floor once, `requests` each — sluis first in even rounds,
// last in odd ones (the floor and the durable floor in turn first too) — and prints per round
// each one's rate, p99 and CPU per request (all threads, /proc) and the ratios. Case 3 (with
// `bulkRounds` > 0): rounds of bulk import over HTTP (10,000 signals in batches of 500, 4 in flight),
// the batch floor's replay and the raw batched inserts, the first two in turn first (the raw
// inserts into an empty table, as case 3's row 3.fresh, not at the server's size as its row 3:
// docs/performance.md "Thirty-second pass"). Not part of `pnpm bench`; nothing asserted.
//   node --conditions=sluis-source --import tsx bench/tools/durable-floor-ab.ts [rounds] [requests] [prefill] [bulkRounds]

import { BATCH, bulkRequests } from '../cases/bulk-import.js';
import { startFloorRuns } from '../cases/placement-floors.js';
import { recordBatchFloor } from '../lib/batch-floor.js';
import { startBenchServer } from '../lib/bench-server.js';
import { runLoad } from '../lib/http-load.js';
import { placementMix, signedPlacements } from '../lib/placement-mix.js';
import { pseudonyms } from '../lib/population.js';
import { mainThreadCpuMs, processCpuMs } from '../lib/proc.js';
import { batchedInsertRate, naiveDurableInserts } from '../lib/sqlite-baseline.js';
import { spread } from '../lib/stats.js';

const rounds = Number(process.argv[2] ?? 4);
const requests = Number(process.argv[3] ?? 6_000);
const prefill = Number(process.argv[4] ?? 20_000);
const bulkRounds = Number(process.argv[5] ?? 0);
const f = (n: number, d = 0) => n.toFixed(d);

if (rounds > 0) {
  const bench = await startBenchServer(4);
  const mix = placementMix(pseudonyms(Math.ceil((prefill + 4 * rounds * requests + 600) * 0.7)));
  const prepare = (count: number) => signedPlacements(mix, bench, count);
  const baselines = [naiveDurableInserts(1)];
  const floors = await startFloorRuns({
    keys: new Map(bench.organisations.map((o) => [o.signer.keyId, o.key.publicKey] as const)),
    mix,
    prefill,
    requests,
    rounds,
    prepare,
    naive: () => naiveDurableInserts(1),
    baselines,
    quick: false,
  });
  try {
    for (let left = prefill; left > 0; left -= 10_000) {
      const r = await runLoad(bench.server.url, prepare(Math.min(10_000, left)), 64, 600);
      if (r.failed > 0) throw new Error(`prefill refused: ${JSON.stringify(r.statuses)}`);
    }
    const pid = bench.server.process.pid!;
    const sluis: { rate: number; p99: number; cpu: number; main: number }[] = [];
    const runSluis = async () => {
      const cpu0 = processCpuMs(pid)!;
      const main0 = mainThreadCpuMs(pid)!;
      const r = await runLoad(bench.server.url, prepare(requests), 64, 600);
      if (r.failed > 0) throw new Error(`placement refused: ${JSON.stringify(r.statuses)}`);
      const main = (mainThreadCpuMs(pid)! - main0) / r.ok;
      sluis.push({ rate: r.perSecond, p99: r.p99Ms, cpu: (processCpuMs(pid)! - cpu0) / r.ok, main });
    };
    console.log(
      '| round | order | sluis: rate, p99, CPU (main thread) | floor: rate, p99, CPU (main thread) | durable floor: rate, p99, CPU (main thread) | durable: placements a COMMIT, COMMIT wall time a placement | durable ÷ floor | sluis ÷ durable | sluis ÷ floor |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (let r = 0; r < rounds; r++) {
      if (r % 2 === 0) await runSluis();
      await floors.round(r);
      if (r % 2 === 1) await runSluis();
      const s = sluis[r]!;
      const fl = floors.runs().floor[r]!;
      const d = floors.runs().durable[r]!;
      const order = r % 2 === 0 ? 'sluis, floor, durable' : 'durable, floor, sluis';
      const ms = (v: number | undefined) => (v === undefined ? '–' : f(v, 3));
      const cell = (x: { rate: number; p99: number; cpu: number | undefined; main: number | undefined }) =>
        `${f(x.rate)}/s, ${f(x.p99, 1)} ms, ${ms(x.cpu)} (${ms(x.main)}) ms`;
      console.log(
        `| ${r + 1} | ${order} | ${cell(s)} | ${cell(fl)} | ${cell(d)} | ${f(d.perCommit ?? Number.NaN, 1)}, ${ms(d.commitMs)} ms | ${f(d.rate / fl.rate, 2)} | ${f(s.rate / d.rate, 2)} | ${f(s.rate / fl.rate, 2)} |`,
      );
    }
    for (const fig of floors.figures(sluis.map((s) => s.rate))) {
      if (fig.note !== undefined) console.log(`- ${fig.id}: ${fig.note}`);
    }
  } finally {
    await floors.stop();
    await bench.stop();
  }
}

if (bulkRounds > 0) {
  const rows = 10_000;
  const floor = await recordBatchFloor(rows, BATCH);
  const bench = await startBenchServer(4, { budget: 1_000_000 });
  try {
    const prepare = bulkRequests(bench, rows);
    console.log(
      '\n| round | order | bulk over HTTP | batch floor | raw inserts (after each) | floor ÷ raw | bulk ÷ floor | bulk ÷ raw |',
    );
    console.log('|---|---|---|---|---|---|---|---|');
    const ratios: number[][] = [[], [], []];
    for (let r = 0; r < bulkRounds; r++) {
      const http = async () => {
        const reqs = prepare();
        const res = await runLoad(bench.server.url, reqs, 4, 600);
        if (res.failed > 0) throw new Error(`bulk refused: ${JSON.stringify(res.statuses)}`);
        return { rate: (res.ok * BATCH) / res.seconds, raw: batchedInsertRate(rows, BATCH) };
      };
      const replay = () => ({ rate: floor.replay().rowsPerSecond, raw: batchedInsertRate(rows, BATCH) });
      const a = r % 2 === 0 ? await http() : replay();
      const b = r % 2 === 0 ? replay() : await http();
      const [h, fl] = r % 2 === 0 ? [a, b] : [b, a];
      const raw = (h.raw + fl.raw) / 2;
      ratios[0]!.push(fl.rate / raw);
      ratios[1]!.push(h.rate / fl.rate);
      ratios[2]!.push(h.rate / raw);
      console.log(
        `| ${r + 1} | ${r % 2 === 0 ? 'bulk first' : 'floor first'} | ${f(h.rate)}/s | ${f(fl.rate)}/s | ${f(h.raw)}, ${f(fl.raw)}/s | ${f(fl.rate / raw, 2)} | ${f(h.rate / fl.rate, 2)} | ${f(h.rate / raw, 2)} |`,
      );
    }
    const m = (x: number[]) => spread(x);
    console.log(
      `medians: floor ÷ raw ${f(m(ratios[0]!).median, 2)}, bulk ÷ floor ${f(m(ratios[1]!).median, 2)}, bulk ÷ raw ${f(m(ratios[2]!).median, 2)}`,
    );
    console.log([...floor.kinds].map(([k, n]) => `${k} ${n.toFixed(1)}`).join(', '));
  } finally {
    await bench.stop();
    floor.remove();
  }
}
