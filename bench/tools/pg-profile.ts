// A profile and A/B helper for the PostgreSQL placement path (docs/performance.md "PostgreSQL (case 8)"): a
// throwaway cluster with the bench's durability (fsync on, synchronous_commit on) and pg_stat_statements; two
// instances of the built server on one database (as case 8), and with SLUIS_AB_ROOT=<another checkout, built>
// two instances of that checkout's server on a second database of the same cluster. Rounds of placements at
// concurrency 64 alternate between them and the naive single-row INSERT loop; afterwards it prints, per
// placement, the statements each database ran (calls and time per statement text), and what the backends
// waited on (pg_stat_activity sampled every 20 ms). With SLUIS_PROFILE_SQLITE=1 one instance of the same
// build on SQLite runs beside, in the same rounds, and each side's Node CPU with no load is measured too
// (docs/performance.md "Ninth pass: what a PostgreSQL placement costs Node"). Not part of `pnpm bench`;
// nothing asserted. Profile a server's Node CPU with SLUIS_NODE_ARGS="--cpu-prof --cpu-prof-dir=…".
//   node --conditions=sluis-source --import tsx bench/tools/pg-profile.ts [rounds] [requests]

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import postgres from 'postgres';
import { createDatabase, psql } from '../../test/support/postgres.js';
import { startServer } from '../../test/support/server-process.js';
import { preparer } from '../cases/postgres.js';
import { otherStartServer } from '../lib/ab-servers.js';
import { type BenchServer, startBenchServer } from '../lib/bench-server.js';
import { runLoad } from '../lib/http-load.js';
import { naivePgInserts, openPgBaseline } from '../lib/pg-baseline.js';
import { startBenchPair, startBenchPostgres } from '../lib/pg-cluster.js';
import { processCpuMs } from '../lib/proc.js';

const rounds = Number(process.argv[2] ?? 2);
const perRound = Number(process.argv[3] ?? 1_000);

