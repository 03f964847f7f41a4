// Benchmark 8: the PostgreSQL store (docs/performance.md "PostgreSQL (case 8)"). Placements over
// real HTTP at concurrency 64 through TWO server instances on one PostgreSQL (fsync on,
// synchronous_commit on), against a naive loop of single-row durable INSERTs into the same
// PostgreSQL at the same concurrency, alternated in the same run: ratio (target ≥ 0.5×) and
// p99; beside it the same figures for one instance on SQLite against SQLite's naive loop.
// And bulk import through both instances (POST /v1/signals/batch × 500, 4 in flight) against
// multi-row INSERTs and COPY of the same number of signal-shaped rows, 500 per commit.
// And the floor (8.pg.floor, docs/performance.md "The floor of case 8"): the same signed
// requests at 64 over TWO bare node:http processes that check the digest and the Ed25519
// signature, parse the JSON and do one durable INSERT of the naive loop's row each, into a
// table of its own shaped as the naive loop's (lib/floor-server.ts), through a pool of 10
// connections per process (the store's main pool; an instance has a 2-connection nonce pool
// besides, 12 in all), its rounds alternated with the placement rounds: what any
// authenticating Node server reaches on this PostgreSQL.
// Skipped, with the reason printed, when the machine has no PostgreSQL server binaries.

import { availableParallelism } from 'node:os';
import postgres from 'postgres';
import { createDatabase } from '../../test/support/postgres.js';
import { type BenchServer, startBenchServer } from '../lib/bench-server.js';
import { startFloorServer } from '../lib/floor-server.js';
import { runLoad } from '../lib/http-load.js';
import { copyPgRate, multiRowPgInsertRate, naivePgInserts, openPgBaseline } from '../lib/pg-baseline.js';
import { startBenchPair, startBenchPostgres } from '../lib/pg-cluster.js';
import { placementMix, signedPlacements } from '../lib/placement-mix.js';
import { pseudonyms } from '../lib/population.js';
import type { Figure } from '../lib/result.js';
import { childrenCpuMs, pidsByCommandLine, processCpuMs } from '../lib/proc.js';
import type { PreparedRequest } from '../lib/signed-requests.js';
import { naiveDurableInserts } from '../lib/sqlite-baseline.js';
import { spread } from '../lib/stats.js';
import { BATCH, bulkRequests } from './bulk-import.js';

const CONCURRENCY = 64;
/**
 * Connections per instance of the PostgreSQL store's main pool (PostgresStoreOptions.maxConnections'
 * default); each instance also has a nonce pool of 2 (pg-store.ts), 12 connections in all.
 */
const STORE_POOL = 10;
/**
 * The floor's pool per process: the store's main pool (10, without the nonce pool's 2; the
 * recorded runs used 10), or SLUIS_BENCH_FLOOR_POOL=N (32: the naive loop's 64 connections over
 * the two processes; docs/performance.md "The floor of case 8").
 */
const FLOOR_POOL = floorPool(process.env.SLUIS_BENCH_FLOOR_POOL);

