// The national year as an A/B (docs/performance.md "Twenty-second pass: the national year"): this
// checkout's built server and, with SLUIS_AB_ROOT=<another checkout, built for the same Node>, that
// checkout's (lib/ab-servers.ts: SLUIS_AB_OTHER_ARGS, SLUIS_AB_OTHER_FIRST … apply), each first filled
// with `prefill` placements of case 2's mix at 64 (case 2's year begins on the 111,000 signals of its
// runs at 1, 16 and 64), then `rounds` slices of `slice` placements at 64 — the year: case 2 sends 17
// slices of 10,000, each signed just before it is sent (bench/cases/placement.ts) — alternated between
// the two servers, the one measured first changing every slice. Per slice each server's seconds, rate,
// p99, CPU per placement (all threads and main thread, /proc), bytes read per placement and resident
// set; at the end each server's year (the sum of its slices' seconds, as case 2 sums them) and the
// medians of other ÷ this per slice, for the first and the second half of the year. Not part of
// `pnpm bench`; nothing asserted.
//   node --conditions=sluis-source --import tsx bench/tools/year-ab.ts [rounds] [slice] [prefill]

import { startAbServers } from '../lib/ab-servers.js';
import type { BenchServer } from '../lib/bench-server.js';
import { placementMix, signedPlacements } from '../lib/placement-mix.js';
import { pseudonyms } from '../lib/population.js';
import { type ServerRound, serverRound } from '../lib/server-round.js';
import { spread } from '../lib/stats.js';

const rounds = Number(process.argv[2] ?? 17);
const slice = Number(process.argv[3] ?? 10_000);
const prefill = Number(process.argv[4] ?? 111_000);

const servers = await startAbServers();
try {
  const mix = placementMix(pseudonyms(Math.ceil((prefill + rounds * slice) * servers.length * 0.7) + 10));
  const run = (bench: BenchServer, count: number) =>
    serverRound(bench.server.url, bench.server.process.pid!, signedPlacements(mix, bench, count), 64, bench);
  for (const s of servers) {
    for (let left = prefill; left > 0; left -= slice) await run(s.bench, Math.min(slice, left));
    console.log(`${s.name}: ${prefill} placed`);
  }
  const show = (m: ServerRound) =>
    `${(m.ok / m.rate).toFixed(2)} s ${m.rate.toFixed(0)}/s p99 ${m.p99.toFixed(1)} ms cpu ${m.cpu.toFixed(3)} (main ${m.main.toFixed(3)}) ms read ${m.io?.readKiB.toFixed(1) ?? '–'} KiB rss ${m.memory?.rssMiB.toFixed(0) ?? '–'} MiB`;
  const results = new Map(servers.map((s) => [s.name, [] as ServerRound[]]));
  for (let i = 0; i < rounds; i++) {
    const order = i % 2 === 0 ? servers : [...servers].reverse();
    for (const s of order) results.get(s.name)!.push(await run(s.bench, slice));
    console.log(
      `slice ${i + 1} (${order[0]!.name} first): ${servers.map((s) => `${s.name} ${show(results.get(s.name)![i]!)}`).join(' | ')}`,
    );
  }
  for (const s of servers) {
    const year = results.get(s.name)!.reduce((sum, m) => sum + m.ok / m.rate, 0);
    console.log(`${s.name}: the year ${year.toFixed(1)} s`);
  }
  const a = results.get('this')!;
  const b = results.get('other');
  if (b !== undefined) {
    const half = Math.ceil(rounds / 2);
    const ratios = (pick: (m: ServerRound) => number, from: number, to: number) => {
      const r = spread(a.slice(from, to).map((m, i) => pick(b[from + i]!) / pick(m)));
      return `${r.median.toFixed(3)} (${r.min.toFixed(2)}–${r.max.toFixed(2)})`;
    };
    for (const [name, from, to] of [
      ['first half', 0, half],
      ['second half', half, rounds],
      ['all', 0, rounds],
    ] as const) {
      console.log(
        `other ÷ this, ${name}: main ${ratios((m) => m.main, from, to)} cpu ${ratios((m) => m.cpu, from, to)} rate ${ratios((m) => m.rate, from, to)} p99 ${ratios((m) => m.p99, from, to)}`,
      );
    }
  }
} finally {
  for (const s of servers) await s.bench.stop();
}