const cluster = await startBenchPostgres([
  'shared_preload_libraries=pg_stat_statements',
  'pg_stat_statements.track=all',
]);
if (cluster === undefined) throw new Error('no PostgreSQL server binaries');
interface Side {
  name: string;
  db: string;
  bench: BenchServer;
  /** The second instance on the same database; absent for the SQLite side (one instance). */
  second: { url: string; process: { pid?: number | undefined }; stop(): Promise<unknown> } | undefined;
}
const sides: Side[] = [];
try {
  psql(cluster.url, 'CREATE EXTENSION pg_stat_statements');
  const baselineDb = createDatabase(cluster.url, 'baseline');
  const start = async (name: string, starter: typeof startServer): Promise<Side> => {
    const pair = await startBenchPair(createDatabase(cluster.url, name), { start: starter });
    return { name, db: name, bench: pair.a, second: pair.b };
  };
  sides.push(await start('this', startServer));
  // SLUIS_PROFILE_SQLITE=1: the same server on SQLite beside it (one instance, its default
  // without the coalescer), so the Node CPU per placement of the two stores is measured in
  // the same run (docs/performance.md "Ninth pass: what a PostgreSQL placement costs Node").
  if (process.env.SLUIS_PROFILE_SQLITE === '1') {
    sides.push({ name: 'sqlite', db: 'sqlite', bench: await startBenchServer(4), second: undefined });
  }
  const otherStart = await otherStartServer();
  if (otherStart !== undefined) sides.push(await start('other', otherStart));
  const baseline = await openPgBaseline(baselineDb, 64);
  const admin = postgres(cluster.url, { max: 1, onnotice: () => undefined });
  const waits = new Map<string, Map<string, number>>();
  /** Per database: what a backend waiting for a lock waited on — the lock and its statement. */
  const lockWaits = new Map<string, Map<string, number>>();
  const bump = (m: Map<string, Map<string, number>>, db: string, k: string) => {
    const x = m.get(db) ?? new Map<string, number>();
    x.set(k, (x.get(k) ?? 0) + 1);
    m.set(db, x);
  };
  let sampling = false;
  const sample = async () => {
    while (sampling) {
      const rows = await admin<{ datname: string; w: string; lock: string | null; query: string }[]>`
        SELECT a.datname, coalesce(a.wait_event_type || ':' || a.wait_event, a.state) AS w,
          (SELECT l.locktype || CASE WHEN l.locktype = 'advisory' AND l.objsubid = 2
              THEN ' (' || l.classid || ',' || l.objid || ')'
              WHEN l.locktype = 'advisory' THEN ' person' ELSE '' END
            FROM pg_locks l WHERE l.pid = a.pid AND NOT l.granted LIMIT 1) AS lock,
          left(regexp_replace(a.query, '\\s+', ' ', 'g'), 70) AS query
        FROM pg_stat_activity a WHERE a.application_name = 'sluis' AND a.state <> 'idle'`;
      for (const r of rows) {
        bump(waits, r.datname, r.w);
        if (r.lock !== null) bump(lockWaits, r.datname, `${r.lock}: ${r.query}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  /** CPU (ms) so far of the cluster's backends of database `db` and of the whole cluster. */
  const postmaster = Number(readFileSync(join(cluster.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const clusterCpu = () => {
    let ms = processCpuMs(postmaster) ?? 0;
    const children = readFileSync(`/proc/${postmaster}/task/${postmaster}/children`, 'utf8').trim();
    for (const pid of children === '' ? [] : children.split(' ')) ms += processCpuMs(Number(pid)) ?? 0;
    return ms;
  };
  const backendCpu = async (db: string) => {
    const pids = await admin<{ pid: number }[]>`
      SELECT pid FROM pg_stat_activity WHERE datname = ${db} AND application_name = 'sluis'`;
    return new Map(pids.map((p) => [p.pid, processCpuMs(p.pid) ?? 0]));
  };
  const nodeCpu = (s: Side) =>
    (processCpuMs(s.bench.server.process.pid ?? 0) ?? 0) +
    (s.second === undefined ? 0 : (processCpuMs(s.second.process.pid ?? 0) ?? 0));
  const cpu = new Map<string, { node: number; backends: number; cluster: number }>();
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
      const before = { node: nodeCpu(s), backends: await backendCpu(s.db), cluster: clusterCpu() };
      const urls = [s.bench.server.url, ...(s.second === undefined ? [] : [s.second.url])];
      const r = await runLoad(urls, prepares[i]!(perRound), 64, 300);
      const after = { node: nodeCpu(s), backends: await backendCpu(s.db), cluster: clusterCpu() };
      sampling = false;
      await sampler;
      if (round > 0) {
        const c = cpu.get(s.db) ?? { node: 0, backends: 0, cluster: 0 };
        c.node += after.node - before.node;
        c.cluster += after.cluster - before.cluster;
        // Backends that lived through the round (a pool may open more meanwhile: those count from 0).
        for (const [pid, ms] of after.backends) c.backends += ms - (before.backends.get(pid) ?? 0);
        cpu.set(s.db, c);
      }
      if (r.failed > 0) parts.push(`${s.name} REFUSED ${JSON.stringify(r.statuses)}`);
      if (round > 0) placed.set(s.db, (placed.get(s.db) ?? 0) + r.ok);
      parts.push(
        `${s.name} ${r.perSecond.toFixed(0)}/s p99 ${r.p99Ms.toFixed(0)} ms (×naive ${(r.perSecond / naive.rate).toFixed(2)})`,
      );
    }
    console.log(`round ${round}${round === 0 ? ' (warm-up)' : ''}: ${parts.join(' | ')}`);
  }
  // What the instances spend with no request at all (timers, job polls), per second: counted
  // in the rounds' Node CPU too, so a slower round carries more of it per placement.
  for (const s of sides) {
    const c0 = nodeCpu(s);
    await new Promise((r) => setTimeout(r, 5_000));
    console.log(
      `${s.name}: Node CPU with no load ${((nodeCpu(s) - c0) / 5).toFixed(1)} ms/s (all its instances)`,
    );
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
    // One logbook INSERT per write operation that logged: with the coalescer, per group.
    const groups = rows
      .filter((r) => r.query.startsWith('INSERT INTO logbook'))
      .reduce((a, r) => a + r.calls, 0);
    console.log(
      `write operations with a logbook entry: ${groups} (${(n / Math.max(groups, 1)).toFixed(1)} placements each)`,
    );
    const c = cpu.get(s.db);
    if (c !== undefined) {
      console.log(
        `CPU per placement: Node (both instances) ${(c.node / n).toFixed(3)} ms, its PostgreSQL backends ${(c.backends / n).toFixed(3)} ms, the whole cluster ${(c.cluster / n).toFixed(3)} ms (the naive loop's rounds included)`,
      );
    }
    const w = [...(waits.get(s.db) ?? new Map<string, number>()).entries()].sort((x, y) => y[1] - x[1]);
    const all = w.reduce((a, [, c]) => a + c, 0);
    console.log(
      `waits (share of sampled busy backends): ${w.map(([k, c]) => `${k} ${((100 * c) / all).toFixed(0)}%`).join(', ')}`,
    );
    const lw = [...(lockWaits.get(s.db) ?? new Map<string, number>()).entries()].sort((x, y) => y[1] - x[1]);
    for (const [k, c] of lw.slice(0, 8))
      console.log(`  lock wait ${((100 * c) / all).toFixed(0).padStart(3)}%  ${k}`);
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
    await s.second?.stop();
    await s.bench.stop();
  }
  cluster.stop();
}
