// The bench's throwaway PostgreSQL (docs/performance.md "PostgreSQL (case 8)"): the cluster of
// test/support/postgres.ts with production durability instead of the tests' (fsync,
// full-page writes and synchronous_commit on), room for two instances' pools; and two server
// instances on one database of it, as case 8 runs them. For bench case 8 and `coalesce` and
// the PostgreSQL tools in bench/tools/ (pg-roundtrip.ts keeps its own, barer cluster), so that all
// measure the same set-up.

import { findPostgresBinaries, type PostgresCluster, startPostgres } from '../../test/support/postgres.js';
import { type ServerProcess, startServer } from '../../test/support/server-process.js';
import { type BenchServer, startBenchServer } from './bench-server.js';
import { noteSpawnedNode } from './machine.js';

/** Production durability: the test defaults (fsync off) are overridden. */
const BENCH_SETTINGS = [
  'fsync=on',
  'full_page_writes=on',
  'synchronous_commit=on',
  'max_connections=300',
  'shared_buffers=256MB',
];

/** The flags startBenchServer gives its server, for the instance started beside it. */
const LIFTED = ['--rate-limit', '0', '--placement-alert-per-hour', '1000000', '--log-level', 'warn'];

/**
 * A throwaway cluster with the bench's settings and then `extra` ones (`name=value`), or
 * undefined when the machine has no PostgreSQL server binaries.
 */
export async function startBenchPostgres(
  extra: readonly string[] = [],
): Promise<PostgresCluster | undefined> {
  const bin = findPostgresBinaries();
  return bin === undefined ? undefined : startPostgres(bin, [...BENCH_SETTINGS, ...extra]);
}

export interface BenchPair {
  /** Instance A, which admitted the 4 bench organisations. */
  readonly a: BenchServer;
  /** Instance B on A's data directory: the same server secret and admin key. */
  readonly b: ServerProcess;
  /** Both instances' URLs, A's first. */
  readonly urls: readonly string[];
  /** Stops B, then A. */
  stop(): Promise<void>;
}

/**
 * Two instances of the server on the PostgreSQL database at `db` (case 8), each with the
 * bench's flags, then `args`; `start` is another checkout's or another environment's
 * startServer. What started is stopped again when B does not start.
 */
export async function startBenchPair(
  db: string,
  options: { readonly args?: readonly string[]; readonly start?: typeof startServer } = {},
): Promise<BenchPair> {
  const start = options.start ?? startServer;
  const args = [...(options.args ?? []), '--database-url', db];
  const a = await startBenchServer(4, { args, start });
  let b: ServerProcess;
  try {
    b = await start({ dataDir: a.server.dataDir, args: [...LIFTED, ...args] });
  } catch (e) {
    await a.stop();
    throw e;
  }
  noteSpawnedNode(b.process.pid);
  return {
    a,
    b,
    urls: [a.server.url, b.url],
    stop: async () => {
      await b.stop();
      await a.stop();
    },
  };
}