function floorPool(given: string | undefined): number {
  if (given === undefined || given === '') return STORE_POOL;
  const n = Number(given);
  if (!Number.isInteger(n) || n < 1) throw new Error('SLUIS_BENCH_FLOOR_POOL must be an integer ≥ 1');
  return n;
}
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
      const baseline = await openPgBaseline(baselineDb, CONCURRENCY, { floorTable: true });
      try {
        // Two floor processes, as two instances: the load generator spreads over them alike.
        const trusted = new Map(a.organisations.map((o) => [o.signer.keyId, o.key.publicKey] as const));
        const floorOptions = { postgres: { url: baselineDb, poolSize: FLOOR_POOL } };
        const floors = [
          await startFloorServer(trusted, floorOptions),
          await startFloorServer(trusted, floorOptions),
        ];
        const postmaster = pidsByCommandLine(`${cluster.binDir}/postgres`, `-D ${cluster.dataDir}`)[0];
        // Each round places sizes.placements through sluis and sends as many to the floor.
        const prepare = preparer(a, sizes.placements * sizes.runs * 2);
        const [pg, floor] = await placements(
          sizes,
          [
            { urls, pids: [a.server.process.pid, pair.b.process.pid] },
            { urls: floors.map((f) => f.url), pids: floors.map((f) => f.process.pid) },
          ],
          prepare,
          async () => {
            const pg0 = postmaster === undefined ? undefined : childrenCpuMs(postmaster);
            const own0 = process.cpuUsage();
            const r = await naivePgInserts(baseline, CONCURRENCY, sizes.naiveSeconds);
            const own = process.cpuUsage(own0);
            const pg1 = postmaster === undefined ? undefined : childrenCpuMs(postmaster);
            const cpu =
              pg0 === undefined || pg1 === undefined
                ? undefined
                : (pg1 - pg0 + (own.user + own.system) / 1000) / r.inserts;
            return { rate: r.rate, p99: r.p99Ms, ...(cpu === undefined ? {} : { cpu }) };
          },
          postmaster,
        ).finally(() => Promise.all(floors.map((f) => f.stop())));
        const count = postgres(db, { max: 1, onnotice: () => undefined });
        const storedSignals = async () => Number((await count`SELECT count(*)::int AS n FROM signals`)[0]?.n);
        const bulk = await bulkFigures(sizes, a, urls, baseline, storedSignals).finally(() => count.end());
        const naiveName = 'naive single-row durable INSERTs into the same PostgreSQL, 64 at once';
        return [
          ...figures('8.pg', 'two instances on PostgreSQL', naiveName, pg!, {
            floor: false,
            node: 'the two instances',
          }),
          ...figures(
            '8.pg.floor',
            `floor: two bare node:http processes, digest + Ed25519 verify + JSON parse + one durable INSERT each, pools of ${FLOOR_POOL}`,
            naiveName,
            floor!,
            { floor: true, node: 'the two floor processes' },
          ),
          againstFloor(pg!, floor!),
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
  const mix = placementMix(pseudonyms(Math.ceil(total * 0.7)));
  return (count) => signedPlacements(mix, bench, count);
}

/** One side of the alternation: the instances the load goes to and their processes. */
interface Side {
  readonly urls: readonly string[];
  /** Their CPU time (all threads, /proc) is divided by the requests answered. */
  readonly pids: readonly (number | undefined)[];
}

interface Runs {
  readonly rates: number[];
  readonly p99s: number[];
  readonly ratios: number[];
  /** CPU ms per answered request of the side's processes together, per run (none without /proc). */
  readonly cpus: number[];
  /** The same of the PostgreSQL cluster (postmaster and backends), and of the load generator. */
  readonly pgCpus: number[];
  readonly loadCpus: number[];
  /** The naive loop around all sides' runs (the one before the first run too). */
  readonly baseRates: number[];
  readonly baseP99s: number[];
  /** Its CPU per insert, its client's and PostgreSQL's together (where measured). */
  readonly baseCpus: number[];
}

/** A naive baseline measurement: its rate, p99 and CPU ms per insert (where measured). */
interface Naive {
  readonly rate: number;
  readonly p99: number;
  readonly cpu?: number;
}

/**
 * `runs` rounds of `sizes.placements` requests at 64 to each side, each run followed by a
 * naive baseline measurement and its ratio taken against the two around it; the sides take
 * turns first from round to round. One Runs per side, in the order given. `postmaster`: the
 * cluster's, whose CPU time with its backends' is counted per run too.
 */
async function placements(
  sizes: Sizes,
  sides: readonly Side[],
  prepare: Prepare,
  naive: () => Promise<Naive>,
  postmaster?: number,
): Promise<Runs[]> {
  const baseRates: number[] = [];
  const baseP99s: number[] = [];
  const baseCpus: number[] = [];
  const out: Runs[] = sides.map(() => ({
    rates: [],
    p99s: [],
    ratios: [],
    cpus: [],
    pgCpus: [],
    loadCpus: [],
    baseRates,
    baseP99s,
    baseCpus,
  }));
  const record = (n: Naive) => {
    baseRates.push(n.rate);
    baseP99s.push(n.p99);
    if (n.cpu !== undefined) baseCpus.push(n.cpu);
  };
  let before = await naive();
  record(before);
  for (let r = 0; r < sizes.runs; r++) {
    for (let k = 0; k < sides.length; k++) {
      const i = (r + k) % sides.length;
      const side = sides[i]!;
      const runs = out[i]!;
      const requests = prepare(sizes.placements);
      const cpu0 = cpuMs(side.pids);
      const pg0 = postmaster === undefined ? undefined : childrenCpuMs(postmaster);
      const own0 = process.cpuUsage();
      const result = await runLoad(side.urls, requests, CONCURRENCY, 120);
      const own = process.cpuUsage(own0);
      const pg1 = postmaster === undefined ? undefined : childrenCpuMs(postmaster);
      const cpu1 = cpuMs(side.pids);
      if (result.failed > 0) throw new Error(`placement failed: ${JSON.stringify(result.statuses)}`);
      const after = await naive();
      record(after);
      runs.rates.push(result.perSecond);
      runs.p99s.push(result.p99Ms);
      runs.ratios.push(result.perSecond / ((before.rate + after.rate) / 2));
      if (cpu0 !== undefined && cpu1 !== undefined) runs.cpus.push((cpu1 - cpu0) / result.ok);
      if (pg0 !== undefined && pg1 !== undefined) runs.pgCpus.push((pg1 - pg0) / result.ok);
      runs.loadCpus.push((own.user + own.system) / 1000 / result.sent);
      before = after;
    }
  }
  return out;
}

/** The processes' CPU time together (ms), or undefined when one cannot be read. */
function cpuMs(pids: readonly (number | undefined)[]): number | undefined {
  let sum = 0;
  for (const pid of pids) {
    const ms = pid === undefined ? undefined : processCpuMs(pid);
    if (ms === undefined) return undefined;
    sum += ms;
  }
  return sum;
}

/**
 * A side's rate (ratio to the naive loop; the target only for sluis: the floor is a bound) and
 * p99; `node` names its Node processes in the CPU note.
 */
function figures(
  id: string,
  what: string,
  baselineName: string,
  r: Runs,
  side: { readonly floor: boolean; readonly node: string },
): Figure[] {
  const unit = side.floor ? 'requests/s' : 'placements/s';
  const note = cpuNote(r, side.node);
  return [
    {
      id: `${id}.c64`,
      title: `${side.floor ? 'requests over HTTP' : 'signal placement over HTTP'}, concurrency 64, ${what}`,
      unit,
      candidate: spread(r.rates),
      baseline: spread(r.baseRates),
      baselineName,
      baselineUnit: 'inserts/s',
      ratio: spread(r.ratios),
      ...(side.floor ? {} : { target: { op: '>=' as const, value: 0.5, of: 'ratio' as const } }),
      ...(note === undefined ? {} : { note }),
    },
    {
      id: `${id}.p99.c64`,
      title: `${side.floor ? 'request' : 'placement'} latency p99, concurrency 64, ${what}`,
      unit: 'ms',
      candidate: spread(r.p99s),
      // SQLite's naive loop is one writer in a loop: it has no latency under concurrency.
      ...(r.baseP99s.every(Number.isFinite)
        ? { baseline: spread(r.baseP99s), baselineName: 'the naive loop’s p99 per insert' }
        : {}),
    },
  ];
}

/**
 * CPU per answered request of a side's runs (all threads, /proc, 10 ms resolution): its Node
 * processes, the PostgreSQL cluster where there is one, the load generator, and what the sum
 * of their medians allows on this machine's cores if nothing else ran.
 */
function cpuNote(r: Runs, node: string): string | undefined {
  if (r.cpus.length === 0) return undefined;
  const part = (name: string, values: readonly number[]) => {
    const x = spread(values);
    return {
      text: `${name} ${x.median.toFixed(3)} ms (${x.min.toFixed(3)}–${x.max.toFixed(3)})`,
      ms: x.median,
    };
  };
  const parts = [
    part(node, r.cpus),
    ...(r.pgCpus.length === 0 ? [] : [part('PostgreSQL (postmaster and backends)', r.pgCpus)]),
    part('the load generator', r.loadCpus),
  ];
  const sum = parts.reduce((t, p) => t + p.ms, 0);
  const cores = availableParallelism();
  const naive =
    r.baseCpus.length === 0
      ? ''
      : `; the naive loop ${spread(r.baseCpus).median.toFixed(3)} ms per insert (its client and PostgreSQL)`;
  return `CPU per request (all threads, /proc, 10 ms resolution): ${parts.map((p) => p.text).join(', ')}; the medians' sum ${sum.toFixed(3)} ms, at most ${Math.round((cores * 1000) / sum).toLocaleString('en-US')} requests/s on ${cores} cores${naive}`;
}

/**
 * 8.pg.floor.ratio: sluis's two instances against the floor, per round (the two sides ran
 * one after the other in each round, a naive measurement between them).
 */
function againstFloor(pg: Runs, floor: Runs): Figure {
  const ratios = pg.rates.map((rate, i) => rate / floor.rates[i]!);
  const cpu =
    pg.cpus.length > 0 && floor.cpus.length > 0
      ? `; Node CPU per request ${spread(pg.cpus).median.toFixed(3)} ms (two instances) against the floor's ${spread(floor.cpus).median.toFixed(3)} ms (two processes), medians; sluis's own work beyond the floor's: ${(spread(pg.cpus).median - spread(floor.cpus).median).toFixed(3)} ms`
      : '';
  return {
    id: '8.pg.floor.ratio',
    title:
      'placements at concurrency 64 through two instances on PostgreSQL against the floor of the same rounds',
    unit: 'placements/s',
    candidate: spread(pg.rates),
    baseline: spread(floor.rates),
    baselineName: 'floor: two bare node:http processes, digest + Ed25519 + JSON + one durable INSERT',
    baselineUnit: 'requests/s',
    ratio: spread(ratios),
    note: `ratio per round${cpu}`,
  };
}

/** The same placement figures for one instance on SQLite (as 2.c64) against SQLite's naive loop. */
async function sqliteBeside(sizes: Sizes): Promise<Figure[]> {
  const bench = await startBenchServer(4);
  try {
    const naive = async () => ({ rate: naiveDurableInserts(sizes.naiveSeconds).rate, p99: Number.NaN });
    const [r] = await placements(
      sizes,
      [{ urls: [bench.server.url], pids: [bench.server.process.pid] }],
      preparer(bench, sizes.placements * sizes.runs),
      naive,
    );
    return figures(
      '8.sqlite',
      'one instance on SQLite',
      'naive single-row durable SQLite inserts (one writer)',
      r!,
      { floor: false, node: 'the instance' },
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
      baselineUnit: 'rows/s',
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
      baselineUnit: 'rows/s',
      ratio: spread(vsCopy),
    },
  ];
}
