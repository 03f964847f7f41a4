// The national year's placements with a batch import now and then, as an A/B (docs/performance.md
// "Thirty-fifth pass: the writer's cache by its work"): year-ab.ts's servers, prefill and slices
// (SLUIS_AB_ROOT, SLUIS_AB_OTHER_FIRST … as there), but each slice's placements at 64 carry a batch
// of 500 (bench/cases/bulk-import.ts's requests, full answers) in the middle of every `every`
// placements, sent in the same load among them, so one writer serves single placements and
// batches in turn. Per slice each server's seconds, CPU per request (all threads and main
// thread, /proc), bytes read per request and resident set; at the end the medians of other ÷
// this per slice. Both servers get the same requests in the same order, so the ratios compare
// the same work. Not part of `pnpm bench`; nothing asserted.
//   node --conditions=sluis-source --import tsx bench/tools/mixed-ab.ts [rounds] [slice] [prefill] [every]

import { BATCH, bulkRequests } from '../cases/bulk-import.js';
import { startAbServers } from '../lib/ab-servers.js';
import type { BenchServer } from '../lib/bench-server.js';
import { placementMix, signedPlacements } from '../lib/placement-mix.js';
import { pseudonyms } from '../lib/population.js';
import { type ServerRound, serverRound } from '../lib/server-round.js';
import type { PreparedRequest } from '../lib/signed-requests.js';
import { spread } from '../lib/stats.js';

const rounds = Number(process.argv[2] ?? 17);
const slice = Number(process.argv[3] ?? 10_000);
const prefill = Number(process.argv[4] ?? 111_000);
const every = Number(process.argv[5] ?? 2_000);
/** The batches' request ids, far above the placements' (both are `…-8000-<12 hex digits>`). */
const FIRST_BATCH_REQUEST = 2 ** 44;

const servers = await startAbServers();
try {
  const mix = placementMix(pseudonyms(Math.ceil((prefill + rounds * slice) * servers.length * 0.7) + 10));
  const batchesPerSlice = Math.floor(slice / every);
  const batches = new Map<string, () => PreparedRequest[]>(
    servers.map((s) => [
      s.name,
      bulkRequests(s.bench, batchesPerSlice * BATCH, { firstRequest: FIRST_BATCH_REQUEST }),
    ]),
  );
  const placeOnly = (bench: BenchServer, count: number) =>
    serverRound(bench.server.url, bench.server.process.pid!, signedPlacements(mix, bench, count), 64, bench);
  for (const s of servers) {
    for (let left = prefill; left > 0; left -= slice) await placeOnly(s.bench, Math.min(slice, left));
    console.log(`${s.name}: ${prefill} placed`);
  }
  const mixed = (name: string, bench: BenchServer) => {
    const placements = signedPlacements(mix, bench, slice);
    const batch = batches.get(name)!();
    const requests: PreparedRequest[] = [];
    placements.forEach((p, i) => {
      requests.push(p);
      // In the middle of each `every` placements, so the slices begin and end alike.
      if ((i + 1 + Math.floor(every / 2)) % every === 0 && batch.length > 0) requests.push(batch.shift()!);
    });
    return serverRound(bench.server.url, bench.server.process.pid!, requests, 64, bench);
  };
  const show = (m: ServerRound) =>
    `${(m.ok / m.rate).toFixed(2)} s cpu ${m.cpu.toFixed(3)} (main ${m.main.toFixed(3)}) ms read ${m.io?.readKiB.toFixed(1) ?? '–'} KiB rss ${m.memory?.rssMiB.toFixed(0) ?? '–'} MiB`;
  const results = new Map(servers.map((s) => [s.name, [] as ServerRound[]]));
  for (let i = 0; i < rounds; i++) {
    const order = i % 2 === 0 ? servers : [...servers].reverse();
    for (const s of order) results.get(s.name)!.push(await mixed(s.name, s.bench));
    console.log(
      `slice ${i + 1} (${order[0]!.name} first, ${slice} placements and ${batchesPerSlice} batches of ${BATCH}): ${servers.map((s) => `${s.name} ${show(results.get(s.name)![i]!)}`).join(' | ')}`,
    );
  }
  for (const s of servers) {
    const total = results.get(s.name)!.reduce((sum, m) => sum + m.ok / m.rate, 0);
    console.log(`${s.name}: ${total.toFixed(1)} s`);
  }
  const a = results.get('this')!;
  const b = results.get('other');
  if (b !== undefined) {
    const ratios = (pick: (m: ServerRound) => number) => {
      const r = spread(a.map((m, i) => pick(b[i]!) / pick(m)));
      return `${r.median.toFixed(3)} (${r.min.toFixed(2)}–${r.max.toFixed(2)})`;
    };
    console.log(
      `other ÷ this, all: main ${ratios((m) => m.main)} cpu ${ratios((m) => m.cpu)} rate ${ratios((m) => m.rate)} read ${ratios((m) => m.io?.readKiB ?? Number.NaN)}`,
    );
  }
} finally {
  for (const s of servers) await s.bench.stop();
}
