// Benchmark 8: the PostgreSQL store (docs/performance.md "PostgreSQL (case 8)"). Placements over
// real HTTP at concurrency 64 through TWO server instances on one PostgreSQL (fsync on,
// synchronous_commit on), against a naive loop of single-row durable INSERTs into the same
// PostgreSQL at the same concurrency, alternated in the same run: ratio (target ≥ 0.5×) and
// p99; beside it the same figures for one instance on SQLite against SQLite's naive loop.
// And bulk import through both instances (POST /v1/signals/batch × 500, 4 in flight) against
// multi-row INSERTs and COPY of the same number of signal-shaped rows, 500 per commit.
// Skipped, with the reason printed, when the machine has no PostgreSQL server binaries.

import postgres from 'postgres';
import { createDatabase } from '../../test/support/postgres.js';
import { type BenchServer, startBenchServer } from '../lib/bench-server.js';
import { runLoad } from '../lib/http-load.js';
import { copyPgRate, multiRowPgInsertRate, naivePgInserts, openPgBaseline } from '../lib/pg-baseline.js';
import { startBenchPair, startBenchPostgres } from '../lib/pg-cluster.js';
import { placementBody, pseudonyms } from '../lib/population.js';
import type { Figure } from '../lib/result.js';
import type { PreparedRequest } from '../lib/signed-requests.js';
import { naiveDurableInserts } from '../lib/sqlite-baseline.js';
import { spread } from '../lib/stats.js';
import { BATCH, bulkRequests } from './bulk-import.js';

const CONCURRENCY = 64;
/** A batch of 500 on a crowded machine can take longer than the default 30 s request and idle timeouts. */
const SLOW_BATCHES = ['--request-timeout', '300', '--idle-timeout', '300'];

interface Sizes {
  readonly placements: number;
  readonly runs: number;
  readonly naiveSeconds: number;
  readonly bulkRows: number;
}

export async function postgresBench(quick: boolean): Promise<Figure[]> {
  const sizes: Sizes = quick
    ? { placements: 500, runs: 1, naiveSeconds: 0.5, bulkRows: 2_000 }
    : { placements: 20_000, runs: 3, naiveSeconds: 3, bulkRows: 50_000 };
  const cluster = await startBenchPostgres();
  if (cluster === undefined) {
    process.stderr.write(
      'bench: postgres skipped: no PostgreSQL server binaries (/usr/lib/postgresql/*/bin)\n',
    );
    return [];
  }
  try {
    const db = createDatabase(cluster.url, 'sluis');
    const baselineDb = createDatabase(cluster.url, 'baseline');
    const pair = await startBenchPair(db, { args: SLOW_BATCHES });
    try {
      const { a, urls } = pair;
      const baseline = await openPgBaseline(baselineDb, CONCURRENCY);
      try {
        const prepare = preparer(a, sizes.placements * sizes.runs * 2);
        const pg = await placements(sizes, urls, prepare, async () => {
          const r = await naivePgInserts(baseline, CONCURRENCY, sizes.naiveSeconds);
          return { rate: r.rate, p99: r.p99Ms };
        });
        const count = postgres(db, { max: 1, onnotice: () => undefined });
        const storedSignals = async () => Number((await count`SELECT count(*)::int AS n FROM signals`)[0]?.n);
        const bulk = await bulkFigures(sizes, a, urls, baseline, storedSignals).finally(() => count.end());
        return [
          ...figures(
            '8.pg',
            'two instances on PostgreSQL',
            'naive single-row durable INSERTs into the same PostgreSQL, 64 at once',
            pg,
          ),
          ...(await sqliteBeside(sizes)),
          ...bulk,
        ];
      } finally {
        await baseline.close();
      }
    } finally {
      await pair.stop();
    }
  } finally {
    cluster.stop();
  }
}

type Prepare = (count: number) => PreparedRequest[];

/** Placement requests spread over the bench organisations; a third find an earlier person. */
export function preparer(bench: BenchServer, total: number): Prepare {
  const people = pseudonyms(Math.ceil(total * 0.7));
  let personIndex = 0;
  let n = 0;
  return (count) => {
    const created = Math.floor(Date.now() / 1000);
    const out: PreparedRequest[] = [];
    for (let i = 0; i < count; i++) {
      const orgIndex = n % bench.organisations.length;
      const person = n % 3 === 2 ? people[Math.max(0, personIndex - 1)] : people[personIndex++];
      if (person === undefined) throw new Error('postgres bench: more requests than people prepared');
      const body = placementBody(person, n, orgIndex, Math.floor(n / bench.organisations.length));
      out.push(bench.organisations[orgIndex]!.signer.prepare('POST', '/v1/signals', body, created));
      n++;
    }
    return out;
  };
}

interface Runs {
  readonly rates: number[];
  readonly p99s: number[];
  readonly ratios: number[];
  readonly baseRates: number[];
  readonly baseP99s: number[];
}

