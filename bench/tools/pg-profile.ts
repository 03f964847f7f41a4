// A profile and A/B helper for the PostgreSQL placement path (docs/performance.md
// "PostgreSQL (case 8)"): a throwaway cluster with the bench's durability (fsync on,
// synchronous_commit on) and pg_stat_statements; two instances of the built server on one
// database (as case 8), and with SLUIS_AB_ROOT=<another checkout, built> two instances of
// that checkout's server on a second database of the same cluster. Rounds of placements at
// concurrency 64 alternate between them and the naive single-row INSERT loop; afterwards it
// prints, per placement, the statements each database ran (calls and time per statement
// text), and what the backends waited on (pg_stat_activity sampled every 20 ms).
// Not part of `pnpm bench`; nothing asserted. Profile a server's Node CPU with
// SLUIS_NODE_ARGS="--cpu-prof --cpu-prof-dir=…".
//   node --conditions=sluis-source --import tsx bench/tools/pg-profile.ts [rounds] [requests]

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import postgres from 'postgres';
import { findPostgresBinaries, psql, startPostgres } from '../../test/support/postgres.js';
import { startServer } from '../../test/support/server-process.js';
import { preparer } from '../cases/postgres.js';
import { type BenchServer, startBenchServer } from '../lib/bench-server.js';
import { runLoad } from '../lib/http-load.js';
import { naivePgInserts, openPgBaseline } from '../lib/pg-baseline.js';

const rounds = Number(process.argv[2] ?? 2);
const perRound = Number(process.argv[3] ?? 1_000);
const abRoot = process.env.SLUIS_AB_ROOT;
const LIFTED = ['--rate-limit', '0', '--placement-alert-per-hour', '1000000', '--log-level', 'warn'];

const bin = findPostgresBinaries();
if (bin === undefined) throw new Error('no PostgreSQL server binaries');
const cluster = await startPostgres(bin, [
  'fsync=on',
  'full_page_writes=on',
  'synchronous_commit=on',
  'max_connections=300',
  'shared_buffers=256MB',
  'shared_preload_libraries=pg_stat_statements',
  'pg_stat_statements.track=all',
]);
const dbUrl = (name: string) => cluster.url.replace(/\/postgres$/, `/${name}`);
interface Side {
  name: string;
  db: string;
  bench: BenchServer;
  second: { url: string; stop(): Promise<unknown> };
}
const sides: Side[] = [];
try {
  psql(cluster.url, 'CREATE EXTENSION pg_stat_statements');
  psql(cluster.url, 'CREATE DATABASE baseline');
  const start = async (name: string, starter: typeof startServer): Promise<Side> => {
    psql(cluster.url, `CREATE DATABASE ${name}`);
    const args = ['--database-url', dbUrl(name)];
    const bench = await startBenchServer(4, { args, start: starter });
    const second = await starter({ dataDir: bench.server.dataDir, args: [...LIFTED, ...args] });
    return { name, db: name, bench, second };
  };
  sides.push(await start('this', startServer));
  if (abRoot !== undefined) {
    const other = (await import(pathToFileURL(join(abRoot, 'test/support/server-process.ts')).href)) as {
      startServer: typeof startServer;
    };
    sides.push(await start('other', other.startServer));
  }
  const baseline = await openPgBaseline(dbUrl('baseline'), 64);
  const admin = postgres(cluster.url, { max: 1, onnotice: () => undefined });
  const waits = new Map<string, Map<string, number>>();
  let sampling = false;
  const sample = async () => {
    while (sampling) {
      const rows = await admin<{ datname: string; w: string }[]>`
        SELECT datname, coalesce(wait_event_type || ':' || wait_event, state) AS w FROM pg_stat_activity
        WHERE application_name = 'sluis' AND state <> 'idle'`;
      for (const r of rows) {
        const m = waits.get(r.datname) ?? new Map<string, number>();
        m.set(r.w, (m.get(r.w) ?? 0) + 1);
        waits.set(r.datname, m);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const prepares = sides.map((s) => preparer(s.bench, perRound * (rounds + 1)));
  const placed = new Map<string, number>();
  for (let round = 0; round <= rounds; round++) {
    if (round === 1) await admin`SELECT pg_stat_statements_reset()`; // round 0 warms up
    const parts: string[] = [];
    const naive = await naivePgInserts(baseline, 64, 1);
    parts.push(`naive ${naive.rate.toFixed(0)}/s p99 ${naive.p99Ms.toFixed(0)} ms`);
    for (const [i, s] of sides.entries()) {
      sampling = round > 0;
      const sampler = sample();
      const r = await runLoad([s.bench.server.url, s.second.url], prepares[i]!(perRound), 64, 300);
      sampling = false;
      await sampler;
      if (r.failed > 0) parts.push(`${s.name} REFUSED ${JSON.stringify(r.statuses)}`);
      if (round > 0) placed.set(s.db, (placed.get(s.db) ?? 0) + r.ok);
      parts.push(
        `${s.name} ${r.perSecond.toFixed(0)}/s p99 ${r.p99Ms.toFixed(0)} ms (×naive ${(r.perSecond / naive.rate).toFixed(2)})`,
      );
    }
    console.log(`round ${round}${round === 0 ? ' (warm-up)' : ''}: ${parts.join(' | ')}`);
  }
  for (const s of sides) {
    const n = placed.get(s.db) ?? 1;
    const rows = await admin<{ calls: number; ms: number; query: string }[]>`
      SELECT sum(calls)::int AS calls, sum(total_exec_time)::float8 AS ms, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS query
      FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
      WHERE d.datname = ${s.db} GROUP BY 3 ORDER BY 1 DESC`;
    const total = rows.reduce((a, r) => a + r.calls, 0);
    console.log(`\n${s.name}: ${(total / n).toFixed(1)} statements per placement (${n} placements)`);
    for (const r of rows.slice(0, 40)) {
      console.log(
        `${(r.calls / n).toFixed(2).padStart(6)} × ${(r.ms / r.calls).toFixed(3).padStart(8)} ms  ${r.query}`,
      );
    }
    const w = [...(waits.get(s.db) ?? new Map<string, number>()).entries()].sort((x, y) => y[1] - x[1]);
    const all = w.reduce((a, [, c]) => a + c, 0);
    console.log(
      `waits (share of sampled busy backends): ${w.map(([k, c]) => `${k} ${((100 * c) / all).toFixed(0)}%`).join(', ')}`,
    );
  }
  // What the database said about the refusals (deadlocks, statement timeouts).
  const log = readFileSync(join(dirname(cluster.dataDir), 'server.log'), 'utf8').split('\n');
  const errors = new Map<string, number>();
  for (const line of log) {
    const m = /(ERROR|DETAIL|STATEMENT):\s+(.{0,120})/.exec(line);
    if (m !== null) errors.set(`${m[1]}: ${m[2]}`, (errors.get(`${m[1]}: ${m[2]}`) ?? 0) + 1);
  }
  for (const [e, c] of [...errors.entries()].sort((x, y) => y[1] - x[1]).slice(0, 20))
    console.log(`${c} × ${e}`);
  await admin.end();
  await baseline.close();
} finally {
  for (const s of sides) {
    await s.second.stop();
    await s.bench.stop();
  }
  cluster.stop();
}
