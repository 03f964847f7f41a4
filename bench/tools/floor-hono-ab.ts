// What Hono and @hono/node-server cost a request (docs/performance.md "Eighteenth pass"): the
// floor server (lib/floor-server.ts: digest, Ed25519 on the thread pool, JSON) bare on
// node:http against the same work as a Hono route behind one middleware on
// @hono/node-server, alternated in one process, the same signed placements at 64 to both.
// Prints per round each one's rate, p99 and CPU per request (all threads and the main
// thread) and the ratios; the difference is the most a placement route served without the
// framework could save. SLUIS_AB_OTHER_FIRST=1 measures the Hono floor first in each round.
// A bench server is started only for its organisations' keys. Not part of `pnpm bench`.
//   node --conditions=sluis-source --import tsx bench/tools/floor-hono-ab.ts [rounds] [requests]

import { startBenchServer } from '../lib/bench-server.js';
import { startFloorServer } from '../lib/floor-server.js';
import { placementMix, signedPlacements } from '../lib/placement-mix.js';
import { pseudonyms } from '../lib/population.js';
import { serverRound } from '../lib/server-round.js';
import { spread } from '../lib/stats.js';

const rounds = Number(process.argv[2] ?? 6);
const perRound = Number(process.argv[3] ?? 8_000);
const bench = await startBenchServer(4);
const keys = new Map(bench.organisations.map((o) => [o.signer.keyId, o.key.publicKey] as const));
const bare = await startFloorServer(keys);
const hono = await startFloorServer(keys, { hono: true });
const median = (xs: readonly number[]) => spread(xs).median;
try {
  const mix = placementMix(pseudonyms(Math.ceil(perRound * (rounds + 1) * 2 * 0.7) + 10));
  const order =
    process.env.SLUIS_AB_OTHER_FIRST === '1'
      ? ([
          ['hono', hono],
          ['bare', bare],
        ] as const)
      : ([
          ['bare', bare],
          ['hono', hono],
        ] as const);
  const run = (s: typeof bare) =>
    serverRound(s.url, s.process.pid!, signedPlacements(mix, bench, perRound), 64);
  for (const [, s] of order) await run(s);
  const ratios = {
    rate: [] as number[],
    cpu: [] as number[],
    main: [] as number[],
    mainDiff: [] as number[],
  };
  for (let i = 0; i < rounds; i++) {
    const m: Record<string, Awaited<ReturnType<typeof run>>> = {};
    for (const [name, s] of order) m[name] = await run(s);
    const b = m.bare!;
    const h = m.hono!;
    ratios.rate.push(h.rate / b.rate);
    ratios.cpu.push(h.cpu / b.cpu);
    ratios.main.push(h.main / b.main);
    ratios.mainDiff.push(h.main - b.main);
    const line = (x: typeof b) =>
      `${x.rate.toFixed(0)}/s p99 ${x.p99.toFixed(1)} ms cpu ${x.cpu.toFixed(4)} ms (main thread ${x.main.toFixed(4)})`;
    console.log(
      `round ${i + 1}: bare ${line(b)} | hono ${line(h)} | hono ÷ bare: rate ${(h.rate / b.rate).toFixed(2)}, cpu ${(h.cpu / b.cpu).toFixed(2)}, main ${(h.main / b.main).toFixed(2)} (+${((h.main - b.main) * 1000).toFixed(1)} µs)`,
    );
  }
  console.log(
    `medians, hono ÷ bare: rate ${median(ratios.rate).toFixed(2)}, cpu ${median(ratios.cpu).toFixed(2)}, main thread ${median(ratios.main).toFixed(2)} (+${(median(ratios.mainDiff) * 1000).toFixed(1)} µs a request)`,
  );
} finally {
  await bare.stop();
  await hono.stop();
  await bench.stop();
}
