// What one statement costs this Node process through postgres.js with the store's settings
// (docs/performance.md "Ninth pass"): a point SELECT by primary key on a throwaway cluster,
// 64 in flight on a pool of 10 (as authentication's reads), one at a time (a process that
// waits between round trips: each answer wakes the event loop alone), twelve pipelined in one
// transaction, and twelve one after the other in one transaction (as a coalesced group's
// chain). Node CPU per call (process.cpuUsage, all threads). Not part of `pnpm bench`;
// nothing asserted.
//   node --conditions=sluis-source --import tsx bench/tools/pg-roundtrip.ts [rounds]

import postgres from 'postgres';
import { findPostgresBinaries, startPostgres } from '../../test/support/postgres.js';

const rounds = Number(process.argv[2] ?? 3);
const bin = findPostgresBinaries();
if (bin === undefined) throw new Error('no PostgreSQL server binaries');
const cluster = await startPostgres(bin, ['fsync=on', 'synchronous_commit=on']);
// The store's int8 parser (pg-store.ts NUMBER_TYPES).
const int8 = { to: 20, from: [20], serialize: (x: unknown) => String(x), parse: (x: string) => Number(x) };
const sql = postgres(cluster.url, { max: 10, onnotice: () => undefined, types: { int8 } });
const ROWS = 10_000;
const id = (i: number) => (i % ROWS) + 1;

async function measure(name: string, calls: number, inFlight: number, call: (i: number) => Promise<unknown>) {
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < calls) await call(next++);
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  const rate = (calls / (performance.now() - t0)) * 1000;
  console.log(
    `${name}: ${((cpu.user + cpu.system) / calls).toFixed(0)} µs Node CPU per call (kernel ${(cpu.system / calls).toFixed(0)}), ${rate.toFixed(0)}/s`,
  );
}

try {
  await sql`CREATE TABLE t (id int8 PRIMARY KEY, a bytea, b text, c int8)`;
  await sql`INSERT INTO t SELECT g, decode(md5(g::text), 'hex'), 'x' || g, g FROM generate_series(1, ${ROWS}) g`;
  for (let r = 0; r < rounds; r++) {
    await measure('point SELECT, 64 in flight', 10_000, 64, (i) => sql`SELECT * FROM t WHERE id = ${id(i)}`);
    await measure('point SELECT, 1 in flight', 3_000, 1, (i) => sql`SELECT * FROM t WHERE id = ${id(i)}`);
    await measure('transaction of 12 pipelined SELECTs', 300, 1, (i) =>
      sql.begin((t) => Array.from({ length: 12 }, (_, k) => t`SELECT * FROM t WHERE id = ${id(i * 12 + k)}`)),
    );
    await measure('transaction of 12 SELECTs one after the other', 300, 1, (i) =>
      sql.begin(async (t) => {
        for (let k = 0; k < 12; k++) await t`SELECT * FROM t WHERE id = ${id(i * 12 + k)}`;
      }),
    );
  }
} finally {
  await sql.end({ timeout: 5 });
  cluster.stop();
}
