// Does a placement's CPU grow with the database? (docs/performance.md "Eleventh pass"). Alternates
// rounds of signed placements at concurrency 64 (case 2's mix: lib/population.ts, 4 organisations,
// a third about the person placed just before) between a GROWING server, which keeps every round's
// placements, and a FRESH server, started anew for each round on an empty data directory and warmed
// up with `warm` placements first, both this checkout's build. Per round it prints each server's
// rate, p99, CPU per placement (all threads and main thread, /proc), write operations per commit,
// the growing server's stored rows by table and its file and WAL sizes, and the ratio growing ÷
// fresh of the CPU: a ratio that rises with the stored rows is a cost that grows with the database,
// one that stays near 1 is not (the fresh server's CPU is the same moment's yardstick for the
// machine's state). SLUIS_GROWTH_FRESH=0 leaves the fresh server out (the growing one alone).
// SLUIS_GROWTH_PHASES="1:2000x3,16:15000x3" first runs those phases (concurrency:requests x runs)
// on the growing server, as case 2 runs c1 and c16 before c64; SLUIS_GROWTH_NAIVE=1 runs case 2's
// naive durable inserts (lib/sqlite-baseline.ts, 3 s) in this process after each phase run.
// SLUIS_GROWTH_BALLAST=N (run with --expose-gc): in every other round this process, the load
// generator, holds N more pseudonyms (case 2 holds 0.7 × 341,000 for its whole run), made before
// the round and collected after it — a heavier load generator against the same server.
// SLUIS_GROWTH_COUNTS=8000,20000: the growing server's rounds take these requests in turn (case 2
// sends 20,000 per run at 64, signed at once; placement-vs-floor.ts as many as it is told).
// SLUIS_GROWTH_OTHER_ARGS="--clock-skew 20": instead of a fresh server per round, a second growing
// server started with these arguments, its rounds alternated with the first's (the first measured
// first in odd rounds, second in even ones).
// Not part of `pnpm bench`; nothing asserted.
//   node --conditions=sluis-source --import tsx bench/tools/placement-growth.ts [rounds] [requests] [warm]

import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { type BenchServer, startBenchServer } from '../lib/bench-server.js';
import { placementMix, signedPlacements } from '../lib/placement-mix.js';
import { pseudonyms } from '../lib/population.js';
import { serverRound } from '../lib/server-round.js';
import { naiveDurableInserts } from '../lib/sqlite-baseline.js';
import { gcCounts, gcPerThousand } from './gc-trace.js';

const Database = createRequire(import.meta.resolve('@sluis/engine'))(
  'better-sqlite3',
) as typeof BetterSqlite3;

const rounds = Number(process.argv[2] ?? 12);
const perRound = Number(process.argv[3] ?? 8_000);
const warm = Number(process.argv[4] ?? 4_000);
const withFresh = process.env.SLUIS_GROWTH_FRESH !== '0';
const TABLES = ['signals', 'matches', 'events', 'logbook', 'nonces', 'placement_hours', 'statistics'];

const mix = placementMix(pseudonyms(Math.ceil((perRound + warm) * (rounds + 1) * 2 * 0.7) + 10));

const measure = async (bench: BenchServer, count: number, concurrency = 64) => {
  const requests = signedPlacements(mix, bench, count);
  const gc0 = gcCounts(bench.server.output());
  const m = await serverRound(bench.server.url, bench.server.process.pid!, requests, concurrency, bench);
  const io =
    m.io === undefined
      ? ''
      : ` read ${m.io.readKiB.toFixed(1)} KiB write ${m.io.writeKiB.toFixed(1)} KiB per placement`;
  const out = bench.server.output();
  // The heap V8 kept after its last full collection: what the server holds alive (with --trace-gc).
  const kept = [...out.matchAll(/Mark-Compact [\d.]+ \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB/g)].at(-1)?.[1];
  const heap = `${m.memory === undefined ? '' : ` rss ${m.memory.rssMiB.toFixed(0)} MiB`}${kept === undefined ? '' : ` heap after last mark-compact ${kept} MB`}${gcPerThousand(gc0, gcCounts(out), m.ok)}`;
  return {
    heap: `${io}${heap}`,
    rate: m.rate,
    p99: m.p99,
    cpu: m.cpu,
    main: m.main,
    batch: m.perCommit,
    gen: m.generator,
  };
};

