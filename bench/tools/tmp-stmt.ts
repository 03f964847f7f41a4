import postgres from 'postgres';
import { findPostgresBinaries, startPostgres } from '../../test/support/postgres.js';
const cluster = await startPostgres(findPostgresBinaries()!, ['fsync=on', 'synchronous_commit=on']);
const sql = postgres(cluster.url, { max: 10, onnotice: () => undefined, types: { int8: { to: 20, from: [20], serialize: (x: unknown) => String(x), parse: (x: string) => Number(x) } } });
await sql`CREATE TABLE t (id int8 primary key, a bytea, b text, c int8)`;
await sql`INSERT INTO t SELECT g, decode(md5(g::text), 'hex'), 'x' || g, g FROM generate_series(1, 10000) g`;
const measure = async (name: string, n: number, conc: number, f: (i: number) => Promise<unknown>) => {
  let next = 0;
  const c0 = process.cpuUsage(); const t0 = performance.now();
  await Promise.all(Array.from({ length: conc }, async () => { while (next < n) await f(next++); }));
  const c = process.cpuUsage(c0);
  console.log(`${name}: ${((c.user + c.system) / n).toFixed(1)} µs CPU per call (kernel ${(c.system / n).toFixed(1)}), ${(n / (performance.now() - t0) * 1000).toFixed(0)}/s`);
};
for (let r = 0; r < 3; r++) {
  await measure('point select, 64 in flight', 10000, 64, (i) => sql`SELECT * FROM t WHERE id = ${(i % 10000) + 1}`);
  await measure('point select, 1 in flight', 3000, 1, (i) => sql`SELECT * FROM t WHERE id = ${(i % 10000) + 1}`);
  await measure('12 pipelined in one tx', 300, 1, (i) => sql.begin(async (t) => Promise.all(Array.from({ length: 12 }, (_, k) => t`SELECT * FROM t WHERE id = ${((i * 12 + k) % 10000) + 1}`))));
  await measure('tx of 12 sequential', 300, 1, (i) => sql.begin(async (t) => { for (let k = 0; k < 12; k++) await t`SELECT * FROM t WHERE id = ${((i * 12 + k) % 10000) + 1}`; }));
}
await sql.end(); cluster.stop();
