// The coalescer's gain for two builds in one run (docs/performance.md "Ninth pass: groups
// that skip a held budget section"): this checkout's built server and, with
// SLUIS_AB_ROOT=<another checkout, built>, that one's — each with the coalescer on and off
// (`SLUIS_COALESCE_PLACEMENTS`), each side two instances on its own database of one
// throwaway cluster (as bench case `coalesce`, fsync and synchronous_commit on). Rounds of
// placements at concurrency 64 over the bench's 4 organisations visit the sides in an order
// that turns every round, so the machine's drift hits all alike. Prints per build the
// coalescer's on/off ratio per round and the medians, and this build's rate with the
// coalescer on against the other's. Not part of `pnpm bench`; nothing asserted.
//   SLUIS_AB_ROOT=… node --conditions=sluis-source --import tsx bench/tools/coalesce-ab.ts [rounds] [placements] [out.json]

import { writeFileSync } from 'node:fs';
import { createDatabase } from '../../test/support/postgres.js';
import { startServer } from '../../test/support/server-process.js';
import { preparer } from '../cases/postgres.js';
import { otherStartServer } from '../lib/ab-servers.js';
import { runLoad } from '../lib/http-load.js';
import { startBenchPair, startBenchPostgres } from '../lib/pg-cluster.js';
import { spread } from '../lib/stats.js';

const rounds = Number(process.argv[2] ?? 4);
const perRound = Number(process.argv[3] ?? 1_000);
const out = process.argv[4];
const CONCURRENCY = 64;

const cluster = await startBenchPostgres();
if (cluster === undefined) throw new Error('no PostgreSQL server binaries');

interface Side {
  readonly name: string;
  readonly urls: readonly string[];
  readonly prepare: ReturnType<typeof preparer>;
  readonly stop: () => Promise<unknown>;
  readonly rates: number[];
  readonly p99s: number[];
}

const builds: { build: string; start: typeof startServer }[] = [{ build: 'this', start: startServer }];
const otherStart = await otherStartServer();
if (otherStart !== undefined) builds.push({ build: 'other', start: otherStart });

const sides: Side[] = [];
try {
  for (const { build, start } of builds) {
    for (const coalesce of [true, false]) {
      const name = `${build}_${coalesce ? 'on' : 'off'}`;
      const starter: typeof startServer = (o) =>
        start({ ...o, env: { ...o?.env, SLUIS_COALESCE_PLACEMENTS: String(coalesce) } });
      const pair = await startBenchPair(createDatabase(cluster.url, name), { start: starter });
      sides.push({
        name,
        urls: pair.urls,
        prepare: preparer(pair.a, perRound * rounds),
        stop: pair.stop,
        rates: [],
        p99s: [],
      });
    }
  }
  for (let r = 0; r < rounds; r++) {
    const turned = sides.map((_, i) => sides[(i + r) % sides.length]!);
    for (const s of r % 2 === 0 ? turned : turned.reverse()) {
      const result = await runLoad(s.urls, s.prepare(perRound), CONCURRENCY, 120);
      if (result.failed > 0)
        throw new Error(`${s.name}: placement failed: ${JSON.stringify(result.statuses)}`);
      s.rates.push(result.perSecond);
      s.p99s.push(result.p99Ms);
      process.stdout.write(
        `round ${r + 1} ${s.name}: ${result.perSecond.toFixed(0)} placements/s, p99 ${result.p99Ms.toFixed(0)} ms\n`,
      );
    }
  }
  const median = (xs: readonly number[]) => spread(xs).median;
  const by = (name: string) => sides.find((s) => s.name === name)!;
  const report: Record<string, unknown> = { rounds, perRound, concurrency: CONCURRENCY, sides: {} };
  for (const s of sides) (report.sides as Record<string, unknown>)[s.name] = { rates: s.rates, p99s: s.p99s };
  for (const { build } of builds) {
    const ratios = by(`${build}_on`).rates.map((x, i) => x / by(`${build}_off`).rates[i]!);
    report[`${build}.onOff`] = { ratios, median: median(ratios) };
    process.stdout.write(
      `${build}: coalescer on/off per round ${ratios.map((x) => x.toFixed(2)).join(' ')}, median ${median(ratios).toFixed(2)}×` +
        ` (on ${median(by(`${build}_on`).rates).toFixed(0)}/s p99 ${median(by(`${build}_on`).p99s).toFixed(0)} ms,` +
        ` off ${median(by(`${build}_off`).rates).toFixed(0)}/s)\n`,
    );
  }
  if (builds.length === 2) {
    const ratios = by('this_on').rates.map((x, i) => x / by('other_on').rates[i]!);
    report['this/other.on'] = { ratios, median: median(ratios) };
    process.stdout.write(`this/other, coalescer on: median ${median(ratios).toFixed(2)}×\n`);
  }
  if (out !== undefined) writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
} finally {
  for (const s of sides) await s.stop();
  cluster.stop();
}