const show = (m: Awaited<ReturnType<typeof measure>>) =>
  `${m.rate.toFixed(0)}/s p99 ${m.p99.toFixed(1)} ms cpu ${m.cpu.toFixed(3)} ms (main ${m.main.toFixed(3)}) generator ${m.gen.toFixed(3)} ms${m.batch === undefined ? '' : ` ${m.batch.toFixed(1)}/commit`}${m.heap}`;

/** Rows by table and the file sizes of the growing server's database, read beside the running server. */
const stored = (bench: BenchServer): string => {
  const path = join(bench.server.dataDir, 'sluis.db');
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const counts = TABLES.map((t) => {
      try {
        return `${t} ${(db.prepare(`SELECT count(*) AS c FROM ${t}`).get() as { c: number }).c}`;
      } catch {
        return `${t} –`;
      }
    });
    const size = (p: string) => {
      try {
        return (statSync(p).size / 1048576).toFixed(1);
      } catch {
        return '–';
      }
    };
    return `${counts.join(', ')}; file ${size(path)} MiB, wal ${size(`${path}-wal`)} MiB`;
  } finally {
    db.close();
  }
};

const growing = await startBenchServer(4);
const other =
  process.env.SLUIS_GROWTH_OTHER_ARGS === undefined
    ? undefined
    : await startBenchServer(4, { args: process.env.SLUIS_GROWTH_OTHER_ARGS.split(' ') });
try {
  if (other !== undefined) await measure(other, warm);
  for (const phase of (process.env.SLUIS_GROWTH_PHASES ?? '').split(',').filter((p) => p !== '')) {
    const [, c, count, runs] = /^(\d+):(\d+)x(\d+)$/.exec(phase) ?? [];
    if (c === undefined) throw new Error(`SLUIS_GROWTH_PHASES: ${phase}?`);
    for (let r = 0; r < Number(runs); r++) {
      const m = await measure(growing, Number(count), Number(c));
      const naive = process.env.SLUIS_GROWTH_NAIVE === '1' ? naiveDurableInserts(3) : undefined;
      console.log(
        `phase c${c}: ${show(m)}${naive === undefined ? '' : ` (naive ${naive.rate.toFixed(0)}/s)`}`,
      );
    }
  }
  await measure(growing, warm);
  const ballast = Number(process.env.SLUIS_GROWTH_BALLAST ?? 0);
  let held: unknown[] | undefined;
  const counts = (process.env.SLUIS_GROWTH_COUNTS ?? `${perRound}`).split(',').map(Number);
  for (let i = 0; i < rounds; i++) {
    const before = stored(growing);
    if (ballast > 0 && i % 2 === 0) held = pseudonyms(ballast, 600_000_000);
    // The same moment's yardstick: the second server's round, or a fresh server's.
    const yardstick = async () => {
      if (other !== undefined) return measure(other, perRound);
      if (!withFresh) return undefined;
      const f = await startBenchServer(4);
      try {
        await measure(f, warm);
        return await measure(f, perRound);
      } finally {
        await f.stop();
      }
    };
    const first = i % 2 === 1 ? await yardstick() : undefined;
    const count = counts[i % counts.length]!;
    const g = await measure(growing, count);
    const y = i % 2 === 1 ? first : await yardstick();
    const name = other === undefined ? 'fresh' : 'other';
    const ratio =
      y === undefined
        ? ''
        : ` | growing ÷ ${name} cpu ${(g.cpu / y.cpu).toFixed(2)} main ${(g.main / y.main).toFixed(2)}`;
    const heavy = held === undefined ? '' : ` (generator holding ${held.length} pseudonyms more)`;
    held = undefined;
    (globalThis as { gc?: () => void }).gc?.();
    console.log(
      `round ${i + 1}${heavy}: growing (${count}) ${show(g)}${y === undefined ? '' : ` | ${name} ${show(y)}`}${ratio}\n  before: ${before}${other === undefined ? '' : `\n  other: ${stored(other)}`}`,
    );
  }
  console.log(`after: ${stored(growing)}`);
} finally {
  await growing.stop();
  await other?.stop();
}