/** `runs` runs of placements at 64 over `urls`, each between two baseline measurements. */
async function placements(
  sizes: Sizes,
  urls: readonly string[],
  prepare: Prepare,
  naive: () => Promise<{ rate: number; p99: number }>,
): Promise<Runs> {
  const out: Runs = { rates: [], p99s: [], ratios: [], baseRates: [], baseP99s: [] };
  let before = await naive();
  out.baseRates.push(before.rate);
  out.baseP99s.push(before.p99);
  for (let r = 0; r < sizes.runs; r++) {
    const result = await runLoad(urls, prepare(sizes.placements), CONCURRENCY, 120);
    if (result.failed > 0) throw new Error(`placement failed: ${JSON.stringify(result.statuses)}`);
    const after = await naive();
    out.baseRates.push(after.rate);
    out.baseP99s.push(after.p99);
    out.rates.push(result.perSecond);
    out.p99s.push(result.p99Ms);
    out.ratios.push(result.perSecond / ((before.rate + after.rate) / 2));
    before = after;
  }
  return out;
}

function figures(id: string, what: string, baselineName: string, r: Runs): Figure[] {
  return [
    {
      id: `${id}.c64`,
      title: `signal placement over HTTP, concurrency 64, ${what}`,
      unit: 'placements/s',
      candidate: spread(r.rates),
      baseline: spread(r.baseRates),
      baselineName,
      ratio: spread(r.ratios),
      target: { op: '>=', value: 0.5, of: 'ratio' },
    },
    {
      id: `${id}.p99.c64`,
      title: `placement latency p99, concurrency 64, ${what}`,
      unit: 'ms',
      candidate: spread(r.p99s),
      // SQLite's naive loop is one writer in a loop: it has no latency under concurrency.
      ...(r.baseP99s.every(Number.isFinite)
        ? { baseline: spread(r.baseP99s), baselineName: 'the naive loop’s p99 per insert' }
        : {}),
    },
  ];
}

/** The same placement figures for one instance on SQLite (as 2.c64) against SQLite's naive loop. */
async function sqliteBeside(sizes: Sizes): Promise<Figure[]> {
  const bench = await startBenchServer(4);
  try {
    const naive = async () => ({ rate: naiveDurableInserts(sizes.naiveSeconds).rate, p99: Number.NaN });
    const r = await placements(
      sizes,
      [bench.server.url],
      preparer(bench, sizes.placements * sizes.runs),
      naive,
    );
    return figures(
      '8.sqlite',
      'one instance on SQLite',
      'naive single-row durable SQLite inserts (one writer)',
      r,
    );
  } finally {
    await bench.stop();
  }
}

/** Bulk import through both instances against multi-row INSERT and COPY, alternated. */
async function bulkFigures(
  sizes: Sizes,
  bench: BenchServer,
  urls: readonly string[],
  baseline: Awaited<ReturnType<typeof openPgBaseline>>,
  storedSignals: () => Promise<number>,
): Promise<Figure[]> {
  // Request ids above the placement runs' on the same instances; every person new (no matching).
  const prepare = bulkRequests(bench, sizes.bulkRows, { firstRequest: 10_000_000, rematch: false });
  const rates: number[] = [];
  const inserts: number[] = [];
  const copies: number[] = [];
  const vsInsert: number[] = [];
  const vsCopy: number[] = [];
  const refused: number[] = [];
  for (let r = 0; r < sizes.runs; r++) {
    const insert = await multiRowPgInsertRate(baseline, sizes.bulkRows, BATCH, 4);
    const copy = await copyPgRate(baseline, sizes.bulkRows, BATCH, 4);
    const requests = prepare();
    const stored0 = await storedSignals();
    const result = await runLoad(urls, requests, 4, 300);
    if (result.failed > 0 || result.sent !== requests.length) {
      throw new Error(`bulk import failed: ${JSON.stringify(result.statuses)}`);
    }
    // Items a batch answered with an error (database_busy: lost races) are not stored: count what is.
    const stored = (await storedSignals()) - stored0;
    refused.push(result.ok * BATCH - stored);
    const rate = stored / result.seconds;
    rates.push(rate);
    inserts.push(insert);
    copies.push(copy);
    vsInsert.push(rate / insert);
    vsCopy.push(rate / copy);
  }
  const title = `bulk import on PostgreSQL, POST /v1/signals/batch × ${BATCH}, 4 in flight over two instances (${sizes.bulkRows.toLocaleString('en-US')} per run)`;
  return [
    {
      id: '8.pg.bulk.insert',
      title,
      unit: 'signals/s',
      candidate: spread(rates),
      baseline: spread(inserts),
      baselineName: `multi-row INSERT, ${BATCH} rows per commit, 4 at once`,
      ratio: spread(vsInsert),
      note: `signals stored (items answered with an error, e.g. database_busy, not counted): ${refused.join(', ')} refused of ${sizes.bulkRows.toLocaleString('en-US')} per run`,
    },
    {
      id: '8.pg.bulk.copy',
      title,
      unit: 'signals/s',
      candidate: spread(rates),
      baseline: spread(copies),
      baselineName: `COPY FROM STDIN, ${BATCH} rows per commit, 4 at once`,
      ratio: spread(vsCopy),
    },
  ];
}
