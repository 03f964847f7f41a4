// Coalesced placements A/B (docs/performance.md "Seventh pass: concurrent placements
// coalesced"): the same placement load at concurrency 64 against servers with the
// coalescer on and off (`SLUIS_COALESCE_PLACEMENTS`), in alternated rounds of one run so
// the machine's drift hits both alike — one instance on SQLite (as case 2 at 64), and two
// instances on one PostgreSQL (as case 8; skipped with the reason printed when the machine
// has no PostgreSQL server binaries). Reports each side's rate and p99 and the ratio on/off
// per round. No timing is asserted.

import { createDatabase } from '../../test/support/postgres.js';
import { startServer } from '../../test/support/server-process.js';
import { type BenchServer, startBenchServer } from '../lib/bench-server.js';
import { runLoad } from '../lib/http-load.js';
import { startBenchPair, startBenchPostgres } from '../lib/pg-cluster.js';
import type { Figure } from '../lib/result.js';
import { spread } from '../lib/stats.js';
import { preparer } from './postgres.js';

const CONCURRENCY = 64;

interface Side {
  readonly urls: readonly string[];
  readonly prepare: ReturnType<typeof preparer>;
}

interface Rounds {
  readonly on: { rates: number[]; p99s: number[] };
  readonly off: { rates: number[]; p99s: number[] };
  readonly ratios: number[];
}

/** Each side sets the coalescer explicitly (the server's default depends on the store). */
const startWith =
  (coalesce: boolean): typeof startServer =>
  (o) =>
    startServer({ ...o, env: { ...o?.env, SLUIS_COALESCE_PLACEMENTS: String(coalesce) } });
const onStart = startWith(true);
const offStart = startWith(false);

export async function coalesceBench(quick: boolean): Promise<Figure[]> {
  const sizes = quick ? { placements: 300, rounds: 1 } : { placements: 3_000, rounds: 4 };
  const figures: Figure[] = [];
  {
    const on = await startBenchServer(4, { start: onStart });
    const off = await startBenchServer(4, { start: offStart });
    try {
      const r = await rounds(sizes, side(on, [on.server.url], sizes), side(off, [off.server.url], sizes));
      figures.push(...figuresOf('coalesce.sqlite', 'one instance on SQLite', r));
    } finally {
      await off.stop();
      await on.stop();
    }
  }
  const cluster = await startBenchPostgres();
  if (cluster === undefined) {
    process.stderr.write('bench: coalesce on PostgreSQL skipped: no PostgreSQL server binaries\n');
    return figures;
  }
  try {
    const on = await startBenchPair(createDatabase(cluster.url, 'sluis_on'), { start: onStart });
    try {
      const off = await startBenchPair(createDatabase(cluster.url, 'sluis_off'), { start: offStart });
      try {
        const r = await rounds(sizes, side(on.a, on.urls, sizes), side(off.a, off.urls, sizes));
        figures.push(...figuresOf('coalesce.pg', 'two instances on PostgreSQL', r));
      } finally {
        await off.stop();
      }
    } finally {
      await on.stop();
    }
  } finally {
    cluster.stop();
  }
  return figures;
}

function side(
  bench: BenchServer,
  urls: readonly string[],
  sizes: { placements: number; rounds: number },
): Side {
  return { urls, prepare: preparer(bench, sizes.placements * sizes.rounds) };
}

/** Alternated rounds, on then off then off then on …, so neither side always goes first. */
async function rounds(sizes: { placements: number; rounds: number }, on: Side, off: Side): Promise<Rounds> {
  const out: Rounds = { on: { rates: [], p99s: [] }, off: { rates: [], p99s: [] }, ratios: [] };
  for (let r = 0; r < sizes.rounds; r++) {
    const order = r % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const);
    const rate: Record<'on' | 'off', number> = { on: 0, off: 0 };
    for (const which of order) {
      const s = which === 'on' ? on : off;
      const result = await runLoad(s.urls, s.prepare(sizes.placements), CONCURRENCY, 120);
      if (result.failed > 0) throw new Error(`placement failed: ${JSON.stringify(result.statuses)}`);
      out[which].rates.push(result.perSecond);
      out[which].p99s.push(result.p99Ms);
      rate[which] = result.perSecond;
    }
    out.ratios.push(rate.on / rate.off);
  }
  return out;
}

function figuresOf(id: string, what: string, r: Rounds): Figure[] {
  return [
    {
      id: `${id}.c64`,
      title: `placements at 64, ${what}: coalescer on against off (alternated rounds)`,
      unit: 'placements/s',
      candidate: spread(r.on.rates),
      baseline: spread(r.off.rates),
      baselineName: 'the same servers with the coalescer off',
      ratio: spread(r.ratios),
    },
    {
      id: `${id}.p99.c64`,
      title: `placement p99 at 64, ${what}: coalescer on against off`,
      unit: 'ms',
      candidate: spread(r.on.p99s),
      baseline: spread(r.off.p99s),
      baselineName: 'the same servers with the coalescer off',
    },
  ];
}
